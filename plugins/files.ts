/**
 * `files`: tracks which file each guest file descriptor refers to, built on
 * the `syscalls` provider (QPP), and provides that to other plugins.
 *
 * It follows `openat`, `dup`, `dup3`, `fcntl(F_DUPFD*)`, `pipe2` and
 * `close` (fds 0, 1 and 2 start as `<stdin>`, `<stdout>`, `<stderr>`), and
 * counts the bytes read and written per path (`read`, `pread64`, `readv`,
 * `write`, `pwrite64`, `writev`). A relative path opened against a known
 * directory fd is joined to that directory's path; against `AT_FDCWD` it is
 * kept as the guest wrote it.
 *
 * Exports ({@link FilesApi}) `fdPath(fd)` and `openFiles()`; runs
 * ({@link FilesEvents}) `on_open` with `{ fd, path, flags, flagsText }` for
 * every successful `openat`. At exit it prints:
 * ```text
 * files: 9 opened, 3 open at exit
 * path                                      opens       read    written
 * <stdout>                                      0          0         19
 * pandeno_files_test.tmp                        2          5         39
 * ```
 *
 * @module
 */

import { definePlugin, type PluginDefinition } from "../runtime/sdk/mod.ts";
import { left, right } from "./_util.ts";
import type { SyscallReturn, SyscallsEvents } from "./syscalls.ts";

/**
 * An open file descriptor, as `openFiles()` lists it.
 *
 * @example
 * ```ts
 * import type { OpenFile } from "./files.ts";
 * const f: OpenFile = { fd: 1, path: "<stdout>" };
 * console.log(f.path); // <stdout>
 * ```
 */
export interface OpenFile {
  /** The descriptor. */
  fd: number;
  /** What it refers to. */
  path: string;
}

/**
 * The functions `files` exports.
 *
 * @example
 * ```ts ignore
 * const files = ctx.qpp.importSync<FilesApi>("files", "^1");
 * ctx.log(`${files.fdPath(1)}\n`); // <stdout>
 * ```
 */
export interface FilesApi {
  /** The path `fd` refers to, or undefined if it is not open. */
  fdPath(fd: number): string | undefined;
  /** Every open descriptor, by number. */
  openFiles(): OpenFile[];
}

/**
 * The callbacks `files` runs.
 *
 * @example
 * ```ts ignore
 * ctx.qpp.on<FilesEvents, "on_open">("files", "on_open", (e) => ctx.log(`${e.fd} ${e.path}\n`));
 * ```
 */
export interface FilesEvents {
  /** A file was opened: `flags` raw, `flagsText` as strace prints them. */
  on_open: { fd: number; path: string; flags: number; flagsText: string };
}

/**
 * Per-path counters, as the exit report prints them.
 *
 * @example
 * ```ts
 * import type { PathStats } from "./files.ts";
 * const s: PathStats = { path: "a.txt", opens: 1, read: 5, written: 0 };
 * console.log(s.read + s.written); // 5
 * ```
 */
export interface PathStats {
  /** The path (or `<stdout>`, `<pipe:3>`, `<fd N>`). */
  path: string;
  /** Times it was opened. */
  opens: number;
  /** Bytes read through it. */
  read: number;
  /** Bytes written through it. */
  written: number;
}

/**
 * The fd table and per-path counters, fed with `syscalls` return events.
 * Pure, so tests drive it directly.
 *
 * @example
 * ```ts
 * import { FdTracker } from "./files.ts";
 * const t = new FdTracker();
 * t.opened(3, "a.txt");
 * t.duplicated(3, 4);
 * t.closed(3);
 * console.log(t.path(4), t.path(3)); // a.txt undefined
 * ```
 */
export class FdTracker {
  readonly #fds = new Map<number, string>([
    [0, "<stdin>"],
    [1, "<stdout>"],
    [2, "<stderr>"],
  ]);
  readonly #stats = new Map<string, PathStats>();
  /** Files opened so far. */
  opens = 0;

  #of(path: string): PathStats {
    let s = this.#stats.get(path);
    if (!s) this.#stats.set(path, s = { path, opens: 0, read: 0, written: 0 });
    return s;
  }

  /** The path of `fd`. */
  path(fd: number): string | undefined {
    return this.#fds.get(fd);
  }

  /** `fd` now refers to `path`, opened by the guest. */
  opened(fd: number, path: string): void {
    this.#fds.set(fd, path);
    this.#of(path).opens++;
    this.opens++;
  }

  /** `to` is a copy of `from` (dup, dup3, F_DUPFD). */
  duplicated(from: number, to: number): void {
    const p = this.#fds.get(from);
    if (p !== undefined) this.#fds.set(to, p);
  }

  /** `fd` is closed. */
  closed(fd: number): void {
    this.#fds.delete(fd);
  }

  /** `n` bytes moved through `fd`. */
  transferred(fd: number, n: number, write: boolean): void {
    const s = this.#of(this.#fds.get(fd) ?? `<fd ${fd}>`);
    if (write) s.written += n;
    else s.read += n;
  }

  /** Open descriptors. */
  open(): OpenFile[] {
    return [...this.#fds].sort((a, b) => a[0] - b[0]).map(([fd, path]) => ({
      fd,
      path,
    }));
  }

  /** Per-path counters, in order of first use. */
  stats(): PathStats[] {
    return [...this.#stats.values()];
  }
}

const READS = new Set(["read", "pread64", "readv"]);
const WRITES = new Set(["write", "pwrite64", "writev"]);

/**
 * Updates `t` from one `on_syscall_return` event; returns the `on_open`
 * payload when a file was opened.
 *
 * @example
 * ```ts
 * import { FdTracker, track } from "./files.ts";
 * import { decodeEntry, decodeReturn } from "./_syscall_decode.ts";
 * const mem = { readMemory: () => new Uint8Array(0), readCString: () => "x.txt" };
 * const t = new FdTracker();
 * const e = decodeReturn(decodeEntry(56, [2n ** 64n - 100n, 0x1000n, 0n, 0n, 0n, 0n], 0, 0, mem), 3n);
 * console.log(track(t, e)?.path, t.path(3)); // x.txt x.txt
 * ```
 */
export function track(
  t: FdTracker,
  e: SyscallReturn,
): FilesEvents["on_open"] | undefined {
  if (e.ret < 0n) return undefined;
  const ret = Number(e.ret);
  const int = (i: number) => Number(BigInt.asIntN(32, e.args[i].raw));
  switch (e.name) {
    case "openat": {
      let path = e.args[1].str ?? e.args[1].text;
      const dir = t.path(int(0));
      if (int(0) !== -100 && dir !== undefined && !path.startsWith("/")) {
        path = `${dir.replace(/\/$/, "")}/${path}`;
      }
      t.opened(ret, path);
      return {
        fd: ret,
        path,
        flags: int(2),
        flagsText: e.args[2].text,
      };
    }
    case "dup":
      t.duplicated(int(0), ret);
      return undefined;
    case "dup3":
      t.duplicated(int(0), int(1));
      return undefined;
    case "fcntl":
      if (int(1) === 0 || int(1) === 1030) t.duplicated(int(0), ret);
      return undefined;
    case "pipe2": {
      const m = /^\[(-?\d+), (-?\d+)\]$/.exec(e.args[0].text);
      if (m) {
        t.opened(Number(m[1]), `<pipe:${m[1]}>`);
        t.duplicated(Number(m[1]), Number(m[2]));
      }
      return undefined;
    }
    case "close":
      t.closed(int(0));
      return undefined;
  }
  if (READS.has(e.name)) t.transferred(int(0), ret, false);
  else if (WRITES.has(e.name)) t.transferred(int(0), ret, true);
  return undefined;
}

/**
 * The `files` plugin definition.
 *
 * @example
 * ```ts ignore
 * // deno task run --plugin files ./tests/guests/bin/files.elf
 * import files from "./files.ts";
 * console.log(files.requires); // { syscalls: "^1.2" }
 * ```
 */
export default definePlugin({
  name: "files",
  version: "1.0.0",
  api: "^1.0",
  description:
    "tracks which file each guest descriptor refers to (QPP provider on syscalls)",
  args: {},
  requires: { syscalls: "^1.2" },
  install(ctx) {
    const t = new FdTracker();
    const events = ctx.qpp.callbacks<FilesEvents>();
    ctx.qpp.export<FilesApi>({
      fdPath: (fd) => t.path(fd),
      openFiles: () => t.open(),
    });
    ctx.qpp.on<SyscallsEvents, "on_syscall_return">(
      "syscalls",
      "on_syscall_return",
      (e) => {
        const opened = track(t, e);
        if (opened && events.wanted("on_open")) events.run("on_open", opened);
      },
    );
    ctx.onAtExit(() => {
      const stats = t.stats();
      const w = Math.max(40, ...stats.map((s) => s.path.length + 1));
      let out = `files: ${t.opens} opened, ${t.open().length} open at exit\n` +
        `${left("path", w)} ${right("opens", 6)} ${right("read", 10)} ${
          right("written", 10)
        }\n`;
      for (const s of stats) {
        out += `${left(s.path, w)} ${right(s.opens, 6)} ${right(s.read, 10)} ${
          right(s.written, 10)
        }\n`;
      }
      ctx.log(out);
    });
  },
}) as PluginDefinition;
