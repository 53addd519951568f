/**
 * RV64D double-precision floating point (RISC-V Unprivileged ISA, chapter 21).
 *
 * @module
 */

import type { InsnSpec } from "./types.ts";

/** Opcode/funct3 mask of FP loads and stores (Unpriv. 21). */
const F3 = 0x0000707f;
/** R4-type: opcode and the 2-bit fmt field (Unpriv. 21, fused multiply-add). */
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
 * The RV64D table.
 *
 * @example
 * ```ts
 * import { RV64D } from "./rv64d.ts";
 * console.log(RV64D.find((r) => r.name === "fadd.d")!.match.toString(16)); // 2000053
 * ```
 */
export const RV64D = [
  { name: "fld", mask: F3, match: 0x00003007, format: "I", ext: "D" },
  { name: "fsd", mask: F3, match: 0x00003027, format: "S", ext: "D" },
  { name: "fmadd.d", mask: R4, match: 0x02000043, format: "R4", ext: "D" },
  { name: "fmsub.d", mask: R4, match: 0x02000047, format: "R4", ext: "D" },
  { name: "fnmsub.d", mask: R4, match: 0x0200004b, format: "R4", ext: "D" },
  { name: "fnmadd.d", mask: R4, match: 0x0200004f, format: "R4", ext: "D" },
  { name: "fadd.d", mask: RMM, match: 0x02000053, format: "RM", ext: "D" },
  { name: "fsub.d", mask: RMM, match: 0x0a000053, format: "RM", ext: "D" },
  { name: "fmul.d", mask: RMM, match: 0x12000053, format: "RM", ext: "D" },
  { name: "fdiv.d", mask: RMM, match: 0x1a000053, format: "RM", ext: "D" },
  { name: "fsqrt.d", mask: R1M, match: 0x5a000053, format: "R1", ext: "D" },
  { name: "fsgnj.d", mask: R, match: 0x22000053, format: "R", ext: "D" },
  { name: "fsgnjn.d", mask: R, match: 0x22001053, format: "R", ext: "D" },
  { name: "fsgnjx.d", mask: R, match: 0x22002053, format: "R", ext: "D" },
  { name: "fmin.d", mask: R, match: 0x2a000053, format: "R", ext: "D" },
  { name: "fmax.d", mask: R, match: 0x2a001053, format: "R", ext: "D" },
  { name: "fcvt.s.d", mask: R1M, match: 0x40100053, format: "R1", ext: "D" },
  { name: "fcvt.d.s", mask: R1M, match: 0x42000053, format: "R1", ext: "D" },
  { name: "feq.d", mask: R, match: 0xa2002053, format: "R", ext: "D" },
  { name: "flt.d", mask: R, match: 0xa2001053, format: "R", ext: "D" },
  { name: "fle.d", mask: R, match: 0xa2000053, format: "R", ext: "D" },
  { name: "fclass.d", mask: R1F, match: 0xe2001053, format: "R1", ext: "D" },
  { name: "fcvt.w.d", mask: R1M, match: 0xc2000053, format: "R1", ext: "D" },
  { name: "fcvt.wu.d", mask: R1M, match: 0xc2100053, format: "R1", ext: "D" },
  { name: "fcvt.l.d", mask: R1M, match: 0xc2200053, format: "R1", ext: "D" },
  { name: "fcvt.lu.d", mask: R1M, match: 0xc2300053, format: "R1", ext: "D" },
  { name: "fcvt.d.w", mask: R1M, match: 0xd2000053, format: "R1", ext: "D" },
  { name: "fcvt.d.wu", mask: R1M, match: 0xd2100053, format: "R1", ext: "D" },
  { name: "fcvt.d.l", mask: R1M, match: 0xd2200053, format: "R1", ext: "D" },
  { name: "fcvt.d.lu", mask: R1M, match: 0xd2300053, format: "R1", ext: "D" },
  { name: "fmv.x.d", mask: R1F, match: 0xe2000053, format: "R1", ext: "D" },
  { name: "fmv.d.x", mask: R1F, match: 0xf2000053, format: "R1", ext: "D" },
] as const satisfies readonly InsnSpec[];
