/**
 * The process's standard streams, injectable so tests and embedders can
 * capture output.
 *
 * The default streams report what the host descriptors really are (a
 * terminal, a pipe, a regular file, /dev/null) under the permissions
 * `deno task run` grants: `node:fs`'s `fstatSync` asks the descriptor
 * itself, where `Deno.statSync("/proc/self/fd/N")` would need `--allow-all`.
 *
 * @module
 */

import { fstatSync, readSync, writeSync } from "node:fs";

/** Synchronous access to the guest's fds 0, 1 and 2. */
export interface Stdio {
  /** Reads into `buf`; returns bytes read, or null at end of input. */
  read(fd: 0, buf: Uint8Array): number | null;
  /** Writes all of `data`. */
  write(fd: 1 | 2, data: Uint8Array): void;
  /** True when host fd `fd` is a terminal. */
  isTerminal(fd: number): boolean;
  /**
   * Metadata of host fd `fd` (what it really is: pipe, file, /dev/null),
   * when known; the kernel otherwise reports a pipe or a terminal.
   */
  stat?(fd: number): Deno.FileInfo | undefined;
  /**
   * lseek(2) on host fd `fd` when it is a regular file: the new offset, -1
   * when it would be negative (EINVAL), or undefined when the descriptor
   * cannot seek (ESPIPE).
   */
  seek?(fd: number, offset: number, whence: number): number | undefined;
}

/**
 * Metadata of host descriptor `fd`, as a `Deno.FileInfo`, or undefined.
 *
 * @example
 * ```ts
 * import { hostFdStat } from "./stdio.ts";
 * console.log(typeof hostFdStat(2)?.isFile); // "boolean"
 * ```
 */
export function hostFdStat(fd: number): Deno.FileInfo | undefined {
  try {
    const s = fstatSync(fd);
    return {
      isFile: s.isFile(),
      isDirectory: s.isDirectory(),
      isSymlink: s.isSymbolicLink(),
      isBlockDevice: s.isBlockDevice(),
      isCharDevice: s.isCharacterDevice(),
      isFifo: s.isFIFO(),
      isSocket: s.isSocket(),
      size: Number(s.size),
      mtime: s.mtime,
      atime: s.atime,
      birthtime: s.birthtime,
      ctime: s.ctime,
      dev: Number(s.dev),
      ino: Number(s.ino),
      mode: Number(s.mode),
      nlink: Number(s.nlink),
      uid: Number(s.uid),
      gid: Number(s.gid),
      rdev: Number(s.rdev),
      blksize: Number(s.blksize),
      blocks: Number(s.blocks),
    };
  } catch {
    return undefined;
  }
}

const SEEK_SET = 0, SEEK_CUR = 1, SEEK_END = 2;

/**
 * Deno's stdin/stdout/stderr, used synchronously. When a stream is a
 * regular file, its offset is tracked here (Deno cannot lseek a standard
 * stream): stdin starts at 0 and is read at that offset; stdout and stderr
 * start at the file's size (fresh `>` files are empty, `>>` appends) and
 * move with each write, or to where the guest seeks, writing there.
 *
 * @example
 * ```ts
 * import { defaultStdio } from "./stdio.ts";
 * defaultStdio().write(1, new TextEncoder().encode("hi\n"));
 * ```
 */
export function defaultStdio(): Stdio {
  const pos: (number | undefined)[] = [];
  const seeked = [false, false, false];
  const fileOffset = (fd: number): number | undefined => {
    if (pos[fd] === undefined) {
      const st = hostFdStat(fd);
      if (!st?.isFile) return undefined;
      pos[fd] = fd === 0 ? 0 : st.size;
    }
    return pos[fd];
  };
  return {
    read(_fd, buf) {
      const at = fileOffset(0);
      if (at === undefined) return Deno.stdin.readSync(buf);
      const n = readSync(0, buf, 0, buf.length, at);
      pos[0] = at + n;
      return n === 0 ? null : n;
    },
    write(fd, data) {
      const at = fileOffset(fd);
      let off = 0;
      if (at !== undefined && seeked[fd]) {
        while (off < data.length) {
          off += writeSync(fd, data, off, data.length - off, at + off);
        }
      } else {
        const out = fd === 1 ? Deno.stdout : Deno.stderr;
        while (off < data.length) off += out.writeSync(data.subarray(off));
      }
      if (at !== undefined) pos[fd] = at + data.length;
    },
    isTerminal(fd) {
      try {
        return [Deno.stdin, Deno.stdout, Deno.stderr][fd]?.isTerminal() ??
          false;
      } catch {
        return false;
      }
    },
    stat: hostFdStat,
    seek(fd, offset, whence) {
      const at = fileOffset(fd);
      if (at === undefined) {
        // Memory-like character devices (/dev/null, /dev/zero) seek to 0;
        // terminals, pipes and sockets cannot seek.
        const st = hostFdStat(fd);
        return st?.isCharDevice && !this.isTerminal(fd) ? 0 : undefined;
      }
      const base = whence === SEEK_SET
        ? 0
        : whence === SEEK_CUR
        ? at
        : whence === SEEK_END
        ? hostFdStat(fd)?.size ?? 0
        : NaN;
      const next = base + offset;
      if (!(next >= 0)) return -1;
      if (next !== at) seeked[fd] = true;
      pos[fd] = next;
      return next;
    },
  };
}
