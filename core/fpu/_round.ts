/**
 * Rounding helpers for the fast paths. Each takes a double `x` and the sign
 * of `err`, where the exact result is x + e for some e with the sign of
 * `err` and |e| below half an ulp of `x` in binary64 (`err` is 0 when `x` is
 * exact). Error-free transforms (TwoSum, Dekker's TwoProduct) supply `err`.
 *
 * @module
 */

import {
  MAX_S,
  MIN_NORMAL_S,
  nextDownD,
  nextDownS,
  nextUpD,
  nextUpS,
  toBitsS,
} from "./_bits.ts";
import type { FlagSink } from "./_exact.ts";
import { NX, OF, RDN, RMM, RNE, RTZ, RUP, UF } from "./fcsr.ts";

/** Veltkamp's splitting constant 2^27 + 1 for binary64. */
const SPLIT = 134217729;

/**
 * Dekker's TwoProduct error: a * b - p exactly, where p = fl(a * b).
 * Exact when |a|, |b| < 2^995 and the error does not underflow (|p| >= 2^-969);
 * NaN when a split overflows.
 */
export function productError(a: number, b: number, p: number): number {
  let c = SPLIT * a;
  const ah = c - (c - a), al = a - ah;
  c = SPLIT * b;
  const bh = c - (c - b), bl = b - bh;
  return ((ah * bh - p) + ah * bl + al * bh) + al * bl;
}

/** Knuth's TwoSum error: a + b - s exactly, where s = fl(a + b). */
export function sumError(a: number, b: number, s: number): number {
  const bv = s - a;
  return (a - (s - bv)) + (b - bv);
}

/**
 * Directed rounding (RTZ, RDN, RUP; RNE returns `x`) of x + e in binary64,
 * given that `x` is the round-to-nearest result. Raises NX, and OF when the
 * step leaves the finite range. Callers keep results away from the
 * subnormal range and send RMM to the exact path.
 */
export function nudgeD(
  x: number,
  err: number,
  rm: number,
  sink: FlagSink,
): number {
  if (err === 0) return x;
  let r = x;
  if (rm === RDN) {
    if (err < 0) r = nextDownD(x);
  } else if (rm === RUP) {
    if (err > 0) r = nextUpD(x);
  } else if (rm === RTZ) {
    if ((err < 0) === (x > 0)) r = x > 0 ? nextDownD(x) : nextUpD(x);
  }
  sink.flags[sink.index] |= r - r === 0 ? NX : NX | OF;
  return r;
}

/** x + e rounded to the binary32 grid (with subnormals, no overflow handling). */
function pickS(x: number, err: number, rm: number): number {
  const r = Math.fround(x);
  if (r === x) {
    if (err === 0 || rm === RNE || rm === RMM) return r;
    if (rm === RDN) return err < 0 ? nextDownS(r) : r;
    if (rm === RUP) return err > 0 ? nextUpS(r) : r;
    return (err < 0) === (x > 0) ? (x > 0 ? nextDownS(r) : nextUpS(r)) : r;
  }
  let lo: number, hi: number;
  if (r < x) {
    lo = r;
    hi = nextUpS(r);
  } else {
    hi = r;
    lo = nextDownS(r);
  }
  if (rm === RDN) return lo;
  if (rm === RUP) return hi;
  if (rm === RTZ) return x > 0 ? lo : hi;
  const mid = (lo + hi) / 2;
  if (x !== mid) return r;
  if (err > 0) return hi;
  if (err < 0) return lo;
  return rm === RNE ? r : (x > 0 ? hi : lo);
}

/** Rounds an exact |x + e| above the largest binary32 (IEEE 754 7.4). */
function overflowS(
  x: number,
  err: number,
  rm: number,
  sink: FlagSink,
): number {
  const neg = x < 0, ax = neg ? -x : x;
  const errDown = err !== 0 && (err < 0) !== neg;
  const towardZero = rm === RTZ || (rm === RDN && !neg) || (rm === RUP && neg);
  let over: boolean;
  if (towardZero) over = ax > 2 ** 128 || (ax === 2 ** 128 && !errDown);
  else if (rm === RNE || rm === RMM) {
    const mid = 2 ** 128 - 2 ** 103;
    over = ax > mid || (ax === mid && !errDown);
  } else over = true;
  sink.flags[sink.index] |= over ? NX | OF : NX;
  const v = over && !towardZero ? Infinity : MAX_S;
  return toBitsS(neg ? -v : v);
}

/**
 * x + e correctly rounded to binary32 under `rm`, with NX, UF (tininess
 * after rounding) and OF; returns the binary32 bits as int32. Infinite `x`
 * is taken as exact. An exact zero is returned as given (callers apply the
 * RDN sign rule for sums).
 */
export function roundToS(
  x: number,
  err: number,
  rm: number,
  sink: FlagSink,
): number {
  const ax = x < 0 ? -x : x;
  if (ax === Infinity) return toBitsS(x);
  if (ax > MAX_S || (ax === MAX_S && err !== 0 && (err > 0) === (x > 0))) {
    return overflowS(x, err, rm, sink);
  }
  const r = pickS(x, err, rm);
  if (r !== x || err !== 0) {
    let bits = NX;
    if (
      ax < MIN_NORMAL_S ||
      (ax === MIN_NORMAL_S && err !== 0 && (err > 0) !== (x > 0))
    ) {
      // Tininess after rounding: round at 2^64 times the scale, where the
      // binary32 grid has no subnormals, and compare with 2^-126 * 2^64.
      const wide = pickS(x * 2 ** 64, err, rm);
      if ((wide < 0 ? -wide : wide) < 2 ** -62) bits |= UF;
    }
    sink.flags[sink.index] |= bits;
  }
  return toBitsS(r);
}
