/**
 * Signal system calls: rt_sigaction, rt_sigprocmask, rt_sigpending,
 * sigaltstack, rt_sigreturn, kill, tkill, tgkill.
 *
 * riscv64 uses the asm-generic kernel `struct sigaction` WITHOUT
 * sa_restorer: sa_handler at 0, sa_flags at 8, sa_mask at 16 (24 bytes).
 *
 * @module
 */

import type { Kernel, SyscallHandler } from "./kernel.ts";
import type { Resume } from "./resume.ts";
import { Errno } from "./errno.ts";
import { NR } from "./sysnums.ts";
import { readWords, writeWords } from "./_args.ts";
import { readFrame } from "./signal_frame.ts";
import {
  Sig,
  sigBit,
  SS_DISABLE,
  SS_ONSTACK,
  UNBLOCKABLE,
} from "./signal_state.ts";

const SIG_BLOCK = 0, SIG_UNBLOCK = 1, SIG_SETMASK = 2;
const SI_USER = 0, SI_TKILL = -6; // asm-generic/siginfo.h
const MINSIGSTKSZ = 2048;
const SIGSET_SIZE = 8;

function rtSigaction(
  k: Kernel,
  sig: number,
  act: number,
  oact: number,
  size: number,
): number {
  if (size !== SIGSET_SIZE) return -Errno.EINVAL;
  if (sig < 1 || sig > 64) return -Errno.EINVAL;
  if (act !== 0 && (sig === Sig.SIGKILL || sig === Sig.SIGSTOP)) {
    return -Errno.EINVAL;
  }
  let next;
  if (act !== 0) {
    const w = readWords(k.mem, act, 3);
    if (!w) return -Errno.EFAULT;
    next = {
      handler: Number(BigInt.asUintN(64, w[0])),
      flags: Number(BigInt.asUintN(32, w[1])),
      mask: BigInt.asUintN(64, w[2]) & ~UNBLOCKABLE,
    };
  }
  const cur = k.signals.actions[sig];
  if (
    oact !== 0 && !writeWords(k.mem, oact, [cur.handler, cur.flags, cur.mask])
  ) return -Errno.EFAULT;
  if (next) {
    k.signals.actions[sig] = next;
    if (next.handler === 1) { // SIG_IGN discards pending
      k.signals.pending.delete(sig);
      k.signals.shared.delete(sig);
    }
  }
  return 0;
}

function rtSigprocmask(
  k: Kernel,
  how: number,
  set: number,
  oset: number,
  size: number,
): number {
  if (size !== SIGSET_SIZE) return -Errno.EINVAL;
  const s = k.signals;
  let next = s.mask;
  if (set !== 0) {
    const w = readWords(k.mem, set, 1);
    if (!w) return -Errno.EFAULT;
    const m = BigInt.asUintN(64, w[0]);
    if (how === SIG_BLOCK) next = s.mask | m;
    else if (how === SIG_UNBLOCK) next = s.mask & ~m;
    else if (how === SIG_SETMASK) next = m;
    else return -Errno.EINVAL;
  }
  if (oset !== 0 && !writeWords(k.mem, oset, [s.mask])) return -Errno.EFAULT;
  s.mask = next & ~UNBLOCKABLE;
  return 0;
}

function rtSigpending(k: Kernel, set: number, size: number): number {
  if (size > SIGSET_SIZE) return -Errno.EINVAL;
  let m = 0n;
  for (const sig of k.signals.pending.keys()) m |= sigBit(sig);
  for (const sig of k.signals.shared.keys()) m |= sigBit(sig);
  return writeWords(k.mem, set, [m & k.signals.mask]) ? 0 : -Errno.EFAULT;
}

function sigaltstack(k: Kernel, ss: number, old: number): number {
  const s = k.signals;
  const sp = k.cpu.getXU(2);
  let next;
  if (ss !== 0) {
    const w = readWords(k.mem, ss, 3);
    if (!w) return -Errno.EFAULT;
    if (s.onAltStack(sp)) return -Errno.EPERM;
    const flags = Number(BigInt.asIntN(32, w[1]));
    if (flags & ~(SS_DISABLE | SS_ONSTACK | 0x8000_0000)) return -Errno.EINVAL;
    if (flags & SS_DISABLE) next = { sp: 0, size: 0, flags: SS_DISABLE };
    else {
      const size = Number(w[2]);
      if (size < MINSIGSTKSZ) return -Errno.ENOMEM;
      next = { sp: Number(BigInt.asUintN(64, w[0])), size, flags: 0 };
    }
  }
  if (
    old !== 0 &&
    !writeWords(k.mem, old, [s.altstack.sp, s.altFlags(sp), s.altstack.size])
  ) {
    return -Errno.EFAULT;
  }
  if (next) s.altstack = next;
  return 0;
}

function rtSigreturn(k: Kernel): Resume {
  const frame = k.cpu.getXU(2);
  const mask = readFrame(k.mem, k.cpu, frame);
  if (mask === undefined) {
    return { kind: "killed", signal: Sig.SIGSEGV, addr: frame };
  }
  k.signals.mask = mask & ~UNBLOCKABLE;
  return { kind: "jump" };
}

/** Sends `sig` to this process; KILL acts at once, 0 only checks. */
function sendSelf(k: Kernel, sig: number, code: number): number | Resume {
  if (sig < 0 || sig > 64) return -Errno.EINVAL;
  if (sig === 0) return 0;
  if (sig === Sig.SIGKILL) return { kind: "killed", signal: sig };
  if (k.signals.ignored(sig)) return 0; // discarded at once, as Linux does
  k.signals.raise({ signo: sig, code, pid: k.pid, uid: k.uid });
  return 0;
}

/**
 * Handlers for the signal calls, keyed by riscv64 number. kill/tkill/tgkill
 * reach only this process (any other pid gives ESRCH): the guest can never
 * signal host processes.
 *
 * @example
 * ```ts
 * import { SIGNAL_SYSCALLS } from "./signals.ts";
 * console.log(typeof SIGNAL_SYSCALLS[134]); // "function"
 * ```
 */
export const SIGNAL_SYSCALLS: Record<number, SyscallHandler> = {
  [NR.rt_sigaction]: (k, a) => rtSigaction(k, a[0] | 0, a[1], a[2], a[3]),
  [NR.rt_sigprocmask]: (k, a) => rtSigprocmask(k, a[0] | 0, a[1], a[2], a[3]),
  [NR.rt_sigpending]: (k, a) => rtSigpending(k, a[0], a[1]),
  [NR.sigaltstack]: (k, a) => sigaltstack(k, a[0], a[1]),
  [NR.rt_sigreturn]: (k) => rtSigreturn(k),
  [NR.kill]: (k, a) => {
    const pid = a[0] | 0;
    if (pid !== k.pid && pid !== 0 && pid !== -1 && pid !== -k.pid) {
      return -Errno.ESRCH;
    }
    return sendSelf(k, a[1] | 0, SI_USER);
  },
  [NR.tkill]: (k, a) =>
    (a[0] | 0) === k.pid ? sendSelf(k, a[1] | 0, SI_TKILL) : -Errno.ESRCH,
  [NR.tgkill]: (k, a) =>
    (a[0] | 0) === k.pid && (a[1] | 0) === k.pid
      ? sendSelf(k, a[2] | 0, SI_TKILL)
      : -Errno.ESRCH,
};
