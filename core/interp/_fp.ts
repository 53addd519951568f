/**
 * FP register access shared by the F and D semantics: NaN-boxing (Unpriv.
 * 21.2), canonical NaNs, and rounding-mode resolution (Unpriv. 20.2).
 *
 * @module
 */

import { isSignalingD } from "../fpu/mod.ts";
import { NV } from "../fpu/fcsr.ts";
import type { Decoded } from "../isa/types.ts";
import { FFLAGS_OFF } from "../layout.ts";
import type { Hart } from "./_hart.ts";

/** The canonical single-precision NaN (Unpriv. 20.3). */
export const CANONICAL_NAN_S = 0x7fc00000;
/** High word of the canonical double-precision NaN. */
const CANONICAL_NAN_D_HI = 0x7ff80000;

/** Reads f[r] as f32 bits: improperly NaN-boxed values read as the canonical NaN. */
export function getS(h: Hart, r: number): number {
  return h.f32[2 * r + 1] === -1 ? h.f32[2 * r] : CANONICAL_NAN_S;
}

/** Writes f32 bits to f[r], NaN-boxed (upper 32 bits all ones). */
export function setS(h: Hart, r: number, bits: number): void {
  h.f32[2 * r] = bits;
  h.f32[2 * r + 1] = -1;
}

/** Reads f[r] as a double. */
export function getD(h: Hart, r: number): number {
  return h.f[r];
}

/**
 * Raises NV when f[r] holds a signaling binary64 NaN, judged from the
 * register's bits: the Fpu sees doubles as numbers, whose NaN payloads V8
 * may quiet, so it takes every NaN operand as quiet (see `Fpu`).
 */
export function signalD(h: Hart, r: number): void {
  if (isSignalingD(h.f32[2 * r + 1], h.f32[2 * r])) {
    h.i32[FFLAGS_OFF >> 2] |= NV;
  }
}

/** Writes a double result to f[r]; any NaN becomes the canonical NaN. */
export function setD(h: Hart, r: number, v: number): void {
  if (v !== v) {
    h.f32[2 * r] = 0;
    h.f32[2 * r + 1] = CANONICAL_NAN_D_HI;
  } else {
    h.f[r] = v;
  }
}

/**
 * The effective rounding mode of `d`: its rm field, or frm when dynamic (7).
 * Returns -1 for a reserved mode (5, 6, or dynamic with frm >= 5): the
 * instruction is then illegal.
 */
export function rmOf(h: Hart, d: Decoded): number {
  const rm = d.rm === 7 ? h.cpu.frm : d.rm;
  return rm >= 5 ? -1 : rm;
}

/** Writes an integral double in [-2^63, 2^63] (2^63 meaning 2^63-1) to rd. */
export function setL(h: Hart, rd: number, v: number): void {
  if (Math.abs(v) < 2 ** 53) {
    h.x32[2 * rd] = v | 0;
    h.x32[2 * rd + 1] = Math.floor(v / 0x1_0000_0000) | 0;
  } else if (v >= 2 ** 63) {
    h.x[rd] = (1n << 63n) - 1n;
  } else {
    h.x[rd] = BigInt(v);
  }
}

/** Writes an integral double in [0, 2^64] (2^64 meaning 2^64-1) to rd. */
export function setLU(h: Hart, rd: number, v: number): void {
  if (v < 2 ** 53) {
    h.x32[2 * rd] = v | 0;
    h.x32[2 * rd + 1] = Math.floor(v / 0x1_0000_0000) | 0;
  } else {
    h.x[rd] = v >= 2 ** 64 ? -1n : BigInt.asIntN(64, BigInt(v));
  }
}
