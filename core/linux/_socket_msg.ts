/**
 * The parts of sendmsg and recvmsg that read and write struct msghdr's
 * buffers: gathering iovecs, and SCM_RIGHTS control messages
 * (include/linux/socket.h).
 *
 * @module
 */

import type { Kernel } from "./kernel.ts";
import { Errno } from "./errno.ts";
import type { Description } from "./fd_table.ts";
import { releaseDescription } from "./fd_table.ts";

const MSG_CTRUNC = 8, MSG_CMSG_CLOEXEC = 0x4000_0000;
const SOL_SOCKET = 1, SCM_RIGHTS = 1, SCM_CREDENTIALS = 2;
const SCM_MAX_FD = 253; // include/net/scm.h

/** Gathers `iovcnt` iovecs at `iov` into one buffer, or -EFAULT/-EINVAL. */
export function gather(
  k: Kernel,
  iov: number,
  iovcnt: number,
): Uint8Array | number {
  if (iovcnt < 0 || iovcnt > 1024) return -Errno.EINVAL;
  const parts: Uint8Array[] = [];
  let total = 0;
  for (let i = 0; i < iovcnt; i++) {
    const base = k.mem.readU64(iov + 16 * i),
      len = k.mem.readU64(iov + 16 * i + 8);
    if (base === undefined || len === undefined) return -Errno.EFAULT;
    if (len > 0x7fff_f000 - total) return -Errno.EINVAL;
    const bytes = len === 0 ? new Uint8Array() : k.mem.read(base, len);
    if (!bytes) return -Errno.EFAULT;
    parts.push(bytes);
    total += len;
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The SCM_RIGHTS descriptions in a control buffer (references taken). */
export function rightsOf(
  k: Kernel,
  ctl: number,
  ctlLen: number,
): Description[] | number {
  const out: Description[] = [];
  const fail = (e: number) => {
    out.forEach(releaseDescription);
    return e;
  };
  let c = ctl;
  while (ctlLen > 0 && c + 16 <= ctl + ctlLen) {
    const len = k.mem.readU64(c), level = k.mem.readU32(c + 8);
    const type = k.mem.readU32(c + 12);
    if (len === undefined || level === undefined || type === undefined) {
      return fail(-Errno.EFAULT);
    }
    if (len < 16 || c + len > ctl + ctlLen) return fail(-Errno.EINVAL);
    if (level !== SOL_SOCKET) return fail(-Errno.EINVAL);
    if (type === SCM_RIGHTS) {
      const n = Math.floor((len - 16) / 4);
      if (out.length + n > SCM_MAX_FD) return fail(-Errno.EINVAL);
      for (let i = 0; i < n; i++) {
        const fd = k.mem.readU32(c + 16 + 4 * i)!;
        const e = k.fds.get(fd | 0);
        if (!e) return fail(-Errno.EBADF);
        e.desc.refs++;
        out.push(e.desc);
      }
    } else if (type !== SCM_CREDENTIALS) return fail(-Errno.EINVAL);
    c += Math.ceil(len / 8) * 8;
  }
  return out;
}

/**
 * Installs received descriptions and writes their SCM_RIGHTS message into
 * the control buffer, as many as fit (the rest are closed, MSG_CTRUNC).
 * Returns the control bytes used and the msg_flags to add.
 */
export function writeRights(
  k: Kernel,
  descs: Description[],
  ctl: number,
  ctlLen: number,
  flags: number,
): { used: number; flags: number } {
  let outFlags = 0, used = 0;
  if (descs.length === 0) return { used, flags: 0 };
  const room = ctlLen >= 16 ? Math.floor((ctlLen - 16) / 4) : 0;
  const take = Math.min(room, descs.length);
  if (take < descs.length) outFlags |= MSG_CTRUNC;
  const cloexec = (flags & MSG_CMSG_CLOEXEC) !== 0;
  const fds: number[] = [];
  descs.forEach((d, i) => {
    if (i >= take) return releaseDescription(d);
    const nfd = k.fds.install(d, cloexec);
    if (nfd >= 0) fds.push(nfd);
    else outFlags |= MSG_CTRUNC;
  });
  if (fds.length > 0) {
    const cmsg = new DataView(new ArrayBuffer(16 + 4 * fds.length));
    cmsg.setBigUint64(0, BigInt(16 + 4 * fds.length), true);
    cmsg.setUint32(8, SOL_SOCKET, true);
    cmsg.setUint32(12, SCM_RIGHTS, true);
    fds.forEach((f, i) => cmsg.setInt32(16 + 4 * i, f, true));
    if (!k.mem.write(ctl, new Uint8Array(cmsg.buffer))) {
      return { used: 0, flags: outFlags | MSG_CTRUNC };
    }
    used = Math.min(ctlLen, Math.ceil((16 + 4 * fds.length) / 8) * 8);
  }
  return { used, flags: outFlags };
}
