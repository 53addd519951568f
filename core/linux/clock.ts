/**
 * The guest's clocks: the host's (wall time, host CPU time) or a virtual one
 * derived from the retired-instruction count, as QEMU's `-icount shift=N`
 * (guest time = instructions << N nanoseconds). The virtual clock makes
 * time-dependent programs repeat exactly: sleeping advances it instead of
 * waiting.
 *
 * @module
 */

import { cpuUsage } from "node:process";

/** Nanoseconds per second. */
const NS = 1_000_000_000n;

/** Clock ids, include/uapi/linux/time.h. */
export const CLOCK = {
  REALTIME: 0,
  MONOTONIC: 1,
  PROCESS_CPUTIME_ID: 2,
  THREAD_CPUTIME_ID: 3,
  MONOTONIC_RAW: 4,
  REALTIME_COARSE: 5,
  MONOTONIC_COARSE: 6,
  BOOTTIME: 7,
  TAI: 11,
} as const;

/** Where the guest's time comes from. */
export interface Clock {
  /** Current value of clock `id` in nanoseconds, or undefined for an unknown id. */
  now(id: number): bigint | undefined;
  /** Lets `ns` nanoseconds of monotonic time pass. */
  sleep(ns: bigint): void;
}

/** The kind of a clock id: wall, monotonic, cpu, or undefined if unknown. */
function kindOf(id: number): "wall" | "mono" | "cpu" | undefined {
  switch (id) {
    case CLOCK.REALTIME:
    case CLOCK.REALTIME_COARSE:
    case CLOCK.TAI:
      return "wall";
    case CLOCK.MONOTONIC:
    case CLOCK.MONOTONIC_RAW:
    case CLOCK.MONOTONIC_COARSE:
    case CLOCK.BOOTTIME:
      return "mono";
    case CLOCK.PROCESS_CPUTIME_ID:
    case CLOCK.THREAD_CPUTIME_ID:
      return "cpu";
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

/** Host CPU time (user + system) of this process, in microseconds. */
function hostCpuUs(): number {
  const u = cpuUsage();
  return u.user + u.system;
}

/**
 * The host's clocks. Monotonic time counts from host boot; CPU-time clocks
 * count the CPU time the emulator spent since the clock was made (the guest's
 * own running, never its sleeps).
 *
 * @example
 * ```ts
 * import { hostClock } from "./clock.ts";
 * const c = hostClock();
 * console.log(c.now(1)! > 0n, c.now(99)); // true undefined
 * ```
 */
export function hostClock(): Clock {
  const cpu0 = hostCpuUs();
  return {
    now(id) {
      const now = performance.now();
      switch (kindOf(id)) {
        case "wall":
          return BigInt(Math.round((performance.timeOrigin + now) * 1e6));
        case "mono":
          return BigInt(Math.round((now + MONO_BASE_MS) * 1e6));
        case "cpu":
          return BigInt(Math.max(0, hostCpuUs() - cpu0)) * 1000n;
        default:
          return undefined;
      }
    },
    sleep(ns) {
      if (ns <= 0n) return;
      const ms = Number(ns) / 1e6;
      // Bounded waits: Atomics.wait takes at most ~2^53 ms anyway.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
    },
  };
}

/** Wall-clock start of the virtual clock: 2000-01-01T00:00:00Z. */
export const VIRTUAL_EPOCH_S = 946_684_800n;
/** Monotonic start of the virtual clock: as if booted 100 s earlier. */
const VIRTUAL_BOOT_NS = 100n * NS;

/**
 * A virtual clock: `instret() << shift` nanoseconds of CPU time, plus time
 * slept for monotonic and wall time. Two runs of the same program see the
 * same times.
 *
 * @example
 * ```ts
 * import { virtualClock } from "./clock.ts";
 * let n = 1000;
 * const c = virtualClock(() => n, 0);
 * c.sleep(5n);
 * console.log(c.now(2), c.now(1)! - 100_000_000_000n); // 1000n 1005n
 * ```
 */
export function virtualClock(instret: () => number, shift: number): Clock {
  if (!Number.isInteger(shift) || shift < 0 || shift > 30) {
    throw new RangeError(
      `icount shift ${shift} is out of range (use an integer from 0 to 30)`,
    );
  }
  let slept = 0n;
  const cpu = () => BigInt(instret()) << BigInt(shift);
  return {
    now(id) {
      switch (kindOf(id)) {
        case "wall":
          return VIRTUAL_EPOCH_S * NS + VIRTUAL_BOOT_NS + cpu() + slept;
        case "mono":
          return VIRTUAL_BOOT_NS + cpu() + slept;
        case "cpu":
          return cpu();
        default:
          return undefined;
      }
    },
    sleep(ns) {
      if (ns > 0n) slept += ns;
    },
  };
}
