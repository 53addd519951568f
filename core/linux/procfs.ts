/**
 * The synthetic /proc and /sys trees, served to the guest through the VFS.
 *
 * Per-process entries live under /proc/PID and are looked up in a
 * {@link ProcessTable}: today the kernel's own process (pid -> kernel);
 * when the emulator runs several guest processes, their table plugs in
 * here and /proc/PID shows each of them. /proc/self is a link to the
 * caller's PID, as on Linux.
 *
 * @module
 */

import type { Kernel } from "./kernel.ts";
import type { Description } from "./fd_table.ts";
import {
  cpuinfo,
  cpuList,
  meminfo,
  pidMaps,
  pidStat,
  pidStatus,
  procStat,
} from "./proc_files.ts";

/** One synthetic file system node. */
export type ProcNode =
  | { type: "dir"; list(): string[] }
  | { type: "file"; read(): Uint8Array }
  | { type: "link"; target(): string }
  | { type: "exe" };

/** A guest process as /proc shows it. */
export interface ProcessEntry {
  /** Its kernel state. */
  kernel: Kernel;
  /** Its parent's pid. */
  ppid: number;
}

/** Guest processes by pid. */
export interface ProcessTable {
  /** The process with id `pid`, if it exists. */
  get(pid: number): ProcessEntry | undefined;
  /** Every pid, ascending. */
  pids(): number[];
}

/**
 * A table holding one process, with the parent pid getppid(2) reports.
 *
 * @example
 * ```ts
 * import { singleProcess } from "./procfs.ts";
 * import type { Kernel } from "./kernel.ts";
 * console.log(singleProcess({ pid: 42 } as Kernel).pids()); // [ 42 ]
 * ```
 */
export function singleProcess(k: Kernel): ProcessTable {
  return {
    get: (pid) =>
      pid === k.pid
        ? { kernel: k, ppid: k.pid > 2 ? k.pid - 1 : 1 }
        : undefined,
    pids: () => [k.pid],
  };
}

const enc = new TextEncoder();
const text = (f: () => string): ProcNode => ({
  type: "file",
  read: () => enc.encode(f()),
});
const dir = (names: string[]): ProcNode => ({ type: "dir", list: () => names });
const nulJoin = (xs: string[]) => xs.map((x) => x + "\0").join("");

const PID_ENTRIES = [
  "auxv",
  "cmdline",
  "cwd",
  "environ",
  "exe",
  "fd",
  "maps",
  "mounts",
  "stat",
  "status",
];
const CPU_DIR = "/sys/devices/system/cpu";
const INODES = new WeakMap<object, number>();
let nextInode = 4096;

/** A stable made-up inode number for a pipe or socket. */
function ident(o: object): number {
  let ino = INODES.get(o);
  if (ino === undefined) INODES.set(o, ino = nextInode++);
  return ino;
}

/**
 * What an open file description is, as a /proc/PID/fd link shows it.
 *
 * @example
 * ```ts
 * import { fdTarget } from "./procfs.ts";
 * const d = { kind: "dev", dev: "null", guest: "/dev/null", flags: 0, refs: 1 } as const;
 * console.log(fdTarget({} as never, d)); // "/dev/null"
 * ```
 */
export function fdTarget(k: Kernel, d: Description): string {
  switch (d.kind) {
    case "stdio": {
      const st = k.stdio.stat?.(d.hostFd);
      if (k.stdio.isTerminal(d.hostFd)) return "/dev/pts/0";
      if (st?.isCharDevice && st.rdev === 0x103) return "/dev/null";
      return st?.isFile ? `/dev/fd/${d.hostFd}` : `pipe:[${st?.ino ?? 0}]`;
    }
    case "pipe":
      return `pipe:[${ident(d.pipe)}]`;
    case "socket":
      return `socket:[${ident(d.sock)}]`;
    case "anon": // Linux: anon_inode:[eventfd], anon_inode:[eventpoll], ...
      return `anon_inode:${d.name.startsWith("[") ? d.name : `[${d.name}]`}`;
    default:
      return d.guest;
  }
}

/** The per-process node at `rest` (below /proc/PID), if any. */
function pidNode(
  self: Kernel,
  e: ProcessEntry,
  rest: string[],
): ProcNode | undefined {
  const k = e.kernel;
  if (rest.length === 0) return dir(PID_ENTRIES);
  if (rest[0] === "fd") {
    if (rest.length === 1) {
      return {
        type: "dir",
        list: () => k.fds.openFds().map(String),
      };
    }
    const fd = Number(rest[1]);
    const entry = rest.length === 2 && /^\d+$/.test(rest[1])
      ? k.fds.get(fd)
      : undefined;
    return entry
      ? { type: "link", target: () => fdTarget(k, entry.desc) }
      : undefined;
  }
  if (rest.length !== 1) return undefined;
  switch (rest[0]) {
    case "exe":
      return k === self
        ? { type: "exe" }
        : { type: "link", target: () => k.opts.exe.guestPath };
    case "cwd":
      return { type: "link", target: () => k.cwd };
    case "cmdline":
      return text(() => nulJoin(k.opts.argv));
    case "environ":
      return text(() => nulJoin(k.opts.env));
    case "auxv":
      return { type: "file", read: () => k.auxv.slice() };
    case "maps":
      return text(() => pidMaps(k));
    case "stat":
      return text(() => pidStat(k, e.ppid));
    case "status":
      return text(() => pidStatus(k, e.ppid));
    case "mounts":
      return text(() => mountsText(k));
  }
  return undefined;
}

/** /proc/PID/mounts: the guest's view (its mappings and synthetic trees). */
function mountsText(k: Kernel): string {
  const lines = k.vfs.list().map((m) =>
    `pandeno ${m.guest} pandeno ${m.readOnly ? "ro" : "rw"} 0 0`
  );
  return [
    ...lines,
    "proc /proc proc rw,nosuid,nodev,noexec 0 0",
    "sysfs /sys sysfs ro,nosuid,nodev,noexec 0 0",
    "devtmpfs /dev devtmpfs rw,nosuid 0 0",
  ].map((l) => l + "\n").join("");
}

/**
 * /proc and /sys for the process `self`, over a process table.
 *
 * @example
 * ```ts
 * import { ProcFs } from "./procfs.ts";
 * import type { Kernel } from "./kernel.ts";
 * const fs = new ProcFs({ pid: 7 } as Kernel);
 * const self = fs.lookup("/proc/self");
 * console.log(self?.type === "link" && self.target()); // "7"
 * ```
 */
export class ProcFs {
  private readonly self: Kernel;
  private readonly table: ProcessTable;

  /** Serves `self`'s view; `table` defaults to `self` alone. */
  constructor(self: Kernel, table?: ProcessTable) {
    this.self = self;
    this.table = table ?? singleProcess(self);
  }

  /** The node at absolute, normalized guest path `g`, if it is synthetic. */
  lookup(g: string): ProcNode | undefined {
    if (g === "/proc" || g.startsWith("/proc/")) return this.proc(g);
    if (g === "/sys" || g.startsWith("/sys/")) return this.sys(g);
    return undefined;
  }

  /** Nodes under /proc. */
  private proc(g: string): ProcNode | undefined {
    const parts = g.split("/").slice(2);
    if (parts.length === 0) {
      return {
        type: "dir",
        list: () => [
          "cpuinfo",
          "meminfo",
          "mounts",
          "self",
          "stat",
          ...this.table.pids().map(String),
        ],
      };
    }
    const [head, ...rest] = parts;
    if (head === "self") {
      if (rest.length === 0) {
        return { type: "link", target: () => String(this.self.pid) };
      }
      const e = this.table.get(this.self.pid);
      return e && pidNode(this.self, e, rest);
    }
    if (/^\d+$/.test(head)) {
      const e = this.table.get(Number(head));
      return e && pidNode(this.self, e, rest);
    }
    if (rest.length > 0) return undefined;
    switch (head) {
      case "cpuinfo":
        return text(cpuinfo);
      case "meminfo":
        return text(meminfo);
      case "stat":
        return text(() => procStat(this.self));
      case "mounts":
        return { type: "link", target: () => "self/mounts" };
    }
    return undefined;
  }

  /** Nodes under /sys. */
  private sys(g: string): ProcNode | undefined {
    if (g === CPU_DIR + "/online" || g === CPU_DIR + "/possible") {
      return text(cpuList);
    }
    const dirs: Record<string, string> = {
      "/sys": "devices",
      "/sys/devices": "system",
      "/sys/devices/system": "cpu",
    };
    if (g in dirs) return dir([dirs[g]]);
    return g === CPU_DIR ? dir(["online", "possible"]) : undefined;
  }
}
