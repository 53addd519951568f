/**
 * setsockopt and getsockopt for AF_UNIX sockets: the SOL_SOCKET options
 * programs commonly touch (asm-generic/socket.h numbers).
 *
 * @module
 */

import type { Kernel } from "./kernel.ts";
import { Errno } from "./errno.ts";
import type { UnixSocket } from "./unix_socket.ts";

const SOL_SOCKET = 1;
const SO_REUSEADDR = 2, SO_TYPE = 3, SO_ERROR = 4, SO_BROADCAST = 6;
const SO_SNDBUF = 7, SO_RCVBUF = 8, SO_KEEPALIVE = 9, SO_LINGER = 13;
const SO_PASSCRED = 16, SO_PEERCRED = 17, SO_RCVTIMEO = 20, SO_SNDTIMEO = 21;
const SO_ACCEPTCONN = 30, SO_PROTOCOL = 38, SO_DOMAIN = 39;
/** Linux's default socket buffer size (net.core.[rw]mem_default). */
const DEFAULT_BUF = 212992;
const FLAGS = new Set([SO_REUSEADDR, SO_BROADCAST, SO_KEEPALIVE, SO_PASSCRED]);
const STRUCTS: Record<number, number> = {
  [SO_LINGER]: 8,
  [SO_RCVTIMEO]: 16,
  [SO_SNDTIMEO]: 16,
};

/** setsockopt(SOL_SOCKET, ...): 0 or -errno. */
export function setsockopt(
  k: Kernel,
  s: UnixSocket,
  level: number,
  name: number,
  val: number,
  len: number,
): number {
  if (level !== SOL_SOCKET) return -Errno.EOPNOTSUPP;
  if (len < 0) return -Errno.EINVAL;
  const size = STRUCTS[name];
  if (size !== undefined) {
    if (len < size) return -Errno.EINVAL;
    const bytes = k.mem.read(val, size);
    if (!bytes) return -Errno.EFAULT;
    if (name !== SO_LINGER) {
      const usec = new DataView(bytes.buffer).getBigInt64(8, true);
      if (usec < 0n || usec >= 1_000_000n) return -Errno.EDOM;
    }
    s.structOptions.set(name, bytes);
    return 0;
  }
  if (len < 4) return -Errno.EINVAL;
  const v = k.mem.readU32(val);
  if (v === undefined) return -Errno.EFAULT;
  const iv = v | 0;
  if (FLAGS.has(name)) s.options.set(name, iv ? 1 : 0);
  // The kernel doubles the value for its bookkeeping (socket(7)).
  else if (name === SO_SNDBUF) s.options.set(name, Math.max(iv * 2, 4608));
  else if (name === SO_RCVBUF) s.options.set(name, Math.max(iv * 2, 2304));
  else return -Errno.ENOPROTOOPT;
  return 0;
}

/** getsockopt(SOL_SOCKET, ...): 0 or -errno. */
export function getsockopt(
  k: Kernel,
  s: UnixSocket,
  level: number,
  name: number,
  val: number,
  lenp: number,
): number {
  if (level !== SOL_SOCKET) return -Errno.EOPNOTSUPP;
  const cap = k.mem.readU32(lenp);
  if (cap === undefined) return -Errno.EFAULT;
  if (cap > 0x7fff_ffff) return -Errno.EINVAL;
  let out: Uint8Array;
  if (name === SO_PEERCRED) {
    const c = s.peer?.creds;
    out = new Uint8Array(12);
    const v = new DataView(out.buffer);
    v.setInt32(0, c ? c.pid : 0, true);
    v.setInt32(4, c ? c.uid : -1, true);
    v.setInt32(8, c ? c.gid : -1, true);
  } else if (STRUCTS[name] !== undefined) {
    out = s.structOptions.get(name) ?? new Uint8Array(STRUCTS[name]);
  } else {
    let v: number;
    switch (name) {
      case SO_TYPE:
        v = s.type;
        break;
      case SO_ERROR:
        v = 0;
        break;
      case SO_DOMAIN:
        v = 1; // AF_UNIX
        break;
      case SO_PROTOCOL:
        v = 0;
        break;
      case SO_ACCEPTCONN:
        v = s.listening ? 1 : 0;
        break;
      case SO_SNDBUF:
      case SO_RCVBUF:
        v = s.options.get(name) ?? DEFAULT_BUF;
        break;
      default:
        if (!FLAGS.has(name)) return -Errno.ENOPROTOOPT;
        v = s.options.get(name) ?? 0;
    }
    out = new Uint8Array(4);
    new DataView(out.buffer).setInt32(0, v, true);
  }
  const n = Math.min(cap, out.length);
  if (n > 0 && !k.mem.write(val, out.subarray(0, n))) return -Errno.EFAULT;
  return k.mem.writeU32(lenp, n) ? 0 : -Errno.EFAULT;
}
