/**
 * Per-process signal state (dispositions, blocked mask, pending set,
 * alternate stack) and delivery: entering a guest handler or applying the
 * default action (kernel/signal.c semantics, single-threaded).
 *
 * @module
 */

import type { GuestMemory } from "../memory.ts";
import type { Cpu } from "../cpu.ts";
import { PAGE_SIZE, PERM_R, PERM_X } from "../layout.ts";
import type { Mappings } from "./vma.ts";
import type { Resume } from "./resume.ts";
import {
  FRAME_SIZE,
  type SigInfo,
  SIGINFO_SIZE,
  writeFrame,
} from "./signal_frame.ts";
import { STACK_TOP } from "./stack.ts";

/** Signal numbers used by the kernel itself (asm-generic/signal.h). */
export const Sig = {
  SIGILL: 4,
  SIGTRAP: 5,
  SIGABRT: 6,
  SIGBUS: 7,
  SIGFPE: 8,
  SIGKILL: 9,
  SIGSEGV: 11,
  SIGPIPE: 13,
  SIGCHLD: 17,
  SIGCONT: 18,
  SIGSTOP: 19,
  SIGTSTP: 20,
  SIGTTIN: 21,
  SIGTTOU: 22,
  SIGURG: 23,
  SIGWINCH: 28,
} as const;

/** sa_flags bits (asm-generic/signal.h). */
export const SA = {
  SIGINFO: 4,
  ONSTACK: 0x0800_0000,
  RESTART: 0x1000_0000,
  NODEFER: 0x4000_0000,
  RESETHAND: 0x8000_0000,
} as const;

/** ss_flags bits. */
export const SS_ONSTACK = 1, SS_DISABLE = 2;
/** Special handler values. */
export const SIG_DFL = 0, SIG_IGN = 1;

/** Address of the page holding the sigreturn trampoline (`li a7,139; ecall`). */
export const TRAMPOLINE = STACK_TOP + PAGE_SIZE;

/** One signal's disposition (kernel struct sigaction). */
export interface SigAction {
  /** sa_handler / sa_sigaction, or SIG_DFL / SIG_IGN. */
  handler: number;
  /** sa_flags. */
  flags: number;
  /** sa_mask (bit n-1 for signal n). */
  mask: bigint;
}

const DEFAULT_IGNORED = new Set<number>([
  Sig.SIGCHLD,
  Sig.SIGCONT,
  Sig.SIGURG,
  Sig.SIGWINCH,
  Sig.SIGSTOP,
  Sig.SIGTSTP,
  Sig.SIGTTIN,
  Sig.SIGTTOU,
]);
/** Signals that can be neither caught nor blocked. */
export const UNBLOCKABLE = (1n << 8n) | (1n << 18n); // SIGKILL, SIGSTOP

/** The bit for signal `sig` in a sigset. */
export function sigBit(sig: number): bigint {
  return 1n << BigInt(sig - 1);
}

/**
 * Signal dispositions, mask and pending signals of the process.
 *
 * @example
 * ```ts
 * import { Signals } from "./signal_state.ts";
 * import { GuestMemory } from "../memory.ts";
 * import { Cpu } from "../cpu.ts";
 * import { Mappings } from "./vma.ts";
 * const mem = new GuestMemory();
 * const s = new Signals(mem, new Cpu(mem.memory.buffer), new Mappings());
 * console.log(s.deliver({ signo: 11, code: 1, addr: 0 }, true)); // { kind: "killed", signal: 11, addr: 0 }
 * ```
 */
export class Signals {
  /** Dispositions, index = signal number (1..64). */
  readonly actions: SigAction[] = Array.from(
    { length: 65 },
    () => ({ handler: SIG_DFL, flags: 0, mask: 0n }),
  );
  /** Blocked signals. */
  mask = 0n;
  /**
   * Signals pending for the running thread (raised but not yet delivered),
   * with their info. The scheduler swaps this map, `mask` and `altstack`
   * with each thread's own when it switches threads.
   */
  pending: Map<number, SigInfo> = new Map();
  /** Signals pending for the whole process (kill): any thread may take them. */
  readonly shared: Map<number, SigInfo> = new Map();
  /** Alternate signal stack. */
  altstack = { sp: 0, size: 0, flags: SS_DISABLE };
  /**
   * The mask to restore after the next handler (rt_sigsuspend's caller
   * mask): the frame records it instead of the temporary `mask`.
   */
  savedMask?: bigint;
  private trampolineMapped = false;

  /** State for the process whose memory and registers these are. */
  constructor(
    private readonly mem: GuestMemory,
    private readonly cpu: Cpu,
    private readonly vm: Mappings,
  ) {}

  /** True when `sp` lies on the alternate stack. */
  onAltStack(sp: number): boolean {
    return this.altstack.flags !== SS_DISABLE && sp > this.altstack.sp &&
      sp <= this.altstack.sp + this.altstack.size;
  }

  /** ss_flags as sigaltstack reports it for stack pointer `sp`. */
  altFlags(sp: number): number {
    if (this.altstack.flags === SS_DISABLE) return SS_DISABLE;
    return this.onAltStack(sp) ? SS_ONSTACK : 0;
  }

  /** True when delivering `sig` now would do nothing (SIG_IGN, or ignored by default). */
  ignored(sig: number): boolean {
    const h = this.actions[sig].handler;
    return h === SIG_IGN || (h === SIG_DFL && DEFAULT_IGNORED.has(sig));
  }

  /** Queues `info.signo` (a signal sent by kill/tgkill). */
  raise(info: SigInfo): void {
    if (!this.pending.has(info.signo)) this.pending.set(info.signo, info);
  }

  /** Queues `info.signo` for the whole process (kill). */
  raiseShared(info: SigInfo): void {
    if (!this.shared.has(info.signo)) this.shared.set(info.signo, info);
  }

  /** True when a signal is pending for this thread or the process. */
  anyPending(): boolean {
    return this.pending.size > 0 || this.shared.size > 0;
  }

  /** The lowest pending signal `mask` does not block (0 if none). */
  deliverable(mask: bigint = this.mask): number {
    for (const m of [this.pending, this.shared]) {
      for (const sig of m.keys()) {
        if ((mask & sigBit(sig)) === 0n) return sig;
      }
    }
    return 0;
  }

  /**
   * Delivers the lowest pending unblocked signal, if any: `null` when there
   * is none or it was ignored, else what the machine should do.
   */
  deliverPending(): Resume | null {
    for (let sig = 1; sig <= 64; sig++) {
      if ((this.mask & sigBit(sig)) !== 0n) continue;
      const from = this.pending.has(sig) ? this.pending : this.shared;
      const info = from.get(sig);
      if (!info) continue;
      from.delete(sig);
      const r = this.deliver(info, false);
      if (r) return r;
    }
    return null;
  }

  /**
   * Delivers one signal now, with cpu.pc as the resume address. `forced`
   * (synchronous faults) kills when the signal is blocked or ignored, like
   * Linux's force_sig. Returns `null` when the signal was ignored.
   */
  deliver(info: SigInfo, forced: boolean): Resume | null {
    const sig = info.signo;
    const act = this.actions[sig];
    const blocked = (this.mask & sigBit(sig)) !== 0n;
    if (forced && (blocked || act.handler === SIG_IGN)) act.handler = SIG_DFL;
    if (act.handler === SIG_IGN) return null;
    if (act.handler === SIG_DFL) {
      if (DEFAULT_IGNORED.has(sig)) return null;
      return info.addr !== undefined && forced
        ? { kind: "killed", signal: sig, addr: info.addr }
        : { kind: "killed", signal: sig };
    }
    const cpu = this.cpu;
    let sp = cpu.getXU(2);
    const stack = {
      sp: this.altstack.sp,
      flags: this.altFlags(sp),
      size: this.altstack.size,
    };
    if ((act.flags & SA.ONSTACK) && stack.flags === 0) {
      sp = this.altstack.sp + this.altstack.size;
    }
    const frame = Math.floor((sp - FRAME_SIZE) / 16) * 16;
    const frameMask = this.savedMask ?? this.mask;
    this.savedMask = undefined;
    if (!writeFrame(this.mem, cpu, frame, info, frameMask, stack)) {
      return { kind: "killed", signal: Sig.SIGSEGV, addr: frame };
    }
    this.mapTrampoline();
    cpu.pc = act.handler;
    cpu.setX(1, TRAMPOLINE);
    cpu.setX(2, frame);
    cpu.setX(10, sig);
    cpu.setX(11, frame);
    cpu.setX(12, frame + SIGINFO_SIZE);
    cpu.clearReservation();
    this.mask |= act.mask | ((act.flags & SA.NODEFER) ? 0n : sigBit(sig));
    this.mask &= ~UNBLOCKABLE;
    if (act.flags & SA.RESETHAND) {
      this.actions[sig] = { handler: SIG_DFL, flags: 0, mask: 0n };
    }
    return { kind: "jump" };
  }

  /**
   * execve's reset: caught signals go back to SIG_DFL (ignored ones stay
   * ignored), the alternate stack is dropped, and the trampoline page (gone
   * with the old image) is mapped again when next needed.
   */
  resetForExec(): void {
    for (let sig = 1; sig <= 64; sig++) {
      const a = this.actions[sig];
      if (a.handler !== SIG_IGN) {
        this.actions[sig] = { handler: SIG_DFL, flags: 0, mask: 0n };
      }
    }
    this.altstack = { sp: 0, size: 0, flags: SS_DISABLE };
    this.savedMask = undefined;
    this.trampolineMapped = false;
  }

  /** Maps the R|X page with `li a7, 139; ecall` the first time it is needed. */
  private mapTrampoline(): void {
    if (this.trampolineMapped) return;
    this.mem.map(TRAMPOLINE, PAGE_SIZE, PERM_R | PERM_X);
    this.vm.set(TRAMPOLINE, PAGE_SIZE, true);
    const code = new Uint8Array(
      new Uint32Array([0x08b00893, 0x00000073]).buffer,
    );
    this.mem.poke(TRAMPOLINE, code);
    this.trampolineMapped = true;
  }
}
