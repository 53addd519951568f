/**
 * eventfd2 and timerfd_create/settime/gettime: counters behind an fd, read
 * as one 8-byte value, with poll readiness and blocking reads (a read that
 * finds zero parks the task; see `blocking_io.ts`). A timerfd's expiries are
 * counted from the guest's monotonic time when it is read or polled; while
 * armed it also keeps a scheduler deadline, so a task waiting on it wakes.
 *
 * @module
 */

import type { Kernel, SyscallHandler } from "./kernel.ts";
import type { AnonFile } from "./fd_table.ts";
import { Errno } from "./errno.ts";
import { readWords, writeWords } from "./_args.ts";
import { POLL } from "./poll.ts";

const O_NONBLOCK = 0o4000, O_CLOEXEC = 0o2000000, O_RDWR = 2;
const EFD_SEMAPHORE = 1;
const MAX = 0xffff_ffff_ffff_fffen; // eventfd's largest count
const TFD_TIMER_ABSTIME = 1, TFD_TIMER_CANCEL_ON_SET = 2;

/** An eventfd's counter as an {@link AnonFile}. */
function eventfd(initial: bigint, semaphore: boolean): AnonFile {
  let count = initial;
  return {
    read(buf) {
      if (buf.length < 8) return -Errno.EINVAL;
      if (count === 0n) return -Errno.EAGAIN;
      const v = semaphore ? 1n : count;
      count -= v;
      new DataView(buf.buffer, buf.byteOffset, 8).setBigUint64(0, v, true);
      return 8;
    },
    write(data) {
      if (data.length < 8) return -Errno.EINVAL;
      const v = new DataView(data.buffer, data.byteOffset, 8).getBigUint64(
        0,
        true,
      );
      if (v === 0xffff_ffff_ffff_ffffn) return -Errno.EINVAL;
      if (count + v > MAX) return -Errno.EAGAIN;
      count += v;
      return 8;
    },
    poll() {
      return (count > 0n ? POLL.IN | POLL.RDNORM : 0) |
        (count < MAX ? POLL.OUT | POLL.WRNORM : 0);
    },
  };
}

function eventfd2(k: Kernel, initval: number, flags: number): number {
  if (flags & ~(EFD_SEMAPHORE | O_NONBLOCK | O_CLOEXEC)) return -Errno.EINVAL;
  const file = eventfd(BigInt(initval >>> 0), (flags & EFD_SEMAPHORE) !== 0);
  return k.fds.install({
    kind: "anon",
    name: "eventfd",
    file,
    flags: O_RDWR | (flags & O_NONBLOCK),
    refs: 1,
  }, (flags & O_CLOEXEC) !== 0);
}

/** A timerfd: its setting and the expiries not read yet. */
interface TimerFd extends AnonFile {
  clock: number;
  /** Next expiry (scheduler ms), when armed. */
  deadline?: number;
  /** Period (ms), 0 for one shot. */
  interval: number;
  /** Expiries counted and not read. */
  ticks: bigint;
  /** Scheduler timer that wakes waiters at the next expiry. */
  handle?: number;
}

function timerfd(k: Kernel, clock: number): TimerFd {
  const sched = k.sched!;
  const t: TimerFd = {
    clock,
    interval: 0,
    ticks: 0n,
    read(buf) {
      if (buf.length < 8) return -Errno.EINVAL;
      advance(k, t);
      if (t.ticks === 0n) return -Errno.EAGAIN;
      new DataView(buf.buffer, buf.byteOffset, 8).setBigUint64(
        0,
        t.ticks,
        true,
      );
      t.ticks = 0n;
      return 8;
    },
    write: () => -Errno.EINVAL,
    poll() {
      advance(k, t);
      return t.ticks > 0n ? POLL.IN | POLL.RDNORM : 0;
    },
    release() {
      if (t.handle !== undefined) sched.cancelTimer(t.handle);
      t.handle = undefined;
    },
  };
  return t;
}

/** Counts the expiries that passed and keeps the wake-up deadline armed. */
function advance(k: Kernel, t: TimerFd): void {
  const sched = k.sched!;
  if (t.deadline === undefined) return;
  const now = sched.now();
  if (now >= t.deadline) {
    if (t.interval > 0) {
      const n = Math.floor((now - t.deadline) / t.interval) + 1;
      t.ticks += BigInt(n);
      t.deadline += n * t.interval;
    } else {
      t.ticks += 1n;
      t.deadline = undefined;
    }
  }
  rearm(k, t);
}

function rearm(k: Kernel, t: TimerFd): void {
  const sched = k.sched!;
  if (t.handle !== undefined) sched.cancelTimer(t.handle);
  t.handle = t.deadline === undefined
    ? undefined
    : sched.addTimer(t.deadline, () => {
      t.handle = undefined;
      advance(k, t);
    });
}

function timerOf(k: Kernel, fd: number): TimerFd | number {
  const e = k.fds.get(fd);
  if (!e) return -Errno.EBADF;
  if (e.desc.kind !== "anon" || e.desc.name !== "timerfd") return -Errno.EINVAL;
  return e.desc.file as TimerFd;
}

/** Writes an itimerspec: interval and time left (ms). */
function writeSpec(k: Kernel, addr: number, t: TimerFd): boolean {
  const left = t.deadline === undefined
    ? 0
    : Math.max(t.deadline - k.sched!.now(), 1e-6);
  const ns = (ms: number) => {
    const n = BigInt(Math.round(ms * 1e6));
    return [n / 1_000_000_000n, n % 1_000_000_000n];
  };
  return writeWords(k.mem, addr, [...ns(t.interval), ...ns(left)]);
}

function timerfdSettime(
  k: Kernel,
  fd: number,
  flags: number,
  addr: number,
  old: number,
): number {
  if (flags & ~(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET)) {
    return -Errno.EINVAL;
  }
  const t = timerOf(k, fd);
  if (typeof t === "number") return t;
  const w = readWords(k.mem, addr, 4);
  if (!w) return -Errno.EFAULT;
  for (const i of [1, 3]) {
    if (w[i] < 0n || w[i] >= 1_000_000_000n) return -Errno.EINVAL;
  }
  if (w[0] < 0n || w[2] < 0n) return -Errno.EINVAL;
  advance(k, t);
  if (old !== 0 && !writeSpec(k, old, t)) return -Errno.EFAULT;
  const ms = (s: bigint, n: bigint) => Number(s) * 1000 + Number(n) / 1e6;
  const value = ms(w[2], w[3]);
  t.interval = ms(w[0], w[1]);
  t.ticks = 0n;
  const now = k.sched!.now();
  t.deadline = value === 0 && w[2] === 0n
    ? undefined
    : (flags & TFD_TIMER_ABSTIME)
    ? now + (value - Number(k.clock.now(t.clock)!) / 1e6)
    : now + value;
  rearm(k, t);
  return 0;
}

function timerfdCreate(k: Kernel, clock: number, flags: number): number {
  if (flags & ~(O_NONBLOCK | O_CLOEXEC)) return -Errno.EINVAL;
  if (![0, 1, 7, 8, 9].includes(clock)) return -Errno.EINVAL; // REALTIME, MONOTONIC, BOOTTIME(+ALARM)
  if (!k.sched) return -Errno.ENOSYS;
  return k.fds.install({
    kind: "anon",
    name: "timerfd",
    file: timerfd(k, clock),
    flags: O_RDWR | (flags & O_NONBLOCK),
    refs: 1,
  }, (flags & O_CLOEXEC) !== 0);
}

/**
 * Handlers for eventfd2 and the timerfd calls, keyed by riscv64 number.
 *
 * @example
 * ```ts
 * import { EVENT_FD_SYSCALLS } from "./event_fds.ts";
 * console.log(typeof EVENT_FD_SYSCALLS[19]); // "function"
 * ```
 */
export const EVENT_FD_SYSCALLS: Record<number, SyscallHandler> = {
  19: (k, a) => eventfd2(k, a[0], a[1] | 0), // eventfd2
  85: (k, a) => timerfdCreate(k, a[0] | 0, a[1] | 0), // timerfd_create
  86: (k, a) => timerfdSettime(k, a[0] | 0, a[1] | 0, a[2], a[3]), // timerfd_settime
  87: (k, a) => { // timerfd_gettime
    const t = timerOf(k, a[0] | 0);
    if (typeof t === "number") return t;
    advance(k, t);
    return writeSpec(k, a[1], t) ? 0 : -Errno.EFAULT;
  },
};
