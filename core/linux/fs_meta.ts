/**
 * Name-space system calls: mkdirat, unlinkat, renameat, renameat2,
 * truncate, ftruncate, getcwd, chdir, fchdir, fchmod, fchmodat.
 *
 * Every change is refused with EROFS on read-only mounts and re-checked
 * with the host's realPath so it cannot land outside the mount.
 *
 * @module
 */

import type { Kernel, SyscallHandler } from "./kernel.ts";
import { Errno, errnoOf } from "./errno.ts";
import { NR } from "./sysnums.ts";
import type { Mount, Resolved } from "./vfs.ts";
import { moveAllowed } from "./link_guard.ts";
import { resolvePath } from "./fs.ts";

const AT_REMOVEDIR = 0x200; // include/uapi/linux/fcntl.h
const RENAME_NOREPLACE = 1, RENAME_EXCHANGE = 2, RENAME_WHITEOUT = 4; // linux/fs.h
const O_ACCMODE = 3;

type HostRes = Resolved & { kind: "host" };

function parentOf(host: string): string {
  return host.slice(0, host.lastIndexOf("/")) || "/";
}

/** Checks that a host path about to be changed is writable and really inside its mount. */
function writableHost(k: Kernel, r: Resolved): HostRes | number {
  if (r.kind !== "host") {
    return r.kind === "virtual" ? -Errno.EROFS : -Errno.EACCES;
  }
  if (r.mount.readOnly) return -Errno.EROFS;
  if (!k.vfs.inside(r.mount, parentOf(r.host)) && r.host !== r.mount.host) {
    return -Errno.ENOENT;
  }
  return r;
}

function isMountPoint(r: HostRes): boolean {
  return r.host === r.mount.host;
}

function mkdirat(k: Kernel, dirfd: number, path: number, mode: number): number {
  const res = resolvePath(k, dirfd, path, false);
  if (typeof res === "number") return res;
  if (res.kind !== "host" || res.info) return -Errno.EEXIST;
  const r = writableHost(k, res);
  if (typeof r === "number") return r;
  try {
    Deno.mkdirSync(r.host, { mode: mode & ~k.umask & 0o7777 });
    return 0;
  } catch (e) {
    return -errnoOf(e);
  }
}

function unlinkat(
  k: Kernel,
  dirfd: number,
  path: number,
  flags: number,
): number {
  if (flags & ~AT_REMOVEDIR) return -Errno.EINVAL;
  const res = resolvePath(k, dirfd, path, false);
  if (typeof res === "number") return res;
  const r = writableHost(k, res);
  if (typeof r === "number") return res.kind === "virtual" ? -Errno.EBUSY : r;
  if (!r.info) return -Errno.ENOENT;
  if (flags & AT_REMOVEDIR) {
    if (!r.info.isDirectory) return -Errno.ENOTDIR;
    if (isMountPoint(r)) return -Errno.EBUSY;
  } else if (r.info.isDirectory) return -Errno.EISDIR;
  try {
    Deno.removeSync(r.host);
    return 0;
  } catch (e) {
    return -errnoOf(e);
  }
}

function renameat2(
  k: Kernel,
  ofd: number,
  opath: number,
  nfd: number,
  npath: number,
  flags: number,
): number {
  if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT)) {
    return -Errno.EINVAL;
  }
  if (flags & (RENAME_EXCHANGE | RENAME_WHITEOUT)) return -Errno.EINVAL;
  const ores = resolvePath(k, ofd, opath, false);
  if (typeof ores === "number") return ores;
  const nres = resolvePath(k, nfd, npath, false);
  if (typeof nres === "number") return nres;
  const o = writableHost(k, ores);
  if (typeof o === "number") return ores.kind === "virtual" ? -Errno.EBUSY : o;
  const n = writableHost(k, nres);
  if (typeof n === "number") return nres.kind === "virtual" ? -Errno.EXDEV : n;
  if (!o.info) return -Errno.ENOENT;
  if (o.mount !== n.mount) return -Errno.EXDEV;
  if (isMountPoint(o) || isMountPoint(n)) return -Errno.EBUSY;
  if (n.info && (flags & RENAME_NOREPLACE)) return -Errno.EEXIST;
  if (n.info && o.info.isDirectory && !n.info.isDirectory) {
    return -Errno.ENOTDIR;
  }
  if (n.info && !o.info.isDirectory && n.info.isDirectory) return -Errno.EISDIR;
  if (
    o.info.isDirectory && (n.guest + "/").startsWith(o.guest + "/") &&
    n.guest !== o.guest
  ) {
    return -Errno.EINVAL;
  }
  if (!moveAllowed(o.mount, o.host, n.host)) return -Errno.EPERM;
  try {
    Deno.renameSync(o.host, n.host);
    return 0;
  } catch (e) {
    return -errnoOf(e);
  }
}

function truncatePath(k: Kernel, path: number, len: number): number {
  if (len < 0) return -Errno.EINVAL;
  const res = resolvePath(k, -100, path, true);
  if (typeof res === "number") return res;
  if (res.kind === "host" && !res.info) return -Errno.ENOENT;
  if (
    res.kind === "virtual" || (res.kind === "host" && res.info?.isDirectory)
  ) return -Errno.EISDIR;
  const r = writableHost(k, res);
  if (typeof r === "number") return r;
  if (!k.vfs.inside(r.mount, r.host)) return -Errno.ENOENT;
  try {
    Deno.truncateSync(r.host, len);
    return 0;
  } catch (e) {
    return -errnoOf(e);
  }
}

function ftruncate(k: Kernel, fd: number, len: number): number {
  const e = k.fds.get(fd);
  if (!e) return -Errno.EBADF;
  const d = e.desc;
  if (len < 0 || d.kind !== "file" || (d.flags & O_ACCMODE) === 0) {
    return -Errno.EINVAL;
  }
  if (d.mount.readOnly) return -Errno.EROFS;
  try {
    d.file.truncateSync(len);
    return 0;
  } catch (err) {
    return -errnoOf(err);
  }
}

function getcwd(k: Kernel, buf: number, size: number): number {
  const bytes = new TextEncoder().encode(k.cwd + "\0");
  if (size < bytes.length) return -Errno.ERANGE;
  return k.mem.write(buf, bytes) ? bytes.length : -Errno.EFAULT;
}

function chdir(k: Kernel, path: number): number {
  const r = resolvePath(k, -100, path, true);
  if (typeof r === "number") return r;
  if (r.kind === "virtual" || (r.kind === "host" && r.info?.isDirectory)) {
    k.cwd = r.guest;
    return 0;
  }
  return r.kind === "host" && !r.info ? -Errno.ENOENT : -Errno.ENOTDIR;
}

function fchdir(k: Kernel, fd: number): number {
  const e = k.fds.get(fd);
  if (!e) return -Errno.EBADF;
  if (e.desc.kind !== "dir") return -Errno.ENOTDIR;
  k.cwd = e.desc.guest;
  return 0;
}

function chmodHost(
  k: Kernel,
  mount: Mount,
  host: string,
  mode: number,
): number {
  if (mount.readOnly) return -Errno.EROFS;
  if (!k.vfs.inside(mount, host)) return -Errno.ENOENT;
  try {
    Deno.chmodSync(host, mode & 0o7777);
    return 0;
  } catch (e) {
    return -errnoOf(e);
  }
}

function fchmodat(
  k: Kernel,
  dirfd: number,
  path: number,
  mode: number,
): number {
  const r = resolvePath(k, dirfd, path, true);
  if (typeof r === "number") return r;
  if (r.kind !== "host") return -Errno.EROFS;
  if (!r.info) return -Errno.ENOENT;
  return chmodHost(k, r.mount, r.host, mode);
}

function fchmod(k: Kernel, fd: number, mode: number): number {
  const e = k.fds.get(fd);
  if (!e) return -Errno.EBADF;
  const d = e.desc;
  if (d.kind === "file") return chmodHost(k, d.mount, d.host, mode);
  if (d.kind === "dir" && d.host && d.mount) {
    return chmodHost(k, d.mount, d.host, mode);
  }
  return -Errno.EROFS;
}

/**
 * Handlers for the name-space calls, keyed by riscv64 number.
 *
 * @example
 * ```ts
 * import { FS_META_SYSCALLS } from "./fs_meta.ts";
 * console.log(typeof FS_META_SYSCALLS[34]); // "function"
 * ```
 */
export const FS_META_SYSCALLS: Record<number, SyscallHandler> = {
  [NR.mkdirat]: (k, a) => mkdirat(k, a[0] | 0, a[1], a[2] | 0),
  [NR.unlinkat]: (k, a) => unlinkat(k, a[0] | 0, a[1], a[2] | 0),
  [NR.renameat]: (k, a) => renameat2(k, a[0] | 0, a[1], a[2] | 0, a[3], 0),
  [NR.renameat2]: (k, a) =>
    renameat2(k, a[0] | 0, a[1], a[2] | 0, a[3], a[4] | 0),
  [NR.truncate]: (k, a) => truncatePath(k, a[0], a[1]),
  [NR.ftruncate]: (k, a) => ftruncate(k, a[0] | 0, a[1]),
  [NR.getcwd]: (k, a) => getcwd(k, a[0], a[1]),
  [NR.chdir]: (k, a) => chdir(k, a[0]),
  [NR.fchdir]: (k, a) => fchdir(k, a[0] | 0),
  [NR.fchmod]: (k, a) => fchmod(k, a[0] | 0, a[1] | 0),
  [NR.fchmodat]: (k, a) => fchmodat(k, a[0] | 0, a[1], a[2] | 0),
};
