/**
 * Data transfer system calls: read, write, readv, writev, pread64,
 * pwrite64, lseek.
 *
 * @module
 */

import type { Kernel, SyscallHandler } from "./kernel.ts";
import type { Description } from "./fd_table.ts";
import { Errno, errnoOf } from "./errno.ts";
import { socketRead, socketWrite } from "./unix_socket.ts";
import { NR } from "./sysnums.ts";
import { PERM_R, PERM_W } from "../layout.ts";
import { Sig } from "./signal_state.ts";
import { pipeRead, pipeWrite } from "./pipe_buffer.ts";
import { hostRandom, type RandomSource } from "./random.ts";

const O_ACCMODE = 3, O_RDONLY = 0, O_WRONLY = 1;
/** O_APPEND (asm-generic/fcntl.h). */
export const O_APPEND = 0o2000;
const MAX_RW = 0x7fff_f000; // Linux MAX_RW_COUNT
const IOV_MAX = 1024;
const SEEK_SET = 0, SEEK_CUR = 1, SEEK_END = 2;

/**
 * Reads up to `buf.length` bytes from a description (at `offset` when
 * given, without moving the file position). Returns bytes read or -errno.
 *
 * @example
 * ```ts
 * import { readDesc } from "./fs_io.ts";
 * const zero = { kind: "dev", dev: "zero", guest: "/dev/zero", flags: 0, refs: 1 } as const;
 * const buf = new Uint8Array(4).fill(9);
 * console.log(readDesc({ read: () => null, write() {}, isTerminal: () => false }, zero, buf), buf); // 4 Uint8Array(4) [ 0, 0, 0, 0 ]
 * ```
 */
export function readDesc(
  stdio: Kernel["stdio"],
  d: Description,
  buf: Uint8Array,
  offset?: number,
  random: RandomSource = hostRandom(),
): number {
  if ((d.flags & O_ACCMODE) === O_WRONLY) return -Errno.EBADF;
  if (offset !== undefined && d.kind !== "file" && d.kind !== "mem") {
    return -Errno.ESPIPE;
  }
  try {
    switch (d.kind) {
      case "stdio":
        return d.hostFd === 0 ? stdio.read(0, buf) ?? 0 : -Errno.EBADF;
      case "file": {
        if (offset === undefined) return d.file.readSync(buf) ?? 0;
        const saved = d.file.seekSync(0, Deno.SeekMode.Current);
        d.file.seekSync(offset, Deno.SeekMode.Start);
        try {
          return d.file.readSync(buf) ?? 0;
        } finally {
          d.file.seekSync(saved, Deno.SeekMode.Start);
        }
      }
      case "dir":
        return -Errno.EISDIR;
      case "dev":
        if (d.dev === "null") return 0;
        if (d.dev === "tty") return stdio.read(0, buf) ?? 0;
        if (d.dev === "zero" || d.dev === "full") buf.fill(0);
        else random.fill(buf);
        return buf.length;
      case "mem": {
        const at = offset ?? d.pos;
        const n = Math.max(0, Math.min(buf.length, d.data.length - at));
        buf.set(d.data.subarray(at, at + n));
        if (offset === undefined) d.pos += n;
        return n;
      }
      case "pipe":
        return pipeRead(d.pipe, buf);
      case "socket":
        return socketRead(d.sock, buf);
      case "anon":
        return d.file.read(buf);
    }
  } catch (e) {
    return -errnoOf(e);
  }
}

/**
 * Writes `data` to a description (at `offset` when given). Returns bytes
 * written or -errno; a write to a pipe without readers raises SIGPIPE.
 *
 * @example
 * ```ts
 * import { writeDesc } from "./fs_io.ts";
 * const nul = { kind: "dev", dev: "null", guest: "/dev/null", flags: 1, refs: 1 } as const;
 * console.log(writeDesc({ read: () => null, write() {}, isTerminal: () => false }, nul, new Uint8Array(3))); // 3
 * ```
 */
export function writeDesc(
  stdio: Kernel["stdio"],
  d: Description,
  data: Uint8Array,
  offset?: number,
  onSigpipe?: () => void,
): number {
  if ((d.flags & O_ACCMODE) === O_RDONLY && d.kind !== "stdio") {
    return -Errno.EBADF;
  }
  if (offset !== undefined && d.kind !== "file") return -Errno.ESPIPE;
  try {
    switch (d.kind) {
      case "stdio":
        if (d.hostFd === 0) return -Errno.EBADF;
        stdio.write(d.hostFd, data.slice());
        return data.length;
      case "file": {
        let saved = -1;
        if (offset !== undefined) {
          saved = d.file.seekSync(0, Deno.SeekMode.Current);
          // pwrite(2) BUGS: with O_APPEND, Linux appends whatever the offset.
          if (d.flags & O_APPEND) d.file.seekSync(0, Deno.SeekMode.End);
          else d.file.seekSync(offset, Deno.SeekMode.Start);
        } else if (d.flags & O_APPEND) d.file.seekSync(0, Deno.SeekMode.End);
        let n = 0;
        try {
          while (n < data.length) n += d.file.writeSync(data.subarray(n));
        } finally {
          if (saved >= 0) d.file.seekSync(saved, Deno.SeekMode.Start);
        }
        return n;
      }
      case "dir":
        return -Errno.EBADF;
      case "dev":
        if (d.dev === "full") return -Errno.ENOSPC;
        if (d.dev === "tty") {
          stdio.write(stdio.isTerminal(1) ? 1 : 2, data.slice());
        }
        return data.length;
      case "mem":
        return -Errno.EBADF;
      case "pipe":
        if (d.pipe.readers === 0) {
          onSigpipe?.();
          return -Errno.EPIPE;
        }
        return pipeWrite(d.pipe, data);
      case "socket":
        return socketWrite(d.sock, data, onSigpipe);
      case "anon":
        return d.file.write(data);
    }
  } catch (e) {
    return -errnoOf(e);
  }
}

function desc(k: Kernel, fd: number): Description | undefined {
  return k.fds.get(fd)?.desc;
}

function sigpipe(k: Kernel): () => void {
  return () =>
    k.signals.raise({ signo: Sig.SIGPIPE, code: 0, pid: k.pid, uid: k.uid });
}

/** Guest buffer as a host view for reading into it, or undefined. */
function guestOut(
  k: Kernel,
  addr: number,
  len: number,
): Uint8Array | undefined {
  if (!k.mem.check(addr, len, PERM_W)) return undefined;
  return k.mem.u8.subarray(addr, addr + len);
}

/** Guest buffer as a host view for writing from it, or undefined. */
function guestIn(k: Kernel, addr: number, len: number): Uint8Array | undefined {
  if (!k.mem.check(addr, len, PERM_R)) return undefined;
  return k.mem.u8.subarray(addr, addr + len);
}

function doRead(
  k: Kernel,
  fd: number,
  addr: number,
  count: number,
  offset?: number,
): number {
  const d = desc(k, fd);
  if (!d) return -Errno.EBADF;
  if (count < 0) return -Errno.EINVAL;
  const len = Math.min(count, MAX_RW);
  const view = guestOut(k, addr, len);
  if (!view) return -Errno.EFAULT;
  const n = readDesc(k.stdio, d, view, offset, k.random);
  if (n > 0) k.mem.noteWrite(addr, n);
  return n;
}

function doWrite(
  k: Kernel,
  fd: number,
  addr: number,
  count: number,
  offset?: number,
): number {
  const d = desc(k, fd);
  if (!d) return -Errno.EBADF;
  if (count < 0) return -Errno.EINVAL;
  const view = guestIn(k, addr, Math.min(count, MAX_RW));
  if (!view) return -Errno.EFAULT;
  return writeDesc(k.stdio, d, view, offset, sigpipe(k));
}

function iovecs(
  k: Kernel,
  addr: number,
  cnt: number,
): [number, number][] | number {
  if (cnt < 0 || cnt > IOV_MAX) return -Errno.EINVAL;
  const raw = k.mem.read(addr, cnt * 16);
  if (!raw) return -Errno.EFAULT;
  const v = new DataView(raw.buffer);
  const out: [number, number][] = [];
  for (let i = 0; i < cnt; i++) {
    const base = Number(v.getBigUint64(i * 16, true)),
      len = Number(v.getBigInt64(i * 16 + 8, true));
    if (len < 0) return -Errno.EINVAL;
    out.push([base, len]);
  }
  return out;
}

function doVec(
  k: Kernel,
  write: boolean,
  fd: number,
  addr: number,
  cnt: number,
  offset?: number,
): number {
  const iov = iovecs(k, addr, cnt);
  if (typeof iov === "number") return iov;
  let total = 0;
  for (const [base, len] of iov) {
    if (len === 0) continue;
    const at = offset === undefined ? undefined : offset + total;
    const n = write
      ? doWrite(k, fd, base, len, at)
      : doRead(k, fd, base, len, at);
    if (n < 0) return total > 0 ? total : n;
    total += n;
    if (n < len) break;
  }
  return total;
}

function lseek(k: Kernel, fd: number, off: number, whence: number): number {
  const d = desc(k, fd);
  if (!d) return -Errno.EBADF;
  if (whence < SEEK_SET || whence > SEEK_END) return -Errno.EINVAL;
  if (d.kind === "file") {
    try {
      const cur = d.file.seekSync(0, Deno.SeekMode.Current);
      const base = whence === SEEK_SET
        ? 0
        : whence === SEEK_CUR
        ? cur
        : d.file.statSync().size;
      if (base + off < 0) return -Errno.EINVAL;
      return d.file.seekSync(base + off, Deno.SeekMode.Start);
    } catch (e) {
      return -errnoOf(e);
    }
  }
  if (d.kind === "dir") {
    if (whence !== SEEK_SET || off < 0) return -Errno.EINVAL;
    d.pos = off;
    if (off === 0) d.entries = undefined;
    return off;
  }
  if (d.kind === "dev") return d.dev === "tty" ? -Errno.ESPIPE : 0;
  if (d.kind === "mem") {
    const base = whence === SEEK_SET
      ? 0
      : whence === SEEK_CUR
      ? d.pos
      : d.data.length;
    if (base + off < 0) return -Errno.EINVAL;
    return d.pos = base + off;
  }
  if (d.kind === "stdio") {
    const at = k.stdio.seek?.(d.hostFd, off, whence);
    return at === undefined ? -Errno.ESPIPE : at < 0 ? -Errno.EINVAL : at;
  }
  return -Errno.ESPIPE;
}

/**
 * Handlers for the data transfer calls, keyed by riscv64 number.
 *
 * @example
 * ```ts
 * import { FS_IO_SYSCALLS } from "./fs_io.ts";
 * console.log(typeof FS_IO_SYSCALLS[64]); // "function"
 * ```
 */
export const FS_IO_SYSCALLS: Record<number, SyscallHandler> = {
  [NR.read]: (k, a) => doRead(k, a[0] | 0, a[1], a[2]),
  [NR.write]: (k, a) => doWrite(k, a[0] | 0, a[1], a[2]),
  [NR.readv]: (k, a) => doVec(k, false, a[0] | 0, a[1], a[2] | 0),
  [NR.writev]: (k, a) => doVec(k, true, a[0] | 0, a[1], a[2] | 0),
  [NR.pread64]: (k, a) =>
    a[3] < 0 ? -Errno.EINVAL : doRead(k, a[0] | 0, a[1], a[2], a[3]),
  [NR.pwrite64]: (k, a) =>
    a[3] < 0 ? -Errno.EINVAL : doWrite(k, a[0] | 0, a[1], a[2], a[3]),
  [NR.lseek]: (k, a) => lseek(k, a[0] | 0, a[1], a[2] | 0),
};
