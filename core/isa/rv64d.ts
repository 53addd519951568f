/**
 * RV64D double-precision floating point (RISC-V Unprivileged ISA, chapter 21).
 *
 * @module
 */

import { type FpShapes, fpShapes } from "./_shapes.ts";
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

/** Binary64 row shapes; loads and stores move 8 bytes. */
const D: FpShapes = fpShapes("D", 8);

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
  { name: "fld", mask: F3, match: 0x00003007, ...D.LOAD },
  { name: "fsd", mask: F3, match: 0x00003027, ...D.STORE },
  { name: "fmadd.d", mask: R4, match: 0x02000043, ...D.FMA },
  { name: "fmsub.d", mask: R4, match: 0x02000047, ...D.FMA },
  { name: "fnmsub.d", mask: R4, match: 0x0200004b, ...D.FMA },
  { name: "fnmadd.d", mask: R4, match: 0x0200004f, ...D.FMA },
  { name: "fadd.d", mask: RMM, match: 0x02000053, ...D.ARITH },
  { name: "fsub.d", mask: RMM, match: 0x0a000053, ...D.ARITH },
  { name: "fmul.d", mask: RMM, match: 0x12000053, ...D.ARITH },
  { name: "fdiv.d", mask: RMM, match: 0x1a000053, ...D.ARITH },
  { name: "fsqrt.d", mask: R1M, match: 0x5a000053, ...D.F_F },
  { name: "fsgnj.d", mask: R, match: 0x22000053, ...D.PICK },
  { name: "fsgnjn.d", mask: R, match: 0x22001053, ...D.PICK },
  { name: "fsgnjx.d", mask: R, match: 0x22002053, ...D.PICK },
  { name: "fmin.d", mask: R, match: 0x2a000053, ...D.PICK },
  { name: "fmax.d", mask: R, match: 0x2a001053, ...D.PICK },
  { name: "fcvt.s.d", mask: R1M, match: 0x40100053, ...D.F_F },
  { name: "fcvt.d.s", mask: R1M, match: 0x42000053, ...D.F_F },
  { name: "feq.d", mask: R, match: 0xa2002053, ...D.CMP },
  { name: "flt.d", mask: R, match: 0xa2001053, ...D.CMP },
  { name: "fle.d", mask: R, match: 0xa2000053, ...D.CMP },
  { name: "fclass.d", mask: R1F, match: 0xe2001053, ...D.X_F },
  { name: "fcvt.w.d", mask: R1M, match: 0xc2000053, ...D.X_F },
  { name: "fcvt.wu.d", mask: R1M, match: 0xc2100053, ...D.X_F },
  { name: "fcvt.l.d", mask: R1M, match: 0xc2200053, ...D.X_F },
  { name: "fcvt.lu.d", mask: R1M, match: 0xc2300053, ...D.X_F },
  { name: "fcvt.d.w", mask: R1M, match: 0xd2000053, ...D.F_X },
  { name: "fcvt.d.wu", mask: R1M, match: 0xd2100053, ...D.F_X },
  { name: "fcvt.d.l", mask: R1M, match: 0xd2200053, ...D.F_X },
  { name: "fcvt.d.lu", mask: R1M, match: 0xd2300053, ...D.F_X },
  { name: "fmv.x.d", mask: R1F, match: 0xe2000053, ...D.X_F },
  { name: "fmv.d.x", mask: R1F, match: 0xf2000053, ...D.F_X },
] as const satisfies readonly InsnSpec[];
