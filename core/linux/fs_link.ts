/**
 * Link and timestamp system calls: symlinkat, linkat, utimensat.
 *
 * A symlink's target is stored verbatim: the sandbox resolves it later as a
 * guest path, so a link can never lead the guest outside the mounts; and
 * `link_guard.ts` refuses (EPERM) a target that would lead the host, which
 * follows it as a host path, out of the link's mount. Hard links stay
 * within one writable mount (EXDEV otherwise, as across Linux mounts), so a
 * read-only file can never gain a writable name.
 *
 * @module
 */

import type { Kernel, SyscallHandler } from "./kernel.ts";
import { Errno, errnoOf } from "./errno.ts";
import { NR } from "./sysnums.ts";
import type { Resolved } from "./vfs.ts";
import { resolvePath } from "./fs.ts";
import { moveAllowed, symlinkAllowed } from "./link_guard.ts";

function parentOf(host: string): string {
  return host.slice(0, host.lastIndexOf("/")) || "/";
}

const AT_SYMLINK_FOLLOW = 0x400; // include/uapi/linux/fcntl.h
const UTIME_NOW = 0x3fffffff, UTIME_OMIT = 0x3ffffffe; // linux/stat.h

/** A host path inside a writable mount whose parent directory is really inside it. */
function creatable(
  k: Kernel,
  r: Resolved,
): (Resolved & { kind: "host" }) | number {
  if (r.kind !== "host") {
    return r.kind === "virtual" ? -Errno.EROFS : -Errno.EACCES;
  }
  if (r.mount.readOnly) return -Errno.EROFS;
  const parent = r.host.slice(0, r.host.lastIndexOf("/")) || "/";
  if (!k.vfs.inside(r.mount, parent)) return -Errno.ENOENT;
  return r;
}

function symlinkat(
  k: Kernel,
  target: number,
  dirfd: number,
  path: number,
): number {
  const t = k.mem.readCString(target, 4096);
  if (t === undefined) return -Errno.EFAULT;
  if (t === "") return -Errno.ENOENT;
  const res = resolvePath(k, dirfd, path, false);
  if (typeof res === "number") return res;
  if (res.kind !== "host" || res.info) return -Errno.EEXIST;
  const r = creatable(k, res);
  if (typeof r === "number") return r;
  if (!symlinkAllowed(r.mount, r.host, t)) return -Errno.EPERM;
  try {
    Deno.symlinkSync(t, r.host);
    return 0;
  } catch (e) {
    return -errnoOf(e);
  }
}

function linkat(
  k: Kernel,
  olddirfd: number,
  oldpath: number,
  newdirfd: number,
  newpath: number,
  flags: number,
): number {
  const from = resolvePath(
    k,
    olddirfd,
    oldpath,
    (flags & AT_SYMLINK_FOLLOW) !== 0,
  );
  if (typeof from === "number") return from;
  if (from.kind !== "host") return -Errno.EXDEV;
  if (!from.info) return -Errno.ENOENT;
  if (from.info.isDirectory) return -Errno.EPERM;
  const to = resolvePath(k, newdirfd, newpath, false);
  if (typeof to === "number") return to;
  if (to.kind === "host" && to.info) return -Errno.EEXIST;
  const r = creatable(k, to);
  if (typeof r === "number") return r;
  if (r.mount !== from.mount) return -Errno.EXDEV;
  if (!k.vfs.inside(from.mount, parentOf(from.host))) return -Errno.ENOENT;
  if (!moveAllowed(r.mount, from.host, r.host)) return -Errno.EPERM;
  try {
    Deno.linkSync(from.host, r.host);
    return 0;
  } catch (e) {
    return -errnoOf(e);
  }
}

/** Reads one `struct timespec` as a Date, or the UTIME_* marker. */
function timeAt(
  k: Kernel,
  addr: number,
  old: Date | null,
): Date | number | null {
  const sec = k.mem.readU64(addr), nsec = k.mem.readU64(addr + 8);
  if (sec === undefined || nsec === undefined) return -Errno.EFAULT;
  if (nsec === UTIME_NOW) return new Date();
  if (nsec === UTIME_OMIT) return old;
  if (nsec >= 1e9) return -Errno.EINVAL;
  return new Date(sec * 1000 + Math.floor(nsec / 1e6));
}

function utimensat(
  k: Kernel,
  dirfd: number,
  path: number,
  times: number,
): number {
  if (path === 0) return -Errno.ENOSYS; // futimens on an fd: not supported yet
  // Always follow: the sandbox then hands back a real file inside a mount,
  // and the host call (which follows links itself) cannot leave it.
  const res = resolvePath(k, dirfd, path, true);
  if (typeof res === "number") return res;
  if (res.kind !== "host") return res.kind === "virtual" ? -Errno.EROFS : 0;
  if (!res.info) return -Errno.ENOENT;
  if (res.mount.readOnly) return -Errno.EROFS;
  if (!k.vfs.inside(res.mount, res.host)) return -Errno.ENOENT;
  let atime: Date | number | null = new Date(),
    mtime: Date | number | null = atime;
  if (times !== 0) {
    atime = timeAt(k, times, res.info.atime);
    mtime = timeAt(k, times + 16, res.info.mtime);
    if (typeof atime === "number") return atime;
    if (typeof mtime === "number") return mtime;
  }
  try {
    Deno.utimeSync(res.host, atime ?? new Date(0), mtime ?? new Date(0));
    return 0;
  } catch (e) {
    return -errnoOf(e);
  }
}

/** Handlers by riscv64 syscall number. */
export const FS_LINK_SYSCALLS: Record<number, SyscallHandler> = {
  [NR.symlinkat]: (k, a) => symlinkat(k, a[0], a[1] | 0, a[2]),
  [NR.linkat]: (k, a) => linkat(k, a[0] | 0, a[1], a[2] | 0, a[3], a[4] | 0),
  [NR.utimensat]: (k, a) => utimensat(k, a[0] | 0, a[1], a[2]),
};
