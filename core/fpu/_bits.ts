/**
 * Bit-level views of binary64 and binary32 values: NaN classification,
 * neighbouring values and the raw-bits <-> number conversions the FPU needs.
 * Little-endian hosts only (word 1 of a Float64Array is the high word).
 *
 * @module
 */

const f64 = new Float64Array(1);
const u64 = new Uint32Array(f64.buffer);
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const i32 = new Int32Array(f32.buffer);

/** The canonical binary32 NaN, RISC-V spec 11.3. */
export const CANONICAL_NAN_S = 0x7fc00000;
/** Largest finite binary32 value. */
export const MAX_S = 3.4028234663852886e38;
/** Smallest positive normal binary32 value, 2^-126. */
export const MIN_NORMAL_S = 2 ** -126;

/**
 * True when the binary64 pattern `hi:lo` (its two 32-bit halves) is a
 * signaling NaN: exponent all ones, quiet bit 51 clear, fraction not zero
 * (IEEE 754-2019 6.2.1). It takes bits, never a number: V8 may quiet a NaN
 * whenever optimized code moves a double, so a number's NaN payload is not
 * evidence.
 *
 * @example
 * ```ts
 * import { isSignalingD } from "./_bits.ts";
 * console.log(isSignalingD(0x7ff00000, 1), isSignalingD(0x7ff80000, 0)); // true false
 * ```
 */
export function isSignalingD(hi: number, lo: number): boolean {
  return (hi & 0x7ff80000) === 0x7ff00000 && ((hi & 0x000fffff) | lo) !== 0;
}

/** True when the binary32 pattern `bits` is any NaN. */
export function isNanS(bits: number): boolean {
  return (bits & 0x7fffffff) > 0x7f800000;
}

/** True when the binary32 pattern `bits` is a signaling NaN. */
export function isSignalingS(bits: number): boolean {
  return (bits & 0x7fffffff) > 0x7f800000 && (bits & 0x00400000) === 0;
}

/** The binary32 value of the pattern `bits` (int32 or uint32), as a number. */
export function fromBitsS(bits: number): number {
  u32[0] = bits;
  return f32[0];
}

/** The binary32 pattern (as int32) of `x`, which must already be a binary32 value. */
export function toBitsS(x: number): number {
  f32[0] = x;
  return i32[0];
}

/** The binary64 value next to finite `x` in the direction of +inf. */
export function nextUpD(x: number): number {
  if (x === 0) return 5e-324;
  f64[0] = x;
  if (x > 0) stepAway64();
  else stepToward64();
  return f64[0];
}

/** The binary64 value next to finite `x` in the direction of -inf. */
export function nextDownD(x: number): number {
  if (x === 0) return -5e-324;
  f64[0] = x;
  if (x > 0) stepToward64();
  else stepAway64();
  return f64[0];
}

function stepAway64(): void {
  const lo = u64[0];
  if (lo === 0xffffffff) {
    u64[0] = 0;
    u64[1] += 1;
  } else {
    u64[0] = lo + 1;
  }
}

function stepToward64(): void {
  const lo = u64[0];
  if (lo === 0) {
    u64[0] = 0xffffffff;
    u64[1] -= 1;
  } else {
    u64[0] = lo - 1;
  }
}

/** The binary32 value next to binary32 `x` in the direction of +inf. */
export function nextUpS(x: number): number {
  if (x === 0) return 2 ** -149;
  f32[0] = x;
  i32[0] += x > 0 ? 1 : -1;
  return f32[0];
}

/** The binary32 value next to binary32 `x` in the direction of -inf. */
export function nextDownS(x: number): number {
  if (x === 0) return -(2 ** -149);
  f32[0] = x;
  i32[0] += x > 0 ? -1 : 1;
  return f32[0];
}

/**
 * The one-hot fclass mask (RISC-V spec 11.9, table 11.5) from the fields of
 * an encoding: sign, exponent all ones / all zeros, fraction zero, quiet bit.
 */
export function classMask(
  negative: boolean,
  exponentAllOnes: boolean,
  exponentZero: boolean,
  fractionZero: boolean,
  quietBit: boolean,
): number {
  if (exponentAllOnes) {
    if (!fractionZero) return quietBit ? 1 << 9 : 1 << 8;
    return negative ? 1 << 0 : 1 << 7;
  }
  if (exponentZero) {
    if (fractionZero) return negative ? 1 << 3 : 1 << 4;
    return negative ? 1 << 2 : 1 << 5;
  }
  return negative ? 1 << 1 : 1 << 6;
}

/** fclass.d of the binary64 pattern `hi:lo` (its two 32-bit halves). */
export function classD(hi: number, lo: number): number {
  const e = (hi >>> 20) & 0x7ff;
  const fracZero = (hi & 0xfffff) === 0 && lo === 0;
  return classMask(
    hi >>> 31 === 1,
    e === 0x7ff,
    e === 0,
    fracZero,
    (hi & 0x00080000) !== 0,
  );
}

/** fclass.s of the binary32 pattern `bits`. */
export function classS(bits: number): number {
  const e = (bits >>> 23) & 0xff;
  return classMask(
    bits >>> 31 === 1,
    e === 0xff,
    e === 0,
    (bits & 0x7fffff) === 0,
    (bits & 0x00400000) !== 0,
  );
}

/** Low 32 bits of the binary64 encoding of `x`. */
export function lowWord(x: number): number {
  f64[0] = x;
  return u64[0];
}
