/**
 * The scheduling calls (sched_yield, sched_getaffinity, sched_setaffinity,
 * sched_getparam, sched_setparam, sched_getscheduler, sched_setscheduler,
 * sched_get_priority_max/min, sched_rr_get_interval), and the one table of
 * every handler the process/thread model adds, which the kernel merges last
 * so that these versions win.
 *
 * The guest sees one CPU: every vCPU takes turns on it.
 *
 * @module
 */

import type { Kernel, SyscallHandler } from "./kernel.ts";
import { Errno } from "./errno.ts";
import { writeWords } from "./_args.ts";
import { CLONE_SYSCALLS } from "./clone.ts";
import { PROC_CALLS } from "./proc_calls.ts";
import { FUTEX_SYSCALLS } from "./futex.ts";
import { BLOCKING_IO_SYSCALLS } from "./blocking_io.ts";
import { SLEEP_SYSCALLS } from "./sleep.ts";
import { EXEC_SYSCALLS } from "./exec.ts";
import { POLL_SYSCALLS } from "./poll.ts";
import { TIMER_SYSCALLS } from "./timers.ts";
import { EPOLL_SYSCALLS } from "./epoll.ts";
import { EVENT_FD_SYSCALLS } from "./event_fds.ts";

const SCHED_OTHER = 0, SCHED_FIFO = 1, SCHED_RR = 2, SCHED_BATCH = 3;
const SCHED_IDLE = 5;

/** True when `pid` (0: the caller) names a live guest thread. */
function known(k: Kernel, pid: number): boolean {
  if (pid === 0) return true;
  if (pid < 0) return false;
  if (!k.sched) return pid === k.pid;
  for (const t of k.sched.tasks) if (t.tid === pid) return true;
  return false;
}

function guard(k: Kernel, pid: number, then: () => number): number {
  if (pid < 0) return -Errno.EINVAL;
  return known(k, pid) ? then() : -Errno.ESRCH;
}

function policyOk(p: number): boolean {
  return [SCHED_OTHER, SCHED_FIFO, SCHED_RR, SCHED_BATCH, SCHED_IDLE]
    .includes(p & ~0x4000_0000); // SCHED_RESET_ON_FORK
}

/**
 * Handlers for the scheduling calls and everything else the process/thread
 * model provides, keyed by riscv64 number.
 *
 * @example
 * ```ts
 * import { SCHED_SYSCALLS } from "./sched_calls.ts";
 * console.log(typeof SCHED_SYSCALLS[124], typeof SCHED_SYSCALLS[220]); // "function" "function"
 * ```
 */
export const SCHED_SYSCALLS: Record<number, SyscallHandler> = {
  ...CLONE_SYSCALLS,
  ...PROC_CALLS,
  ...FUTEX_SYSCALLS,
  ...BLOCKING_IO_SYSCALLS,
  ...SLEEP_SYSCALLS,
  ...EXEC_SYSCALLS,
  ...POLL_SYSCALLS,
  ...TIMER_SYSCALLS,
  ...EPOLL_SYSCALLS,
  ...EVENT_FD_SYSCALLS,
  124: (k) => { // sched_yield
    k.yieldRequested = true;
    return 0;
  },
  122: (k, a) =>
    // sched_setaffinity: any mask holding CPU 0 is fine
    guard(k, a[0] | 0, () => {
      if (a[1] <= 0) return -Errno.EINVAL;
      const b = k.mem.readU8(a[2]);
      if (b === undefined) return -Errno.EFAULT;
      return (b & 1) ? 0 : -Errno.EINVAL;
    }),
  123: (k, a) =>
    // sched_getaffinity
    guard(k, a[0] | 0, () => {
      if (a[1] < 8 || a[1] % 8 !== 0) return -Errno.EINVAL;
      return writeWords(k.mem, a[2], [1]) ? 8 : -Errno.EFAULT;
    }),
  121: (k, a) =>
    // sched_getparam
    guard(k, a[0] | 0, () => k.mem.writeU32(a[1], 0) ? 0 : -Errno.EFAULT),
  118: (k, a) =>
    // sched_setparam
    guard(k, a[0] | 0, () => {
      const prio = k.mem.readU32(a[1]);
      if (prio === undefined) return -Errno.EFAULT;
      return prio === 0 ? 0 : -Errno.EINVAL;
    }),
  120: (k, a) => guard(k, a[0] | 0, () => SCHED_OTHER), // sched_getscheduler
  119: (k, a) =>
    // sched_setscheduler: only the normal policies
    guard(k, a[0] | 0, () => {
      if (!policyOk(a[1] | 0)) return -Errno.EINVAL;
      const prio = k.mem.readU32(a[2]);
      if (prio === undefined) return -Errno.EFAULT;
      const rt = (a[1] & 3) === SCHED_FIFO || (a[1] & 3) === SCHED_RR;
      if (rt) return -Errno.EPERM;
      return prio === 0 ? 0 : -Errno.EINVAL;
    }),
  125: (_k, a) =>
    // sched_get_priority_max
    !policyOk(a[0] | 0)
      ? -Errno.EINVAL
      : (a[0] === SCHED_FIFO || a[0] === SCHED_RR)
      ? 99
      : 0,
  126: (_k, a) =>
    // sched_get_priority_min
    !policyOk(a[0] | 0)
      ? -Errno.EINVAL
      : (a[0] === SCHED_FIFO || a[0] === SCHED_RR)
      ? 1
      : 0,
  127: (k, a) =>
    // sched_rr_get_interval: 100 ms, Linux's default RR slice
    guard(k, a[0] | 0, () =>
      writeWords(k.mem, a[1], [0, 100_000_000]) ? 0 : -Errno.EFAULT),
};
