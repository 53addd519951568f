/**
 * Binary32 arithmetic (RISC-V spec 11.6, 11.8, 11.9) on raw bit patterns.
 * Operands are exact binary64 values once unpacked, so each result is
 * computed in binary64 together with the sign of its error (exact for
 * products; TwoSum or an exact remainder otherwise) and rounded once with
 * `roundToS`. Plain `Math.fround` is used where double rounding is
 * provably innocuous (RNE, binary64 precision >= 2 * 24 + 2).
 *
 * @module
 */

import {
  CANONICAL_NAN_S,
  fromBitsS,
  isNanS,
  isSignalingS,
  MIN_NORMAL_S,
  toBitsS,
} from "./_bits.ts";
import type { FlagSink } from "./_exact.ts";
import { productError, roundToS, sumError } from "./_round.ts";
import { DZ, NV, NX, OF, RDN, RNE } from "./fcsr.ts";

/** Canonical NaN, with NV when an operand is signaling or `invalid` holds. */
export function nanS(
  sink: FlagSink,
  invalid: boolean,
  a: number,
  b: number,
  c = 0,
): number {
  if (invalid || isSignalingS(a) || isSignalingS(b) || isSignalingS(c)) {
    sink.flags[sink.index] |= NV;
  }
  return CANONICAL_NAN_S;
}

/** x + y for binary32 values held as numbers (fadd.s; fsub.s negates y). */
export function sumS(sink: FlagSink, x: number, y: number, rm: number): number {
  const s = x + y;
  if (s - s !== 0) {
    // A finite binary32 sum cannot overflow binary64: an operand is infinite.
    return s === s ? toBitsS(s) : nanS(sink, true, 0, 0);
  }
  const err = sumError(x, y, s);
  if (rm === RNE) {
    const r = Math.fround(s);
    if (r !== s || err !== 0) {
      sink.flags[sink.index] |= r - r === 0 ? NX : NX | OF;
    }
    return toBitsS(r);
  }
  if (s === 0) return toBitsS(rm === RDN ? -(-x + -y) : s);
  return roundToS(s, err, rm, sink);
}

/** fmul.s on values: the binary64 product is exact. */
export function mulS(sink: FlagSink, x: number, y: number, rm: number): number {
  const p = x * y;
  if (p !== p) return nanS(sink, true, 0, 0);
  if (rm === RNE) {
    const r = Math.fround(p);
    if (r === p) return toBitsS(r);
    if ((p < 0 ? -p : p) >= MIN_NORMAL_S) {
      sink.flags[sink.index] |= r - r === 0 ? NX : NX | OF;
      return toBitsS(r);
    }
  }
  return roundToS(p, 0, rm, sink);
}

/** fdiv.s on values; the remainder x - q*y is exact in binary64. */
export function divS(sink: FlagSink, x: number, y: number, rm: number): number {
  const q = x / y;
  if (q !== q) return nanS(sink, true, 0, 0);
  if (q - q !== 0 || q === 0) {
    if (y === 0 && x - x === 0) sink.flags[sink.index] |= DZ;
    return toBitsS(q);
  }
  const p = q * y;
  const rem = (x - p) - productError(q, y, p);
  const err = y > 0 ? rem : -rem;
  if (rm === RNE && err === 0) {
    const r = Math.fround(q);
    if (r === q) return toBitsS(r);
  }
  if (rm === RNE && (q < 0 ? -q : q) >= MIN_NORMAL_S) {
    const r = Math.fround(q);
    sink.flags[sink.index] |= r - r === 0 ? NX : NX | OF;
    return toBitsS(r);
  }
  return roundToS(q, err, rm, sink);
}

/** fsqrt.s on a value; the remainder x - r*r is exact in binary64. */
export function sqrtS(sink: FlagSink, x: number, rm: number): number {
  if (x < 0) return nanS(sink, true, 0, 0);
  if (x === 0 || x === Infinity) return toBitsS(x);
  const r = Math.sqrt(x);
  const p = r * r;
  const err = (x - p) - productError(r, r, p);
  if (rm === RNE) {
    // The result is normal: binary32 square roots lie in [2^-75, 2^64].
    const f = Math.fround(r);
    if (f !== r || err !== 0) sink.flags[sink.index] |= NX;
    return toBitsS(f);
  }
  return roundToS(r, err, rm, sink);
}

/**
 * x * y + z rounded once, for binary32 patterns `a`, `b`, `c`: the product
 * is exact in binary64 and TwoSum gives the sum's error, so one call of
 * `roundToS` rounds the exact result.
 */
export function fmaS(
  sink: FlagSink,
  a: number,
  b: number,
  c: number,
  rm: number,
): number {
  if (isNanS(a) || isNanS(b) || isNanS(c)) {
    const ea = a & 0x7fffffff, eb = b & 0x7fffffff;
    const zeroTimesInf = (ea === 0 && eb === 0x7f800000) ||
      (eb === 0 && ea === 0x7f800000);
    return nanS(sink, zeroTimesInf, a, b, c);
  }
  const x = fromBitsS(a), y = fromBitsS(b), z = fromBitsS(c);
  const p = x * y;
  const s = p + z;
  if (s - s !== 0) return s === s ? toBitsS(s) : nanS(sink, true, 0, 0);
  if (s === 0) return toBitsS(rm === RDN ? -(-p + -z) : s);
  const err = sumError(p, z, s);
  if (rm === RNE && err === 0) {
    const r = Math.fround(s);
    if (r === s) return toBitsS(r);
    if ((s < 0 ? -s : s) >= MIN_NORMAL_S) {
      sink.flags[sink.index] |= r - r === 0 ? NX : NX | OF;
      return toBitsS(r);
    }
  }
  return roundToS(s, err, rm, sink);
}

/** fmin.s / fmax.s (spec 11.7): -0 < +0, a NaN operand yields the other. */
export function minMaxS(
  sink: FlagSink,
  a: number,
  b: number,
  max: boolean,
): number {
  const nanA = isNanS(a), nanB = isNanS(b);
  if (nanA || nanB) {
    if (isSignalingS(a) || isSignalingS(b)) sink.flags[sink.index] |= NV;
    if (nanA) return nanB ? CANONICAL_NAN_S : b | 0;
    return a | 0;
  }
  const x = fromBitsS(a), y = fromBitsS(b);
  if (x === y) {
    // Equal values differ only for zeros: pick by the sign bit.
    return ((a < 0 || a > 0x7fffffff) === max ? b : a) | 0;
  }
  return (x < y) === max ? b | 0 : a | 0;
}

/** feq.s / flt.s / fle.s (spec 11.8): 0 eq, 1 lt, 2 le. */
export function compareS(
  sink: FlagSink,
  a: number,
  b: number,
  kind: number,
): number {
  if (isNanS(a) || isNanS(b)) {
    if (kind !== 0 || isSignalingS(a) || isSignalingS(b)) {
      sink.flags[sink.index] |= NV;
    }
    return 0;
  }
  const x = fromBitsS(a), y = fromBitsS(b);
  if (kind === 0) return x === y ? 1 : 0;
  if (kind === 1) return x < y ? 1 : 0;
  return x <= y ? 1 : 0;
}
