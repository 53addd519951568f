/**
 * Exact IEEE 754 arithmetic on BigInt-scaled values, rounded once to a
 * binary format with any RISC-V rounding mode. This is the FPU's slow path
 * and the reference its fast paths are tested against. Inputs are numbers
 * holding values of the target format; NaN inputs must be filtered by the
 * caller (they give the canonical NaN here, without flags).
 *
 * @module
 */

import { DZ, NV, NX, OF, RDN, RMM, RNE, RUP, UF } from "./fcsr.ts";

/** A binary interchange format: precision (with hidden bit) and exponent range. */
export interface Format {
  /** Significand bits including the hidden bit. */
  readonly p: number;
  /** Exponent of the smallest normal value. */
  readonly emin: number;
  /** Exponent of the largest finite value. */
  readonly emax: number;
}

/** binary64, IEEE 754-2019 table 3.5. */
export const BINARY64: Format = { p: 53, emin: -1022, emax: 1023 };
/** binary32, IEEE 754-2019 table 3.5. */
export const BINARY32: Format = { p: 24, emin: -126, emax: 127 };

/** Accumulates fflags bits; `flags[index] |= bits`. */
export interface FlagSink {
  /** The accrued-exception word array. */
  readonly flags: Int32Array;
  /** Index of the word in `flags`. */
  readonly index: number;
}

function raise(sink: FlagSink, bits: number): void {
  sink.flags[sink.index] |= bits;
}

/** Sign, integer significand and exponent of finite nonzero `x`: |x| = mag * 2^exp. */
export function decompose(
  x: number,
): { neg: boolean; mag: bigint; exp: number } {
  const neg = x < 0;
  let a = neg ? -x : x;
  // Scale into [2^52, 2^53) by powers of two (exact), tracking the exponent.
  let exp = 0;
  if (a < 2 ** 52) {
    while (a < 2 ** -900) {
      a *= 2 ** 900;
      exp -= 900;
    }
    const shift = 52 - Math.floor(Math.log2(a));
    a *= 2 ** shift;
    exp -= shift;
  } else {
    while (a >= 2 ** 900) {
      a *= 2 ** -900;
      exp += 900;
    }
    const shift = Math.floor(Math.log2(a)) - 52;
    a *= 2 ** -shift;
    exp += shift;
  }
  // Math.log2 may be off by one near powers of two: fix up.
  while (a >= 2 ** 53) {
    a /= 2;
    exp += 1;
  }
  while (a < 2 ** 52) {
    a *= 2;
    exp -= 1;
  }
  return { neg, mag: BigInt(a), exp };
}

/** Number of bits in positive `m`. */
export function bitLength(m: bigint): number {
  const s = m.toString(16);
  return (s.length - 1) * 4 + (32 - Math.clz32(parseInt(s[0], 16)));
}

/** Rounds mag * 2^exp (+ sticky below) to an integer multiple of 2^lsb. */
function roundAt(
  neg: boolean,
  mag: bigint,
  exp: number,
  sticky: boolean,
  lsb: number,
  rm: number,
): { q: bigint; inexact: boolean } {
  const shift = lsb - exp;
  let q: bigint, above: boolean, tie: boolean, inexact: boolean;
  if (shift <= 0) {
    q = mag << BigInt(-shift);
    above = false;
    tie = false;
    inexact = sticky;
  } else {
    const s = BigInt(shift);
    q = mag >> s;
    const rem = mag & ((1n << s) - 1n);
    const half = 1n << (s - 1n);
    inexact = rem !== 0n || sticky;
    above = rem > half || (rem === half && sticky);
    tie = rem === half && !sticky;
  }
  let up = false;
  if (rm === RNE) up = above || (tie && (q & 1n) === 1n);
  else if (rm === RMM) up = above || tie;
  else if (rm === RDN) up = inexact && neg;
  else if (rm === RUP) up = inexact && !neg;
  return { q: up ? q + 1n : q, inexact };
}

/** The value that overflowing results round to under `rm`. */
function overflowValue(neg: boolean, fmt: Format, rm: number): number {
  const max = (2 - 2 ** (1 - fmt.p)) * 2 ** fmt.emax;
  const toInf = rm === RNE || rm === RMM || (rm === RUP && !neg) ||
    (rm === RDN && neg);
  const v = toInf ? Infinity : max;
  return neg ? -v : v;
}

/**
 * Rounds (-1)^neg * (mag + sticky) * 2^exp to `fmt` under `rm`, raising NX,
 * UF (tininess after rounding) and OF. `mag` must be positive; when `sticky`
 * is set, `mag` must carry at least p + 2 bits.
 */
export function roundExact(
  neg: boolean,
  mag: bigint,
  exp: number,
  sticky: boolean,
  fmt: Format,
  rm: number,
  sink: FlagSink,
): number {
  const top = exp + bitLength(mag) - 1;
  const lsb = Math.max(top - (fmt.p - 1), fmt.emin - (fmt.p - 1));
  const { q, inexact } = roundAt(neg, mag, exp, sticky, lsb, rm);
  if (q !== 0n && bitLength(q) + lsb - 1 > fmt.emax) {
    raise(sink, OF | NX);
    return overflowValue(neg, fmt, rm);
  }
  if (inexact) {
    let flags = NX;
    if (top < fmt.emin) {
      // Tininess after rounding: round as if the exponent were unbounded.
      const wide = roundAt(neg, mag, exp, sticky, top - (fmt.p - 1), rm);
      if (bitLength(wide.q) + top - (fmt.p - 1) - 1 < fmt.emin) flags |= UF;
    }
    raise(sink, flags);
  }
  const v = q === 0n ? 0 : Number(q) * 2 ** lsb;
  return neg ? -v : v;
}

/** Exact a + b rounded once; the exact-zero sign follows IEEE 754 6.3. */
export function exactAdd(
  a: number,
  b: number,
  fmt: Format,
  rm: number,
  sink: FlagSink,
): number {
  if (a !== a || b !== b) return NaN;
  if (a === Infinity || a === -Infinity || b === Infinity || b === -Infinity) {
    if (a === -b) {
      raise(sink, NV);
      return NaN;
    }
    return a === Infinity || a === -Infinity ? a : b;
  }
  if (a === 0 && b === 0) return zeroSum(a, b, rm);
  if (a === 0) return b;
  if (b === 0) return a;
  const x = decompose(a), y = decompose(b);
  const e = Math.min(x.exp, y.exp);
  const mx = x.mag << BigInt(x.exp - e), my = y.mag << BigInt(y.exp - e);
  const sum = (x.neg ? -mx : mx) + (y.neg ? -my : my);
  if (sum === 0n) return rm === RDN ? -0 : 0;
  const neg = sum < 0n;
  return roundExact(neg, neg ? -sum : sum, e, false, fmt, rm, sink);
}

/** The sum of two zeros: +0 unless both are -0, or -0 under RDN when signs differ. */
function zeroSum(a: number, b: number, rm: number): number {
  const negA = 1 / a < 0, negB = 1 / b < 0;
  if (negA === negB) return a;
  return rm === RDN ? -0 : 0;
}

/** Exact a * b rounded once. */
export function exactMul(
  a: number,
  b: number,
  fmt: Format,
  rm: number,
  sink: FlagSink,
): number {
  if (a !== a || b !== b) return NaN;
  const neg = (a < 0 || 1 / a < 0) !== (b < 0 || 1 / b < 0);
  const infA = a === Infinity || a === -Infinity;
  const infB = b === Infinity || b === -Infinity;
  if (infA || infB) {
    if (a === 0 || b === 0) {
      raise(sink, NV);
      return NaN;
    }
    return neg ? -Infinity : Infinity;
  }
  if (a === 0 || b === 0) return neg ? -0 : 0;
  const x = decompose(a), y = decompose(b);
  return roundExact(neg, x.mag * y.mag, x.exp + y.exp, false, fmt, rm, sink);
}

/** Exact a / b rounded once (DZ for finite nonzero / 0). */
export function exactDiv(
  a: number,
  b: number,
  fmt: Format,
  rm: number,
  sink: FlagSink,
): number {
  if (a !== a || b !== b) return NaN;
  const neg = (a < 0 || 1 / a < 0) !== (b < 0 || 1 / b < 0);
  const infA = a === Infinity || a === -Infinity;
  const infB = b === Infinity || b === -Infinity;
  if ((infA && infB) || (a === 0 && b === 0)) {
    raise(sink, NV);
    return NaN;
  }
  if (infA) return neg ? -Infinity : Infinity;
  if (infB || a === 0) return neg ? -0 : 0;
  if (b === 0) {
    raise(sink, DZ);
    return neg ? -Infinity : Infinity;
  }
  const x = decompose(a), y = decompose(b);
  const k = BigInt(fmt.p + 3 + 53);
  const num = x.mag << k;
  const q = num / y.mag;
  const sticky = q * y.mag !== num;
  return roundExact(neg, q, x.exp - y.exp - Number(k), sticky, fmt, rm, sink);
}

/** Integer square root: floor(sqrt(n)) for n >= 0. */
function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = 1n << BigInt((bitLength(n) >> 1) + 1);
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

/** Exact sqrt(a) rounded once (NV for a < 0; sqrt(-0) = -0). */
export function exactSqrt(
  a: number,
  fmt: Format,
  rm: number,
  sink: FlagSink,
): number {
  if (a !== a) return NaN;
  if (a === 0 || a === Infinity) return a;
  if (a < 0) {
    raise(sink, NV);
    return NaN;
  }
  const x = decompose(a);
  let mag = x.mag, exp = x.exp;
  if ((exp & 1) !== 0) {
    mag <<= 1n;
    exp -= 1;
  }
  const k = 2 * (fmt.p + 3);
  mag <<= BigInt(2 * k);
  const r = isqrt(mag);
  return roundExact(false, r, (exp - 2 * k) / 2, r * r !== mag, fmt, rm, sink);
}

/** Exact a * b + c rounded once (IEEE 754 5.4.1 fusedMultiplyAdd). */
export function exactFma(
  a: number,
  b: number,
  c: number,
  fmt: Format,
  rm: number,
  sink: FlagSink,
): number {
  if (a !== a || b !== b || c !== c) return NaN;
  const infA = a === Infinity || a === -Infinity;
  const infB = b === Infinity || b === -Infinity;
  const infC = c === Infinity || c === -Infinity;
  const negP = (a < 0 || 1 / a < 0) !== (b < 0 || 1 / b < 0);
  if (infA || infB) {
    if (a === 0 || b === 0 || (infC && (c < 0) !== negP)) {
      raise(sink, NV);
      return NaN;
    }
    return negP ? -Infinity : Infinity;
  }
  if (infC) return c;
  if (a === 0 || b === 0) {
    return c === 0 ? zeroSum(negP ? -0 : 0, c, rm) : c;
  }
  const x = decompose(a), y = decompose(b);
  const pm = x.mag * y.mag, pe = x.exp + y.exp;
  if (c === 0) return roundExact(negP, pm, pe, false, fmt, rm, sink);
  const z = decompose(c);
  const e = Math.min(pe, z.exp);
  const mp = pm << BigInt(pe - e), mc = z.mag << BigInt(z.exp - e);
  const sum = (negP ? -mp : mp) + (z.neg ? -mc : mc);
  if (sum === 0n) return rm === RDN ? -0 : 0;
  const neg = sum < 0n;
  return roundExact(neg, neg ? -sum : sum, e, false, fmt, rm, sink);
}

/** The integer `value` rounded once to `fmt`. */
export function exactFromInt(
  value: bigint,
  fmt: Format,
  rm: number,
  sink: FlagSink,
): number {
  if (value === 0n) return 0;
  const neg = value < 0n;
  return roundExact(neg, neg ? -value : value, 0, false, fmt, rm, sink);
}
