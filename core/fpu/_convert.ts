/**
 * Float <-> integer conversions (RISC-V spec 11.7 and 12.7, table 11.4 for
 * the saturated results of invalid conversions).
 *
 * @module
 */

import type { FlagSink } from "./_exact.ts";
import { BINARY64, exactFromInt } from "./_exact.ts";
import { nudgeD, roundToS, sumError } from "./_round.ts";
import { NV, NX, RDN, RMM, RTZ, RUP } from "./fcsr.ts";

/** Finite or infinite `x` rounded to an integral value under `rm`. */
export function roundIntegral(x: number, rm: number): number {
  if (!(x < 2 ** 52 && x > -(2 ** 52))) return x;
  if (rm === RTZ) return Math.trunc(x);
  if (rm === RDN) return Math.floor(x);
  if (rm === RUP) return Math.ceil(x);
  if (rm === RMM) {
    const t = Math.trunc(x), d = x - t;
    return d >= 0.5 ? t + 1 : d <= -0.5 ? t - 1 : t;
  }
  const f = Math.floor(x), d = x - f;
  return d > 0.5 || (d === 0.5 && f % 2 !== 0) ? f + 1 : f;
}

/**
 * `x` rounded to an integer in [lo, limit); out of range or NaN raises NV
 * and gives `lo` (below) or `saturated` (above, or NaN). NX when inexact.
 */
export function toInteger(
  sink: FlagSink,
  x: number,
  rm: number,
  lo: number,
  limit: number,
  saturated: number,
): number {
  const r = roundIntegral(x, rm);
  if (r < limit && r >= lo) {
    if (r !== x) sink.flags[sink.index] |= NX;
    return r + 0;
  }
  sink.flags[sink.index] |= NV;
  return r < lo ? lo : saturated;
}

/**
 * The 64-bit integer hi * 2^32 + lo (lo unsigned) as a binary64 rounding
 * of it, `x`, plus the exact error of that rounding.
 */
function join(hi: number, lo: number): { x: number; err: number } {
  const h = hi * 4294967296, l = lo >>> 0;
  const x = h + l;
  return { x, err: sumError(h, l, x) };
}

/** fcvt.d.l / fcvt.d.lu: `hi` already signed or unsigned as wanted. */
export function int64ToD(
  sink: FlagSink,
  hi: number,
  lo: number,
  rm: number,
): number {
  const { x, err } = join(hi, lo);
  if (err === 0) return x;
  if (rm === RMM) {
    const v = (BigInt(hi) << 32n) + BigInt(lo >>> 0);
    return exactFromInt(v, BINARY64, rm, sink);
  }
  return nudgeD(x, err, rm, sink);
}

/** fcvt.s.l / fcvt.s.lu: `hi` already signed or unsigned as wanted. */
export function int64ToS(
  sink: FlagSink,
  hi: number,
  lo: number,
  rm: number,
): number {
  const { x, err } = join(hi, lo);
  return roundToS(x, err, rm, sink);
}

/** fcvt.s.w / fcvt.s.wu: `v` is an exact integer below 2^32 in magnitude. */
export function int32ToS(sink: FlagSink, v: number, rm: number): number {
  return roundToS(v, 0, rm, sink);
}
