/**
 * RV64M multiply/divide instructions (RISC-V Unprivileged ISA, chapter 13).
 *
 * @module
 */

import { type Shape, shape, XXX } from "./_shapes.ts";
import type { InsnSpec } from "./types.ts";

/** Opcode/funct3/funct7 mask of an R-type instruction (Unpriv. 2.2). */
const R = 0xfe00707f;

/** Every M instruction: rd <- rs1 op rs2, integers. */
const OP: Shape = shape("M", "R", XXX);

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
  { name: "mul", mask: R, match: 0x02000033, ...OP },
  { name: "mulh", mask: R, match: 0x02001033, ...OP },
  { name: "mulhsu", mask: R, match: 0x02002033, ...OP },
  { name: "mulhu", mask: R, match: 0x02003033, ...OP },
  { name: "div", mask: R, match: 0x02004033, ...OP },
  { name: "divu", mask: R, match: 0x02005033, ...OP },
  { name: "rem", mask: R, match: 0x02006033, ...OP },
  { name: "remu", mask: R, match: 0x02007033, ...OP },
  { name: "mulw", mask: R, match: 0x0200003b, ...OP },
  { name: "divw", mask: R, match: 0x0200403b, ...OP },
  { name: "divuw", mask: R, match: 0x0200503b, ...OP },
  { name: "remw", mask: R, match: 0x0200603b, ...OP },
  { name: "remuw", mask: R, match: 0x0200703b, ...OP },
] as const satisfies readonly InsnSpec[];
