/**
 * What the SDK says about instructions without decoding them: the types of
 * the facts the core hands the runtime for each translated instruction
 * (`insn.facts`), the Linux system-call convention, and the ABI register
 * names. Plugins classify instructions from these, never from their bytes.
 *
 * @module
 */

export type {
  CsrOperand,
  FenceOperand,
  FlowKind,
  ImmOperand,
  InsnFacts,
  InsnOperand,
  MemFacts,
  OrderOperand,
  RegOperand,
  RmOperand,
} from "../../core/isa/insn_facts.ts";
export type { RegRef, SyscallAbi } from "../../core/isa/syscall_abi.ts";
export { LINUX_SYSCALL_ABI } from "../../core/isa/syscall_abi.ts";

/**
 * ABI names of the integer registers x0..x31 (RISC-V psABI, "Integer
 * Register Convention"), for register capture (`regs` options).
 *
 * @example
 * ```ts
 * import { ABI_NAMES } from "./insn_facts.ts";
 * console.log(ABI_NAMES[2], ABI_NAMES[10]); // sp a0
 * ```
 */
export const ABI_NAMES: readonly string[] = Object.freeze([
  "zero",
  "ra",
  "sp",
  "gp",
  "tp",
  "t0",
  "t1",
  "t2",
  "s0",
  "s1",
  "a0",
  "a1",
  "a2",
  "a3",
  "a4",
  "a5",
  "a6",
  "a7",
  "s2",
  "s3",
  "s4",
  "s5",
  "s6",
  "s7",
  "s8",
  "s9",
  "s10",
  "s11",
  "t3",
  "t4",
  "t5",
  "t6",
]);

/**
 * ABI name of integer register `r` (0..31).
 *
 * @example
 * ```ts
 * import { abiName } from "./insn_facts.ts";
 * console.log(abiName(2), abiName(10)); // sp a0
 * ```
 */
export function abiName(r: number): string {
  return ABI_NAMES[r & 31];
}
