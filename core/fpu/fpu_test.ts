import { deepStrictEqual } from "node:assert/strict";
import { fromBitsS, toBitsS } from "./_bits.ts";
import {
  BINARY32,
  BINARY64,
  exactAdd,
  exactDiv,
  exactFma,
  exactFromInt,
  exactMul,
  exactSqrt,
  type FlagSink,
} from "./_exact.ts";
import {
  DZ,
  Fpu,
  isSignalingD,
  NV,
  NX,
  OF,
  RDN,
  RMM,
  RNE,
  RTZ,
  RUP,
  UF,
} from "./mod.ts";

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);
/** The double with encoding `bits`. */
function d(bits: bigint): number {
  u64[0] = bits;
  return f64[0];
}
/** The encoding of double `x`. */
function bitsD(x: number): bigint {
  f64[0] = x;
  return u64[0];
}
const SNAN_D = d(0x7ff0000000000001n);
const QNAN_D = d(0x7ff8000000000123n);
const SNAN_S = 0x7f800001, QNAN_S = 0x7fc00123, CANON_S = 0x7fc00000;
const MAX_D = Number.MAX_VALUE, MAX_S = 0x7f7fffff;
const ONE_S = 0x3f800000;

/** Runs `op` on a fresh FPU; returns [result, fflags]. */
function run(op: (f: Fpu) => number): [number, number] {
  const flags = new Int32Array(1);
  const r = op(new Fpu(flags, 0));
  return [r, flags[0]];
}
/** Like `run`, with a double result given as its encoding. */
function runD(op: (f: Fpu) => number): [bigint, number] {
  const [r, flags] = run(op);
  return [bitsD(r), flags];
}

// Binary64 arithmetic: RISC-V spec 12.4, IEEE 754-2019 5.4.1, 6.3, 7.

Deno.test("addD() signs exact zero sums by the rounding mode", () => {
  deepStrictEqual(runD((f) => f.addD(1, -1, RNE)), [0n, 0]);
  deepStrictEqual(runD((f) => f.addD(1, -1, RDN)), [1n << 63n, 0]);
  deepStrictEqual(runD((f) => f.addD(-0, -0, RNE)), [1n << 63n, 0]);
  deepStrictEqual(runD((f) => f.addD(0, -0, RDN)), [1n << 63n, 0]);
  deepStrictEqual(runD((f) => f.subD(0, 0, RUP)), [0n, 0]);
});

Deno.test("addD() returns the canonical NaN; NV only for inf - inf, a NaN operand counting as quiet", () => {
  deepStrictEqual(runD((f) => f.addD(QNAN_D, 1, RNE)), [
    0x7ff8000000000000n,
    0,
  ]);
  // A number cannot carry the signaling bit: the engines raise NV for a
  // signaling operand from the register's bits (tests/fp_signaling_nan_test.ts).
  deepStrictEqual(runD((f) => f.addD(1, SNAN_D, RNE)), [
    0x7ff8000000000000n,
    0,
  ]);
  deepStrictEqual(runD((f) => f.addD(Infinity, -Infinity, RTZ)), [
    0x7ff8000000000000n,
    NV,
  ]);
  deepStrictEqual(run((f) => f.subD(Infinity, Infinity, RNE)), [NaN, NV]);
  deepStrictEqual(run((f) => f.addD(Infinity, 1, RDN)), [Infinity, 0]);
});

Deno.test("addD() rounds halfway cases to even under RNE and away under RMM", () => {
  const half = 2 ** -53; // 1 + half is exactly between 1 and 1 + 2^-52
  deepStrictEqual(run((f) => f.addD(1, half, RNE)), [1, NX]);
  deepStrictEqual(run((f) => f.addD(1, half, RMM)), [1 + 2 ** -52, NX]);
  deepStrictEqual(run((f) => f.addD(1 + 2 ** -52, half, RNE)), [
    1 + 2 ** -51,
    NX,
  ]);
  deepStrictEqual(run((f) => f.addD(-1, -half, RMM)), [-1 - 2 ** -52, NX]);
  deepStrictEqual(run((f) => f.addD(1, half, RUP)), [1 + 2 ** -52, NX]);
  deepStrictEqual(run((f) => f.addD(-1, -half, RTZ)), [-1, NX]);
});

Deno.test("mulD() overflows to inf or the largest finite value by mode", () => {
  deepStrictEqual(run((f) => f.mulD(MAX_D, 2, RNE)), [Infinity, OF | NX]);
  deepStrictEqual(run((f) => f.mulD(MAX_D, 2, RTZ)), [MAX_D, OF | NX]);
  deepStrictEqual(run((f) => f.mulD(MAX_D, 2, RDN)), [MAX_D, OF | NX]);
  deepStrictEqual(run((f) => f.mulD(-MAX_D, 2, RDN)), [-Infinity, OF | NX]);
  deepStrictEqual(run((f) => f.mulD(-MAX_D, 2, RUP)), [-MAX_D, OF | NX]);
  deepStrictEqual(run((f) => f.mulD(MAX_D, 1 + 2 ** -52, RTZ)), [
    MAX_D,
    OF | NX,
  ]);
  // Just above MAX but rounding back to it under RNE: inexact, no overflow.
  deepStrictEqual(run((f) => f.addD(MAX_D, 2 ** 969, RNE)), [MAX_D, NX]);
  deepStrictEqual(run((f) => f.addD(MAX_D, 2 ** 969, RUP)), [
    Infinity,
    OF | NX,
  ]);
});

Deno.test("mulD() signals underflow only when tiny and inexact", () => {
  deepStrictEqual(run((f) => f.mulD(2 ** -1000, 2 ** -60, RNE)), [
    2 ** -1060,
    0,
  ]);
  deepStrictEqual(run((f) => f.mulD(2 ** -1074, 0.5, RNE)), [0, UF | NX]);
  deepStrictEqual(run((f) => f.mulD(2 ** -1074, 0.5, RUP)), [
    2 ** -1074,
    UF | NX,
  ]);
  deepStrictEqual(run((f) => f.mulD(-(2 ** -1074), 0.75, RNE)), [
    -(2 ** -1074),
    UF | NX,
  ]);
  // (1 - 2^-53) * 2^-1022 is exact with an unbounded exponent, so tiny,
  // even though it rounds up to the smallest normal.
  deepStrictEqual(
    run((f) => f.mulD(1 - 2 ** -53, 2 ** -1022, RNE)),
    [2 ** -1022, UF | NX],
  );
  deepStrictEqual(
    run((f) => f.mulD(1 - 2 ** -53, 2 ** -1022, RTZ)),
    [2 ** -1022 - 2 ** -1074, UF | NX],
  );
});

Deno.test("mulD() raises NV for 0 * inf and keeps signed zeros", () => {
  deepStrictEqual(run((f) => f.mulD(0, -Infinity, RNE)), [NaN, NV]);
  deepStrictEqual(runD((f) => f.mulD(-0, 5, RNE)), [1n << 63n, 0]);
});

Deno.test("divD() raises DZ for x / 0 and NV for 0 / 0 and inf / inf", () => {
  deepStrictEqual(run((f) => f.divD(-3, 0, RNE)), [-Infinity, DZ]);
  deepStrictEqual(run((f) => f.divD(Infinity, 0, RNE)), [Infinity, 0]);
  deepStrictEqual(run((f) => f.divD(0, 0, RNE)), [NaN, NV]);
  deepStrictEqual(run((f) => f.divD(Infinity, -Infinity, RNE)), [NaN, NV]);
  deepStrictEqual(run((f) => f.divD(1, 3, RDN)), [0.3333333333333333, NX]);
  deepStrictEqual(run((f) => f.divD(1, 3, RUP)), [0.33333333333333337, NX]);
  deepStrictEqual(run((f) => f.divD(6, 3, RUP)), [2, 0]);
});

Deno.test("sqrtD() of negatives is NV, of -0 is -0, and is rounded by mode", () => {
  deepStrictEqual(run((f) => f.sqrtD(-1, RNE)), [NaN, NV]);
  deepStrictEqual(run((f) => f.sqrtD(-Infinity, RNE)), [NaN, NV]);
  deepStrictEqual(runD((f) => f.sqrtD(-0, RNE)), [1n << 63n, 0]);
  deepStrictEqual(run((f) => f.sqrtD(4, RNE)), [2, 0]);
  deepStrictEqual(run((f) => f.sqrtD(2, RNE)), [Math.SQRT2, NX]);
  deepStrictEqual(run((f) => f.sqrtD(2, RUP)), [1.4142135623730951, NX]);
  deepStrictEqual(run((f) => f.sqrtD(2, RDN)), [1.414213562373095, NX]);
  deepStrictEqual(run((f) => f.sqrtD(2 ** -1074, RNE)), [2 ** -537, 0]);
});

Deno.test("fmaddD() rounds once", () => {
  // 0.1 * 10 - 1 exactly is 2^-54; separate rounding would give 0.
  deepStrictEqual(run((f) => f.fmaddD(0.1, 10, -1, RNE)), [2 ** -54, 0]);
  deepStrictEqual(run((f) => f.fmsubD(0.1, 10, 1, RNE)), [2 ** -54, 0]);
  deepStrictEqual(run((f) => f.fnmsubD(0.1, 10, 1, RNE)), [-(2 ** -54), 0]);
  deepStrictEqual(run((f) => f.fnmaddD(0.1, 10, -1, RNE)), [-(2 ** -54), 0]);
  // (1 + 2^-52)^2 = 1 + 2^-51 + 2^-104: the tail decides RUP and NX.
  const x = 1 + 2 ** -52;
  deepStrictEqual(run((f) => f.fmaddD(x, x, 0, RNE)), [1 + 2 ** -51, NX]);
  deepStrictEqual(run((f) => f.fmaddD(x, x, 0, RUP)), [1 + 3 * 2 ** -52, NX]);
  // Exact ties and exact results once the 1 cancels:
  deepStrictEqual(run((f) => f.fmaddD(x, x, -1, RNE)), [2 ** -51, NX]);
  const y = 1 + 2 ** -30; // y^2 - 1 = 2^-29 + 2^-60, representable
  deepStrictEqual(run((f) => f.fmaddD(y, y, -1, RNE)), [
    2 ** -29 + 2 ** -60,
    0,
  ]);
});

Deno.test("fmaddD() raises NV for 0 * inf even when the addend is a quiet NaN", () => {
  deepStrictEqual(run((f) => f.fmaddD(0, Infinity, QNAN_D, RNE)), [NaN, NV]);
  deepStrictEqual(run((f) => f.fmaddD(1, 2, QNAN_D, RNE)), [NaN, 0]);
  deepStrictEqual(run((f) => f.fmaddD(1, 2, SNAN_D, RNE)), [NaN, 0]);
  deepStrictEqual(run((f) => f.fmaddD(Infinity, 1, -Infinity, RNE)), [NaN, NV]);
  deepStrictEqual(runD((f) => f.fmaddD(-0, 1, 0, RDN)), [1n << 63n, 0]);
  deepStrictEqual(runD((f) => f.fmaddD(2, 3, -6, RDN)), [1n << 63n, 0]);
});

// Binary64 sign-free operations: spec 12.6, 12.8, 12.9.

Deno.test("minD()/maxD() order -0 below +0 and skip a single NaN", () => {
  deepStrictEqual(runD((f) => f.minD(0, -0)), [1n << 63n, 0]);
  deepStrictEqual(runD((f) => f.maxD(-0, 0)), [0n, 0]);
  deepStrictEqual(run((f) => f.minD(QNAN_D, 2)), [2, 0]);
  deepStrictEqual(run((f) => f.maxD(2, SNAN_D)), [2, 0]);
  deepStrictEqual(runD((f) => f.maxD(QNAN_D, QNAN_D)), [
    0x7ff8000000000000n,
    0,
  ]);
  deepStrictEqual(run((f) => f.minD(-Infinity, 1)), [-Infinity, 0]);
});

Deno.test("eqD() is quiet; ltD()/leD() signal on any NaN", () => {
  deepStrictEqual(run((f) => f.eqD(QNAN_D, 1)), [0, 0]);
  deepStrictEqual(run((f) => f.eqD(-0, 0)), [1, 0]);
  deepStrictEqual(run((f) => f.ltD(QNAN_D, 1)), [0, NV]);
  deepStrictEqual(run((f) => f.leD(1, QNAN_D)), [0, NV]);
  deepStrictEqual(run((f) => f.ltD(-0, 0)), [0, 0]);
  deepStrictEqual(run((f) => f.leD(-0, 0)), [1, 0]);
});

Deno.test("classD() sets one bit per class, from the bits", () => {
  const f = new Fpu(new Int32Array(1), 0);
  const inputs = [
    0xfff0000000000000n, // -inf
    0xbff0000000000000n, // -1
    0x8000000000000001n, // -min subnormal
    0x8000000000000000n, // -0
    0x0000000000000000n, // +0
    0x0000000000000001n, // +min subnormal
    0x3ff0000000000000n, // 1
    0x7ff0000000000000n, // +inf
    0x7ff0000000000001n, // sNaN, payload in the low word only
    0x7ff8000000000000n, // qNaN
  ];
  const cls = (b: bigint) =>
    f.classD(Number(b >> 32n) | 0, Number(b & 0xffffffffn) | 0);
  deepStrictEqual(inputs.map(cls), inputs.map((_, i) => 1 << i));
  deepStrictEqual(cls(0xfff4000000000000n), 1 << 8);
});

Deno.test("isSignalingD() reads the quiet bit and the whole fraction", () => {
  const sig = (b: bigint) =>
    isSignalingD(Number(b >> 32n) | 0, Number(b & 0xffffffffn) | 0);
  deepStrictEqual(
    [
      0x7ff0000000000001n,
      0xfff7ffffffffffffn,
      0x7ff0000100000000n,
      0x7ff0000000000000n, // inf
      0x7ff8000000000000n, // quiet
      0x7ffc000000000001n, // quiet
      0x3ff0000000000000n,
    ].map(sig),
    [true, true, true, false, false, false, false],
  );
});

// Binary32 arithmetic: spec 11.6, on raw bit patterns.

Deno.test("single ops take int32 or uint32 patterns and return int32", () => {
  deepStrictEqual(run((f) => f.addS(ONE_S, ONE_S, RNE)), [0x40000000, 0]);
  deepStrictEqual(run((f) => f.mulS(0xbf800000, 0x40000000, RNE)), [
    0xc0000000 | 0,
    0,
  ]);
  deepStrictEqual(run((f) => f.mulS(0xbf800000 | 0, 0x40000000, RNE)), [
    0xc0000000 | 0,
    0,
  ]);
  deepStrictEqual(run((f) => f.divS(ONE_S, 0x40400000, RNE)), [0x3eaaaaab, NX]);
  deepStrictEqual(run((f) => f.divS(ONE_S, 0x40400000, RTZ)), [0x3eaaaaaa, NX]);
  deepStrictEqual(run((f) => f.sqrtS(0x40000000, RNE)), [0x3fb504f3, NX]);
});

Deno.test("single NaN results are canonical; sNaN raises NV", () => {
  deepStrictEqual(run((f) => f.addS(QNAN_S, ONE_S, RNE)), [CANON_S, 0]);
  deepStrictEqual(run((f) => f.subS(ONE_S, SNAN_S, RNE)), [CANON_S, NV]);
  deepStrictEqual(run((f) => f.sqrtS(0xbf800000, RNE)), [CANON_S, NV]);
  deepStrictEqual(run((f) => f.fmaddS(0, 0x7f800000, QNAN_S, RNE)), [
    CANON_S,
    NV,
  ]);
  deepStrictEqual(run((f) => f.divS(0, 0x80000000, RNE)), [CANON_S, NV]);
  deepStrictEqual(run((f) => f.divS(ONE_S, 0x80000000, RNE)), [
    0xff800000 | 0,
    DZ,
  ]);
});

Deno.test("single overflow, underflow and halfway cases follow the mode", () => {
  deepStrictEqual(run((f) => f.mulS(MAX_S, 0x40000000, RNE)), [
    0x7f800000,
    OF | NX,
  ]);
  deepStrictEqual(run((f) => f.mulS(MAX_S, 0x40000000, RTZ)), [MAX_S, OF | NX]);
  deepStrictEqual(run((f) => f.mulS(MAX_S | 0x80000000, 0x40000000, RUP)), [
    (MAX_S | 0x80000000) | 0,
    OF | NX,
  ]);
  deepStrictEqual(run((f) => f.mulS(1, 0x3f000000, RNE)), [0, UF | NX]);
  deepStrictEqual(run((f) => f.mulS(1, 0x3f000000, RUP)), [1, UF | NX]);
  deepStrictEqual(run((f) => f.mulS(3, 0x3f000000, RNE)), [2, UF | NX]);
  deepStrictEqual(run((f) => f.mulS(3, 0x3f000000, RMM)), [2, UF | NX]);
  deepStrictEqual(run((f) => f.mulS(1, 0x3f000000, RMM)), [1, UF | NX]);
  // 1 + 2^-24 is halfway between 1 and 1 + 2^-23.
  deepStrictEqual(run((f) => f.addS(ONE_S, 0x33800000, RNE)), [ONE_S, NX]);
  deepStrictEqual(run((f) => f.addS(ONE_S, 0x33800000, RMM)), [ONE_S + 1, NX]);
});

Deno.test("fmaddS() rounds once", () => {
  // y = 1 + 2^-12: y^2 - 1 = 2^-11 + 2^-24 exactly (a separately rounded
  // y^2 would lose the 2^-24, a tie to even).
  const y = 0x3f800800;
  deepStrictEqual(run((f) => f.fmaddS(y, y, 0xbf800000, RNE)), [
    toBitsS(2 ** -11 + 2 ** -24),
    0,
  ]);
  deepStrictEqual(run((f) => f.fnmaddS(y, y, 0xbf800000, RNE)), [
    toBitsS(-(2 ** -11 + 2 ** -24)),
    0,
  ]);
  const x = ONE_S + 1; // (1 + 2^-23)^2 - 1 = 2^-22 + 2^-46: a tie, to even
  deepStrictEqual(run((f) => f.fmaddS(x, x, 0xbf800000, RNE)), [
    toBitsS(2 ** -22),
    NX,
  ]);
  deepStrictEqual(run((f) => f.fmaddS(x, x, 0, RNE)), [ONE_S + 2, NX]);
  deepStrictEqual(run((f) => f.fmsubS(ONE_S, ONE_S, ONE_S, RDN)), [
    0x80000000 | 0,
    0,
  ]);
});

Deno.test("minS()/maxS()/compare/class on single patterns", () => {
  deepStrictEqual(run((f) => f.minS(0, 0x80000000)), [0x80000000 | 0, 0]);
  deepStrictEqual(run((f) => f.maxS(0x80000000, 0)), [0, 0]);
  deepStrictEqual(run((f) => f.minS(QNAN_S, ONE_S)), [ONE_S, 0]);
  deepStrictEqual(run((f) => f.maxS(SNAN_S, QNAN_S)), [CANON_S, NV]);
  deepStrictEqual(run((f) => f.eqS(SNAN_S, ONE_S)), [0, NV]);
  deepStrictEqual(run((f) => f.eqS(QNAN_S, ONE_S)), [0, 0]);
  deepStrictEqual(run((f) => f.ltS(QNAN_S, ONE_S)), [0, NV]);
  deepStrictEqual(run((f) => f.leS(0x80000000, 0)), [1, 0]);
  const f = new Fpu(new Int32Array(1), 0);
  const inputs = [
    0xff800000,
    0xbf800000,
    0x80000001,
    0x80000000,
    0,
    1,
    ONE_S,
    0x7f800000,
    SNAN_S,
    QNAN_S,
  ];
  deepStrictEqual(inputs.map((x) => f.classS(x)), inputs.map((_, i) => 1 << i));
});

// Conversions: spec 11.7, 12.5, 12.7 (table 11.4).

Deno.test("cvtSD()/cvtDS() round and box NaNs canonically", () => {
  deepStrictEqual(run((f) => f.cvtSD(0.1, RNE)), [0x3dcccccd, NX]);
  deepStrictEqual(run((f) => f.cvtSD(0.1, RTZ)), [0x3dcccccc, NX]);
  deepStrictEqual(run((f) => f.cvtSD(1e300, RNE)), [0x7f800000, OF | NX]);
  deepStrictEqual(run((f) => f.cvtSD(1e300, RTZ)), [MAX_S, OF | NX]);
  deepStrictEqual(run((f) => f.cvtSD(1e-300, RUP)), [1, UF | NX]);
  deepStrictEqual(run((f) => f.cvtSD(SNAN_D, RNE)), [CANON_S, 0]);
  deepStrictEqual(run((f) => f.cvtDS(SNAN_S)), [NaN, NV]);
  deepStrictEqual(runD((f) => f.cvtDS(QNAN_S)), [0x7ff8000000000000n, 0]);
  deepStrictEqual(run((f) => f.cvtDS(0x00000001)), [2 ** -149, 0]);
});

Deno.test("cvtWD()/cvtWUD() saturate per table 11.4", () => {
  deepStrictEqual(run((f) => f.cvtWD(NaN, RNE)), [2 ** 31 - 1, NV]);
  deepStrictEqual(run((f) => f.cvtWD(2 ** 31, RTZ)), [2 ** 31 - 1, NV]);
  deepStrictEqual(run((f) => f.cvtWD(2 ** 31 - 0.5, RTZ)), [2 ** 31 - 1, NX]);
  deepStrictEqual(run((f) => f.cvtWD(2 ** 31 - 0.5, RNE)), [2 ** 31 - 1, NV]);
  deepStrictEqual(run((f) => f.cvtWD(-(2 ** 31) - 0.5, RTZ)), [-(2 ** 31), NX]);
  deepStrictEqual(run((f) => f.cvtWD(-(2 ** 31) - 0.5, RDN)), [-(2 ** 31), NV]);
  deepStrictEqual(run((f) => f.cvtWD(-Infinity, RNE)), [-(2 ** 31), NV]);
  deepStrictEqual(run((f) => f.cvtWD(-2.5, RNE)), [-2, NX]);
  deepStrictEqual(run((f) => f.cvtWD(-2.5, RMM)), [-3, NX]);
  deepStrictEqual(run((f) => f.cvtWUD(-0.9, RTZ)), [0, NX]);
  deepStrictEqual(run((f) => f.cvtWUD(-0.9, RNE)), [0, NV]);
  deepStrictEqual(run((f) => f.cvtWUD(NaN, RNE)), [-1, NV]);
  deepStrictEqual(run((f) => f.cvtWUD(4294967295, RNE)), [-1, 0]);
  deepStrictEqual(run((f) => f.cvtWUD(2 ** 32, RNE)), [-1, NV]);
  deepStrictEqual(run((f) => f.cvtWUD(2 ** 31, RNE)), [-(2 ** 31), 0]);
});

Deno.test("cvtLD()/cvtLUD() return 2^63 / 2^64 to mean saturation", () => {
  deepStrictEqual(run((f) => f.cvtLD(2 ** 63, RNE)), [2 ** 63, NV]);
  deepStrictEqual(run((f) => f.cvtLD(NaN, RNE)), [2 ** 63, NV]);
  deepStrictEqual(run((f) => f.cvtLD(-(2 ** 63), RNE)), [-(2 ** 63), 0]);
  deepStrictEqual(run((f) => f.cvtLD(-Infinity, RNE)), [-(2 ** 63), NV]);
  deepStrictEqual(run((f) => f.cvtLD(2 ** 63 - 1024, RNE)), [
    2 ** 63 - 1024,
    0,
  ]);
  deepStrictEqual(run((f) => f.cvtLD(-0.5, RNE)), [0, NX]);
  deepStrictEqual(run((f) => f.cvtLUD(2 ** 64, RNE)), [2 ** 64, NV]);
  deepStrictEqual(run((f) => f.cvtLUD(2 ** 64 - 2048, RNE)), [
    2 ** 64 - 2048,
    0,
  ]);
  deepStrictEqual(run((f) => f.cvtLUD(-1, RNE)), [0, NV]);
  deepStrictEqual(run((f) => f.cvtLUD(-0.9, RTZ)), [0, NX]);
  deepStrictEqual(run((f) => f.cvtLUD(NaN, RNE)), [2 ** 64, NV]);
});

Deno.test("cvtWS()/cvtLUS() read binary32 patterns", () => {
  deepStrictEqual(run((f) => f.cvtWS(0x3fc00000, RNE)), [2, NX]);
  deepStrictEqual(run((f) => f.cvtWUS(0xbf800000, RNE)), [0, NV]);
  deepStrictEqual(run((f) => f.cvtLS(0xdf000000, RNE)), [-(2 ** 63), 0]);
  deepStrictEqual(run((f) => f.cvtLUS(0x7fc00000, RNE)), [2 ** 64, NV]);
});

Deno.test("int to float conversions round int64 by mode", () => {
  deepStrictEqual(run((f) => f.cvtDW(-5)), [-5, 0]);
  deepStrictEqual(run((f) => f.cvtDWU(-1)), [4294967295, 0]);
  // 2^53 + 1 is halfway between 2^53 and 2^53 + 2.
  deepStrictEqual(run((f) => f.cvtDL(0x200000, 1, RNE)), [2 ** 53, NX]);
  deepStrictEqual(run((f) => f.cvtDL(0x200000, 1, RMM)), [2 ** 53 + 2, NX]);
  deepStrictEqual(run((f) => f.cvtDL(0x200000, 3, RNE)), [2 ** 53 + 4, NX]);
  deepStrictEqual(run((f) => f.cvtDL(-1, -1, RNE)), [-1, 0]);
  deepStrictEqual(run((f) => f.cvtDL(0x80000000 | 0, 0, RNE)), [-(2 ** 63), 0]);
  deepStrictEqual(run((f) => f.cvtDL(0x7fffffff, -1, RTZ)), [
    2 ** 63 - 1024,
    NX,
  ]);
  deepStrictEqual(run((f) => f.cvtDL(0x7fffffff, -1, RNE)), [2 ** 63, NX]);
  deepStrictEqual(run((f) => f.cvtDLU(-1, -1, RNE)), [2 ** 64, NX]);
  deepStrictEqual(run((f) => f.cvtDLU(-1, -1, RDN)), [2 ** 64 - 2048, NX]);
  deepStrictEqual(run((f) => f.cvtSW(16777217, RNE)), [toBitsS(16777216), NX]);
  deepStrictEqual(run((f) => f.cvtSW(16777217, RUP)), [toBitsS(16777218), NX]);
  deepStrictEqual(run((f) => f.cvtSWU(-1, RNE)), [toBitsS(2 ** 32), NX]);
  deepStrictEqual(run((f) => f.cvtSL(-1, -1, RNE)), [0xbf800000 | 0, 0]);
  // 2^24 + 1 + 2^-?: the low half carries a sticky bit beyond binary64's reach
  deepStrictEqual(run((f) => f.cvtSLU(0x01000000, 1, RNE)), [
    toBitsS(2 ** 56),
    NX,
  ]);
  deepStrictEqual(run((f) => f.cvtSLU(0x01000000, 1, RUP)), [
    toBitsS(2 ** 56 + 2 ** 33),
    NX,
  ]);
});

// Randomized: fast paths against the exact BigInt reference, all modes.

let seed = 0x2545f491;
function rnd(): number {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return seed >>> 0;
}
const EXPONENTS = [
  -1074,
  -1060,
  -1022,
  -1000,
  -970,
  -960,
  -900,
  -60,
  -1,
  0,
  1,
  60,
  900,
  990,
  1000,
  1020,
  1023,
];
function randomD(): number {
  const k = rnd() % 8;
  if (k === 0) {
    const x = d((BigInt(rnd()) << 32n) | BigInt(rnd()));
    return x === x ? x : 1.5;
  }
  if (k === 1) {
    return [
      0,
      -0,
      Infinity,
      -Infinity,
      1,
      2 ** -1074,
      -(2 ** -1022),
      MAX_D,
      0.1,
    ][rnd() % 9];
  }
  if (k === 2) return (rnd() % 64 - 32) * 2 ** (rnd() % 20 - 10);
  const e = EXPONENTS[rnd() % EXPONENTS.length] + (rnd() % 7) - 3;
  const sig = 1 + (rnd() * 2 ** 20 + (rnd() >>> 12)) * 2 ** -52;
  const v = sig * 2 ** Math.max(-1074, Math.min(1023, e));
  return rnd() & 1 ? -v : v;
}
function randomS(): number {
  const k = rnd() % 4;
  if (k === 0) return isNaN(fromBitsS(rnd())) ? ONE_S : seed;
  if (k === 1) {
    return [
      0,
      0x80000000,
      0x7f800000,
      0xff800000,
      ONE_S,
      1,
      0x00800000,
      MAX_S,
    ][rnd() % 8];
  }
  const e = [-149, -140, -126, -100, 0, 20, 100, 127][rnd() % 8] + rnd() % 5 -
    2;
  const v = (1 + (rnd() >>> 9) * 2 ** -23) *
    2 ** Math.max(-149, Math.min(127, e));
  return toBitsS(Math.fround(rnd() & 1 ? -v : v));
}
/** Nudges `x` by -2..2 units of the last place of a p-bit significand. */
function nearby(x: number, p: number): number {
  return x * (1 + (rnd() % 5 - 2) * 2 ** (1 - p));
}

type Case = [string, (f: Fpu) => number, (s: FlagSink) => number];
function compare(cases: Case[], failures: string[]): void {
  for (const [name, fast, exact] of cases) {
    const sink = { flags: new Int32Array(1), index: 0 };
    const want = exact(sink);
    const [got, flags] = run(fast);
    const sticky = new Int32Array([NX]);
    const gotSticky = fast(new Fpu(sticky, 0));
    if (
      !Object.is(got, want) || flags !== sink.flags[0] ||
      !Object.is(gotSticky, want) || sticky[0] !== (sink.flags[0] | NX)
    ) {
      failures.push(
        `${name}: got ${got} [${flags}], want ${want} [${sink.flags[0]}]`,
      );
    }
  }
}

Deno.test("binary64 fast paths match the exact reference in every mode", () => {
  const failures: string[] = [];
  for (let i = 0; i < 6000 && failures.length < 10; i++) {
    let a = randomD(), b = randomD(), c = randomD();
    const kind = rnd() % 4;
    if (kind === 1) b = nearby(a, 53) * (rnd() & 1 ? -1 : 2 ** -(rnd() % 60)); // cancellation, ties
    if (kind === 2) c = -nearby(a * b, 53) || 1; // fma cancellation
    if (kind === 3) [a, b] = [rnd() % 2 ** 27 + 1, rnd() % 2 ** 27 + 1];
    const args = `(${a}, ${b}, ${c})`;
    for (let rm = RNE; rm <= RMM; rm++) {
      const m = `/rm${rm}${args}`;
      compare([
        [
          "addD" + m,
          (f) => f.addD(a, b, rm),
          (s) => exactAdd(a, b, BINARY64, rm, s),
        ],
        [
          "subD" + m,
          (f) => f.subD(a, b, rm),
          (s) => exactAdd(a, -b, BINARY64, rm, s),
        ],
        [
          "mulD" + m,
          (f) => f.mulD(a, b, rm),
          (s) => exactMul(a, b, BINARY64, rm, s),
        ],
        [
          "divD" + m,
          (f) => f.divD(a, b, rm),
          (s) => exactDiv(a, b, BINARY64, rm, s),
        ],
        [
          "sqrtD" + m,
          (f) => f.sqrtD(Math.abs(a), rm),
          (s) => exactSqrt(Math.abs(a), BINARY64, rm, s),
        ],
        [
          "fmaddD" + m,
          (f) => f.fmaddD(a, b, c, rm),
          (s) => exactFma(a, b, c, BINARY64, rm, s),
        ],
        [
          "fnmsubD" + m,
          (f) => f.fnmsubD(a, b, c, rm),
          (s) => exactFma(-a, b, c, BINARY64, rm, s),
        ],
        [
          "cvtDL" + m,
          (f) => f.cvtDL(a | 0, b | 0, rm),
          (s) =>
            exactFromInt(
              (BigInt(a | 0) << 32n) + BigInt(b >>> 0),
              BINARY64,
              rm,
              s,
            ),
        ],
      ], failures);
    }
  }
  deepStrictEqual(failures, []);
});

Deno.test("binary32 fast paths match the exact reference in every mode", () => {
  const failures: string[] = [];
  const canon = (x: number) => x !== x ? CANON_S : toBitsS(x);
  for (let i = 0; i < 6000 && failures.length < 10; i++) {
    const a = randomS();
    let b = randomS(), c = randomS();
    const x = fromBitsS(a);
    if (rnd() % 3 === 0) {
      b = toBitsS(Math.fround(nearby(x, 24) * 2 ** -(rnd() % 30)));
    }
    const y = fromBitsS(b);
    const near = Math.fround(-nearby(x * y, 24));
    if (rnd() % 3 === 0 && near === near) c = toBitsS(near);
    const z = fromBitsS(c), w = x + y * 2 ** -30;
    const args = `(${a.toString(16)}, ${b.toString(16)}, ${c.toString(16)})`;
    for (let rm = RNE; rm <= RMM; rm++) {
      const m = `/rm${rm}${args}`;
      compare([
        [
          "addS" + m,
          (f) => f.addS(a, b, rm),
          (s) => canon(exactAdd(x, y, BINARY32, rm, s)),
        ],
        [
          "subS" + m,
          (f) => f.subS(a, b, rm),
          (s) => canon(exactAdd(x, -y, BINARY32, rm, s)),
        ],
        [
          "mulS" + m,
          (f) => f.mulS(a, b, rm),
          (s) => canon(exactMul(x, y, BINARY32, rm, s)),
        ],
        [
          "divS" + m,
          (f) => f.divS(a, b, rm),
          (s) => canon(exactDiv(x, y, BINARY32, rm, s)),
        ],
        [
          "sqrtS" + m,
          (f) => f.sqrtS(a, rm),
          (s) => canon(exactSqrt(x, BINARY32, rm, s)),
        ],
        [
          "fmaddS" + m,
          (f) => f.fmaddS(a, b, c, rm),
          (s) => canon(exactFma(x, y, z, BINARY32, rm, s)),
        ],
        [
          "fnmaddS" + m,
          (f) => f.fnmaddS(a, b, c, rm),
          (s) => canon(exactFma(-x, y, -z, BINARY32, rm, s)),
        ],
        [
          "cvtSD" + m,
          (f) => f.cvtSD(w, rm),
          (s) => canon(exactMul(w, 1, BINARY32, rm, s)),
        ],
        [
          "cvtSL" + m,
          (f) => f.cvtSL(a, b, rm),
          (s) =>
            canon(
              exactFromInt(
                (BigInt(a | 0) << 32n) + BigInt(b >>> 0),
                BINARY32,
                rm,
                s,
              ),
            ),
        ],
      ], failures);
    }
  }
  deepStrictEqual(failures, []);
});
