/**
 * The RISC-V RV64GC instruction set: one table per extension, the decoder
 * and the disassembler. The interpreter and the translator both read these.
 *
 * @example
 * ```ts
 * import { decode, disassemble } from "./mod.ts";
 * console.log(disassemble(decode(0x00a50533)!, 0x10000)); // "add a0,a0,a0"
 * ```
 *
 * @module
 */

import type { RV64A } from "./rv64a.ts";
import type { RV64D } from "./rv64d.ts";
import type { RV64F } from "./rv64f.ts";
import type { RV64I } from "./rv64i.ts";
import type { RV64M } from "./rv64m.ts";
import type { RVC } from "./rvc.ts";
import type { ZICSR } from "./zicsr.ts";

export type {
  Decoded,
  Ext,
  Format,
  InsnSpec,
  MemAccess,
  RegFile,
  RegRoles,
  RowFlow,
} from "./types.ts";
export { RV64I } from "./rv64i.ts";
export { RV64M } from "./rv64m.ts";
export { RV64A } from "./rv64a.ts";
export { RV64F } from "./rv64f.ts";
export { RV64D } from "./rv64d.ts";
export { ZICSR } from "./zicsr.ts";
export { type CInsnSpec, RVC } from "./rvc.ts";
export { decode, decodeAt, type FetchResult, TABLES32 } from "./decode.ts";
export { abiName, disassemble, disassembleWord, fpName } from "./disasm.ts";
export {
  type CsrOperand,
  type FenceOperand,
  type FlowKind,
  type ImmOperand,
  type InsnFacts,
  insnFacts,
  type InsnOperand,
  type MemFacts,
  type OrderOperand,
  type RegOperand,
  type RmOperand,
} from "./insn_facts.ts";
export {
  LINUX_SYSCALL_ABI,
  type RegRef,
  type SyscallAbi,
} from "./syscall_abi.ts";

/** Mnemonics of the RV64I table. */
export type RV64IName = typeof RV64I[number]["name"];
/** Mnemonics of the RV64M table. */
export type RV64MName = typeof RV64M[number]["name"];
/** Mnemonics of the RV64A table. */
export type RV64AName = typeof RV64A[number]["name"];
/** Mnemonics of the RV64F table. */
export type RV64FName = typeof RV64F[number]["name"];
/** Mnemonics of the RV64D table. */
export type RV64DName = typeof RV64D[number]["name"];
/** Mnemonics of the Zicsr/Zifencei table. */
export type ZicsrName = typeof ZICSR[number]["name"];
/** Compressed mnemonics (`c.addi`, ...). */
export type RVCName = typeof RVC[number]["name"];

/**
 * Every base mnemonic a {@link Decoded} can carry in `name` (compressed
 * instructions expand to one of these).
 */
export type InsnName =
  | RV64IName
  | RV64MName
  | RV64AName
  | RV64FName
  | RV64DName
  | ZicsrName;
