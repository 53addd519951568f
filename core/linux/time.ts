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
import { CLOCK } from "./clock.ts";

const { REALTIME, PROCESS_CPUTIME_ID, THREAD_CPUTIME_ID } = CLOCK;
const { REALTIME_COARSE, MONOTONIC_COARSE, MONOTONIC } = CLOCK;
const TIMER_ABSTIME = 1;

function timespec(ns: bigint): bigint[] {
  return [ns / 1_000_000_000n, ns % 1_000_000_000n];
}

function clockGettime(k: Kernel, id: number, addr: number): number {
  const ns = k.clock.now(id);
  if (ns === undefined) return -Errno.EINVAL;
  return writeWords(k.mem, addr, timespec(ns)) ? 0 : -Errno.EFAULT;
}

function clockGetres(k: Kernel, id: number, addr: number): number {
  if (k.clock.now(id) === undefined) return -Errno.EINVAL;
  if (addr === 0) return 0;
  const coarse = id === REALTIME_COARSE || id === MONOTONIC_COARSE;
  return writeWords(k.mem, addr, [0, coarse ? 4_000_000 : 1])
    ? 0
    : -Errno.EFAULT;
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
  _rem: number, // Linux writes it only when a signal cuts the sleep short
): number {
  const now = k.clock.now(id);
  if (now === undefined || id === THREAD_CPUTIME_ID) return -Errno.EINVAL;
  const t = readTimespec(k, req);
  if (typeof t === "number") return t;
  const delta = (flags & TIMER_ABSTIME) ? t - now : t;
  k.clock.sleep(delta);
  return 0;
}

function gettimeofday(k: Kernel, tv: number, tz: number): number {
  if (tv !== 0) {
    const ns = k.clock.now(REALTIME)!;
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
  const tick = 10_000_000n; // USER_HZ = 100
  const ticks = k.clock.now(PROCESS_CPUTIME_ID)! / tick;
  if (buf !== 0 && !writeWords(k.mem, buf, [ticks, 0, 0, 0])) {
    return -Errno.EFAULT;
  }
  return Number(k.clock.now(MONOTONIC)! / tick);
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
  [NR.nanosleep]: (k, a) => clockNanosleep(k, MONOTONIC, 0, a[0], a[1]),
  [NR.clock_nanosleep]: (k, a) =>
    clockNanosleep(k, a[0] | 0, a[1] | 0, a[2], a[3]),
  [NR.times]: (k, a) => times(k, a[0]),
};
