/**
 * File descriptor system calls: openat, close, pipe2, dup, dup3, fcntl,
 * fsync.
 *
 * @module
 */

import type { Kernel, SyscallHandler } from "./kernel.ts";
import type { Description } from "./fd_table.ts";
import { Errno, errnoOf } from "./errno.ts";
import { NR } from "./sysnums.ts";
import type { Resolved } from "./vfs.ts";
import { O_APPEND } from "./fs_io.ts";
import { newPipe, setPipeSize } from "./pipe_buffer.ts";

/** open(2) flags, include/uapi/asm-generic/fcntl.h. */
export const O = {
  ACCMODE: 3,
  RDONLY: 0,
  WRONLY: 1,
  RDWR: 2,
  CREAT: 0o100,
  EXCL: 0o200,
  NOCTTY: 0o400,
  TRUNC: 0o1000,
  APPEND: O_APPEND,
  NONBLOCK: 0o4000,
  DIRECTORY: 0o200000,
  NOFOLLOW: 0o400000,
  CLOEXEC: 0o2000000,
  PATH: 0o10000000,
  TMPFILE: 0o20000000,
} as const;

/** dirfd meaning "the current directory" (fcntl.h). */
export const AT_FDCWD = -100;

/**
 * Reads the path argument at `addr`: the string, or a negative errno.
 *
 * @example
 * ```ts
 * import { readPath } from "./fs.ts";
 * import type { Kernel } from "./kernel.ts";
 * const k = { mem: { readCBytes: () => undefined } } as unknown as Kernel;
 * console.log(readPath(k, 0)); // -14
 * ```
 */
export function readPath(k: Kernel, addr: number): string | number {
  const bytes = k.mem.readCBytes(addr, 4096);
  if (!bytes) {
    return k.mem.readCBytes(addr, 1 << 20)
      ? -Errno.ENAMETOOLONG
      : -Errno.EFAULT;
  }
  return new TextDecoder().decode(bytes);
}

/**
 * The guest directory a path is relative to: `/` for absolute paths, the
 * cwd for AT_FDCWD, else the directory open on `dirfd`. Negative errno on
 * failure (EBADF, ENOTDIR).
 *
 * @example
 * ```ts
 * import { dirBase } from "./fs.ts";
 * import type { Kernel } from "./kernel.ts";
 * console.log(dirBase({ cwd: "/home" } as Kernel, -100, "x")); // "/home"
 * ```
 */
export function dirBase(
  k: Kernel,
  dirfd: number,
  path: string,
): string | number {
  if (path.startsWith("/")) return "/";
  if (dirfd === AT_FDCWD) return k.cwd;
  const e = k.fds.get(dirfd);
  if (!e) return -Errno.EBADF;
  return e.desc.kind === "dir" ? e.desc.guest : -Errno.ENOTDIR;
}

/**
 * Resolves a path argument: reads it, picks the base, resolves through the
 * VFS. Returns the resolution or a negative errno.
 *
 * @example
 * ```ts
 * import { resolvePath } from "./fs.ts";
 * import type { Kernel } from "./kernel.ts";
 * const k = { mem: { readCBytes: () => undefined } } as unknown as Kernel;
 * console.log(resolvePath(k, -100, 0, true)); // -14
 * ```
 */
export function resolvePath(
  k: Kernel,
  dirfd: number,
  addr: number,
  follow: boolean,
): Resolved | number {
  const path = readPath(k, addr);
  if (typeof path === "number") return path;
  const base = dirBase(k, dirfd, path);
  if (typeof base === "number") return base;
  const r = k.vfs.resolve(path, base, follow);
  return typeof r === "number" ? -r : r;
}

function openat(
  k: Kernel,
  dirfd: number,
  pathAddr: number,
  flags: number,
  mode: number,
): number {
  const excl = (flags & O.CREAT) !== 0 && (flags & O.EXCL) !== 0;
  const res = resolvePath(
    k,
    dirfd,
    pathAddr,
    (flags & O.NOFOLLOW) === 0 && !excl,
  );
  if (typeof res === "number") return res;
  const d = openResolved(k, res, flags, mode);
  if (typeof d === "number") return d;
  return k.fds.install(d, (flags & O.CLOEXEC) !== 0);
}

function openResolved(
  k: Kernel,
  res: Resolved,
  flags: number,
  mode: number,
): Description | number {
  let acc = flags & O.ACCMODE;
  if (acc === 3 || (flags & O.PATH)) acc = O.RDONLY;
  const status =
    (flags & ~(O.CLOEXEC | O.CREAT | O.EXCL | O.TRUNC | O.NOCTTY)) &
      ~O.ACCMODE | acc;
  const writes = acc !== O.RDONLY;
  if ((flags & O.TMPFILE) === O.TMPFILE) return -Errno.EOPNOTSUPP;
  switch (res.kind) {
    case "proc": {
      if (writes || (flags & O.CREAT)) return -Errno.EACCES;
      if (res.node.type === "link") return -Errno.ELOOP; // O_NOFOLLOW
      const data = res.node.read();
      if (data.length + snapshotBytes(k) > MAX_SNAPSHOT_BYTES) {
        return -Errno.ENOMEM;
      }
      return {
        kind: "mem",
        data,
        pos: 0,
        guest: res.guest,
        flags: status,
        refs: 1,
      };
    }
    case "dev":
      if (
        res.dev === "tty" && ![0, 1, 2].some((fd) => k.stdio.isTerminal(fd))
      ) {
        return -Errno.ENXIO; // no controlling terminal
      }
      return {
        kind: "dev",
        dev: res.dev,
        guest: res.guest,
        flags: status,
        refs: 1,
      };
    case "virtual":
      if (writes || (flags & O.CREAT)) return -Errno.EISDIR;
      return { kind: "dir", guest: res.guest, pos: 0, flags: status, refs: 1 };
    case "exe": {
      if (writes) return -Errno.ETXTBSY;
      const host = k.opts.exe.hostPath;
      try {
        const file = Deno.openSync(host, { read: true });
        const mount = { guest: res.guest, host, readOnly: true };
        return {
          kind: "file",
          file,
          guest: res.guest,
          host,
          mount,
          flags: status,
          refs: 1,
        };
      } catch (e) {
        return -errnoOf(e);
      }
    }
  }
  const info = res.info;
  if (info?.isSymlink) {
    return (flags & O.CREAT) && (flags & O.EXCL) ? -Errno.EEXIST : -Errno.ELOOP;
  }
  if (info && (flags & O.CREAT) && (flags & O.EXCL)) return -Errno.EEXIST;
  if (!info && !(flags & O.CREAT)) return -Errno.ENOENT;
  if (!info && (flags & O.DIRECTORY)) return -Errno.ENOENT;
  if (info && (flags & O.DIRECTORY) && !info.isDirectory) return -Errno.ENOTDIR;
  if (info?.isDirectory) {
    if (writes || (flags & O.CREAT)) return -Errno.EISDIR;
    if (!k.vfs.inside(res.mount, res.host)) return -Errno.ENOENT;
    return {
      kind: "dir",
      guest: res.guest,
      host: res.host,
      mount: res.mount,
      pos: 0,
      flags: status,
      refs: 1,
    };
  }
  if (res.mount.readOnly && (writes || !info || (flags & O.TRUNC))) {
    return -Errno.EROFS;
  }
  if (info && !info.isFile) return -Errno.ENXIO; // host devices, fifos, sockets: not exposed
  try {
    if (!info) {
      // Create first: Deno cannot create a file opened read-only.
      const parent = res.host.slice(0, res.host.lastIndexOf("/")) || "/";
      if (!k.vfs.inside(res.mount, parent)) return -Errno.ENOENT;
      Deno.openSync(res.host, {
        write: true,
        createNew: true,
        mode: mode & ~k.umask & 0o7777,
      }).close();
    }
    const file = Deno.openSync(res.host, {
      read: acc !== O.WRONLY,
      write: writes,
      truncate: writes && (flags & O.TRUNC) !== 0,
    });
    if (!k.vfs.inside(res.mount, res.host)) {
      file.close();
      return -Errno.ENOENT;
    }
    return {
      kind: "file",
      file,
      guest: res.guest,
      host: res.host,
      mount: res.mount,
      flags: status,
      refs: 1,
    };
  } catch (e) {
    return -errnoOf(e);
  }
}

/**
 * Most bytes of generated /proc and /sys text the open descriptions of one
 * process may hold at once; opening more gives ENOMEM. It bounds the host
 * memory a guest can pin by opening /proc files many times.
 */
const MAX_SNAPSHOT_BYTES = 64 << 20;

/** Bytes held by the process's open /proc snapshots. */
function snapshotBytes(k: Kernel): number {
  const seen = new Set<Description>();
  let n = 0;
  for (const fd of k.fds.openFds()) {
    const d = k.fds.get(fd)!.desc;
    if (d.kind === "mem" && !seen.has(d)) {
      seen.add(d);
      n += d.data.length;
    }
  }
  return n;
}

function pipe2(k: Kernel, addr: number, flags: number): number {
  if (flags & ~(O.CLOEXEC | O.NONBLOCK | 0o40000)) return -Errno.EINVAL;
  if (!k.mem.check(addr, 8, 2)) return -Errno.EFAULT;
  const pipe = newPipe();
  const cloexec = (flags & O.CLOEXEC) !== 0;
  const r = k.fds.install({
    kind: "pipe",
    pipe,
    end: "r",
    flags: O.RDONLY | (flags & O.NONBLOCK),
    refs: 1,
  }, cloexec);
  if (r < 0) return r;
  const w = k.fds.install({
    kind: "pipe",
    pipe,
    end: "w",
    flags: O.WRONLY | (flags & O.NONBLOCK),
    refs: 1,
  }, cloexec);
  if (w < 0) {
    k.fds.close(r);
    return w;
  }
  k.mem.writeU32(addr, r);
  k.mem.writeU32(addr + 4, w);
  return 0;
}

// fcntl commands, include/uapi/asm-generic/fcntl.h and linux/fcntl.h.
const F_DUPFD = 0, F_GETFD = 1, F_SETFD = 2, F_GETFL = 3, F_SETFL = 4;
const F_GETLK = 5, F_SETLK = 6, F_SETLKW = 7, F_DUPFD_CLOEXEC = 1030;
const F_SETPIPE_SZ = 1031, F_GETPIPE_SZ = 1032, F_UNLCK = 2;
const SETFL_MASK = O.APPEND | O.NONBLOCK | 0o20000 | 0o40000 | 0o1000000;

function fcntl(k: Kernel, fd: number, cmd: number, arg: number): number {
  const e = k.fds.get(fd);
  if (!e) return -Errno.EBADF;
  switch (cmd) {
    case F_DUPFD:
    case F_DUPFD_CLOEXEC:
      return arg < 0
        ? -Errno.EINVAL
        : k.fds.dup(fd, arg, cmd === F_DUPFD_CLOEXEC);
    case F_GETFD:
      return e.cloexec ? 1 : 0;
    case F_SETFD:
      e.cloexec = (arg & 1) !== 0;
      return 0;
    case F_GETFL:
      return e.desc.flags;
    case F_SETFL:
      e.desc.flags = (e.desc.flags & ~SETFL_MASK) | (arg & SETFL_MASK);
      return 0;
    case F_GETLK: // struct flock: l_type is the first short
      return k.mem.write(arg, new Uint8Array([F_UNLCK, 0])) ? 0 : -Errno.EFAULT;
    case F_SETLK:
    case F_SETLKW:
      return 0; // one process: every lock is granted
    case F_GETPIPE_SZ:
      return e.desc.kind === "pipe" ? e.desc.pipe.capacity : -Errno.EBADF;
    case F_SETPIPE_SZ:
      return e.desc.kind === "pipe"
        ? setPipeSize(e.desc.pipe, arg >>> 0)
        : -Errno.EBADF;
    default:
      return -Errno.EINVAL;
  }
}

function fsync(k: Kernel, fd: number): number {
  const e = k.fds.get(fd);
  if (!e) return -Errno.EBADF;
  if (e.desc.kind === "file" && (e.desc.flags & O.ACCMODE) !== O.RDONLY) {
    try {
      e.desc.file.syncSync();
    } catch (err) {
      return -errnoOf(err);
    }
  }
  return 0;
}

/**
 * Handlers for the fd calls, keyed by riscv64 number.
 *
 * @example
 * ```ts
 * import { FS_SYSCALLS } from "./fs.ts";
 * console.log(typeof FS_SYSCALLS[56]); // "function"
 * ```
 */
export const FS_SYSCALLS: Record<number, SyscallHandler> = {
  [NR.openat]: (k, a) => openat(k, a[0] | 0, a[1], a[2] | 0, a[3] | 0),
  [NR.close]: (k, a) => k.fds.close(a[0] | 0),
  [NR.pipe2]: (k, a) => pipe2(k, a[0], a[1] | 0),
  [NR.dup]: (k, a) => k.fds.dup(a[0] | 0, 0, false),
  [NR.dup3]: (k, a) =>
    (a[2] & ~O.CLOEXEC) !== 0
      ? -Errno.EINVAL
      : k.fds.dupTo(a[0] | 0, a[1] | 0, (a[2] & O.CLOEXEC) !== 0),
  [NR.fcntl]: (k, a) => fcntl(k, a[0] | 0, a[1] | 0, a[2]),
  [NR.fsync]: (k, a) => fsync(k, a[0] | 0),
  [NR.fdatasync]: (k, a) => fsync(k, a[0] | 0),
  [NR.sync]: () => 0,
};
