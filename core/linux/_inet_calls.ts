/**
 * The AF_INET/AF_INET6 side of the socket system calls: socket.ts hands
 * an {@link InetSocket} here after decoding the common arguments.
 *
 * @module
 */

import type { Kernel } from "./kernel.ts";
import { Errno } from "./errno.ts";
import { InetSocket } from "./inet_socket.ts";
import {
  AF_INET,
  AF_INET6,
  readInetName,
  writeInetName,
} from "./_sockaddr_in.ts";
import { SOCK_DGRAM, SOCK_STREAM } from "./unix_socket.ts";

const IPPROTO_TCP = 6, IPPROTO_UDP = 17;
const O_NONBLOCK = 0x800, MSG_PEEK = 2, MSG_DONTWAIT = 0x40;

/** socket(AF_INET/AF_INET6, ...): the new socket, or -errno. */
export function newInetSocket(
  k: Kernel,
  family: number,
  type: number,
  proto: number,
): InetSocket | number {
  if (type !== SOCK_STREAM && type !== SOCK_DGRAM) {
    return -Errno.ESOCKTNOSUPPORT;
  }
  const want = type === SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP;
  if (proto !== 0 && proto !== want) return -Errno.EPROTONOSUPPORT;
  return new InetSocket(family, type, k.opts.hostNet);
}

/** True for the families this file serves. */
export function isInet(family: number): boolean {
  return family === AF_INET || family === AF_INET6;
}

/** bind() or connect(). */
export function inetAddressCall(
  k: Kernel,
  s: InetSocket,
  addr: number,
  len: number,
  op: "bind" | "connect",
): number {
  const e = readInetName(k, s.family, addr, len);
  if (typeof e === "number") return e;
  return op === "bind" ? s.bind(e) : s.connect(e);
}

/** accept4(): the accepted socket (name written), or -errno. */
export function inetAccept(
  k: Kernel,
  s: InetSocket,
  descFlags: number,
  addr: number,
  lenp: number,
): InetSocket | number {
  const c = s.accept((descFlags & O_NONBLOCK) === 0);
  if (typeof c === "number") return c;
  if (addr !== 0 && c.remote) {
    const err = writeInetName(k, s.family, addr, lenp, c.remote);
    if (err) {
      c.close();
      return err;
    }
  }
  return c;
}

/** getsockname() / getpeername(). */
export function inetName(
  k: Kernel,
  s: InetSocket,
  addr: number,
  lenp: number,
  peer: boolean,
): number {
  const e = peer ? s.remote : s.local;
  if (!e) return -Errno.ENOTCONN;
  return writeInetName(k, s.family, addr, lenp, e);
}

/** send/sendto/sendmsg on an IP socket. */
export function inetSend(
  k: Kernel,
  s: InetSocket,
  data: Uint8Array,
  to?: { addr: number; len: number },
): number {
  let dest;
  if (to && to.addr !== 0) {
    if (s.connectionOriented) return -Errno.EISCONN;
    const e = readInetName(k, s.family, to.addr, to.len);
    if (typeof e === "number") return e;
    dest = e;
  }
  return s.send(data, dest);
}

/** recv on an IP socket: the bytes and a writer for the sender's name. */
export function inetRecv(
  k: Kernel,
  s: InetSocket,
  descFlags: number,
  len: number,
  flags: number,
):
  | { data: Uint8Array; writeFrom: (addr: number, lenp: number) => number }
  | number {
  const block = (descFlags & O_NONBLOCK) === 0 && (flags & MSG_DONTWAIT) === 0;
  const r = s.recv(len, block, (flags & MSG_PEEK) !== 0);
  if (typeof r === "number") return r;
  const from = r.from;
  return {
    data: r.data,
    writeFrom: (addr, lenp) =>
      from
        ? writeInetName(k, s.family, addr, lenp, from)
        : (k.mem.writeU32(lenp, 0) ? 0 : -Errno.EFAULT),
  };
}
