/**
 * struct sockaddr_in and sockaddr_in6 (include/uapi/linux/in.h, in6.h) in
 * guest memory, converted to and from numeric address text.
 *
 * @module
 */

import type { Kernel } from "./kernel.ts";
import { Errno } from "./errno.ts";
import type { Endpoint } from "./host_net.ts";

/** Address families (include/linux/socket.h). */
export const AF_INET = 2, AF_INET6 = 10;

/** Reads a sockaddr_in/in6 of family `family`, or -errno. */
export function readInetName(
  k: Kernel,
  family: number,
  addr: number,
  len: number,
): Endpoint | number {
  const need = family === AF_INET ? 16 : 28;
  if (len < (family === AF_INET ? 16 : 24) || len > 128) return -Errno.EINVAL;
  const b = k.mem.read(addr, Math.min(len, need));
  if (!b) return -Errno.EFAULT;
  const fam = b[0] | (b[1] << 8);
  if (fam !== family) return -Errno.EAFNOSUPPORT;
  const port = (b[2] << 8) | b[3];
  if (family === AF_INET) {
    return { host: [...b.subarray(4, 8)].join("."), port };
  }
  return { host: ipv6Text(b.subarray(8, 24)), port };
}

/** The 16 bytes of an IPv6 address as text (RFC 5952 shape, v4-mapped kept). */
function ipv6Text(b: Uint8Array): string {
  if (
    b.subarray(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff
  ) {
    return "::ffff:" + [...b.subarray(12)].join(".");
  }
  const g: number[] = [];
  for (let i = 0; i < 16; i += 2) g.push((b[i] << 8) | b[i + 1]);
  let best = -1, bestLen = 1;
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  const hex = g.map((x) => x.toString(16));
  if (best < 0) return hex.join(":");
  return hex.slice(0, best).join(":") + "::" +
    hex.slice(best + bestLen).join(":");
}

/** Bytes of numeric address `host` for `family` (zeros when unparsable). */
export function addressBytes(family: number, host: string): Uint8Array {
  if (family === AF_INET) {
    const v4 = host.startsWith("::ffff:") ? host.slice(7) : host;
    const p = v4.split(".").map(Number);
    const ok = p.length === 4 && p.every((n) => n >= 0 && n < 256);
    return ok ? new Uint8Array(p) : new Uint8Array(4);
  }
  const out = new Uint8Array(16);
  let h = host.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(h);
  if (v4) {
    out.set(addressBytes(AF_INET, v4[1]), 12);
    h = h.slice(0, -v4[1].length) + "0:0";
  }
  const [head, tail] = h.includes("::") ? h.split("::") : [h, undefined];
  const hg = head ? head.split(":") : [];
  const tg = tail ? tail.split(":") : [];
  const groups = tail === undefined
    ? hg
    : [...hg, ...new Array(8 - hg.length - tg.length).fill("0"), ...tg];
  groups.slice(0, 8).forEach((x, i) => {
    if (v4 && i >= 6) return;
    const n = parseInt(x, 16) || 0;
    out[2 * i] = n >> 8;
    out[2 * i + 1] = n & 0xff;
  });
  return out;
}

/** Encodes `e` as a sockaddr of `family`. */
export function inetNameBytes(family: number, e: Endpoint): Uint8Array {
  const out = new Uint8Array(family === AF_INET ? 16 : 28);
  out[0] = family;
  out[2] = e.port >> 8;
  out[3] = e.port & 0xff;
  out.set(addressBytes(family, e.host), family === AF_INET ? 4 : 8);
  return out;
}

/**
 * Writes `e` at `addr` truncated to the capacity in the u32 at `lenp`, and
 * the full length into `*lenp`; 0 or -errno.
 */
export function writeInetName(
  k: Kernel,
  family: number,
  addr: number,
  lenp: number,
  e: Endpoint,
): number {
  const cap = k.mem.readU32(lenp);
  if (cap === undefined) return -Errno.EFAULT;
  if (cap > 0x7fff_ffff) return -Errno.EINVAL;
  const out = inetNameBytes(family, e);
  const n = Math.min(cap, out.length);
  if (n > 0 && !k.mem.write(addr, out.subarray(0, n))) return -Errno.EFAULT;
  return k.mem.writeU32(lenp, out.length) ? 0 : -Errno.EFAULT;
}
