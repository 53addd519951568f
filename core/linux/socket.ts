/**
 * Socket system calls for AF_UNIX: socket, socketpair, bind, listen,
 * accept/accept4, connect, getsockname, getpeername, sendto, recvfrom,
 * sendmsg, recvmsg (SCM_RIGHTS), shutdown, setsockopt and getsockopt.
 *
 * Other families are refused with EAFNOSUPPORT (the guest has no network).
 * Nothing blocks yet: where Linux would sleep (empty receive queue, empty
 * accept queue, full backlog) the call returns EAGAIN, as pipes do.
 *
 * @module
 */

import type { Kernel, SyscallHandler } from "./kernel.ts";
import { Errno } from "./errno.ts";
import type { Description } from "./fd_table.ts";
import { releaseDescription } from "./fd_table.ts";
import { syscallNumber } from "./sysnums.ts";
import { Sig } from "./signal_state.ts";
import {
  SOCK_DGRAM,
  SOCK_SEQPACKET,
  SOCK_STREAM,
  type UnixName,
  UnixSocket,
} from "./unix_socket.ts";
import { readSockName, writeSockName } from "./_sockaddr.ts";
import { getsockopt, setsockopt } from "./_sockopt.ts";
import { gather, rightsOf, writeRights } from "./_socket_msg.ts";

const AF_UNIX = 1; // include/linux/socket.h
const SOCK_NONBLOCK = 0x800, SOCK_CLOEXEC = 0x8_0000; // O_NONBLOCK, O_CLOEXEC
const O_RDWR = 2, O_NONBLOCK = 0x800;
// include/linux/socket.h MSG_* flags
const MSG_PEEK = 2, MSG_TRUNC = 0x20, MSG_NOSIGNAL = 0x4000;

/** The socket behind `fd`, or -EBADF / -ENOTSOCK. */
function sockOf(k: Kernel, fd: number): UnixSocket | number {
  const e = k.fds.get(fd);
  if (!e) return -Errno.EBADF;
  return e.desc.kind === "socket" ? e.desc.sock : -Errno.ENOTSOCK;
}

function install(k: Kernel, sock: UnixSocket, flags: number): number {
  const desc: Description = {
    kind: "socket",
    sock,
    flags: O_RDWR | (flags & SOCK_NONBLOCK ? O_NONBLOCK : 0),
    refs: 1,
  };
  return k.fds.install(desc, (flags & SOCK_CLOEXEC) !== 0);
}

function creds(k: Kernel) {
  return { pid: k.pid, uid: k.uid, gid: k.gid };
}

function socketType(family: number, rawType: number): number {
  if (family !== AF_UNIX) return -Errno.EAFNOSUPPORT;
  const type = rawType & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
  if (type !== SOCK_STREAM && type !== SOCK_DGRAM && type !== SOCK_SEQPACKET) {
    return -Errno.ESOCKTNOSUPPORT;
  }
  return type;
}

function socket(k: Kernel, family: number, rawType: number, proto: number) {
  const type = socketType(family, rawType);
  if (type < 0) return type;
  if (proto !== 0) return -Errno.EPROTONOSUPPORT;
  return install(k, new UnixSocket(type, creds(k)), rawType);
}

function socketpair(
  k: Kernel,
  family: number,
  rawType: number,
  proto: number,
  sv: number,
) {
  const type = socketType(family, rawType);
  if (type < 0) return type;
  if (proto !== 0) return -Errno.EPROTONOSUPPORT;
  if (!k.mem.check(sv, 8, 2)) return -Errno.EFAULT;
  const [a, b] = UnixSocket.pair(type, creds(k));
  const fa = install(k, a, rawType);
  if (fa < 0) return fa;
  const fb = install(k, b, rawType);
  if (fb < 0) {
    k.fds.close(fa);
    return fb;
  }
  k.mem.writeU32(sv, fa);
  k.mem.writeU32(sv + 4, fb);
  return 0;
}

let autobindCounter = 0;

/** Linux's autobind: an abstract name of five hex digits. */
function autobind(s: UnixSocket): number {
  for (let tries = 0; tries < 0x10_0000; tries++) {
    const hex = (autobindCounter++ & 0xf_ffff).toString(16).padStart(5, "0");
    const raw = new Uint8Array([0, ...new TextEncoder().encode(hex)]);
    if (s.bind({ raw, key: "@" + hex }) === 0) return 0;
  }
  return -Errno.EADDRINUSE;
}

function bind(k: Kernel, fd: number, addr: number, len: number): number {
  const s = sockOf(k, fd);
  if (typeof s === "number") return s;
  const n = readSockName(k, addr, len, "bind");
  if (typeof n === "number") return n;
  if (n === "autobind") return s.name ? -Errno.EINVAL : autobind(s);
  if (s.name) return -Errno.EINVAL;
  if (n.kind === "abstract") return s.bind(n.name);
  // A filesystem name: bind creates the socket file, in a writable mapping.
  const r = k.vfs.resolve(n.path, k.cwd, false);
  if (typeof r === "number") return -r;
  if (r.kind !== "host" || r.info) return -Errno.EADDRINUSE;
  if (r.mount.readOnly) return -Errno.EROFS;
  const parent = r.host.slice(0, r.host.lastIndexOf("/")) || "/";
  if (!k.vfs.inside(r.mount, parent)) return -Errno.ENOENT;
  try {
    Deno.writeFileSync(r.host, new Uint8Array(), {
      createNew: true,
      mode: 0o777 & ~k.umask,
    });
  } catch {
    return -Errno.EADDRINUSE;
  }
  return s.bind({ raw: n.name.raw, key: r.host });
}

/** The namespace key a connect/sendto address names, or -errno. */
function target(k: Kernel, addr: number, len: number): string | number {
  const n = readSockName(k, addr, len, "connect");
  if (typeof n === "number") return n;
  if (n === "autobind") return -Errno.EINVAL;
  if (n.kind === "abstract") return n.name.key;
  const r = k.vfs.resolve(n.path, k.cwd, true);
  if (typeof r === "number") return -r;
  if (r.kind !== "host" || !r.info) return -Errno.ENOENT;
  return r.host;
}

function connect(k: Kernel, fd: number, addr: number, len: number): number {
  const s = sockOf(k, fd);
  if (typeof s === "number") return s;
  const key = target(k, addr, len);
  if (typeof key === "number") return key;
  return s.connect(key);
}

function listen(k: Kernel, fd: number, backlog: number): number {
  const s = sockOf(k, fd);
  if (typeof s === "number") return s;
  if (!s.name && s.connectionOriented && !s.peer) autobind(s);
  return s.listen(backlog);
}

function accept4(
  k: Kernel,
  fd: number,
  addr: number,
  lenp: number,
  flags: number,
): number {
  const s = sockOf(k, fd);
  if (typeof s === "number") return s;
  if (flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC)) return -Errno.EINVAL;
  if (!s.connectionOriented) return -Errno.EOPNOTSUPP;
  const c = s.accept();
  if (typeof c === "number") return c;
  if (addr !== 0) {
    const err = writeSockName(k, addr, lenp, c.peer?.name, true);
    if (err) {
      c.close();
      return err;
    }
  }
  return install(k, c, flags);
}

function sockName(
  k: Kernel,
  fd: number,
  addr: number,
  lenp: number,
  peer: boolean,
) {
  const s = sockOf(k, fd);
  if (typeof s === "number") return s;
  if (peer && !s.peer) return -Errno.ENOTCONN;
  return writeSockName(k, addr, lenp, peer ? s.peer!.name : s.name, true);
}

function send(
  k: Kernel,
  fd: number,
  data: Uint8Array,
  fds: Description[],
  flags: number,
  to?: { addr: number; len: number },
): number {
  const s = sockOf(k, fd);
  const fail = (e: number) => {
    fds.forEach(releaseDescription);
    return e;
  };
  if (typeof s === "number") return fail(s);
  let dest: UnixSocket | undefined;
  if (to && to.addr !== 0) {
    if (s.connectionOriented) {
      return fail(s.peer ? -Errno.EISCONN : -Errno.EOPNOTSUPP);
    }
    const key = target(k, to.addr, to.len);
    if (typeof key === "number") return fail(key);
    dest = UnixSocket.lookup(key);
    if (!dest) return fail(-Errno.ECONNREFUSED);
    if (dest.type !== s.type) return fail(-Errno.EPROTOTYPE);
  }
  const n = s.send(data, fds, dest);
  if (n < 0) {
    fds.forEach(releaseDescription);
    if (n === -Errno.EPIPE && !(flags & MSG_NOSIGNAL)) {
      k.signals.raise({ signo: Sig.SIGPIPE, code: 0, pid: k.pid, uid: k.uid });
    }
  }
  return n;
}

function sendto(k: Kernel, a: number[]): number {
  const [fd, buf, len, flags, addr, alen] = a;
  const data = len === 0 ? new Uint8Array() : k.mem.read(buf, len);
  if (!data) return -Errno.EFAULT;
  return send(k, fd | 0, data, [], flags | 0, { addr, len: alen | 0 });
}

function sendmsg(k: Kernel, fd: number, msg: number, flags: number): number {
  const name = k.mem.readU64(msg), nameLen = k.mem.readU32(msg + 8);
  const iov = k.mem.readU64(msg + 16), iovcnt = k.mem.readU64(msg + 24);
  const ctl = k.mem.readU64(msg + 32), ctlLen = k.mem.readU64(msg + 40);
  if ([name, nameLen, iov, iovcnt, ctl, ctlLen].includes(undefined)) {
    return -Errno.EFAULT;
  }
  const data = gather(k, iov!, iovcnt!);
  if (typeof data === "number") return data;
  const fds = rightsOf(k, ctl!, ctlLen!);
  if (typeof fds === "number") return fds;
  return send(k, fd, data, fds, flags, { addr: name!, len: nameLen! | 0 });
}

/** Receives into one buffer; installs passed descriptions. */
function recv(
  k: Kernel,
  fd: number,
  len: number,
  flags: number,
):
  | { data: Uint8Array; full: number; fds: Description[]; from?: UnixName }
  | number {
  const s = sockOf(k, fd);
  if (typeof s === "number") return s;
  if (len < 0) return -Errno.EINVAL;
  const buf = new Uint8Array(Math.min(len, 0x7fff_f000));
  const r = s.recv(buf, (flags & MSG_PEEK) !== 0);
  if (typeof r === "number") return r;
  return { data: buf.subarray(0, r.n), full: r.full, fds: r.fds, from: r.from };
}

function recvfrom(k: Kernel, a: number[]): number {
  const [fd, buf, len, flags, addr, lenp] = a;
  if (!k.mem.check(buf, len, 2)) return -Errno.EFAULT;
  const r = recv(k, fd | 0, len, flags | 0);
  if (typeof r === "number") return r;
  r.fds.forEach(releaseDescription);
  k.mem.write(buf, r.data);
  if (addr !== 0) {
    const err = writeSockName(k, addr, lenp, r.from, false);
    if (err) return err;
  }
  return flags & MSG_TRUNC ? r.full : r.data.length;
}

function recvmsg(k: Kernel, fd: number, msg: number, flags: number): number {
  const name = k.mem.readU64(msg);
  const iov = k.mem.readU64(msg + 16), iovcnt = k.mem.readU64(msg + 24);
  const ctl = k.mem.readU64(msg + 32), ctlLen = k.mem.readU64(msg + 40);
  if ([name, iov, iovcnt, ctl, ctlLen].includes(undefined)) {
    return -Errno.EFAULT;
  }
  if (iovcnt! > 1024) return -Errno.EINVAL;
  const views: [number, number][] = [];
  let total = 0;
  for (let i = 0; i < iovcnt!; i++) {
    const base = k.mem.readU64(iov! + 16 * i)!,
      len = k.mem.readU64(iov! + 16 * i + 8)!;
    if (base === undefined || len === undefined) return -Errno.EFAULT;
    if (len > 0 && !k.mem.check(base, len, 2)) return -Errno.EFAULT;
    views.push([base, len]);
    total += len;
  }
  const r = recv(k, fd, total, flags);
  if (typeof r === "number") return r;
  let at = 0;
  for (const [base, len] of views) {
    const part = r.data.subarray(at, at + len);
    k.mem.write(base, part);
    at += part.length;
  }
  let outFlags = r.full > r.data.length ? MSG_TRUNC : 0;
  if (name !== 0) writeSockName(k, name!, msg + 8, r.from, false);
  // SCM_RIGHTS: as many descriptors as the control buffer holds.
  const c = writeRights(k, r.fds, ctl!, ctlLen!, flags);
  const used = c.used;
  outFlags |= c.flags;
  k.mem.writeU64(msg + 40, used);
  k.mem.writeU32(msg + 48, outFlags);
  return flags & MSG_TRUNC ? r.full : r.data.length;
}

function shutdown(k: Kernel, fd: number, how: number): number {
  const s = sockOf(k, fd);
  return typeof s === "number" ? s : s.shutdown(how);
}

const nr = (name: string) => syscallNumber(name)!;

/**
 * Handlers for the socket calls, keyed by riscv64 number.
 *
 * @example
 * ```ts
 * import { SOCKET_SYSCALLS } from "./socket.ts";
 * console.log(typeof SOCKET_SYSCALLS[199]); // "function" (socketpair)
 * ```
 */
export const SOCKET_SYSCALLS: Record<number, SyscallHandler> = {
  [nr("socket")]: (k, a) => socket(k, a[0] | 0, a[1] | 0, a[2] | 0),
  [nr("socketpair")]: (k, a) =>
    socketpair(k, a[0] | 0, a[1] | 0, a[2] | 0, a[3]),
  [nr("bind")]: (k, a) => bind(k, a[0] | 0, a[1], a[2] | 0),
  [nr("listen")]: (k, a) => listen(k, a[0] | 0, a[1] | 0),
  [nr("accept")]: (k, a) => accept4(k, a[0] | 0, a[1], a[2], 0),
  [nr("accept4")]: (k, a) => accept4(k, a[0] | 0, a[1], a[2], a[3] | 0),
  [nr("connect")]: (k, a) => connect(k, a[0] | 0, a[1], a[2] | 0),
  [nr("getsockname")]: (k, a) => sockName(k, a[0] | 0, a[1], a[2], false),
  [nr("getpeername")]: (k, a) => sockName(k, a[0] | 0, a[1], a[2], true),
  [nr("sendto")]: sendto,
  [nr("recvfrom")]: recvfrom,
  [nr("sendmsg")]: (k, a) => sendmsg(k, a[0] | 0, a[1], a[2] | 0),
  [nr("recvmsg")]: (k, a) => recvmsg(k, a[0] | 0, a[1], a[2] | 0),
  [nr("shutdown")]: (k, a) => shutdown(k, a[0] | 0, a[1] | 0),
  [nr("setsockopt")]: (k, a) => {
    const s = sockOf(k, a[0] | 0);
    return typeof s === "number"
      ? s
      : setsockopt(k, s, a[1] | 0, a[2] | 0, a[3], a[4] | 0);
  },
  [nr("getsockopt")]: (k, a) => {
    const s = sockOf(k, a[0] | 0);
    return typeof s === "number"
      ? s
      : getsockopt(k, s, a[1] | 0, a[2] | 0, a[3], a[4]);
  },
};
