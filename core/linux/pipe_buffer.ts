/**
 * Pipe buffers with Linux's capacity (fs/pipe.c): 64 KiB by default,
 * changed with F_SETPIPE_SZ up to /proc/sys/fs/pipe-max-size (1 MiB), so a
 * guest can never make the host hold more than that per pipe.
 *
 * A write that finds the pipe full gets EAGAIN. For a non-blocking writer
 * that is Linux's answer. A blocking writer would sleep on Linux until a
 * reader drains the pipe; while this process is the only one, no reader can
 * ever run during that sleep (Linux would hang forever), so the blocking
 * writer gets EAGAIN too and the host stays bounded.
 *
 * @module
 */

import type { Pipe } from "./fd_table.ts";
import { Errno } from "./errno.ts";

/** Default pipe capacity, include/linux/pipe_fs_i.h PIPE_DEF_BUFFERS pages. */
export const PIPE_DEF_SIZE = 65536;
/** /proc/sys/fs/pipe-max-size default (fs/pipe.c pipe_max_size). */
export const PIPE_MAX_SIZE = 1048576;
/** Writes up to this size are atomic (include/uapi/linux/limits.h). */
export const PIPE_BUF = 4096;

/**
 * A new empty pipe with one reader and one writer.
 *
 * @example
 * ```ts
 * import { newPipe } from "./pipe_buffer.ts";
 * console.log(newPipe().capacity); // 65536
 * ```
 */
export function newPipe(): Pipe {
  return {
    chunks: [],
    size: 0,
    capacity: PIPE_DEF_SIZE,
    readers: 1,
    writers: 1,
  };
}

/**
 * Queues as much of `data` as fits; returns bytes taken or -EAGAIN when
 * nothing may be written (full, or an atomic write that does not fit).
 *
 * @example
 * ```ts
 * import { newPipe, pipeWrite } from "./pipe_buffer.ts";
 * const p = newPipe();
 * console.log(pipeWrite(p, new Uint8Array(70000)), pipeWrite(p, new Uint8Array(1))); // 65536 -11
 * ```
 */
export function pipeWrite(p: Pipe, data: Uint8Array): number {
  if (data.length === 0) return 0;
  const room = p.capacity - p.size;
  if (room <= 0 || (data.length <= PIPE_BUF && data.length > room)) {
    return -Errno.EAGAIN;
  }
  const n = Math.min(room, data.length);
  p.chunks.push(data.slice(0, n));
  p.size += n;
  return n;
}

/**
 * Takes up to `buf.length` queued bytes into `buf`; returns the count, 0 at
 * end of file (no writers left), or -EAGAIN when empty with writers.
 *
 * @example
 * ```ts
 * import { newPipe, pipeRead, pipeWrite } from "./pipe_buffer.ts";
 * const p = newPipe();
 * pipeWrite(p, new Uint8Array([1, 2, 3]));
 * console.log(pipeRead(p, new Uint8Array(2)), p.size); // 2 1
 * ```
 */
export function pipeRead(p: Pipe, buf: Uint8Array): number {
  if (p.chunks.length === 0) return p.writers === 0 ? 0 : -Errno.EAGAIN;
  let n = 0;
  while (n < buf.length && p.chunks.length > 0) {
    const c = p.chunks[0];
    const take = Math.min(c.length, buf.length - n);
    buf.set(c.subarray(0, take), n);
    n += take;
    if (take === c.length) p.chunks.shift();
    else p.chunks[0] = c.subarray(take);
  }
  p.size -= n;
  return n;
}

/**
 * F_SETPIPE_SZ: rounds `want` up to a power-of-two number of pages (at
 * least one), refuses more than {@link PIPE_MAX_SIZE} (EPERM) or less than
 * what is queued (EBUSY). Returns the new capacity or a negative errno.
 *
 * @example
 * ```ts
 * import { newPipe, setPipeSize } from "./pipe_buffer.ts";
 * console.log(setPipeSize(newPipe(), 5000), setPipeSize(newPipe(), 1 << 21)); // 8192 -1
 * ```
 */
export function setPipeSize(p: Pipe, want: number): number {
  if (!Number.isFinite(want) || want < 0) return -Errno.EINVAL;
  if (want > PIPE_MAX_SIZE) return -Errno.EPERM;
  let size = 4096;
  while (size < want) size *= 2;
  if (size < p.size) return -Errno.EBUSY;
  p.capacity = size;
  return size;
}
