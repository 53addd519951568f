/**
 * Zicsr (CSR access, Unprivileged ISA chapter 7) and Zifencei (`fence.i`,
 * chapter 6).
 *
 * @module
 */

import { type Shape, shape, XX } from "./_shapes.ts";
import type { InsnSpec } from "./types.ts";

/** Opcode/funct3 mask (Unpriv. 2.2). */
const F3 = 0x0000707f;

/** fence.i: later fetches see earlier stores (Unpriv. 6.1). */
const FENCE_I: Shape = shape("Zifencei", "N", {}, null, "fence.i");
/** csrrw/csrrs/csrrc: rd <- csr; csr <- f(csr, x[rs1]) (Unpriv. 7.1). */
const CSR: Shape = shape("Zicsr", "CSR", XX);
/** The immediate forms: the rs1 field is a 5-bit unsigned immediate. */
const CSRI: Shape = shape("Zicsr", "CSRI", { rd: "x" });

/**
 * The Zicsr and Zifencei table.
 *
 * @example
 * ```ts
 * import { ZICSR } from "./zicsr.ts";
 * console.log(ZICSR.map((r) => r.name).join(" "));
 * // fence.i csrrw csrrs csrrc csrrwi csrrsi csrrci
 * ```
 */
export const ZICSR = [
  // The imm/rs1/rd fields of fence.i are reserved and ignored (Unpriv. 6.1).
  { name: "fence.i", mask: F3, match: 0x0000100f, ...FENCE_I },
  { name: "csrrw", mask: F3, match: 0x00001073, ...CSR },
  { name: "csrrs", mask: F3, match: 0x00002073, ...CSR },
  { name: "csrrc", mask: F3, match: 0x00003073, ...CSR },
  { name: "csrrwi", mask: F3, match: 0x00005073, ...CSRI },
  { name: "csrrsi", mask: F3, match: 0x00006073, ...CSRI },
  { name: "csrrci", mask: F3, match: 0x00007073, ...CSRI },
] as const satisfies readonly InsnSpec[];
