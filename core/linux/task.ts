/**
 * A guest thread: one vCPU's saved registers and its per-thread kernel state
 * (signal mask, thread-directed pending signals, alternate stack, clear-tid
 * and robust-list addresses, what it waits for).
 *
 * All threads of a process share one guest memory, and the engines read the
 * vCPU state from page 0 of it (`layout.ts`), so a context switch copies the
 * architectural state of the outgoing thread out of page 0 and the incoming
 * one in: {@link TASK_STATE_BYTES} bytes each way.
 *
 * @module
 */

import {
  EXIT_TVAL_OFF,
  INSTRET_OFF,
  PC_OFF,
  RES_VALID_OFF,
  X_BASE,
} from "../layout.ts";
import type { SigInfo } from "./signal_frame.ts";
import { SS_DISABLE } from "./signal_state.ts";
import type { Wait } from "./wait.ts";

/** Bytes of page 0 a context switch saves: x, f, pc, instret, fcsr, LR/SC, exit info. */
export const TASK_STATE_BYTES: number = EXIT_TVAL_OFF + 8;

/**
 * One guest thread.
 *
 * @example
 * ```ts
 * import { Task } from "./task.ts";
 * const t = new Task(1000, 0);
 * console.log(t.tid, t.vcpu, t.state); // 1000 0 "run"
 * ```
 */
export class Task {
  /** Saved vCPU state while another thread of the process is loaded. */
  readonly regs: Uint8Array = new Uint8Array(TASK_STATE_BYTES);
  /** Blocked signals. */
  mask = 0n;
  /** Signals sent to this thread (tgkill, tkill, faults, SIGPIPE). */
  pending: Map<number, SigInfo> = new Map();
  /** Alternate signal stack. */
  altstack: { sp: number; size: number; flags: number } = {
    sp: 0,
    size: 0,
    flags: SS_DISABLE,
  };
  /** rt_sigsuspend's mask to restore after the handler. */
  savedMask?: bigint;
  /** set_tid_address / CLONE_CHILD_CLEARTID: zeroed and woken at exit. */
  clearChildTid = 0;
  /** set_robust_list head and length. */
  robustList = 0;
  /** Length given with the robust list head. */
  robustLen = 0;
  /** What the task waits for while parked. */
  wait?: Wait;
  /** Exit status once the thread ended. */
  exitStatus?: number;
  /** Instructions this thread retired, kept when it exits. */
  instructions = 0;

  /** The thread id (the pid for a process's first thread). */
  readonly tid: number;
  /** The vCPU index within its process, as QEMU numbers them. */
  readonly vcpu: number;

  /** A runnable thread `tid`, vCPU `vcpu` of its process. */
  constructor(tid: number, vcpu: number) {
    this.tid = tid;
    this.vcpu = vcpu;
  }

  /** "run" (runnable), "wait" (parked) or "dead". */
  get state(): "run" | "wait" | "dead" {
    if (this.exitStatus !== undefined) return "dead";
    return this.wait ? "wait" : "run";
  }

  /** Saves the live state from page 0 (`state`) into this task. */
  save(state: Uint8Array): void {
    this.regs.set(state.subarray(0, TASK_STATE_BYTES));
  }

  /** Sets saved integer register `i` (sign-extended from a JS integer). */
  setReg(i: number, v: number): void {
    this.view().setBigInt64(X_BASE + 8 * i, BigInt(v), true);
  }

  /** Sets the saved pc. */
  setPc(v: number): void {
    this.view().setBigInt64(PC_OFF, BigInt(v), true);
  }

  /** Zeroes the saved instruction counter (a new vCPU starts at 0). */
  resetInstret(): void {
    this.view().setBigInt64(INSTRET_OFF, 0n, true);
  }

  /** A DataView over the saved state. */
  private view(): DataView {
    return new DataView(this.regs.buffer);
  }

  /** Loads this task's state into page 0, dropping any LR reservation. */
  load(state: Uint8Array): void {
    state.set(this.regs);
    state.fill(0, RES_VALID_OFF, RES_VALID_OFF + 4);
  }
}
