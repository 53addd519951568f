/**
 * AF_UNIX names for the socket calls: bind (creating the socket file
 * inside a writable mapping), autobind, and the namespace key that
 * connect and sendto address.
 *
 * @module
 */

import type { Kernel } from "./kernel.ts";
import { Errno } from "./errno.ts";
import type { UnixSocket } from "./unix_socket.ts";
import { readSockName } from "./_sockaddr.ts";

let autobindCounter = 0;

/** Linux's autobind: an abstract name of five hex digits. */
export function autobind(s: UnixSocket): number {
  for (let tries = 0; tries < 0x10_0000; tries++) {
    const hex = (autobindCounter++ & 0xf_ffff).toString(16).padStart(5, "0");
    const raw = new Uint8Array([0, ...new TextEncoder().encode(hex)]);
    if (s.bind({ raw, key: "@" + hex }) === 0) return 0;
  }
  return -Errno.EADDRINUSE;
}

/** The namespace key a connect/sendto address names, or -errno. */
export function target(k: Kernel, addr: number, len: number): string | number {
  const n = readSockName(k, addr, len, "connect");
  if (typeof n === "number") return n;
  if (n === "autobind") return -Errno.EINVAL;
  if (n.kind === "abstract") return n.name.key;
  const r = k.vfs.resolve(n.path, k.cwd, true);
  if (typeof r === "number") return -r;
  if (r.kind !== "host" || !r.info) return -Errno.ENOENT;
  return r.host;
}

/** bind() of an AF_UNIX socket: 0 or -errno. */
export function unixBind(
  k: Kernel,
  s: UnixSocket,
  addr: number,
  len: number,
): number {
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
