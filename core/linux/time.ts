/**
 * Time system calls: clock_gettime, clock_getres, gettimeofday, nanosleep,
 * clock_nanosleep, times.
 *
 * @module
 */

import type { Kernel, SyscallHandler } from "./kernel.ts";
import { Errno } from "./errno.ts";
import { NR } from "./sysnums.ts";
import { readWords, writeWords } from "./_args.ts";

// Clock ids, include/uapi/linux/time.h.
const CLOCK_REALTIME = 0, CLOCK_MONOTONIC = 1, CLOCK_PROCESS_CPUTIME_ID = 2;
const CLOCK_THREAD_CPUTIME_ID = 3,
  CLOCK_MONOTONIC_RAW = 4,
  CLOCK_REALTIME_COARSE = 5;
const CLOCK_MONOTONIC_COARSE = 6, CLOCK_BOOTTIME = 7, CLOCK_TAI = 11;
const TIMER_ABSTIME = 1;

/**
 * Current time of clock `id` in nanoseconds (as a BigInt), or `undefined`
 * for an unknown clock. The monotonic clocks count from host boot as far as
 * Deno tells (performance.timeOrigin based), CPU-time clocks from process
 * start.
 *
 * @example
 * ```ts
 * import { clockNs } from "./time.ts";
 * console.log(clockNs(1, 0)! > 0n, clockNs(99, 0)); // true undefined
 * ```
 */
export function clockNs(id: number, startMs: number): bigint | undefined {
  const now = performance.now();
  switch (id) {
    case CLOCK_REALTIME:
    case CLOCK_REALTIME_COARSE:
    case CLOCK_TAI:
      return BigInt(Math.round((performance.timeOrigin + now) * 1e6));
    case CLOCK_MONOTONIC:
    case CLOCK_MONOTONIC_RAW:
    case CLOCK_MONOTONIC_COARSE:
    case CLOCK_BOOTTIME:
      // Offset so the clock looks like time since boot, not since Deno start.
      return BigInt(Math.round((now + MONO_BASE_MS) * 1e6));
    case CLOCK_PROCESS_CPUTIME_ID:
    case CLOCK_THREAD_CPUTIME_ID:
      return BigInt(Math.round((now - startMs) * 1e6));
    default:
      return undefined;
  }
}

const MONO_BASE_MS = (() => {
  try {
    return Deno.osUptime() * 1000 - performance.now();
  } catch {
    return 1000;
  }
})();

function timespec(ns: bigint): bigint[] {
  return [ns / 1_000_000_000n, ns % 1_000_000_000n];
}

function clockGettime(k: Kernel, id: number, addr: number): number {
  const ns = clockNs(id, k.startMs);
  if (ns === undefined) return -Errno.EINVAL;
  return writeWords(k.mem, addr, timespec(ns)) ? 0 : -Errno.EFAULT;
}

function clockGetres(k: Kernel, id: number, addr: number): number {
  if (clockNs(id, k.startMs) === undefined) return -Errno.EINVAL;
  if (addr === 0) return 0;
  const coarse = id === CLOCK_REALTIME_COARSE || id === CLOCK_MONOTONIC_COARSE;
  return writeWords(k.mem, addr, [0, coarse ? 4_000_000 : 1])
    ? 0
    : -Errno.EFAULT;
}

/** Blocks the whole emulator for `ms` milliseconds. */
function sleepMs(ms: number): void {
  if (ms <= 0) return;
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Reads a timespec into nanoseconds, or a negative errno. */
function readTimespec(k: Kernel, addr: number): bigint | number {
  const w = readWords(k.mem, addr, 2);
  if (!w) return -Errno.EFAULT;
  if (w[0] < 0n || w[1] < 0n || w[1] >= 1_000_000_000n) return -Errno.EINVAL;
  return w[0] * 1_000_000_000n + w[1];
}

function clockNanosleep(
  k: Kernel,
  id: number,
  flags: number,
  req: number,
  rem: number,
): number {
  const now = clockNs(id, k.startMs);
  if (now === undefined || id === CLOCK_THREAD_CPUTIME_ID) return -Errno.EINVAL;
  const t = readTimespec(k, req);
  if (typeof t === "number") return t;
  const delta = (flags & TIMER_ABSTIME) ? t - now : t;
  sleepMs(Number(delta) / 1e6);
  if (rem !== 0 && !(flags & TIMER_ABSTIME)) writeWords(k.mem, rem, [0, 0]);
  return 0;
}

function gettimeofday(k: Kernel, tv: number, tz: number): number {
  if (tv !== 0) {
    const ns = clockNs(CLOCK_REALTIME, 0)!;
    if (
      !writeWords(k.mem, tv, [
        ns / 1_000_000_000n,
        (ns % 1_000_000_000n) / 1000n,
      ])
    ) return -Errno.EFAULT;
  }
  if (tz !== 0 && !k.mem.write(tz, new Uint8Array(8))) return -Errno.EFAULT;
  return 0;
}

function times(k: Kernel, buf: number): number {
  const ticks = Math.floor((performance.now() - k.startMs) / 10); // USER_HZ = 100
  if (buf !== 0 && !writeWords(k.mem, buf, [ticks, 0, 0, 0])) {
    return -Errno.EFAULT;
  }
  return Math.floor((performance.now() + MONO_BASE_MS) / 10);
}

/**
 * Handlers for the time calls, keyed by riscv64 number.
 *
 * @example
 * ```ts
 * import { TIME_SYSCALLS } from "./time.ts";
 * console.log(typeof TIME_SYSCALLS[113]); // "function"
 * ```
 */
export const TIME_SYSCALLS: Record<number, SyscallHandler> = {
  [NR.clock_gettime]: (k, a) => clockGettime(k, a[0] | 0, a[1]),
  [NR.clock_getres]: (k, a) => clockGetres(k, a[0] | 0, a[1]),
  [NR.gettimeofday]: (k, a) => gettimeofday(k, a[0], a[1]),
  [NR.nanosleep]: (k, a) => clockNanosleep(k, CLOCK_MONOTONIC, 0, a[0], a[1]),
  [NR.clock_nanosleep]: (k, a) =>
    clockNanosleep(k, a[0] | 0, a[1] | 0, a[2], a[3]),
  [NR.times]: (k, a) => times(k, a[0]),
};
