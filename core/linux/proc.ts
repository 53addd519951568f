/**
 * Process system calls: identity, limits, randomness, uname, sysinfo,
 * exit and exit_group, and the few thread calls a single-threaded static
 * program makes at start (set_tid_address, set_robust_list, futex wake).
 *
 * @module
 */

import type { Kernel, SyscallHandler } from "./kernel.ts";
import { Errno } from "./errno.ts";
import { NR } from "./sysnums.ts";
import { GUEST_MAX, PERM_W } from "../layout.ts";
import { readWords, unsigned, writeWords } from "./_args.ts";

const GRND_NONBLOCK = 1, GRND_RANDOM = 2, GRND_INSECURE = 4; // linux/random.h
const RLIMIT_NLIMITS = 16, RLIMIT_NOFILE = 7;
const FUTEX_WAIT = 0, FUTEX_WAKE = 1, FUTEX_CMD_MASK = 0x7f & ~0x80;

/** The strings uname(2) reports. */
export const UTSNAME = {
  sysname: "Linux",
  nodename: "pandeno",
  release: "6.1.0",
  version: "#1 SMP PREEMPT_DYNAMIC pandeno",
  machine: "riscv64",
  domainname: "(none)",
} as const;

function uname(k: Kernel, addr: number): number {
  const b = new Uint8Array(65 * 6); // struct new_utsname: six 65-byte fields
  const enc = new TextEncoder();
  const names = { ...UTSNAME, nodename: k.opts.hostname ?? UTSNAME.nodename };
  Object.values(names).forEach((s, i) =>
    b.set(enc.encode(s).subarray(0, 64), i * 65)
  );
  return k.mem.write(addr, b) ? 0 : -Errno.EFAULT;
}

function getrandom(
  k: Kernel,
  addr: number,
  len: number,
  flags: number,
): number {
  if (flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE)) {
    return -Errno.EINVAL;
  }
  if ((flags & GRND_RANDOM) && (flags & GRND_INSECURE)) return -Errno.EINVAL;
  const n = Math.min(unsigned(len), 0x1ff_ffff); // drivers/char/random.c cap
  if (!k.mem.check(addr, n, PERM_W)) return -Errno.EFAULT;
  k.random.fill(k.mem.u8.subarray(addr, addr + n));
  k.mem.noteWrite(addr, n);
  return n;
}

function prlimit64(
  k: Kernel,
  pid: number,
  res: number,
  newAddr: number,
  oldAddr: number,
): number {
  if (pid !== 0 && pid !== k.pid) return -Errno.ESRCH;
  if (res < 0 || res >= RLIMIT_NLIMITS) return -Errno.EINVAL;
  let next: [number, number] | undefined;
  if (newAddr !== 0) {
    const w = readWords(k.mem, newAddr, 2);
    if (!w) return -Errno.EFAULT;
    const lim = w.map((x) =>
      x < 0n || x > BigInt(Number.MAX_SAFE_INTEGER) ? -1 : Number(x)
    );
    const [cur, max] = lim;
    if (max !== -1 && (cur === -1 || cur > max)) return -Errno.EINVAL;
    next = [cur, max];
  }
  if (oldAddr !== 0 && !writeWords(k.mem, oldAddr, k.rlimits[res])) {
    return -Errno.EFAULT;
  }
  if (next) {
    k.rlimits[res] = next;
    if (res === RLIMIT_NOFILE) {
      k.fds.limit = next[0] === -1 ? 65536 : Math.min(next[0], 65536);
    }
  }
  return 0;
}

function sysinfo(k: Kernel, addr: number): number {
  const b = new Uint8Array(112);
  const v = new DataView(b.buffer);
  const free = GUEST_MAX - k.vm.mappedBytes;
  let uptime = 0;
  try {
    uptime = Deno.osUptime();
  } catch { /* no sys permission: report 0 */ }
  v.setBigInt64(0, BigInt(Math.floor(uptime)), true);
  v.setBigUint64(32, BigInt(GUEST_MAX), true); // totalram
  v.setBigUint64(40, BigInt(free), true); // freeram
  v.setUint16(80, 1, true); // procs
  v.setUint32(104, 1, true); // mem_unit
  return k.mem.write(addr, b) ? 0 : -Errno.EFAULT;
}

function getrusage(k: Kernel, who: number, addr: number): number {
  if (who !== 0 && who !== -1 && who !== 1) return -Errno.EINVAL; // SELF, CHILDREN, THREAD
  const us = who === -1 ? 0 : Number(k.clock.now(2)! / 1000n); // CPUTIME
  const b = new Uint8Array(144); // struct rusage
  const v = new DataView(b.buffer);
  v.setBigInt64(0, BigInt(Math.floor(us / 1e6)), true);
  v.setBigInt64(8, BigInt(us % 1e6), true);
  return k.mem.write(addr, b) ? 0 : -Errno.EFAULT;
}

function sched_getaffinity(
  k: Kernel,
  pid: number,
  len: number,
  addr: number,
): number {
  if (pid !== 0 && pid !== k.pid) return -Errno.ESRCH;
  if (len < 8 || len % 8 !== 0) return -Errno.EINVAL;
  return writeWords(k.mem, addr, [1]) ? 8 : -Errno.EFAULT;
}

function futex(k: Kernel, addr: number, op: number, val: number): number {
  const cmd = op & FUTEX_CMD_MASK;
  if (cmd === FUTEX_WAKE) return 0; // nobody else is waiting
  if (cmd === FUTEX_WAIT) {
    const cur = k.mem.readU32(addr);
    if (cur === undefined) return -Errno.EFAULT;
    return cur !== (val >>> 0) ? -Errno.EAGAIN : -Errno.EDEADLK; // would wait forever
  }
  return -Errno.ENOSYS;
}

/**
 * Handlers for the process calls, keyed by riscv64 number.
 *
 * @example
 * ```ts
 * import { PROC_SYSCALLS } from "./proc.ts";
 * console.log(typeof PROC_SYSCALLS[94]); // "function"
 * ```
 */
export const PROC_SYSCALLS: Record<number, SyscallHandler> = {
  [NR.exit]: (_k, a) => ({ kind: "exit", status: a[0] & 0xff }),
  [NR.exit_group]: (_k, a) => ({ kind: "exit", status: a[0] & 0xff }),
  [NR.getpid]: (k) => k.pid,
  [NR.gettid]: (k) => k.pid,
  [NR.getppid]: (k) => k.pid > 2 ? k.pid - 1 : 1,
  [NR.getpgid]: (k, a) => a[0] === 0 || a[0] === k.pid ? k.pid : -Errno.ESRCH,
  [NR.set_tid_address]: (k) => k.pid,
  // qemu-riscv64 answers ENOSYS (it keeps no robust futex list); so do we,
  // silently, so that glibc takes the same path and instruction counts match.
  [NR.set_robust_list]: () => -Errno.ENOSYS,
  [NR.futex]: (k, a) => futex(k, a[0], a[1] | 0, a[2] | 0),
  [NR.getrandom]: (k, a) => getrandom(k, a[0], a[1], a[2] | 0),
  [NR.uname]: (k, a) => uname(k, a[0]),
  [NR.sysinfo]: (k, a) => sysinfo(k, a[0]),
  [NR.getrusage]: (k, a) => getrusage(k, a[0] | 0, a[1]),
  [NR.prlimit64]: (k, a) => prlimit64(k, a[0] | 0, a[1] | 0, a[2], a[3]),
  [NR.getrlimit]: (k, a) => prlimit64(k, 0, a[0] | 0, 0, a[1]),
  [NR.setrlimit]: (k, a) => prlimit64(k, 0, a[0] | 0, a[1], 0),
  [NR.sched_yield]: () => 0,
  [NR.sched_getaffinity]: (k, a) => sched_getaffinity(k, a[0] | 0, a[1], a[2]),
  [NR.umask]: (k, a) => {
    const old = k.umask;
    k.umask = a[0] & 0o777;
    return old;
  },
};
