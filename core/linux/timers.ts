/**
 * Interval timers and POSIX timers: setitimer, getitimer (glibc's alarm
 * uses ITIMER_REAL), timer_create, timer_settime, timer_gettime,
 * timer_getoverrun and timer_delete. Expiries are scheduler timers on the
 * guest's monotonic time (host or virtual, see `clock.ts`), and deliver
 * their signal to the process (or, for SIGEV_THREAD_ID, to one thread).
 *
 * ITIMER_VIRTUAL and ITIMER_PROF, and timers on CPU-time clocks, run on
 * the same monotonic time: the guest always has the one CPU to itself
 * while it runs, but they also count time spent waiting.
 *
 * @module
 */

import type { Kernel, SyscallHandler } from "./kernel.ts";
import { Errno } from "./errno.ts";
import { readWords, writeWords } from "./_args.ts";
import type { Process } from "./process.ts";
import type { Task } from "./task.ts";

const SIGALRM = 14, SIGVTALRM = 26, SIGPROF = 27;
const ITIMER_SIGNALS = [SIGALRM, SIGVTALRM, SIGPROF];
const SIGEV_SIGNAL = 0, SIGEV_NONE = 1, SIGEV_THREAD_ID = 4;
const SI_TIMER = -2, TIMER_ABSTIME = 1;
const MAX_TIMERS = 256;

/** One armed-or-not timer. */
interface Timer {
  /** Signal to send (0: none). */
  signo: number;
  /** si_value for POSIX timers. */
  value: bigint;
  /** Id given to the guest (POSIX timers). */
  id: number;
  /** Thread to signal (SIGEV_THREAD_ID), else the process. */
  thread?: Task;
  /** Clock the absolute settings are on. */
  clock: number;
  /** Next expiry on the scheduler's ms scale, when armed. */
  deadline?: number;
  /** Period in ms (0: one shot). */
  interval: number;
  /** Expiries not delivered because the signal was still pending. */
  overrun: number;
  /** Scheduler timer id while armed. */
  handle?: number;
}

/** Per-process timers: itimers by `which`, POSIX timers by id. */
interface Timers {
  itimers: (Timer | undefined)[];
  posix: Map<number, Timer>;
}

const TABLES = new WeakMap<Process, Timers>();

function timersOf(p: Process): Timers {
  let t = TABLES.get(p);
  if (!t) {
    t = { itimers: [], posix: new Map() };
    TABLES.set(p, t);
  }
  return t;
}

/** Stops `t` and arms it at `deadline` (ms) if given. */
function arm(k: Kernel, p: Process, t: Timer, deadline?: number): void {
  const sched = k.sched!;
  if (t.handle !== undefined) sched.cancelTimer(t.handle);
  t.handle = undefined;
  t.deadline = deadline;
  if (deadline === undefined) return;
  t.handle = sched.addTimer(deadline, () => fire(k, p, t));
}

/** An expiry: the signal, then the next period. */
function fire(k: Kernel, p: Process, t: Timer): void {
  t.handle = undefined;
  if (p.end) return;
  if (t.signo !== 0) {
    const target = t.thread && t.thread.state !== "dead"
      ? t.thread.pending
      : p.kernel.signals.shared;
    if (target.has(t.signo)) t.overrun++;
    else if (!p.kernel.signals.ignored(t.signo)) {
      target.set(t.signo, {
        signo: t.signo,
        code: t.id >= 0 ? SI_TIMER : 0x80, // SI_KERNEL for itimers
        pid: t.id >= 0 ? t.id : 0,
        uid: t.overrun,
        value: t.value,
      });
      t.overrun = 0;
    }
  }
  if (t.interval > 0 && t.deadline !== undefined) {
    let next = t.deadline + t.interval;
    const now = k.sched!.now();
    if (next <= now) {
      const missed = Math.floor((now - next) / t.interval) + 1;
      t.overrun += missed;
      next += missed * t.interval;
    }
    arm(k, p, t, next);
  } else t.deadline = undefined;
}

/** [interval, value] in ms from two (sec, usec-or-nsec) pairs; -errno if bad. */
function readPair(
  k: Kernel,
  addr: number,
  unit: number,
): [number, number] | number {
  const w = readWords(k.mem, addr, 4);
  if (!w) return -Errno.EFAULT;
  const max = BigInt(1e9 / unit);
  for (const i of [1, 3]) if (w[i] < 0n || w[i] >= max) return -Errno.EINVAL;
  if (w[0] < 0n || w[2] < 0n) return -Errno.EINVAL;
  const ms = (s: bigint, f: bigint) =>
    Number(s) * 1000 + Number(f) * unit / 1e6;
  return [ms(w[0], w[1]), ms(w[2], w[3])];
}

/** Writes [interval, remaining] (ms) as two (sec, usec-or-nsec) pairs. */
function writePair(
  k: Kernel,
  addr: number,
  t: Timer | undefined,
  unit: number,
): boolean {
  const left = t?.deadline !== undefined
    ? Math.max(t.deadline - k.sched!.now(), 1e-6)
    : 0;
  const split = (ms: number) => {
    const u = Math.round(ms * 1e6 / unit);
    const per = Math.round(1e9 / unit);
    return [Math.floor(u / per), u % per];
  };
  return writeWords(k.mem, addr, [...split(t?.interval ?? 0), ...split(left)]);
}

function getitimer(k: Kernel, which: number, addr: number): number {
  if (which < 0 || which > 2) return -Errno.EINVAL;
  return writePair(k, addr, timersOf(k.proc).itimers[which], 1000)
    ? 0
    : -Errno.EFAULT;
}

function setitimer(
  k: Kernel,
  which: number,
  addr: number,
  old: number,
): number {
  if (which < 0 || which > 2) return -Errno.EINVAL;
  if (!k.sched) return -Errno.ENOSYS;
  const tables = timersOf(k.proc);
  let t = tables.itimers[which];
  const next = addr === 0 ? [0, 0] : readPair(k, addr, 1000);
  if (typeof next === "number") return next;
  if (old !== 0 && !writePair(k, old, t, 1000)) return -Errno.EFAULT;
  if (!t) {
    t = {
      signo: ITIMER_SIGNALS[which],
      value: 0n,
      id: -1,
      clock: 1,
      interval: 0,
      overrun: 0,
    };
    tables.itimers[which] = t;
  }
  t.interval = next[0];
  arm(k, k.proc, t, next[1] > 0 ? k.sched.now() + next[1] : undefined);
  return 0;
}

function timerCreate(
  k: Kernel,
  clock: number,
  sevp: number,
  idAddr: number,
): number {
  if (!k.sched) return -Errno.ENOSYS;
  if (k.clock.now(clock) === undefined) return -Errno.EINVAL;
  const tables = timersOf(k.proc);
  let id = 0;
  while (tables.posix.has(id)) id++;
  if (id >= MAX_TIMERS) return -Errno.EAGAIN;
  const t: Timer = {
    signo: SIGALRM,
    value: BigInt(id),
    id,
    clock,
    interval: 0,
    overrun: 0,
  };
  if (sevp !== 0) {
    const raw = k.mem.read(sevp, 64);
    if (!raw) return -Errno.EFAULT;
    const v = new DataView(raw.buffer);
    t.value = v.getBigUint64(0, true);
    const signo = v.getInt32(8, true), notify = v.getInt32(12, true);
    if (notify === SIGEV_NONE) t.signo = 0;
    else if (notify === SIGEV_SIGNAL || notify === SIGEV_THREAD_ID) {
      if (signo < 1 || signo > 64) return -Errno.EINVAL;
      t.signo = signo;
      if (notify === SIGEV_THREAD_ID) {
        const tid = v.getInt32(16, true);
        t.thread = k.proc.live.find((x) => x.tid === tid);
        if (!t.thread) return -Errno.EINVAL;
      }
    } else return -Errno.EINVAL;
  }
  if (!k.mem.writeU32(idAddr, id)) return -Errno.EFAULT;
  tables.posix.set(id, t);
  return 0;
}

function timerSettime(
  k: Kernel,
  id: number,
  flags: number,
  addr: number,
  old: number,
): number {
  const t = timersOf(k.proc).posix.get(id);
  if (!t) return -Errno.EINVAL;
  const next = readPair(k, addr, 1);
  if (typeof next === "number") return next;
  if (old !== 0 && !writePair(k, old, t, 1)) return -Errno.EFAULT;
  t.interval = next[0];
  let deadline: number | undefined;
  if (next[1] > 0) {
    const now = k.sched!.now();
    deadline = (flags & TIMER_ABSTIME)
      ? now + (next[1] - Number(k.clock.now(t.clock)!) / 1e6)
      : now + next[1];
  }
  arm(k, k.proc, t, deadline);
  return 0;
}

function timerDelete(k: Kernel, id: number): number {
  const tables = timersOf(k.proc);
  const t = tables.posix.get(id);
  if (!t) return -Errno.EINVAL;
  arm(k, k.proc, t);
  tables.posix.delete(id);
  return 0;
}

/**
 * Disarms every timer of an ending or exec'ing process.
 *
 * @example
 * ```ts ignore
 * dropTimers(kernel, kernel.proc);
 * ```
 */
export function dropTimers(k: Kernel, p: Process, keepItimers = false): void {
  const tables = TABLES.get(p);
  if (!tables) return;
  for (const t of tables.posix.values()) arm(k, p, t);
  tables.posix.clear();
  if (!keepItimers) { for (const t of tables.itimers) if (t) arm(k, p, t); }
}

/**
 * Handlers for the timer calls, keyed by riscv64 number.
 *
 * @example
 * ```ts
 * import { TIMER_SYSCALLS } from "./timers.ts";
 * console.log(typeof TIMER_SYSCALLS[103]); // "function"
 * ```
 */
export const TIMER_SYSCALLS: Record<number, SyscallHandler> = {
  102: (k, a) => getitimer(k, a[0] | 0, a[1]), // getitimer
  103: (k, a) => setitimer(k, a[0] | 0, a[1], a[2]), // setitimer
  107: (k, a) => timerCreate(k, a[0] | 0, a[1], a[2]), // timer_create
  110: (k, a) => timerSettime(k, a[0] | 0, a[1] | 0, a[2], a[3]), // timer_settime
  108: (k, a) => { // timer_gettime
    const t = timersOf(k.proc).posix.get(a[0] | 0);
    if (!t) return -Errno.EINVAL;
    return writePair(k, a[1], t, 1) ? 0 : -Errno.EFAULT;
  },
  109: (k, a) => { // timer_getoverrun
    const t = timersOf(k.proc).posix.get(a[0] | 0);
    return t ? Math.min(t.overrun, 0x7fff_ffff) : -Errno.EINVAL;
  },
  111: (k, a) => timerDelete(k, a[0] | 0), // timer_delete
};
