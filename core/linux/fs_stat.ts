/**
 * File metadata system calls: fstat, newfstatat, statx, getdents64,
 * readlinkat, faccessat, faccessat2.
 *
 * @module
 */

import type { Kernel, SyscallHandler } from "./kernel.ts";
import type { Description } from "./fd_table.ts";
import { Errno, errnoOf } from "./errno.ts";
import { NR } from "./sysnums.ts";
import type { Resolved } from "./vfs.ts";
import { AT_FDCWD, readPath, resolvePath } from "./fs.ts";
import {
  encodeStat,
  encodeStatx,
  S_IFCHR,
  S_IFDIR,
  S_IFIFO,
  S_IFLNK,
  S_IFMT,
  S_IFREG,
  type Stat,
  statFromDeno,
  syntheticStat,
} from "./stat.ts";

/** *at() flags, include/uapi/linux/fcntl.h. */
export const AT_SYMLINK_NOFOLLOW = 0x100, AT_EMPTY_PATH = 0x1000;
const AT_EACCESS = 0x200;

// makedev(1, n) for the memory devices, makedev(5, 0) for /dev/tty (devices.txt).
const DEV_RDEV = {
  null: 0x103,
  zero: 0x105,
  full: 0x107,
  random: 0x108,
  urandom: 0x109,
  tty: 0x500,
};

function inoOf(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  }
  return h;
}

/**
 * Metadata of a resolved path, or a negative errno.
 *
 * @example
 * ```ts
 * import { statResolved } from "./fs_stat.ts";
 * import type { Kernel } from "./kernel.ts";
 * const st = statResolved({} as Kernel, { kind: "dev", guest: "/dev/null", dev: "null" });
 * console.log(typeof st === "number" ? st : st.rdev); // 259
 * ```
 */
export function statResolved(k: Kernel, r: Resolved): Stat | number {
  switch (r.kind) {
    case "virtual":
      return syntheticStat(S_IFDIR | 0o555, 0, inoOf(r.guest));
    case "dev":
      return syntheticStat(S_IFCHR | 0o666, DEV_RDEV[r.dev], inoOf(r.guest));
    case "exe":
      try {
        return statFromDeno(Deno.statSync(k.opts.exe.hostPath));
      } catch (e) {
        return -errnoOf(e);
      }
    case "host":
      return r.info ? statFromDeno(r.info) : -Errno.ENOENT;
    case "proc":
      return r.node.type === "link"
        ? syntheticStat(S_IFLNK | 0o777, 0, inoOf(r.guest))
        : syntheticStat(S_IFREG | 0o444, 0, inoOf(r.guest));
  }
}

/** Metadata of an open file description, or a negative errno. */
function statDesc(k: Kernel, d: Description): Stat | number {
  try {
    switch (d.kind) {
      case "stdio": {
        const real = k.stdio.stat?.(d.hostFd);
        if (real) return statFromDeno(real);
        return k.stdio.isTerminal(d.hostFd)
          ? syntheticStat(S_IFCHR | 0o620, 0x8800, d.hostFd + 3)
          : syntheticStat(S_IFIFO | 0o600, 0, d.hostFd + 3);
      }
      case "file":
        return statFromDeno(d.file.statSync());
      case "dir":
        return d.host
          ? statFromDeno(Deno.statSync(d.host))
          : syntheticStat(S_IFDIR | 0o555, 0, inoOf(d.guest));
      case "dev":
        return syntheticStat(S_IFCHR | 0o666, DEV_RDEV[d.dev], inoOf(d.guest));
      case "pipe":
        return syntheticStat(S_IFIFO | 0o600, 0, 0x1000);
      case "mem":
        return syntheticStat(S_IFREG | 0o444, 0, inoOf(d.guest));
      case "socket":
        return syntheticStat(0o140777, 0, 0x2000); // S_IFSOCK | 0777
      case "anon": // anon_inode: no file type bits
        return syntheticStat(0o600, 0, 0x2000);
    }
  } catch (e) {
    return -errnoOf(e);
  }
}

/** stat for the *at() calls: AT_EMPTY_PATH means the fd itself. */
function statAt(
  k: Kernel,
  dirfd: number,
  pathAddr: number,
  flags: number,
): Stat | number {
  if (flags & AT_EMPTY_PATH) {
    const path = readPath(k, pathAddr);
    if (path === "") {
      if (dirfd === AT_FDCWD) {
        const r = k.vfs.resolve(k.cwd, "/", true);
        return typeof r === "number" ? -r : statResolved(k, r);
      }
      const e = k.fds.get(dirfd);
      return e ? statDesc(k, e.desc) : -Errno.EBADF;
    }
  }
  const follow = (flags & AT_SYMLINK_NOFOLLOW) === 0;
  const r = resolvePath(k, dirfd, pathAddr, follow);
  if (typeof r === "number") return r;
  if (r.kind === "exe" && !follow) {
    return {
      ...syntheticStat(S_IFLNK | 0o777, 0, inoOf(r.guest)),
      size: k.opts.exe.guestPath.length,
    };
  }
  return statResolved(k, r);
}

function put(
  k: Kernel,
  addr: number,
  st: Stat | number,
  enc: (s: Stat) => Uint8Array,
): number {
  if (typeof st === "number") return st;
  return k.mem.write(addr, enc(st)) ? 0 : -Errno.EFAULT;
}

// d_type values, include/linux/fs_types.h (DT_*).
const DT_CHR = 2, DT_DIR = 4, DT_REG = 8, DT_LNK = 10, DT_UNKNOWN = 0;

function dirEntries(
  k: Kernel,
  d: Description & { kind: "dir" },
): { name: string; ino: number; type: number }[] {
  const out = [
    { name: ".", ino: inoOf(d.guest), type: DT_DIR },
    { name: "..", ino: inoOf(d.guest + "/.."), type: DT_DIR },
  ];
  const seen = new Set<string>();
  if (d.host) {
    for (const e of Deno.readDirSync(d.host)) {
      let ino = inoOf(d.guest + "/" + e.name);
      try {
        ino = Deno.lstatSync(d.host + "/" + e.name).ino ?? ino;
      } catch { /* vanished meanwhile: keep the made-up number */ }
      const type = e.isDirectory
        ? DT_DIR
        : e.isSymlink
        ? DT_LNK
        : e.isFile
        ? DT_REG
        : DT_UNKNOWN;
      out.push({ name: e.name, ino, type });
      seen.add(e.name);
    }
  }
  // Mount points and synthetic entries directly below this directory.
  for (const name of k.vfs.virtualChildren(d.guest)) {
    if (seen.has(name)) continue;
    const g = (d.guest === "/" ? "" : d.guest) + "/" + name;
    if (!d.host || k.vfs.mountFor(g)?.guest === g) {
      const node = k.vfs.synthetic?.lookup(g);
      const type = g.startsWith("/dev/")
        ? DT_CHR
        : node?.type === "file"
        ? DT_REG
        : node?.type === "link" || node?.type === "exe"
        ? DT_LNK
        : DT_DIR;
      out.push({ name, ino: inoOf(g), type });
    }
  }
  return out;
}

function getdents64(
  k: Kernel,
  fd: number,
  addr: number,
  count: number,
): number {
  const e = k.fds.get(fd);
  if (!e) return -Errno.EBADF;
  const d = e.desc;
  if (d.kind !== "dir") return -Errno.ENOTDIR;
  try {
    d.entries ??= dirEntries(k, d);
  } catch (err) {
    return -errnoOf(err);
  }
  const enc = new TextEncoder();
  const out = new Uint8Array(Math.max(0, Math.min(count, 1 << 20)));
  const v = new DataView(out.buffer);
  let n = 0;
  while (d.pos < d.entries.length) {
    const ent = d.entries[d.pos];
    const name = enc.encode(ent.name);
    const reclen = Math.ceil((19 + name.length + 1) / 8) * 8;
    if (n + reclen > out.length) {
      if (n === 0) return -Errno.EINVAL;
      break;
    }
    v.setBigUint64(n, BigInt(ent.ino), true);
    v.setBigInt64(n + 8, BigInt(d.pos + 1), true);
    v.setUint16(n + 16, reclen, true);
    out[n + 18] = ent.type;
    out.set(name, n + 19);
    n += reclen;
    d.pos++;
  }
  return k.mem.write(addr, out.subarray(0, n)) ? n : -Errno.EFAULT;
}

function readlinkat(
  k: Kernel,
  dirfd: number,
  pathAddr: number,
  buf: number,
  size: number,
): number {
  if (size <= 0) return -Errno.EINVAL;
  const r = resolvePath(k, dirfd, pathAddr, false);
  if (typeof r === "number") return r;
  let target: string;
  if (r.kind === "exe") target = k.opts.exe.guestPath;
  else if (r.kind === "proc" && r.node.type === "link") {
    target = r.node.target();
  } else if (r.kind === "host" && r.info?.isSymlink) {
    try {
      target = Deno.readLinkSync(r.host);
    } catch (e) {
      return -errnoOf(e);
    }
  } else return -Errno.EINVAL;
  const bytes = new TextEncoder().encode(target).subarray(0, size);
  return k.mem.write(buf, bytes) ? bytes.length : -Errno.EFAULT;
}

function faccessat(
  k: Kernel,
  dirfd: number,
  pathAddr: number,
  mode: number,
  flags: number,
): number {
  if (mode & ~7) return -Errno.EINVAL;
  if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EACCESS | AT_EMPTY_PATH)) {
    return -Errno.EINVAL;
  }
  const st = statAt(k, dirfd, pathAddr, flags);
  if (typeof st === "number") return st;
  const r = resolvePath(
    k,
    dirfd,
    pathAddr,
    (flags & AT_SYMLINK_NOFOLLOW) === 0,
  );
  if (
    (mode & 2) && typeof r !== "number" &&
    (r.kind === "exe" || (r.kind === "host" && r.mount.readOnly))
  ) {
    return -Errno.EROFS;
  }
  if ((mode & 2) && typeof r !== "number" && r.kind === "virtual") {
    return -Errno.EROFS;
  }
  const uid = k.uid, gid = k.gid;
  const isDir = (st.mode & S_IFMT) === S_IFDIR;
  if (uid === 0) {
    return (mode & 1) && !isDir && (st.mode & 0o111) === 0 ? -Errno.EACCES : 0;
  }
  const bits = st.uid === uid
    ? (st.mode >> 6) & 7
    : st.gid === gid
    ? (st.mode >> 3) & 7
    : st.mode & 7;
  return (bits & mode) === mode ? 0 : -Errno.EACCES;
}

/**
 * Handlers for the metadata calls, keyed by riscv64 number.
 *
 * @example
 * ```ts
 * import { FS_STAT_SYSCALLS } from "./fs_stat.ts";
 * console.log(typeof FS_STAT_SYSCALLS[80]); // "function"
 * ```
 */
export const FS_STAT_SYSCALLS: Record<number, SyscallHandler> = {
  [NR.fstat]: (k, a) => {
    const e = k.fds.get(a[0] | 0);
    return e ? put(k, a[1], statDesc(k, e.desc), encodeStat) : -Errno.EBADF;
  },
  [NR.newfstatat]: (k, a) =>
    put(k, a[2], statAt(k, a[0] | 0, a[1], a[3] | 0), encodeStat),
  [NR.statx]: (k, a) =>
    put(k, a[4], statAt(k, a[0] | 0, a[1], a[2] | 0), encodeStatx),
  [NR.getdents64]: (k, a) => getdents64(k, a[0] | 0, a[1], a[2] | 0),
  [NR.readlinkat]: (k, a) => readlinkat(k, a[0] | 0, a[1], a[2], a[3] | 0),
  [NR.faccessat]: (k, a) => faccessat(k, a[0] | 0, a[1], a[2] | 0, 0),
  [NR.faccessat2]: (k, a) => faccessat(k, a[0] | 0, a[1], a[2] | 0, a[3] | 0),
};
