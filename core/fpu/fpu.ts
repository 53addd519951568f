/**
 * The RISC-V F and D extensions' arithmetic (IEEE 754-2019 binary32 and
 * binary64) with all five rounding modes and exact fflags, for the
 * interpreter and for translated code (as WebAssembly imports).
 *
 * Round-to-nearest-even results come from the host's own arithmetic, with
 * error-free transforms deciding NX; directed modes nudge that result by one
 * ulp; whatever the fast paths cannot prove goes to exact BigInt arithmetic.
 *
 * @module
 */

import {
  CANONICAL_NAN_S,
  classD,
  classS,
  fromBitsS,
  isNanS,
  isSignalingS,
  lowWord,
  MIN_NORMAL_S,
  nextDownD,
  nextUpD,
  toBitsS,
} from "./_bits.ts";
import {
  BINARY64,
  exactAdd,
  exactDiv,
  exactFma,
  exactMul,
  exactSqrt,
  type FlagSink,
} from "./_exact.ts";
import { nudgeD, productError, roundToS, sumError } from "./_round.ts";
import {
  compareS,
  divS,
  fmaS,
  minMaxS,
  mulS,
  nanS,
  sqrtS,
  sumS,
} from "./_single.ts";
import { int64ToD, int64ToS, toInteger } from "./_convert.ts";
import { NV, NX, OF, RDN, RMM, RNE } from "./fcsr.ts";

export { DZ, NV, NX, OF, RDN, RMM, RNE, RTZ, RUP, UF } from "./fcsr.ts";
export { isSignalingD } from "./_bits.ts";

/** The binary32 sign bit as an int32. */
const SIGN_S = -0x80000000;

/** Whether Veltkamp's split of `x` is exact and cannot overflow. */
function splittable(x: number): boolean {
  const m = x < 0 ? -x : x;
  return m >= 2 ** -995 && m <= 2 ** 995;
}

/**
 * Round-to-odd of v + e, given v = fl(v + e) and e != 0: `v` if its last
 * significand bit is odd, else its neighbour on the side of `e`.
 */
function roundToOdd(v: number, e: number): number {
  if ((lowWord(v) & 1) === 1) return v;
  return e > 0 ? nextUpD(v) : nextDownD(v);
}

/**
 * One hart's floating-point unit. Every operation ORs the exceptions it
 * raises into `flags[index]` (the accrued `fflags`, RISC-V spec 11.2).
 * Singles travel as raw 32-bit patterns and come back as int32. Doubles
 * travel as JS numbers, for speed; but a number cannot carry a NaN's
 * signaling bit (V8 may quiet a NaN whenever optimized code moves a
 * double), so binary64 operations treat every NaN operand as quiet, and
 * the caller, which holds the registers' bits, raises NV for a signaling
 * operand itself ({@link isSignalingD} on the bits; both engines do).
 * Every NaN result is the canonical NaN (spec 11.3). `rm` is an already
 * resolved rounding mode, 0..4.
 *
 * @example
 * ```ts
 * import { Fpu, NX, RNE, RUP } from "./fpu.ts";
 * const flags = new Int32Array(1);
 * const fpu = new Fpu(flags, 0);
 * console.log(fpu.addD(0.1, 0.2, RNE)); // 0.30000000000000004
 * console.log(flags[0] === NX); // true
 * console.log(fpu.divS(0x3f800000, 0x40400000, RUP).toString(16)); // 3eaaaaab
 * ```
 */
export class Fpu implements FlagSink {
  /** The accrued-exception words; operations OR into `flags[index]`. */
  readonly flags: Int32Array;
  /** Which word of `flags` is this hart's `fflags`. */
  readonly index: number;

  /** Binds the FPU to the `fflags` word `flags[index]`. */
  constructor(flags: Int32Array, index: number) {
    this.flags = flags;
    this.index = index;
  }

  // Binary64 arithmetic: RISC-V spec 12.4 (fadd.d .. fsqrt.d, fmadd.d ..),
  // IEEE 754-2019 5.4.1.

  /** fadd.d: a + b. */
  addD(a: number, b: number, rm: number): number {
    const r = a + b;
    if (rm === RNE && r - r === 0) {
      if ((this.flags[this.index] & NX) === 0) {
        const err = sumError(a, b, r);
        if (err !== 0) {
          // TwoSum's r - a can overflow next to the largest finite values.
          if (err !== err) return exactAdd(a, b, BINARY64, rm, this);
          this.flags[this.index] |= NX;
        }
      }
      return r;
    }
    if (r !== r) return this.#nanD(a !== a || b !== b);
    return this.#sumD(a, b, r, rm);
  }

  /** fsub.d: a - b. */
  subD(a: number, b: number, rm: number): number {
    const r = a - b;
    if (rm === RNE && r - r === 0) {
      if ((this.flags[this.index] & NX) === 0) {
        const err = sumError(a, -b, r);
        if (err !== 0) {
          // TwoSum's r - a can overflow next to the largest finite values.
          if (err !== err) return exactAdd(a, -b, BINARY64, rm, this);
          this.flags[this.index] |= NX;
        }
      }
      return r;
    }
    if (r !== r) return this.#nanD(a !== a || b !== b);
    return this.#sumD(a, -b, r, rm);
  }

  /** a + b for non-NaN operands whose rounded-to-nearest sum is `r`. */
  #sumD(a: number, b: number, r: number, rm: number): number {
    if (r - r !== 0) {
      if (a - a !== 0 || b - b !== 0) return r;
      return exactAdd(a, b, BINARY64, rm, this);
    }
    if (r === 0) return rm === RDN ? -(-a + -b) : r;
    if (rm === RMM) return exactAdd(a, b, BINARY64, rm, this);
    const err = sumError(a, b, r);
    if (err !== err) return exactAdd(a, b, BINARY64, rm, this);
    return nudgeD(r, err, rm, this);
  }

  /** fmul.d: a * b. */
  mulD(a: number, b: number, rm: number): number {
    const r = a * b;
    const m = r < 0 ? -r : r;
    if (m >= 2 ** -969 && m <= 2 ** 1000) {
      // Normal range: no UF or OF, and TwoProduct's error is exact.
      let err = 0;
      if (rm !== RNE || (this.flags[this.index] & NX) === 0) {
        if (!splittable(a) || !splittable(b)) {
          return exactMul(a, b, BINARY64, rm, this);
        }
        err = productError(a, b, r);
      }
      if (rm === RNE) {
        if (err !== 0) this.flags[this.index] |= NX;
        return r;
      }
      if (rm !== RMM) return nudgeD(r, err, rm, this);
    }
    if (r !== r) return this.#nanD(a !== a || b !== b);
    if (a === 0 || b === 0 || a - a !== 0 || b - b !== 0) return r;
    return exactMul(a, b, BINARY64, rm, this);
  }

  /** fdiv.d: a / b. */
  divD(a: number, b: number, rm: number): number {
    const q = a / b;
    const m = q < 0 ? -q : q;
    if (m >= 2 ** -995 && m <= 2 ** 990) {
      // q is normal, so only NX is possible; a - q*b is exact when a, b
      // are in range (then TwoProduct is exact and a - fl(q*b) is Sterbenz).
      if (rm !== RNE || (this.flags[this.index] & NX) === 0) {
        const aa = a < 0 ? -a : a, ab = b < 0 ? -b : b;
        if (
          aa >= 2 ** -968 && aa <= 2 ** 1000 && ab >= 2 ** -960 &&
          ab <= 2 ** 990
        ) {
          const p = q * b;
          const rem = (a - p) - productError(q, b, p);
          if (rm === RNE) {
            if (rem !== 0) this.flags[this.index] |= NX;
            return q;
          }
          if (rm !== RMM) return nudgeD(q, b > 0 ? rem : -rem, rm, this);
        }
        return exactDiv(a, b, BINARY64, rm, this);
      }
      return q;
    }
    if (q !== q) return this.#nanD(a !== a || b !== b);
    return exactDiv(a, b, BINARY64, rm, this);
  }

  /** fsqrt.d: sqrt(a). */
  sqrtD(a: number, rm: number): number {
    const r = Math.sqrt(a);
    if (a >= 2 ** -968 && a <= 2 ** 1000) {
      if (rm !== RNE || (this.flags[this.index] & NX) === 0) {
        const p = r * r;
        const rem = (a - p) - productError(r, r, p);
        if (rm === RNE) {
          if (rem !== 0) this.flags[this.index] |= NX;
          return r;
        }
        if (rm !== RMM) return nudgeD(r, rem, rm, this);
        return exactSqrt(a, BINARY64, rm, this);
      }
      return r;
    }
    if (a !== a) return NaN;
    return exactSqrt(a, BINARY64, rm, this);
  }

  /** fmadd.d: a * b + c, rounded once. */
  fmaddD(a: number, b: number, c: number, rm: number): number {
    return this.#fmaD(a, b, c, rm);
  }

  /** fmsub.d: a * b - c, rounded once. */
  fmsubD(a: number, b: number, c: number, rm: number): number {
    return this.#fmaD(a, b, -c, rm);
  }

  /** fnmsub.d: -(a * b) + c, rounded once. */
  fnmsubD(a: number, b: number, c: number, rm: number): number {
    return this.#fmaD(-a, b, c, rm);
  }

  /** fnmadd.d: -(a * b) - c, rounded once. */
  fnmaddD(a: number, b: number, c: number, rm: number): number {
    return this.#fmaD(-a, b, -c, rm);
  }

  /**
   * a * b + c rounded once. In round-to-nearest with everything in normal
   * range this is Boldo and Melquiond's emulation (IEEE TC 57(4), 2008):
   * TwoProduct, TwoSum, the low parts added with round-to-odd, one final
   * rounded add. Otherwise the exact path.
   */
  #fmaD(a: number, b: number, c: number, rm: number): number {
    if (rm === RNE) {
      const uh = a * b;
      const mu = uh < 0 ? -uh : uh, mc = c < 0 ? -c : c;
      if (
        mu >= 2 ** -900 && mu <= 2 ** 900 && mc <= 2 ** 1000 &&
        splittable(a) && splittable(b)
      ) {
        const ul = productError(a, b, uh);
        const th = c + uh;
        const tl = sumError(c, uh, th);
        let v = tl + ul;
        const e1 = sumError(tl, ul, v);
        if (e1 !== 0) v = roundToOdd(v, e1);
        const z = th + v;
        const mz = z < 0 ? -z : z;
        if (mz >= 2 ** -900 && mz <= 2 ** 1000) {
          if (
            (this.flags[this.index] & NX) === 0 &&
            (e1 !== 0 || sumError(th, v, z) !== 0)
          ) {
            this.flags[this.index] |= NX;
          }
          return z;
        }
      }
    }
    if (a !== a || b !== b || c !== c) {
      const zeroTimesInf = (a === 0 && b - b !== 0 && b === b) ||
        (b === 0 && a - a !== 0 && a === a);
      return this.#nanD(!zeroTimesInf);
    }
    return exactFma(a, b, c, BINARY64, rm, this);
  }

  /**
   * The NaN result of a binary64 operation: NV unless a NaN operand
   * (taken as quiet, see the class doc) explains it, i.e. when the
   * operation is invalid on its non-NaN operands (inf - inf, 0 * inf).
   */
  #nanD(quietOk: boolean): number {
    if (!quietOk) this.flags[this.index] |= NV;
    return NaN;
  }

  // Binary64 sign-free operations: RISC-V spec 12.6 (fmin.d, fmax.d),
  // 12.8 (feq.d, flt.d, fle.d), 12.9 (fclass.d).

  /** fmin.d: the smaller, -0 < +0; a NaN operand yields the other. */
  minD(a: number, b: number): number {
    if (a !== a || b !== b) return this.#minMaxNanD(a, b);
    if (a === b) return a === 0 && 1 / b < 0 ? b : a;
    return a < b ? a : b;
  }

  /** fmax.d: the larger, +0 > -0; a NaN operand yields the other. */
  maxD(a: number, b: number): number {
    if (a !== a || b !== b) return this.#minMaxNanD(a, b);
    if (a === b) return a === 0 && 1 / b > 0 ? b : a;
    return a > b ? a : b;
  }

  #minMaxNanD(a: number, b: number): number {
    if (a !== a) return b !== b ? NaN : b;
    return a;
  }

  /** feq.d: 1 when a == b (quiet: no NV for a quiet NaN). */
  eqD(a: number, b: number): number {
    return a === b ? 1 : 0;
  }

  /** flt.d: 1 when a < b (signaling: NV for any NaN). */
  ltD(a: number, b: number): number {
    if (a !== a || b !== b) {
      this.flags[this.index] |= NV;
      return 0;
    }
    return a < b ? 1 : 0;
  }

  /** fle.d: 1 when a <= b (signaling: NV for any NaN). */
  leD(a: number, b: number): number {
    if (a !== a || b !== b) {
      this.flags[this.index] |= NV;
      return 0;
    }
    return a <= b ? 1 : 0;
  }

  /** fclass.d of the binary64 pattern `hi:lo`: one-hot class mask (spec 11.9 table 11.5). */
  classD(hi: number, lo: number): number {
    return classD(hi, lo);
  }

  // Binary32 arithmetic: RISC-V spec 11.6 (fadd.s .. fsqrt.s, fmadd.s ..).

  /** fadd.s: a + b. */
  addS(a: number, b: number, rm: number): number {
    if (isNanS(a) || isNanS(b)) return nanS(this, false, a, b);
    return sumS(this, fromBitsS(a), fromBitsS(b), rm);
  }

  /** fsub.s: a - b. */
  subS(a: number, b: number, rm: number): number {
    if (isNanS(a) || isNanS(b)) return nanS(this, false, a, b);
    return sumS(this, fromBitsS(a), -fromBitsS(b), rm);
  }

  /** fmul.s: a * b. */
  mulS(a: number, b: number, rm: number): number {
    if (isNanS(a) || isNanS(b)) return nanS(this, false, a, b);
    return mulS(this, fromBitsS(a), fromBitsS(b), rm);
  }

  /** fdiv.s: a / b. */
  divS(a: number, b: number, rm: number): number {
    if (isNanS(a) || isNanS(b)) return nanS(this, false, a, b);
    return divS(this, fromBitsS(a), fromBitsS(b), rm);
  }

  /** fsqrt.s: sqrt(a). */
  sqrtS(a: number, rm: number): number {
    if (isNanS(a)) return nanS(this, false, a, 0);
    return sqrtS(this, fromBitsS(a), rm);
  }

  /** fmadd.s: a * b + c, rounded once. */
  fmaddS(a: number, b: number, c: number, rm: number): number {
    return fmaS(this, a, b, c, rm);
  }

  /** fmsub.s: a * b - c, rounded once. */
  fmsubS(a: number, b: number, c: number, rm: number): number {
    return fmaS(this, a, b, c ^ SIGN_S, rm);
  }

  /** fnmsub.s: -(a * b) + c, rounded once. */
  fnmsubS(a: number, b: number, c: number, rm: number): number {
    return fmaS(this, a ^ SIGN_S, b, c, rm);
  }

  /** fnmadd.s: -(a * b) - c, rounded once. */
  fnmaddS(a: number, b: number, c: number, rm: number): number {
    return fmaS(this, a ^ SIGN_S, b, c ^ SIGN_S, rm);
  }

  // Binary32 sign-free operations: spec 11.7 (fmin.s, fmax.s),
  // 11.8 (feq.s, flt.s, fle.s), 11.9 (fclass.s).

  /** fmin.s: the smaller, -0 < +0; a NaN operand yields the other. */
  minS(a: number, b: number): number {
    return minMaxS(this, a, b, false);
  }

  /** fmax.s: the larger, +0 > -0; a NaN operand yields the other. */
  maxS(a: number, b: number): number {
    return minMaxS(this, a, b, true);
  }

  /** feq.s: 1 when a == b (quiet). */
  eqS(a: number, b: number): number {
    return compareS(this, a, b, 0);
  }

  /** flt.s: 1 when a < b (signaling). */
  ltS(a: number, b: number): number {
    return compareS(this, a, b, 1);
  }

  /** fle.s: 1 when a <= b (signaling). */
  leS(a: number, b: number): number {
    return compareS(this, a, b, 2);
  }

  /** fclass.s: one-hot class mask (spec 11.9 table 11.5). */
  classS(a: number): number {
    return classS(a);
  }

  // Conversions between formats: spec 12.5 (fcvt.s.d, fcvt.d.s).

  /** fcvt.s.d: binary64 to binary32 bits, rounded under `rm`. */
  cvtSD(a: number, rm: number): number {
    if (a !== a) return CANONICAL_NAN_S;
    if (rm === RNE) {
      const r = Math.fround(a);
      if (r === a) return toBitsS(r);
      if ((a < 0 ? -a : a) >= MIN_NORMAL_S) {
        this.flags[this.index] |= r - r === 0 ? NX : NX | OF;
        return toBitsS(r);
      }
    }
    return roundToS(a, 0, rm, this);
  }

  /** fcvt.d.s: binary32 bits to binary64 (exact). */
  cvtDS(bits: number): number {
    if (isNanS(bits)) {
      if (isSignalingS(bits)) this.flags[this.index] |= NV;
      return NaN;
    }
    return fromBitsS(bits);
  }

  // Float to integer: spec 11.7 / 12.7, saturation per table 11.4.

  /** fcvt.w.d: to int32, saturating. */
  cvtWD(a: number, rm: number): number {
    return toInteger(this, a, rm, -(2 ** 31), 2 ** 31, 2 ** 31 - 1) | 0;
  }

  /** fcvt.wu.d: to uint32, saturating, returned sign-extended as int32. */
  cvtWUD(a: number, rm: number): number {
    return toInteger(this, a, rm, 0, 2 ** 32, 2 ** 32 - 1) | 0;
  }

  /** fcvt.l.d: integral double in [-2^63, 2^63]; 2^63 stands for 2^63 - 1. */
  cvtLD(a: number, rm: number): number {
    return toInteger(this, a, rm, -(2 ** 63), 2 ** 63, 2 ** 63);
  }

  /** fcvt.lu.d: integral double in [0, 2^64]; 2^64 stands for 2^64 - 1. */
  cvtLUD(a: number, rm: number): number {
    return toInteger(this, a, rm, 0, 2 ** 64, 2 ** 64);
  }

  /** fcvt.w.s: binary32 bits to int32, saturating. */
  cvtWS(a: number, rm: number): number {
    return this.cvtWD(fromBitsS(a), rm);
  }

  /** fcvt.wu.s: binary32 bits to uint32, saturating, sign-extended. */
  cvtWUS(a: number, rm: number): number {
    return this.cvtWUD(fromBitsS(a), rm);
  }

  /** fcvt.l.s: like `cvtLD` from binary32 bits. */
  cvtLS(a: number, rm: number): number {
    return this.cvtLD(fromBitsS(a), rm);
  }

  /** fcvt.lu.s: like `cvtLUD` from binary32 bits. */
  cvtLUS(a: number, rm: number): number {
    return this.cvtLUD(fromBitsS(a), rm);
  }

  // Integer to float: spec 11.7 / 12.7.

  /** fcvt.d.w: int32 to binary64 (exact). */
  cvtDW(v: number): number {
    return v | 0;
  }

  /** fcvt.d.wu: uint32 (given as its int32 pattern) to binary64 (exact). */
  cvtDWU(v: number): number {
    return v >>> 0;
  }

  /** fcvt.d.l: int64 from its int32 halves, rounded under `rm`. */
  cvtDL(hi: number, lo: number, rm: number): number {
    return int64ToD(this, hi | 0, lo, rm);
  }

  /** fcvt.d.lu: uint64 from its 32-bit halves, rounded under `rm`. */
  cvtDLU(hi: number, lo: number, rm: number): number {
    return int64ToD(this, hi >>> 0, lo, rm);
  }

  /** fcvt.s.w: int32 to binary32 bits. */
  cvtSW(v: number, rm: number): number {
    return roundToS(v | 0, 0, rm, this);
  }

  /** fcvt.s.wu: uint32 (int32 pattern) to binary32 bits. */
  cvtSWU(v: number, rm: number): number {
    return roundToS(v >>> 0, 0, rm, this);
  }

  /** fcvt.s.l: int64 from its int32 halves to binary32 bits. */
  cvtSL(hi: number, lo: number, rm: number): number {
    return int64ToS(this, hi | 0, lo, rm);
  }

  /** fcvt.s.lu: uint64 from its 32-bit halves to binary32 bits. */
  cvtSLU(hi: number, lo: number, rm: number): number {
    return int64ToS(this, hi >>> 0, lo, rm);
  }
}
