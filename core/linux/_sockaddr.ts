/**
 * struct sockaddr_un in guest memory (include/uapi/linux/un.h): reading the
 * names bind, connect and sendto take, and writing the ones getsockname,
 * getpeername, accept and recvfrom return.
 *
 * @module
 */

import type { Kernel } from "./kernel.ts";
import { Errno } from "./errno.ts";
import type { UnixName } from "./unix_socket.ts";

const AF_UNIX = 1;
const SUN_PATH_MAX = 108; // sizeof(sun_path)

/** A name as the guest gave it. */
export type GuestSockName =
  | "autobind"
  | { kind: "abstract"; name: UnixName }
  | { kind: "path"; path: string; name: { raw: Uint8Array } };

/** Reads a sockaddr_un of `len` bytes at `addr`, or -errno. */
export function readSockName(
  k: Kernel,
  addr: number,
  len: number,
  op: "bind" | "connect",
): GuestSockName | number {
  if (len < 2 || len > 2 + SUN_PATH_MAX) return -Errno.EINVAL;
  const bytes = k.mem.read(addr, len);
  if (!bytes) return -Errno.EFAULT;
  const family = bytes[0] | (bytes[1] << 8);
  if (family !== AF_UNIX) {
    return op === "bind" ? -Errno.EINVAL : -Errno.EAFNOSUPPORT;
  }
  if (len === 2) return "autobind";
  const sun = bytes.slice(2);
  if (sun[0] === 0) {
    const hex = [...sun.subarray(1)].map((b) => b.toString(16).padStart(2, "0"))
      .join("");
    return { kind: "abstract", name: { raw: sun, key: "@" + hex } };
  }
  const nul = sun.indexOf(0);
  const raw = nul < 0 ? sun : sun.subarray(0, nul);
  return {
    kind: "path",
    path: new TextDecoder().decode(raw),
    name: { raw },
  };
}

/**
 * Writes `name` as a sockaddr_un at `addr`, truncated to the capacity in
 * the u32 at `lenp`, and its full length back into `*lenp`. An unnamed
 * socket is just the family when `unnamedAsFamily` (getsockname, accept),
 * else zero bytes (recvfrom). Returns 0 or -errno.
 */
export function writeSockName(
  k: Kernel,
  addr: number,
  lenp: number,
  name: UnixName | undefined,
  unnamedAsFamily: boolean,
): number {
  const cap = k.mem.readU32(lenp);
  if (cap === undefined) return -Errno.EFAULT;
  if (cap > 0x7fff_ffff) return -Errno.EINVAL;
  let out: Uint8Array;
  if (name) {
    const path = name.raw[0] !== 0;
    out = new Uint8Array(2 + name.raw.length + (path ? 1 : 0));
    out.set(name.raw, 2);
  } else out = new Uint8Array(unnamedAsFamily ? 2 : 0);
  if (out.length >= 2) out[0] = AF_UNIX;
  const n = Math.min(cap, out.length);
  if (n > 0 && !k.mem.write(addr, out.subarray(0, n))) return -Errno.EFAULT;
  return k.mem.writeU32(lenp, out.length) ? 0 : -Errno.EFAULT;
}
