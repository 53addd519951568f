/**
 * RV64F single-precision floating point (RISC-V Unprivileged ISA, chapter 20).
 *
 * @module
 */

import type { InsnSpec } from "./types.ts";

/** Opcode/funct3 mask of FP loads and stores (Unpriv. 20). */
const F3 = 0x0000707f;
/** R4-type: opcode and the 2-bit fmt field (Unpriv. 20, fused multiply-add). */
const R4 = 0x0600007f;
/** OP-FP with a rounding-mode field: funct7 and opcode. */
const RMM = 0xfe00007f;
/** OP-FP with a rounding mode and a fixed rs2 (fsqrt, fcvt). */
const R1M = 0xfff0007f;
/** OP-FP with funct3 fixed (sign injection, min/max, compares). */
const R = 0xfe00707f;
/** OP-FP with rs2 and funct3 fixed (fmv, fclass). */
const R1F = 0xfff0707f;

/**
 * The RV64F table.
 *
 * @example
 * ```ts
 * import { RV64F } from "./rv64f.ts";
 * console.log(RV64F.find((r) => r.name === "fadd.s")!.match.toString(16)); // 53
 * ```
 */
export const RV64F = [
  { name: "flw", mask: F3, match: 0x00002007, format: "I", ext: "F" },
  { name: "fsw", mask: F3, match: 0x00002027, format: "S", ext: "F" },
  { name: "fmadd.s", mask: R4, match: 0x00000043, format: "R4", ext: "F" },
  { name: "fmsub.s", mask: R4, match: 0x00000047, format: "R4", ext: "F" },
  { name: "fnmsub.s", mask: R4, match: 0x0000004b, format: "R4", ext: "F" },
  { name: "fnmadd.s", mask: R4, match: 0x0000004f, format: "R4", ext: "F" },
  { name: "fadd.s", mask: RMM, match: 0x00000053, format: "RM", ext: "F" },
  { name: "fsub.s", mask: RMM, match: 0x08000053, format: "RM", ext: "F" },
  { name: "fmul.s", mask: RMM, match: 0x10000053, format: "RM", ext: "F" },
  { name: "fdiv.s", mask: RMM, match: 0x18000053, format: "RM", ext: "F" },
  { name: "fsqrt.s", mask: R1M, match: 0x58000053, format: "R1", ext: "F" },
  { name: "fsgnj.s", mask: R, match: 0x20000053, format: "R", ext: "F" },
  { name: "fsgnjn.s", mask: R, match: 0x20001053, format: "R", ext: "F" },
  { name: "fsgnjx.s", mask: R, match: 0x20002053, format: "R", ext: "F" },
  { name: "fmin.s", mask: R, match: 0x28000053, format: "R", ext: "F" },
  { name: "fmax.s", mask: R, match: 0x28001053, format: "R", ext: "F" },
  { name: "feq.s", mask: R, match: 0xa0002053, format: "R", ext: "F" },
  { name: "flt.s", mask: R, match: 0xa0001053, format: "R", ext: "F" },
  { name: "fle.s", mask: R, match: 0xa0000053, format: "R", ext: "F" },
  { name: "fclass.s", mask: R1F, match: 0xe0001053, format: "R1", ext: "F" },
  { name: "fcvt.w.s", mask: R1M, match: 0xc0000053, format: "R1", ext: "F" },
  { name: "fcvt.wu.s", mask: R1M, match: 0xc0100053, format: "R1", ext: "F" },
  { name: "fcvt.l.s", mask: R1M, match: 0xc0200053, format: "R1", ext: "F" },
  { name: "fcvt.lu.s", mask: R1M, match: 0xc0300053, format: "R1", ext: "F" },
  { name: "fcvt.s.w", mask: R1M, match: 0xd0000053, format: "R1", ext: "F" },
  { name: "fcvt.s.wu", mask: R1M, match: 0xd0100053, format: "R1", ext: "F" },
  { name: "fcvt.s.l", mask: R1M, match: 0xd0200053, format: "R1", ext: "F" },
  { name: "fcvt.s.lu", mask: R1M, match: 0xd0300053, format: "R1", ext: "F" },
  { name: "fmv.x.w", mask: R1F, match: 0xe0000053, format: "R1", ext: "F" },
  { name: "fmv.w.x", mask: R1F, match: 0xf0000053, format: "R1", ext: "F" },
] as const satisfies readonly InsnSpec[];
