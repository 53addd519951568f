/**
 * read() and write() on a socket descriptor, for fs_io.ts.
 *
 * @module
 */

import { Errno } from "./errno.ts";
import { releaseDescription } from "./fd_table.ts";
import { InetSocket } from "./inet_socket.ts";
import type { UnixSocket } from "./unix_socket.ts";

const O_NONBLOCK = 0x800;

/**
 * read(): recv without flags. Descriptors passed with the bytes are
 * closed, as Linux does when no control buffer takes them.
 */
export function socketRead(
  s: UnixSocket | InetSocket,
  buf: Uint8Array,
  flags: number,
): number {
  if (s instanceof InetSocket) {
    const r = s.recv(buf.length, (flags & O_NONBLOCK) === 0, false);
    if (typeof r === "number") return r;
    buf.set(r.data);
    return r.data.length;
  }
  const r = s.recv(buf, false);
  if (typeof r === "number") return r;
  r.fds.forEach(releaseDescription);
  return r.n;
}

/** write(): send without flags; EPIPE calls `onSigpipe`. */
export function socketWrite(
  s: UnixSocket | InetSocket,
  data: Uint8Array,
  onSigpipe?: () => void,
): number {
  const n = s instanceof InetSocket
    ? s.send(data, undefined)
    : s.send(data, []);
  if (n === -Errno.EPIPE) onSigpipe?.();
  return n;
}
