/**
 * Calls that wait for time or for a signal: nanosleep, clock_nanosleep,
 * rt_sigsuspend, rt_sigtimedwait, and rt_sigqueueinfo (which wakes them).
 * Each parks the task; other vCPUs run meanwhile.
 *
 * @module
 */

import type { Kernel, SyscallHandler } from "./kernel.ts";
import type { Resume } from "./resume.ts";
import { Errno } from "./errno.ts";
import { readWords, writeWords } from "./_args.ts";
import { sigBit, UNBLOCKABLE } from "./signal_state.ts";
import { encodeSigInfo, type SigInfo } from "./signal_frame.ts";

const TIMER_ABSTIME = 1, CLOCK_MONOTONIC = 1, CLOCK_THREAD_CPUTIME_ID = 3;

/** Reads a timespec into nanoseconds, or a negative errno. */
export function readTimespec(k: Kernel, addr: number): bigint | number {
  const w = readWords(k.mem, addr, 2);
  if (!w) return -Errno.EFAULT;
  if (w[0] < 0n || w[1] < 0n || w[1] >= 1_000_000_000n) return -Errno.EINVAL;
  return w[0] * 1_000_000_000n + w[1];
}

function nanosleep(
  k: Kernel,
  id: number,
  flags: number,
  req: number,
  rem: number,
): number | Resume {
  if (id === CLOCK_THREAD_CPUTIME_ID) return -Errno.EINVAL;
  const now = k.clock.now(id);
  if (now === undefined) return -Errno.EINVAL;
  const t = readTimespec(k, req);
  if (typeof t === "number") return t;
  const abs = (flags & TIMER_ABSTIME) !== 0;
  const ms = Number(abs ? t - now : t) / 1e6;
  if (ms <= 0) return 0;
  const sched = k.sched;
  if (!sched) {
    // A kernel without a scheduler (unit tests) has no one else to run.
    k.clock.sleep(BigInt(Math.ceil(ms * 1e6)));
    return 0;
  }
  const deadline = sched.now() + ms;
  return {
    kind: "block",
    wait: {
      reason: `sleep ${ms.toFixed(3)} ms`,
      retry: () => sched.now() >= deadline ? 0 : undefined,
      deadline,
      timeout: () => 0,
      interrupted: () => {
        // Only a relative sleep reports what was left (never on success).
        if (rem !== 0 && !abs) {
          const left = BigInt(
            Math.max(0, Math.round((deadline - sched.now()) * 1e6)),
          );
          if (
            !writeWords(k.mem, rem, [
              left / 1_000_000_000n,
              left % 1_000_000_000n,
            ])
          ) {
            return -Errno.EFAULT;
          }
        }
        return -Errno.EINTR;
      },
    },
  };
}

function sigsuspend(k: Kernel, set: number, size: number): number | Resume {
  if (size !== 8) return -Errno.EINVAL;
  const w = readWords(k.mem, set, 1);
  if (!w) return -Errno.EFAULT;
  const s = k.signals;
  s.savedMask = s.mask;
  s.mask = BigInt.asUintN(64, w[0]) & ~UNBLOCKABLE;
  return {
    kind: "block",
    wait: { reason: "sigsuspend", retry: () => undefined },
  };
}

/** Takes the lowest pending signal of `set` (thread first, then process). */
function takeFrom(
  k: Kernel,
  set: bigint,
  pending: Map<number, SigInfo>,
): SigInfo | undefined {
  for (const m of [pending, k.signals.shared]) {
    for (let sig = 1; sig <= 64; sig++) {
      const info = m.get(sig);
      if (info && (set & sigBit(sig)) !== 0n) {
        m.delete(sig);
        return info;
      }
    }
  }
  return undefined;
}

function writeInfo(k: Kernel, addr: number, info: SigInfo): boolean {
  return addr === 0 || k.mem.write(addr, encodeSigInfo(info));
}

function sigtimedwait(
  k: Kernel,
  setAddr: number,
  infoAddr: number,
  timeout: number,
  size: number,
): number | Resume {
  if (size !== 8) return -Errno.EINVAL;
  const w = readWords(k.mem, setAddr, 1);
  if (!w) return -Errno.EFAULT;
  const set = BigInt.asUintN(64, w[0]) & ~UNBLOCKABLE;
  let deadline: number | undefined;
  if (timeout !== 0) {
    const t = readTimespec(k, timeout);
    if (typeof t === "number") return t;
    deadline = (k.sched?.now() ?? 0) + Number(t) / 1e6;
  }
  const task = k.proc.loaded;
  const attempt = (): number | undefined => {
    const info = takeFrom(k, set, task.pending);
    if (!info) return undefined;
    return writeInfo(k, infoAddr, info) ? info.signo : -Errno.EFAULT;
  };
  const r = attempt();
  if (r !== undefined) return r;
  if (!k.sched || (deadline !== undefined && deadline <= k.sched.now())) {
    return -Errno.EAGAIN; // nobody else could send it
  }
  return {
    kind: "block",
    wait: {
      reason: "rt_sigtimedwait",
      retry: attempt,
      deadline,
      timeout: () => -Errno.EAGAIN,
    },
  };
}

function sigqueueinfo(
  k: Kernel,
  tgid: number,
  sig: number,
  uinfo: number,
): number {
  if (sig < 0 || sig > 64) return -Errno.EINVAL;
  const raw = k.mem.read(uinfo, 128);
  if (!raw) return -Errno.EFAULT;
  const code = new DataView(raw.buffer).getInt32(8, true);
  const value = new DataView(raw.buffer).getBigUint64(24, true);
  const p = k.sched
    ? k.sched.procs.get(tgid)
    : (tgid === k.pid ? k.proc : undefined);
  if (!p || p.end) return -Errno.ESRCH;
  // Only the kernel may send with si_code >= 0 (or SI_TKILL) to others.
  if ((code >= 0 || code === -6) && p !== k.proc) return -Errno.EPERM;
  if (sig === 0) return 0;
  const s = p.kernel.signals;
  if (s.ignored(sig)) return 0;
  s.raiseShared({ signo: sig, code, pid: k.pid, uid: k.uid, value });
  return 0;
}

/**
 * Handlers for the waiting calls, keyed by riscv64 number.
 *
 * @example
 * ```ts
 * import { SLEEP_SYSCALLS } from "./sleep.ts";
 * console.log(typeof SLEEP_SYSCALLS[101]); // "function"
 * ```
 */
export const SLEEP_SYSCALLS: Record<number, SyscallHandler> = {
  101: (k, a) => nanosleep(k, CLOCK_MONOTONIC, 0, a[0], a[1]), // nanosleep
  115: (k, a) => nanosleep(k, a[0] | 0, a[1] | 0, a[2], a[3]), // clock_nanosleep
  133: (k, a) => sigsuspend(k, a[0], a[1]), // rt_sigsuspend
  137: (k, a) => sigtimedwait(k, a[0], a[1], a[2], a[3]), // rt_sigtimedwait
  138: (k, a) => sigqueueinfo(k, a[0] | 0, a[1] | 0, a[2]), // rt_sigqueueinfo
};
