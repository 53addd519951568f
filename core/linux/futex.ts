/**
 * futex(2): wait, wake, requeue, compare-requeue, wake-op and the bitset
 * variants, private or not, with relative (FUTEX_WAIT) or absolute
 * (FUTEX_WAIT_BITSET) timeouts. PI futexes are not implemented (ENOSYS):
 * glibc uses them only for PTHREAD_PRIO_INHERIT mutexes.
 *
 * @module
 */

import type { Kernel, SyscallHandler } from "./kernel.ts";
import type { Resume } from "./resume.ts";
import { Errno } from "./errno.ts";
import { readWords } from "./_args.ts";

// include/uapi/linux/futex.h
const WAIT = 0, WAKE = 1, REQUEUE = 3, CMP_REQUEUE = 4, WAKE_OP = 5;
const WAIT_BITSET = 9, WAKE_BITSET = 10;
const PRIVATE_FLAG = 128, CLOCK_REALTIME_FLAG = 256;
const CLOCK_REALTIME = 0, CLOCK_MONOTONIC = 1;

/** Reads a timespec as nanoseconds, or a negative errno. */
function timespecNs(k: Kernel, addr: number): bigint | number {
  const w = readWords(k.mem, addr, 2);
  if (!w) return -Errno.EFAULT;
  if (w[0] < 0n || w[1] < 0n || w[1] >= 1_000_000_000n) return -Errno.EINVAL;
  return w[0] * 1_000_000_000n + w[1];
}

/**
 * The scheduler-time deadline (ms) of a futex timeout (`at` undefined: no
 * timeout), or a negative errno.
 */
function deadlineOf(
  k: Kernel,
  addr: number,
  absolute: boolean,
  clock: number,
): { at?: number } | number {
  if (addr === 0) return {};
  const ns = timespecNs(k, addr);
  if (typeof ns === "number") return ns;
  const now = k.sched?.now() ?? 0;
  if (!absolute) return { at: now + Number(ns) / 1e6 };
  const clockNow = k.clock.now(clock)!;
  return { at: now + Number(ns - clockNow) / 1e6 };
}

function wait(
  k: Kernel,
  addr: number,
  val: number,
  timeout: number,
  bitset: number,
  absolute: boolean,
  clock: number,
): number | Resume {
  if (addr % 4 !== 0) return -Errno.EINVAL;
  if (bitset === 0) return -Errno.EINVAL;
  const d = deadlineOf(k, timeout, absolute, clock);
  if (typeof d === "number") return d;
  const deadline = d.at;
  const cur = k.mem.readU32(addr);
  if (cur === undefined) return -Errno.EFAULT;
  if (cur !== (val >>> 0)) return -Errno.EAGAIN;
  const sched = k.sched;
  if (!sched) return -Errno.EDEADLK; // nobody else could ever wake us
  const w = sched.futexes.enqueue(k.mem, addr, bitset);
  return {
    kind: "block",
    wait: {
      reason: `futex wait on 0x${addr.toString(16)}`,
      retry: () => w.woken ? 0 : undefined,
      deadline,
      cancel: () => sched.futexes.remove(k.mem, w),
      restartable: deadline === undefined,
    },
  };
}

/** FUTEX_WAKE_OP: the operation on *uaddr2 and the comparison of its old value. */
function wakeOp(
  k: Kernel,
  addr: number,
  n: number,
  addr2: number,
  n2: number,
  val3: number,
): number {
  const sched = k.sched;
  const old = k.mem.readU32(addr2);
  if (old === undefined) return -Errno.EFAULT;
  const op = (val3 >>> 28) & 7, cmp = (val3 >>> 24) & 15;
  const shift = (val3 >>> 31) & 1; // FUTEX_OP_OPARG_SHIFT is bit 3 of op
  let oparg = (val3 << 8) >> 20, cmparg = (val3 << 20) >> 20;
  if (shift) oparg = 1 << (oparg & 31);
  const ops = [
    () => oparg,
    () => old + oparg,
    () => old | oparg,
    () => old & ~oparg,
    () => old ^ oparg,
  ];
  if (op >= ops.length) return -Errno.ENOSYS;
  if (!k.mem.writeU32(addr2, ops[op]() >>> 0)) return -Errno.EFAULT;
  const o = old | 0;
  cmparg |= 0;
  const cmps = [
    o === cmparg,
    o !== cmparg,
    o < cmparg,
    o <= cmparg,
    o > cmparg,
    o >= cmparg,
  ];
  if (cmp >= cmps.length) return -Errno.ENOSYS;
  if (!sched) return 0;
  let woken = sched.futexes.wake(k.mem, addr, n, -1);
  if (cmps[cmp]) woken += sched.futexes.wake(k.mem, addr2, n2, -1);
  return woken;
}

/**
 * The futex system call.
 *
 * @example
 * ```ts ignore
 * // futex(&word, FUTEX_WAKE_PRIVATE, 1): a[] = [addr, 129, 1, 0, 0, 0]
 * futex(kernel, [addr, 129, 1, 0, 0, 0]);
 * ```
 */
export function futex(k: Kernel, a: number[]): number | Resume {
  const [addr, opWord, val, arg4, addr2, val3] = a;
  const cmd = opWord & ~(PRIVATE_FLAG | CLOCK_REALTIME_FLAG);
  const clock = (opWord & CLOCK_REALTIME_FLAG)
    ? CLOCK_REALTIME
    : CLOCK_MONOTONIC;
  if ((opWord & CLOCK_REALTIME_FLAG) && cmd !== WAIT_BITSET && cmd !== WAIT) {
    return -Errno.ENOSYS;
  }
  const sched = k.sched;
  const n = val | 0;
  switch (cmd) {
    case WAIT:
      return wait(k, addr, val, arg4, -1, false, clock);
    case WAIT_BITSET:
      return wait(k, addr, val, arg4, val3 | 0, true, clock);
    case WAKE:
    case WAKE_BITSET: {
      if (cmd === WAKE_BITSET && (val3 | 0) === 0) return -Errno.EINVAL;
      if (addr % 4 !== 0) return -Errno.EINVAL;
      const bits = cmd === WAKE ? -1 : val3 | 0;
      return sched ? sched.futexes.wake(k.mem, addr, Math.max(n, 0), bits) : 0;
    }
    case REQUEUE:
    case CMP_REQUEUE: {
      if (addr % 4 !== 0 || addr2 % 4 !== 0) return -Errno.EINVAL;
      if (n < 0 || (arg4 | 0) < 0) return -Errno.EINVAL;
      if (cmd === CMP_REQUEUE) {
        const cur = k.mem.readU32(addr);
        if (cur === undefined) return -Errno.EFAULT;
        if (cur !== (val3 >>> 0)) return -Errno.EAGAIN;
      }
      return sched ? sched.futexes.requeue(k.mem, addr, addr2, n, arg4 | 0) : 0;
    }
    case WAKE_OP:
      return wakeOp(
        k,
        addr,
        Math.max(n, 0),
        addr2,
        Math.max(arg4 | 0, 0),
        val3 | 0,
      );
    default:
      return -Errno.ENOSYS;
  }
}

/**
 * The futex handler, keyed by its riscv64 number.
 *
 * @example
 * ```ts
 * import { FUTEX_SYSCALLS } from "./futex.ts";
 * console.log(typeof FUTEX_SYSCALLS[98]); // "function"
 * ```
 */
export const FUTEX_SYSCALLS: Record<number, SyscallHandler> = {
  98: (k, a) => futex(k, a), // futex
};
