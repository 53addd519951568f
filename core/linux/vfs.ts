/**
 * The guest's view of the file system: mounts of host directories, resolved
 * component by component so no guest path, `..` or symlink can reach a host
 * file outside the mounts.
 *
 * Every host path this module hands out is a mount's host root followed by
 * components that were each checked with `lstat` (symlinks are read and
 * re-resolved as GUEST paths, never followed by the host). Callers re-check
 * with {@link Vfs.inside} after opening or before mutating, to defeat races.
 *
 * @module
 */

import { Errno, errnoOf } from "./errno.ts";
import type { ProcNode } from "./procfs.ts";

/** A host directory visible to the guest. */
export interface Mount {
  /** Absolute guest path of the mount point. */
  guest: string;
  /** Absolute host path (already resolved with realPath). */
  host: string;
  /** Refuse all modifications with EROFS. */
  readOnly: boolean;
}

/** The synthetic devices under /dev. */
export type DeviceName =
  | "null"
  | "zero"
  | "full"
  | "urandom"
  | "random"
  | "tty";

/** Synthetic device files, by guest path. */
export const DEVICES: Record<string, DeviceName> = {
  "/dev/null": "null",
  "/dev/zero": "zero",
  "/dev/full": "full",
  "/dev/urandom": "urandom",
  "/dev/random": "random",
  "/dev/tty": "tty",
};

const SYNTHETIC_DIRS: Record<string, string[]> = {
  "/dev": ["full", "null", "random", "tty", "urandom", "zero"],
};

/** A synthetic tree (/proc, /sys) the VFS consults before the mounts. */
export interface SyntheticFs {
  /** The node at absolute, normalized guest path `g`, if synthetic. */
  lookup(g: string): ProcNode | undefined;
}

/** Where a guest path led. `info` is the lstat of the final host path (null: does not exist). */
export type Resolved =
  | {
    kind: "host";
    guest: string;
    host: string;
    mount: Mount;
    info: Deno.FileInfo | null;
  }
  | { kind: "virtual"; guest: string }
  | { kind: "dev"; guest: string; dev: DeviceName }
  | { kind: "exe"; guest: string }
  | { kind: "proc"; guest: string; node: ProcNode & { type: "file" | "link" } };

const MAX_LINKS = 40; // Linux MAXSYMLINKS
const PATH_MAX = 4096; // include/uapi/linux/limits.h
const NAME_MAX = 255;

/**
 * Path resolution against a set of mounts.
 *
 * @example
 * ```ts
 * import { Vfs } from "./vfs.ts";
 * const dir = Deno.makeTempDirSync();
 * const vfs = new Vfs([{ guest: "/data", host: Deno.realPathSync(dir), readOnly: false }]);
 * console.log(vfs.resolve("/data/../../etc/passwd", "/", true)); // 2 (ENOENT)
 * console.log((vfs.resolve("/data", "/", true) as { kind: string }).kind); // "host"
 * ```
 */
export class Vfs {
  private readonly mounts: Mount[];
  /** /proc and /sys, when the kernel has plugged them in. */
  synthetic?: SyntheticFs;
  private readonly prefix?: Vfs;

  /**
   * Mounts are matched longest guest path first. `ldPrefix` (qemu's `-L`,
   * an absolute resolved host directory) is an overlay consulted first for
   * absolute guest paths, as qemu's util/path.c does: when the path exists
   * under the prefix it resolves there, read-only, and otherwise as usual.
   * Unlike qemu, symlinks inside the prefix resolve within the prefix.
   */
  constructor(mounts: Mount[], ldPrefix?: string) {
    this.mounts = mounts.map((m) => ({ ...m, guest: normalize(m.guest) }))
      .sort((a, b) => b.guest.length - a.guest.length);
    if (ldPrefix !== undefined && ldPrefix !== "/") {
      this.prefix = new Vfs([{ guest: "/", host: ldPrefix, readOnly: true }]);
    }
  }

  /** The resolution of absolute `path` under the `-L` prefix, if it exists there. */
  private underPrefix(path: string, follow: boolean): Resolved | undefined {
    if (!this.prefix || !path.startsWith("/") || normalize(path) === "/") {
      return undefined;
    }
    // qemu tests access(prefix + path, F_OK), which follows symlinks.
    const found = this.prefix.resolve(path, "/", true);
    if (typeof found === "number" || found.kind !== "host" || !found.info) {
      return undefined;
    }
    const r = follow ? found : this.prefix.resolve(path, "/", false);
    return typeof r === "number" ? undefined : r;
  }

  /** The mounts, longest guest path first. */
  list(): readonly Mount[] {
    return this.mounts;
  }

  /** The mount holding guest path `g` (absolute, normalized), if any. */
  mountFor(g: string): Mount | undefined {
    return this.mounts.find((m) =>
      m.guest === "/" || g === m.guest || g.startsWith(m.guest + "/")
    );
  }

  /** Host path of guest path `g` inside mount `m`. */
  hostOf(m: Mount, g: string): string {
    const rest = m.guest === "/" ? g : g.slice(m.guest.length);
    return rest === "/" || rest === "" ? m.host : m.host + rest;
  }

  /** True for guest directories that exist only to lead to mount points. */
  isVirtualDir(g: string): boolean {
    if (g in SYNTHETIC_DIRS || g === "/") return true;
    if (this.synthetic?.lookup(g)?.type === "dir") return true;
    return this.mounts.some((m) => m.guest.startsWith(g + "/"));
  }

  /** True when a mount point lies strictly below guest path `g`. */
  leadsToMount(g: string): boolean {
    const prefix = g === "/" ? "/" : g + "/";
    return this.mounts.some((m) => m.guest.startsWith(prefix));
  }

  /** Names listed in virtual directory `g`. */
  virtualChildren(g: string): string[] {
    const node = this.synthetic?.lookup(g);
    const names = new Set([
      ...(SYNTHETIC_DIRS[g] ?? []),
      ...(node?.type === "dir" ? node.list() : []),
    ]);
    const prefix = g === "/" ? "/" : g + "/";
    for (const m of this.mounts) {
      if (m.guest !== g && m.guest.startsWith(prefix)) {
        names.add(m.guest.slice(prefix.length).split("/")[0]);
      }
    }
    if (g === "/") {
      for (const d of Object.keys(SYNTHETIC_DIRS)) names.add(d.split("/")[1]);
      if (this.synthetic) names.add("proc").add("sys");
    }
    return [...names].sort();
  }

  /**
   * True when `host` (which must exist) really lies inside `m`'s host root,
   * after the host resolves every symlink. Use after opening a file and
   * before changing the file system.
   */
  inside(m: Mount, host: string): boolean {
    try {
      const real = Deno.realPathSync(host);
      return real === m.host ||
        real.startsWith(m.host.endsWith("/") ? m.host : m.host + "/");
    } catch {
      return false;
    }
  }

  /**
   * Resolves guest `path` relative to guest directory `base`. With `follow`
   * false a symlink in the last component is not followed. Returns a
   * positive errno on failure (ENOENT outside every mount, ELOOP, ENOTDIR,
   * ENAMETOOLONG).
   */
  resolve(path: string, base: string, follow: boolean): Resolved | number {
    if (path === "") return Errno.ENOENT;
    if (path.length >= PATH_MAX) return Errno.ENAMETOOLONG;
    const pre = this.underPrefix(path, follow);
    if (pre) return pre;
    let stack = path.startsWith("/") ? [] : split(base);
    let todo = split(path);
    const wantDir = path.endsWith("/");
    let links = 0;
    while (todo.length > 0) {
      const c = todo.shift()!;
      if (c === ".") continue;
      if (c === "..") {
        stack.pop();
        continue;
      }
      if (c.length > NAME_MAX) return Errno.ENAMETOOLONG;
      stack.push(c);
      const g = "/" + stack.join("/");
      const last = todo.length === 0;
      if (g in DEVICES) {
        if (!last) return Errno.ENOTDIR;
        continue;
      }
      const node = this.synthetic?.lookup(g);
      if (node) {
        if (node.type === "link" && (!last || follow || wantDir)) {
          if (++links > MAX_LINKS) return Errno.ELOOP;
          const target = node.target();
          stack.pop();
          if (target.startsWith("/")) stack = [];
          todo = [...split(target), ...todo];
          continue;
        }
        if (!last && node.type !== "dir") return Errno.ENOTDIR;
        continue;
      }
      const m = this.mountFor(g);
      if (!m) {
        if (this.isVirtualDir(g)) continue;
        return Errno.ENOENT;
      }
      // Longest mount wins: a directory on the way to a deeper mount point
      // leads there whatever the shorter mount holds at that path.
      if (!last && this.leadsToMount(g)) continue;
      let info: Deno.FileInfo;
      try {
        info = Deno.lstatSync(this.hostOf(m, g));
      } catch (e) {
        const errno = errnoOf(e);
        if (errno === Errno.ENOENT && last) break;
        return errno;
      }
      if (info.isSymlink && (!last || follow || wantDir)) {
        if (++links > MAX_LINKS) return Errno.ELOOP;
        let target: string;
        try {
          target = Deno.readLinkSync(this.hostOf(m, g));
        } catch (e) {
          return errnoOf(e);
        }
        stack.pop();
        if (target.startsWith("/")) stack = [];
        todo = [...split(target), ...todo];
        continue;
      }
      if (!last && !info.isDirectory) return Errno.ENOTDIR;
    }
    return this.classify("/" + stack.join("/"), wantDir);
  }

  /** Classifies a fully resolved guest path. */
  private classify(g: string, wantDir: boolean): Resolved | number {
    if (g in DEVICES) {
      return wantDir
        ? Errno.ENOTDIR
        : { kind: "dev", guest: g, dev: DEVICES[g] };
    }
    const node = this.synthetic?.lookup(g);
    if (node) {
      if (node.type === "dir") return { kind: "virtual", guest: g };
      if (wantDir) return Errno.ENOTDIR;
      return node.type === "exe"
        ? { kind: "exe", guest: g }
        : { kind: "proc", guest: g, node };
    }
    const m = this.mountFor(g);
    if (!m) {
      return this.isVirtualDir(g)
        ? { kind: "virtual", guest: g }
        : Errno.ENOENT;
    }
    const host = this.hostOf(m, g);
    let info: Deno.FileInfo | null = null;
    try {
      info = Deno.lstatSync(host);
    } catch (e) {
      const errno = errnoOf(e);
      if (errno !== Errno.ENOENT) return errno;
    }
    if (!info?.isDirectory && this.leadsToMount(g)) {
      return { kind: "virtual", guest: g };
    }
    if (wantDir && info && !info.isDirectory && !info.isSymlink) {
      return Errno.ENOTDIR;
    }
    return { kind: "host", guest: g, host, mount: m, info };
  }
}

/** Splits a path into its non-empty components. */
function split(p: string): string[] {
  return p.split("/").filter((c) => c !== "");
}

/**
 * Lexically normalizes an absolute path (no symlink resolution).
 *
 * @example
 * ```ts
 * import { normalize } from "./vfs.ts";
 * console.log(normalize("/a/./b/../c/")); // "/a/c"
 * ```
 */
export function normalize(p: string): string {
  const out: string[] = [];
  for (const c of split(p)) {
    if (c === "..") out.pop();
    else if (c !== ".") out.push(c);
  }
  return "/" + out.join("/");
}
