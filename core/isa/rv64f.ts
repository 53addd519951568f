/**
 * RV64F single-precision floating point (RISC-V Unprivileged ISA, chapter 20).
 *
 * @module
 */

import { type FpShapes, fpShapes } from "./_shapes.ts";
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

/** Binary32 row shapes; loads and stores move 4 bytes. */
const S: FpShapes = fpShapes("F", 4);

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
  { name: "flw", mask: F3, match: 0x00002007, ...S.LOAD },
  { name: "fsw", mask: F3, match: 0x00002027, ...S.STORE },
  { name: "fmadd.s", mask: R4, match: 0x00000043, ...S.FMA },
  { name: "fmsub.s", mask: R4, match: 0x00000047, ...S.FMA },
  { name: "fnmsub.s", mask: R4, match: 0x0000004b, ...S.FMA },
  { name: "fnmadd.s", mask: R4, match: 0x0000004f, ...S.FMA },
  { name: "fadd.s", mask: RMM, match: 0x00000053, ...S.ARITH },
  { name: "fsub.s", mask: RMM, match: 0x08000053, ...S.ARITH },
  { name: "fmul.s", mask: RMM, match: 0x10000053, ...S.ARITH },
  { name: "fdiv.s", mask: RMM, match: 0x18000053, ...S.ARITH },
  { name: "fsqrt.s", mask: R1M, match: 0x58000053, ...S.F_F },
  { name: "fsgnj.s", mask: R, match: 0x20000053, ...S.PICK },
  { name: "fsgnjn.s", mask: R, match: 0x20001053, ...S.PICK },
  { name: "fsgnjx.s", mask: R, match: 0x20002053, ...S.PICK },
  { name: "fmin.s", mask: R, match: 0x28000053, ...S.PICK },
  { name: "fmax.s", mask: R, match: 0x28001053, ...S.PICK },
  { name: "feq.s", mask: R, match: 0xa0002053, ...S.CMP },
  { name: "flt.s", mask: R, match: 0xa0001053, ...S.CMP },
  { name: "fle.s", mask: R, match: 0xa0000053, ...S.CMP },
  { name: "fclass.s", mask: R1F, match: 0xe0001053, ...S.X_F },
  { name: "fcvt.w.s", mask: R1M, match: 0xc0000053, ...S.X_F },
  { name: "fcvt.wu.s", mask: R1M, match: 0xc0100053, ...S.X_F },
  { name: "fcvt.l.s", mask: R1M, match: 0xc0200053, ...S.X_F },
  { name: "fcvt.lu.s", mask: R1M, match: 0xc0300053, ...S.X_F },
  { name: "fcvt.s.w", mask: R1M, match: 0xd0000053, ...S.F_X },
  { name: "fcvt.s.wu", mask: R1M, match: 0xd0100053, ...S.F_X },
  { name: "fcvt.s.l", mask: R1M, match: 0xd0200053, ...S.F_X },
  { name: "fcvt.s.lu", mask: R1M, match: 0xd0300053, ...S.F_X },
  { name: "fmv.x.w", mask: R1F, match: 0xe0000053, ...S.X_F },
  { name: "fmv.w.x", mask: R1F, match: 0xf0000053, ...S.F_X },
] as const satisfies readonly InsnSpec[];
