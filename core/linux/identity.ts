/**
 * Identity and ownership system calls: the get/set families of user and
 * group ids (real, effective, saved, filesystem), supplementary groups,
 * scheduling priority (nice), and fchown/fchownat.
 *
 * The process starts with the host's ids and groups, as under qemu-riscv64. Changing
 * them follows Linux's rules for an unprivileged process (only to one of
 * the current real, effective or saved ids, EPERM otherwise), and root may
 * set anything; the change is the guest's own view, the host process keeps
 * its ids. Ownership changes go to the host file, inside the mounts.
 *
 * @module
 */

import type { Kernel, SyscallHandler } from "./kernel.ts";
import { Errno, errnoOf } from "./errno.ts";
import { syscallNumber } from "./sysnums.ts";
import { resolvePath } from "./fs.ts";
import { chownSync, lchownSync } from "node:fs";
import process from "node:process";

/** The number of syscall `name`; a typo fails at load time. */
function nr(name: string): number {
  const n = syscallNumber(name);
  if (n === undefined) throw new TypeError(`no riscv64 syscall "${name}"`);
  return n;
}

/** A process's credentials. */
export interface Creds {
  /** Real, effective, saved and filesystem user id. */
  uid: [number, number, number, number];
  /** Real, effective, saved and filesystem group id. */
  gid: [number, number, number, number];
  /** Supplementary group ids. */
  groups: number[];
  /** Nice value, -20..19. */
  nice: number;
}

const CREDS = new WeakMap<Kernel, Creds>();

/**
 * The credentials of process `k` (created from the host's ids on first use).
 *
 * @example
 * ```ts
 * import { creds } from "./identity.ts";
 * import type { Kernel } from "./kernel.ts";
 * const k = { uid: 1000, gid: 100 } as Kernel;
 * console.log(creds(k).uid); // [ 1000, 1000, 1000, 1000 ]
 * ```
 */
export function creds(k: Kernel): Creds {
  let c = CREDS.get(k);
  if (!c) {
    const u = k.uid, g = k.gid;
    let groups: number[] = [];
    try {
      groups = process.getgroups?.() ?? [];
    } catch { /* unknown: none */ }
    c = { uid: [u, u, u, u], gid: [g, g, g, g], groups, nice: 0 };
    CREDS.set(k, c);
  }
  return c;
}

const NGROUPS_MAX = 65536; // include/uapi/linux/limits.h
const KEEP = 0xffff_ffff; // (uid_t)-1: leave this id unchanged

/** setresuid/setresgid with Linux's permission rule; -1 (any width) keeps an id. */
function setIds(
  k: Kernel,
  ids: [number, number, number, number],
  want: number[],
): number {
  const w = want.map((v) => v >>> 0);
  const privileged = creds(k).uid[1] === 0;
  const allowed = (v: number) =>
    v === KEEP || privileged || v === ids[0] || v === ids[1] || v === ids[2];
  if (!w.every(allowed)) return -Errno.EPERM;
  w.forEach((v, i) => {
    if (v !== KEEP) ids[i] = v;
  });
  ids[3] = ids[1]; // the fs id follows the effective id
  return 0;
}

function writeIds(k: Kernel, addrs: number[], ids: number[]): number {
  for (let i = 0; i < 3; i++) {
    if (!k.mem.writeU32(addrs[i], ids[i])) return -Errno.EFAULT;
  }
  return 0;
}

function getgroups(k: Kernel, size: number, addr: number): number {
  const g = creds(k).groups;
  if (size < 0) return -Errno.EINVAL;
  if (size === 0) return g.length;
  if (size < g.length) return -Errno.EINVAL;
  for (let i = 0; i < g.length; i++) {
    if (!k.mem.writeU32(addr + 4 * i, g[i])) return -Errno.EFAULT;
  }
  return g.length;
}

function setgroups(k: Kernel, size: number, addr: number): number {
  if (size < 0 || size > NGROUPS_MAX) return -Errno.EINVAL;
  if (creds(k).uid[1] !== 0) return -Errno.EPERM;
  const out: number[] = [];
  for (let i = 0; i < size; i++) {
    const v = k.mem.readU32(addr + 4 * i);
    if (v === undefined) return -Errno.EFAULT;
    out.push(v);
  }
  creds(k).groups = out.sort((a, b) => a - b);
  return 0;
}

const PRIO_PROCESS = 0, PRIO_PGRP = 1, PRIO_USER = 2; // linux/resource.h

function priorityTarget(k: Kernel, which: number, who: number): boolean {
  if (which === PRIO_PROCESS || which === PRIO_PGRP) {
    return who === 0 || who === k.pid;
  }
  return which === PRIO_USER && (who === 0 || who >>> 0 === creds(k).uid[0]);
}

function getpriority(k: Kernel, which: number, who: number): number {
  if (which < PRIO_PROCESS || which > PRIO_USER) return -Errno.EINVAL;
  if (!priorityTarget(k, which, who)) return -Errno.ESRCH;
  return 20 - creds(k).nice; // the syscall's biased form (kernel/sys.c)
}

function setpriority(k: Kernel, which: number, who: number, v: number): number {
  if (which < PRIO_PROCESS || which > PRIO_USER) return -Errno.EINVAL;
  if (!priorityTarget(k, which, who)) return -Errno.ESRCH;
  const nice = Math.max(-20, Math.min(19, v));
  if (nice < creds(k).nice && creds(k).uid[1] !== 0) return -Errno.EACCES;
  creds(k).nice = nice;
  return 0;
}

const AT_SYMLINK_NOFOLLOW = 0x100, AT_EMPTY_PATH = 0x1000; // linux/fcntl.h

/** chown on a host path inside a writable mount. */
function chownHost(
  host: string | undefined,
  readOnly: boolean,
  uid: number,
  gid: number,
  follow: boolean,
): number {
  if (!host) return -Errno.EROFS;
  if (readOnly) return -Errno.EROFS;
  const u = uid >>> 0 === KEEP ? -1 : uid >>> 0;
  const g = gid >>> 0 === KEEP ? -1 : gid >>> 0;
  try {
    (follow ? chownSync : lchownSync)(host, u, g);
    return 0;
  } catch (e) {
    return -errnoOf(e);
  }
}

function fchown(k: Kernel, fd: number, uid: number, gid: number): number {
  const e = k.fds.get(fd);
  if (!e) return -Errno.EBADF;
  const d = e.desc;
  if (d.kind === "file" || (d.kind === "dir" && d.host && d.mount)) {
    if (!k.vfs.inside(d.mount!, d.host!)) return -Errno.ENOENT;
    return chownHost(d.host, d.mount!.readOnly, uid, gid, true);
  }
  return -Errno.EPERM; // pipes, devices and the standard streams
}

function fchownat(
  k: Kernel,
  dirfd: number,
  path: number,
  uid: number,
  gid: number,
  flags: number,
): number {
  if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return -Errno.EINVAL;
  if (flags & AT_EMPTY_PATH && k.mem.readU8(path) === 0) {
    return fchown(k, dirfd, uid, gid);
  }
  const follow = (flags & AT_SYMLINK_NOFOLLOW) === 0;
  const r = resolvePath(k, dirfd, path, follow);
  if (typeof r === "number") return r;
  if (r.kind !== "host") return r.kind === "exe" ? -Errno.EPERM : -Errno.EROFS;
  if (!r.info) return -Errno.ENOENT;
  const parent = r.host.slice(0, r.host.lastIndexOf("/")) || "/";
  if (!k.vfs.inside(r.mount, follow ? r.host : parent)) return -Errno.ENOENT;
  return chownHost(r.host, r.mount.readOnly, uid, gid, follow);
}

/**
 * Handlers for the identity calls, keyed by riscv64 number.
 *
 * @example
 * ```ts
 * import { IDENTITY_SYSCALLS } from "./identity.ts";
 * console.log(typeof IDENTITY_SYSCALLS[158]); // "function" (getgroups)
 * ```
 */
export const IDENTITY_SYSCALLS: Record<number, SyscallHandler> = {
  [nr("getuid")]: (k) => creds(k).uid[0],
  [nr("geteuid")]: (k) => creds(k).uid[1],
  [nr("getgid")]: (k) => creds(k).gid[0],
  [nr("getegid")]: (k) => creds(k).gid[1],
  [nr("getresuid")]: (k, a) => writeIds(k, a, creds(k).uid),
  [nr("getresgid")]: (k, a) => writeIds(k, a, creds(k).gid),
  [nr("setresuid")]: (k, a) => setIds(k, creds(k).uid, [a[0], a[1], a[2]]),
  [nr("setresgid")]: (k, a) => setIds(k, creds(k).gid, [a[0], a[1], a[2]]),
  [nr("setreuid")]: (k, a) => setIds(k, creds(k).uid, [a[0], a[1], -1]),
  [nr("setregid")]: (k, a) => setIds(k, creds(k).gid, [a[0], a[1], -1]),
  [nr("setuid")]: (k, a) =>
    creds(k).uid[1] === 0
      ? setIds(k, creds(k).uid, [a[0], a[0], a[0]])
      : setIds(k, creds(k).uid, [-1, a[0], -1]),
  [nr("setgid")]: (k, a) =>
    creds(k).uid[1] === 0
      ? setIds(k, creds(k).gid, [a[0], a[0], a[0]])
      : setIds(k, creds(k).gid, [-1, a[0], -1]),
  [nr("setfsuid")]: (k, a) => fsid(k, creds(k).uid, a[0]),
  [nr("setfsgid")]: (k, a) => fsid(k, creds(k).gid, a[0]),
  [nr("getgroups")]: (k, a) => getgroups(k, a[0] | 0, a[1]),
  [nr("setgroups")]: (k, a) => setgroups(k, a[0] | 0, a[1]),
  [nr("getpriority")]: (k, a) => getpriority(k, a[0] | 0, a[1] | 0),
  [nr("setpriority")]: (k, a) => setpriority(k, a[0] | 0, a[1] | 0, a[2] | 0),
  [nr("fchown")]: (k, a) => fchown(k, a[0] | 0, a[1], a[2]),
  [nr("fchownat")]: (k, a) => fchownat(k, a[0] | 0, a[1], a[2], a[3], a[4] | 0),
};

/** setfsuid/setfsgid: always returns the previous fs id; changes it when allowed. */
function fsid(
  k: Kernel,
  ids: [number, number, number, number],
  want: number,
): number {
  const old = ids[3], w = want >>> 0;
  if (
    w !== KEEP &&
    (creds(k).uid[1] === 0 || ids.includes(w))
  ) ids[3] = w;
  return old;
}
