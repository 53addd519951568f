/**
 * RV64M multiply/divide instructions (RISC-V Unprivileged ISA, chapter 13).
 *
 * @module
 */

import type { InsnSpec } from "./types.ts";

/** Opcode/funct3/funct7 mask of an R-type instruction (Unpriv. 2.2). */
const R = 0xfe00707f;

/**
 * The RV64M table (funct7 = 0000001 on OP and OP-32).
 *
 * @example
 * ```ts
 * import { RV64M } from "./rv64m.ts";
 * console.log(RV64M.length); // 13
 * ```
 */
export const RV64M = [
  { name: "mul", mask: R, match: 0x02000033, format: "R", ext: "M" },
  { name: "mulh", mask: R, match: 0x02001033, format: "R", ext: "M" },
  { name: "mulhsu", mask: R, match: 0x02002033, format: "R", ext: "M" },
  { name: "mulhu", mask: R, match: 0x02003033, format: "R", ext: "M" },
  { name: "div", mask: R, match: 0x02004033, format: "R", ext: "M" },
  { name: "divu", mask: R, match: 0x02005033, format: "R", ext: "M" },
  { name: "rem", mask: R, match: 0x02006033, format: "R", ext: "M" },
  { name: "remu", mask: R, match: 0x02007033, format: "R", ext: "M" },
  { name: "mulw", mask: R, match: 0x0200003b, format: "R", ext: "M" },
  { name: "divw", mask: R, match: 0x0200403b, format: "R", ext: "M" },
  { name: "divuw", mask: R, match: 0x0200503b, format: "R", ext: "M" },
  { name: "remw", mask: R, match: 0x0200603b, format: "R", ext: "M" },
  { name: "remuw", mask: R, match: 0x0200703b, format: "R", ext: "M" },
] as const satisfies readonly InsnSpec[];
