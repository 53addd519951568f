/**
 * What the machine does after the kernel handled a system call or signal.
 *
 * @module
 */

import type { Wait } from "./wait.ts";

/**
 * The outcome of a system call
 * or of a signal delivery.
 *
 * - `next`: the call is done; advance pc past the `ecall` (+4).
 * - `jump`: the kernel already set pc (rt_sigreturn, or a handler was entered).
 * - `exit`: the process exited with `status` (0-255).
 * - `killed`: a signal's default action terminated the process.
 * - `block`: the call must wait; pc stays on the `ecall` and the scheduler
 *   parks the task until `wait` says it is done (see `wait.ts`).
 * - `gone`: the calling task no longer runs (its thread exited, or the
 *   scheduler took it over); the machine must not touch the vCPU state.
 *
 * @example
 * ```ts
 * import type { Resume } from "./resume.ts";
 * const r: Resume = { kind: "exit", status: 0 };
 * console.log(r.kind); // "exit"
 * ```
 */
export type Resume =
  | { kind: "next" }
  | { kind: "jump" }
  | { kind: "exit"; status: number }
  | { kind: "killed"; signal: number; addr?: number | bigint }
  | { kind: "block"; wait: Wait }
  | { kind: "gone" };
