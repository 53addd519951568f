/**
 * The riscv64 signal frame, `struct rt_sigframe { struct siginfo info;
 * struct ucontext uc; }` (arch/riscv/kernel/signal.c), and the code that
 * writes it on handler entry and reads it back in rt_sigreturn.
 *
 * Offsets (arch/riscv/include/uapi/asm/ucontext.h, sigcontext.h,
 * include/uapi/asm-generic/siginfo.h): siginfo is 128 bytes; in ucontext,
 * uc_flags 0, uc_link 8, uc_stack 16 (ss_sp, ss_flags, ss_size), uc_sigmask
 * 40 (padded to 128 bytes of sigset), uc_mcontext 176 (16-aligned):
 * sc_regs 32 x u64 (pc, x1..x31), then sc_fpregs f[32] u64 at 432 and fcsr
 * u32 at 688, in a 528-byte union. sizeof(ucontext) = 960.
 *
 * @module
 */

import type { GuestMemory } from "../memory.ts";
import type { Cpu } from "../cpu.ts";
import { PERM_R, PERM_W } from "../layout.ts";

/** sizeof(struct siginfo). */
export const SIGINFO_SIZE = 128;
/** sizeof(struct ucontext) on riscv64. */
export const UCONTEXT_SIZE = 960;
/** sizeof(struct rt_sigframe). */
export const FRAME_SIZE = SIGINFO_SIZE + UCONTEXT_SIZE;
/** Offset of uc_sigmask in ucontext. */
export const UC_SIGMASK = 40;
/** Offset of uc_mcontext.sc_regs (sc_regs[0] is pc) in ucontext. */
export const UC_REGS = 176;
/** Offset of uc_mcontext.sc_fpregs.d.f[0] in ucontext. */
export const UC_FREGS = 432;
/** Offset of uc_mcontext.sc_fpregs.d.fcsr in ucontext. */
export const UC_FCSR = 688;

/** siginfo contents. */
export interface SigInfo {
  /** si_signo. */
  signo: number;
  /** si_code (SI_USER 0, SI_TKILL -6, SEGV_MAPERR 1, ...). */
  code: number;
  /** si_addr for faults (a BigInt keeps every bit of a 64-bit address). */
  addr?: number | bigint;
  /** si_pid / si_uid for kill-style signals. */
  pid?: number;
  /** Sender uid. */
  uid?: number;
  /**
   * si_value (sigqueue, POSIX timers) or si_status (SIGCHLD), at offset 24.
   */
  value?: bigint;
}

/**
 * The 128-byte `struct siginfo` for `info`.
 *
 * @example
 * ```ts
 * import { encodeSigInfo } from "./signal_frame.ts";
 * const b = encodeSigInfo({ signo: 17, code: 1, pid: 5, value: 3n });
 * console.log(b[0], b[16], b[24]); // 17 5 3
 * ```
 */
export function encodeSigInfo(info: SigInfo): Uint8Array {
  const b = new Uint8Array(SIGINFO_SIZE);
  const v = new DataView(b.buffer);
  v.setInt32(0, info.signo, true);
  v.setInt32(8, info.code, true);
  if (info.addr !== undefined) {
    v.setBigUint64(16, BigInt.asUintN(64, BigInt(info.addr)), true);
  } else {
    v.setInt32(16, info.pid ?? 0, true);
    v.setUint32(20, info.uid ?? 0, true);
  }
  if (info.value !== undefined) {
    v.setBigUint64(24, BigInt.asUintN(64, info.value), true);
  }
  return b;
}

/** The altstack to record in uc_stack. */
export interface StackT {
  /** ss_sp. */
  sp: number;
  /** ss_flags. */
  flags: number;
  /** ss_size. */
  size: number;
}

/**
 * Writes a signal frame at `frame` (16-aligned, {@link FRAME_SIZE} bytes)
 * saving the current registers, `oldMask` and `stack`. Returns false if the
 * frame is not writable (the caller then kills the process with SIGSEGV).
 *
 * @example
 * ```ts
 * import { writeFrame, SIGINFO_SIZE, UC_REGS } from "./signal_frame.ts";
 * import { GuestMemory } from "../memory.ts";
 * import { Cpu } from "../cpu.ts";
 * const mem = new GuestMemory(), cpu = new Cpu(mem.memory.buffer);
 * mem.map(0x10000, 0x1000, 3);
 * cpu.pc = 0x1234;
 * writeFrame(mem, cpu, 0x10000, { signo: 11, code: 1, addr: 8 }, 0n, { sp: 0, flags: 2, size: 0 });
 * console.log(mem.readU64(0x10000 + SIGINFO_SIZE + UC_REGS)); // 4660
 * ```
 */
export function writeFrame(
  mem: GuestMemory,
  cpu: Cpu,
  frame: number,
  info: SigInfo,
  oldMask: bigint,
  stack: StackT,
): boolean {
  if (!mem.check(frame, FRAME_SIZE, PERM_W)) return false;
  const b = new Uint8Array(FRAME_SIZE);
  const v = new DataView(b.buffer);
  b.set(encodeSigInfo(info));
  const uc = SIGINFO_SIZE;
  v.setBigUint64(uc + 16, BigInt(stack.sp), true);
  v.setInt32(uc + 24, stack.flags, true);
  v.setBigUint64(uc + 32, BigInt(stack.size), true);
  v.setBigUint64(uc + UC_SIGMASK, oldMask, true);
  v.setBigUint64(uc + UC_REGS, BigInt(cpu.pc), true);
  for (let i = 1; i < 32; i++) {
    v.setBigInt64(uc + UC_REGS + 8 * i, cpu.x[i], true);
  }
  for (let i = 0; i < 32; i++) {
    v.setBigUint64(uc + UC_FREGS + 8 * i, cpu.fbits[i], true);
  }
  v.setUint32(uc + UC_FCSR, (cpu.frm << 5) | cpu.fflags, true);
  mem.poke(frame, b);
  return true;
}

/**
 * Restores registers from the frame at `frame` (rt_sigreturn) and returns
 * the saved signal mask, or `undefined` if the frame is unreadable.
 *
 * @example
 * ```ts
 * import { readFrame, writeFrame } from "./signal_frame.ts";
 * import { GuestMemory } from "../memory.ts";
 * import { Cpu } from "../cpu.ts";
 * const mem = new GuestMemory(), cpu = new Cpu(mem.memory.buffer);
 * mem.map(0x10000, 0x1000, 3);
 * cpu.pc = 0x1000; cpu.setX(5, 77);
 * writeFrame(mem, cpu, 0x10000, { signo: 10, code: 0 }, 4n, { sp: 0, flags: 2, size: 0 });
 * cpu.pc = 0; cpu.setX(5, 0);
 * console.log(readFrame(mem, cpu, 0x10000), cpu.pc, cpu.getX(5)); // 4n 4096 77
 * ```
 */
export function readFrame(
  mem: GuestMemory,
  cpu: Cpu,
  frame: number,
): bigint | undefined {
  const b = mem.read(frame, FRAME_SIZE);
  if (!b || !mem.check(frame, FRAME_SIZE, PERM_R)) return undefined;
  const v = new DataView(b.buffer);
  const uc = SIGINFO_SIZE;
  cpu.pc = Number(v.getBigUint64(uc + UC_REGS, true));
  for (let i = 1; i < 32; i++) {
    cpu.x[i] = v.getBigInt64(uc + UC_REGS + 8 * i, true);
  }
  for (let i = 0; i < 32; i++) {
    cpu.fbits[i] = v.getBigUint64(uc + UC_FREGS + 8 * i, true);
  }
  const fcsr = v.getUint32(uc + UC_FCSR, true);
  cpu.fflags = fcsr & 0x1f;
  cpu.frm = (fcsr >>> 5) & 7;
  cpu.clearReservation();
  return v.getBigUint64(uc + UC_SIGMASK, true);
}
