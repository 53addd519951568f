/**
 * Why an engine (interpreter or translator) stopped running guest code.
 *
 * Guest faults are values, not exceptions: an engine writes the cause and the
 * faulting address or instruction bits into the vCPU state (`Cpu.exitCause`,
 * `Cpu.exitTval`) and returns the cause. `pc` then holds the address of the
 * instruction that caused the exit; `instret` counts it.
 *
 * @module
 */

/**
 * Exit causes.
 *
 * @example
 * ```ts
 * import { Exit, exitName } from "./exit.ts";
 * console.log(exitName(Exit.ECALL)); // "ecall"
 * ```
 */
export const Exit = {
  /** Not an exit: keep going. */
  NONE: 0,
  /** The translator has no block for the current pc yet. */
  MISS: 1,
  /** `ecall` at pc: a system call. */
  ECALL: 2,
  /** `ebreak` at pc. */
  EBREAK: 3,
  /** Illegal or unsupported instruction at pc; tval holds its bits. */
  ILLEGAL: 4,
  /** Instruction fetch from a non-executable or unmapped address (tval). */
  FETCH_FAULT: 5,
  /** Load from an unreadable address (tval). */
  LOAD_FAULT: 6,
  /** Store to an unwritable address (tval). */
  STORE_FAULT: 7,
  /** Misaligned atomic (LR/SC/AMO) at address tval: SIGBUS on Linux. */
  MISALIGNED: 8,
  /** `fence.i` executed at pc: translations must be flushed. pc is already past it. */
  FENCE_I: 9,
  /** The dispatch budget ran out: pc is the next instruction to run. */
  BUDGET: 10,
  /** An instrumentation callback asked to stop or to re-dispatch (pc set). */
  HOOK: 11,
} as const;

/** One of the {@link Exit} values. */
export type ExitCause = typeof Exit[keyof typeof Exit];

const NAMES = [
  "none",
  "miss",
  "ecall",
  "ebreak",
  "illegal instruction",
  "instruction fetch fault",
  "load fault",
  "store fault",
  "misaligned atomic",
  "fence.i",
  "budget",
  "hook",
];

/**
 * A readable name for an exit cause.
 *
 * @example
 * ```ts
 * import { Exit, exitName } from "./exit.ts";
 * console.log(exitName(Exit.LOAD_FAULT)); // "load fault"
 * ```
 */
export function exitName(cause: number): string {
  return NAMES[cause] ?? `exit ${cause}`;
}
