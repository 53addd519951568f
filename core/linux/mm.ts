/**
 * Memory system calls: brk, mmap, munmap, mprotect, mremap, madvise, msync.
 * What backs file and shared mappings, and how they stay coherent with files
 * and other processes, is in {@link MapTable} (map_table.ts).
 *
 * Placement is top-down below the stack (Linux's default layout). PROT_*
 * bits equal the emulator's PERM_* bits (R=1, W=2, X=4). Mappings are
 * tracked in {@link Mappings} so PROT_NONE reservations are never reused.
 *
 * @module
 */

import type { Kernel, SyscallHandler } from "./kernel.ts";
import { Errno, errnoOf } from "./errno.ts";
import { NR } from "./sysnums.ts";
import {
  GUEST_MAX,
  GUEST_MIN,
  PAGE_SHIFT,
  PAGE_SIZE,
  PERM_R,
  PERM_W,
} from "../layout.ts";
import { pageUp } from "../memory.ts";
import { unsigned } from "./_args.ts";
import type { FileDescription } from "./map_table.ts";

// include/uapi/asm-generic/mman-common.h, linux/mman.h
const MAP_SHARED = 1, MAP_PRIVATE = 2, MAP_FIXED = 0x10, MAP_ANONYMOUS = 0x20;
const MAP_FIXED_NOREPLACE = 0x10_0000;
const MREMAP_MAYMOVE = 1, MREMAP_FIXED = 2, MREMAP_DONTUNMAP = 4;
const MADV_DONTNEED = 4;
const MS_ASYNC = 1, MS_INVALIDATE = 2, MS_SYNC = 4;

function aligned(n: number): boolean {
  return n % PAGE_SIZE === 0;
}

/** Sets protection on mapped pages, including PROT_NONE ones GuestMemory sees as free. */
function protect(k: Kernel, addr: number, len: number, prot: number): void {
  if (k.mem.protect(addr, len, prot)) return;
  k.mem.noteWrite(addr, len); // drop translated code on these pages
  k.mem.perm.fill(
    prot & 7,
    addr >>> PAGE_SHIFT,
    pageUp(addr + len) >>> PAGE_SHIFT,
  );
}

const RLIMIT_AS = 9; // include/uapi/asm-generic/resource.h

/**
 * True when `grow` more mapped bytes keep the address space within
 * RLIMIT_AS and the kernel's `addressSpaceLimit` (Linux: ENOMEM otherwise).
 */
function fits(k: Kernel, grow: number): boolean {
  const soft = k.rlimits[RLIMIT_AS][0];
  const limit = Math.min(
    soft < 0 ? Infinity : soft,
    k.opts.addressSpaceLimit ?? Infinity,
  );
  return k.vm.mappedBytes + grow <= limit;
}

function mapFresh(k: Kernel, addr: number, len: number, prot: number): void {
  k.maps.remove(addr, len);
  k.mem.map(addr, len, prot & 7);
  k.vm.set(addr, len, true);
}

function unmap(k: Kernel, addr: number, len: number): void {
  k.maps.remove(addr, len);
  k.mem.unmap(addr, len);
  k.vm.set(addr, len, false);
}

function brk(k: Kernel, want: number): number {
  if (want < k.brkStart || want > GUEST_MAX || k.brkStart === 0) return k.brk;
  const oldTop = pageUp(k.brk), newTop = pageUp(want);
  if (newTop > oldTop) {
    if (!k.vm.allFree(oldTop, newTop - oldTop)) return k.brk;
    if (!fits(k, newTop - oldTop)) return k.brk;
    mapFresh(k, oldTop, newTop - oldTop, PERM_R | PERM_W);
  } else if (newTop < oldTop) {
    unmap(k, newTop, oldTop - newTop);
  }
  k.brk = want;
  return want;
}

function mmap(
  k: Kernel,
  addr: number,
  rawLen: number,
  prot: number,
  flags: number,
  fd: number,
  off: number,
): number {
  const len = unsigned(rawLen);
  if (len === 0 || !aligned(off) || off < 0) return -Errno.EINVAL;
  const type = flags & 3;
  if (type !== MAP_SHARED && type !== MAP_PRIVATE && type !== 3) {
    return -Errno.EINVAL;
  }
  const size = pageUp(len);
  if (size > GUEST_MAX) return -Errno.ENOMEM;
  const fixed = (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) !== 0;
  let file: FileDescription | undefined;
  if (!(flags & MAP_ANONYMOUS)) {
    const e = k.fds.get(fd);
    if (!e) return -Errno.EBADF;
    const d = e.desc;
    if (d.kind === "dev" && d.dev === "zero") file = undefined;
    else if (d.kind !== "file") return -Errno.ENODEV;
    else {
      const acc = d.flags & 3;
      if (acc === 1) return -Errno.EACCES;
      if (type === MAP_SHARED && (prot & 2) && acc === 0) return -Errno.EACCES;
      file = d;
    }
  }
  let at: number;
  if (fixed) {
    if (!aligned(addr)) return -Errno.EINVAL;
    if (addr < GUEST_MIN) return -Errno.EPERM;
    if (addr + size > GUEST_MAX) return -Errno.ENOMEM;
    if (
      (flags & MAP_FIXED_NOREPLACE) && !(flags & MAP_FIXED) &&
      !k.vm.allFree(addr, size)
    ) return -Errno.EEXIST;
    at = addr;
  } else {
    const hint = Math.floor(addr / PAGE_SIZE) * PAGE_SIZE;
    at =
      hint >= GUEST_MIN && hint + size <= GUEST_MAX && k.vm.allFree(hint, size)
        ? hint
        : k.vm.findFree(size, k.mmapTop);
    if (at < 0) return -Errno.ENOMEM;
  }
  if (!fits(k, size - k.vm.mappedIn(at, size))) return -Errno.ENOMEM;
  mapFresh(k, at, size, prot | (file ? PERM_W : 0));
  const shared = type !== MAP_PRIVATE;
  if (file) {
    // Whole pages: the tail of the last page shows the file too (as Linux).
    const err = copyFile(k, file.file, at, size, off);
    if (err) {
      unmap(k, at, size);
      return err;
    }
    protect(k, at, size, prot);
    k.maps.addFile(at, size, file, off, shared);
  } else if (shared) {
    k.maps.addSharedAnon(at, size);
  }
  return at;
}

/** Copies file bytes [off, off+len) to guest `at` without moving the file position. */
function copyFile(
  k: Kernel,
  file: Deno.FsFile,
  at: number,
  len: number,
  off: number,
): number {
  try {
    const saved = file.seekSync(0, Deno.SeekMode.Current);
    file.seekSync(off, Deno.SeekMode.Start);
    let n = 0;
    while (n < len) {
      const got = file.readSync(k.mem.u8.subarray(at + n, at + len));
      if (!got) break;
      n += got;
    }
    file.seekSync(saved, Deno.SeekMode.Start);
    return 0;
  } catch (e) {
    return -errnoOf(e);
  }
}

function munmap(k: Kernel, addr: number, rawLen: number): number {
  const len = unsigned(rawLen);
  if (
    !aligned(addr) || len === 0 || addr + len > GUEST_MAX || addr < GUEST_MIN
  ) return -Errno.EINVAL;
  unmap(k, addr, pageUp(len));
  return 0;
}

function mprotect(
  k: Kernel,
  addr: number,
  rawLen: number,
  prot: number,
): number {
  const len = unsigned(rawLen);
  if (!aligned(addr)) return -Errno.EINVAL;
  if (len === 0) return 0;
  if (!k.vm.allMapped(addr, pageUp(len))) return -Errno.ENOMEM;
  if ((prot & PERM_W) && k.maps.readOnlyShared(addr, pageUp(len))) {
    return -Errno.EACCES; // a MAP_SHARED view of a file opened O_RDONLY
  }
  protect(k, addr, pageUp(len), prot);
  return 0;
}

function mremap(
  k: Kernel,
  old: number,
  rawOld: number,
  rawNew: number,
  flags: number,
  newAddr: number,
): number {
  const os = pageUp(unsigned(rawOld)), ns = pageUp(unsigned(rawNew));
  if (
    !aligned(old) || ns === 0 ||
    (flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP))
  ) {
    return -Errno.EINVAL;
  }
  if ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE)) return -Errno.EINVAL;
  if (flags & MREMAP_DONTUNMAP) return -Errno.EINVAL;
  if (ns > GUEST_MAX) return -Errno.ENOMEM;
  if (os === 0 || !k.vm.allMapped(old, os)) return -Errno.EFAULT;
  const prot = k.mem.perm[old >>> PAGE_SHIFT] & 7;
  if (!fits(k, ns - os)) return -Errno.ENOMEM;
  const moveTo = (at: number): number => {
    const perms = k.mem.perm.slice(
      old >>> PAGE_SHIFT,
      (old + Math.min(os, ns)) >>> PAGE_SHIFT,
    );
    mapFresh(k, at, ns, prot);
    k.mem.u8.copyWithin(at, old, old + Math.min(os, ns));
    k.maps.move(old, os, at, ns);
    perms.forEach((p, i) => protect(k, at + i * PAGE_SIZE, PAGE_SIZE, p & 7));
    unmap(k, old, os);
    return at;
  };
  if (flags & MREMAP_FIXED) {
    if (!aligned(newAddr) || newAddr < GUEST_MIN || newAddr + ns > GUEST_MAX) {
      return -Errno.EINVAL;
    }
    if (newAddr < old + os && old < newAddr + ns) return -Errno.EINVAL;
    return moveTo(newAddr);
  }
  if (ns <= os) {
    if (ns < os) unmap(k, old + ns, os - ns);
    return old;
  }
  if (old + ns <= GUEST_MAX && k.vm.allFree(old + os, ns - os)) {
    mapFresh(k, old + os, ns - os, prot);
    k.maps.move(old, os, old, ns);
    return old;
  }
  if (!(flags & MREMAP_MAYMOVE)) return -Errno.ENOMEM;
  const at = k.vm.findFree(ns, k.mmapTop);
  return at < 0 ? -Errno.ENOMEM : moveTo(at);
}

function madvise(
  k: Kernel,
  addr: number,
  rawLen: number,
  advice: number,
): number {
  const len = pageUp(unsigned(rawLen));
  if (!aligned(addr)) return -Errno.EINVAL;
  if (len === 0) return 0;
  if (!k.vm.allMapped(addr, len)) return -Errno.ENOMEM;
  // Private file pages come back from the file, anonymous ones as zeros.
  if (advice === MADV_DONTNEED) k.maps.dontNeed(addr, len);
  return 0;
}

function msync(k: Kernel, addr: number, rawLen: number, flags: number): number {
  const len = pageUp(unsigned(rawLen));
  if (
    !aligned(addr) || (flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC)) ||
    ((flags & MS_ASYNC) && (flags & MS_SYNC))
  ) return -Errno.EINVAL;
  if (!k.vm.allMapped(addr, len)) return -Errno.ENOMEM;
  k.maps.flush(addr, len);
  return 0;
}

/**
 * Handlers for the memory calls, keyed by riscv64 number.
 *
 * @example
 * ```ts
 * import { MM_SYSCALLS } from "./mm.ts";
 * console.log(typeof MM_SYSCALLS[222]); // "function"
 * ```
 */
export const MM_SYSCALLS: Record<number, SyscallHandler> = {
  [NR.brk]: (k, a) => brk(k, a[0]),
  [NR.mmap]: (k, a) => mmap(k, a[0], a[1], a[2] | 0, a[3] | 0, a[4] | 0, a[5]),
  [NR.munmap]: (k, a) => munmap(k, a[0], a[1]),
  [NR.mprotect]: (k, a) => mprotect(k, a[0], a[1], a[2] | 0),
  [NR.mremap]: (k, a) => mremap(k, a[0], a[1], a[2], a[3] | 0, a[4]),
  [NR.madvise]: (k, a) => madvise(k, a[0], a[1], a[2] | 0),
  [NR.msync]: (k, a) => msync(k, a[0], a[1], a[2] | 0),
};
