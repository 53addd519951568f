/**
 * What a parked task waits for.
 *
 * A system call that cannot finish yet (read on an empty pipe, a futex wait,
 * nanosleep, wait4 with live children) returns `{ kind: "block", wait }`.
 * The vCPU's pc stays on the `ecall`, and the scheduler asks the wait again
 * whenever it passes the task: polling keeps every wake-up condition in one
 * place and makes the order of wake-ups follow the deterministic round robin.
 *
 * @module
 */

import type { Resume } from "./resume.ts";

/**
 * A wake condition for a parked task.
 *
 * @example
 * ```ts
 * import type { Wait } from "./wait.ts";
 * let ready = false;
 * const w: Wait = { reason: "demo", retry: () => ready ? 0 : undefined };
 * ready = true;
 * console.log(w.retry()); // 0
 * ```
 */
export interface Wait {
  /** What the task waits for, named in the deadlock report. */
  reason: string;
  /** Tries again: the call's result when done, `undefined` while waiting. */
  retry(): number | Resume | undefined;
  /** `performance.now()` milliseconds at which time alone ends the wait. */
  deadline?: number;
  /** The result once the deadline passed (default `-ETIMEDOUT`). */
  timeout?(): number | Resume;
  /**
   * The result when a signal handler interrupts the wait (default `-EINTR`).
   */
  interrupted?(): number;
  /** True when SA_RESTART makes the call start again after the handler. */
  restartable?: boolean;
  /**
   * Called with the task loaded when the wait ended by `retry` or by its
   * deadline, before the result is stored (ppoll puts its mask back).
   */
  finish?(): void;
  /** Called when the wait ends other than by `retry` (leave wait queues). */
  cancel?(): void;
  /**
   * Finishes the call by blocking the host (reading a host stdin that has no
   * data yet). The scheduler calls it only when no other task can run.
   */
  hostBlock?(): number | Resume;
}
