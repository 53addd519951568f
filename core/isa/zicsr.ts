/**
 * Zicsr (CSR access, Unprivileged ISA chapter 7) and Zifencei (`fence.i`,
 * chapter 6).
 *
 * @module
 */

import type { InsnSpec } from "./types.ts";

/** Opcode/funct3 mask (Unpriv. 2.2). */
const F3 = 0x0000707f;

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
  {
    name: "fence.i",
    mask: F3,
    match: 0x0000100f,
    format: "N",
    ext: "Zifencei",
  },
  { name: "csrrw", mask: F3, match: 0x00001073, format: "CSR", ext: "Zicsr" },
  { name: "csrrs", mask: F3, match: 0x00002073, format: "CSR", ext: "Zicsr" },
  { name: "csrrc", mask: F3, match: 0x00003073, format: "CSR", ext: "Zicsr" },
  { name: "csrrwi", mask: F3, match: 0x00005073, format: "CSRI", ext: "Zicsr" },
  { name: "csrrsi", mask: F3, match: 0x00006073, format: "CSRI", ext: "Zicsr" },
  { name: "csrrci", mask: F3, match: 0x00007073, format: "CSRI", ext: "Zicsr" },
] as const satisfies readonly InsnSpec[];
