/**
 * Translator semantics for the F and D extensions (RISC-V unprivileged spec
 * chapters 11 and 12). Loads, stores, moves and sign injection work on raw
 * bits in wasm; arithmetic, comparisons and conversions call the shared
 * `Fpu` (imported by name), which applies the rounding mode and accrues
 * fflags exactly as the interpreter does.
 *
 * @module
 */

import { NV } from "../fpu/fcsr.ts";
import type { Decoded } from "../isa/types.ts";
import { FFLAGS_OFF } from "../layout.ts";
import { type BlockBuilder, L_T1 } from "./block_builder.ts";
import type { EmitFn } from "./emit_int.ts";
import { F64, type FuncType, I32, Op, OpFC, type ValType } from "./wasm.ts";

type P = "S" | "D";
const vt = (p: P): ValType => (p === "D" ? F64 : I32);
const fn = (params: ValType[], results: ValType[]): FuncType => ({
  params,
  results,
});

function getF(b: BlockBuilder, p: P, r: number): void {
  if (p === "D") b.getD(r);
  else b.getS(r);
}

function setF(b: BlockBuilder, p: P, r: number): void {
  if (p === "D") b.setD(r);
  else b.setS(r);
}

/** The lowest and (exclusive) span of signaling binary64 NaNs, sign cleared. */
const SNAN_LOW = 0x7ff0_0000_0000_0001n, SNAN_SPAN = 0x0007_ffff_ffff_ffffn;

/**
 * Emits: fflags |= NV when any of the binary64 registers `regs` holds a
 * signaling NaN, judged from its bits in wasm. The Fpu sees doubles as JS
 * numbers, whose NaN payloads V8 may quiet, so it takes every NaN operand
 * as quiet and leaves this flag to the caller (see `Fpu`). Values below on
 * the wasm stack are left alone.
 */
function signalD(b: BlockBuilder, regs: readonly number[]): void {
  regs.forEach((r, i) => {
    // |bits| - SNAN_LOW < SNAN_SPAN (unsigned): exponent all ones, quiet
    // bit clear, fraction not zero (IEEE 754-2019 6.2.1).
    b.getFBits(r).i64(0x7fff_ffff_ffff_ffffn).op(Op.i64_and);
    b.i64(SNAN_LOW).op(Op.i64_sub).i64(SNAN_SPAN).op(Op.i64_lt_u);
    if (i > 0) b.op(Op.i32_or);
  });
  b.if().i32(0).stateLoad(Op.i32_load, FFLAGS_OFF).i32(NV).op(Op.i32_or);
  b.mem(Op.i32_store, FFLAGS_OFF).end();
}

/** fop rd, rs1, rs2 [, rm] through the FPU. */
const arith =
  (p: P, name: string, nargs: 1 | 2 | 3, rounded = true): EmitFn => (b, d) => {
    const t = vt(p);
    const regs = [d.rs1, d.rs2, d.rs3].slice(0, nargs);
    const params: ValType[] = regs.map(() => t);
    for (const r of regs) getF(b, p, r);
    if (rounded) {
      if (!b.roundingMode(d.rm)) return void (b.ended = true);
      params.push(I32);
    }
    if (p === "D") signalD(b, regs);
    b.call(name + p, fn(params, [t]));
    setF(b, p, d.rd);
  };

/** feq/flt/fle: result to an integer register. */
const compare = (p: P, name: string): EmitFn => (b, d) => {
  const t = vt(p);
  getF(b, p, d.rs1);
  getF(b, p, d.rs2);
  if (p === "D") signalD(b, [d.rs1, d.rs2]);
  b.call(name + p, fn([t, t], [I32]));
  b.op(Op.i64_extend_i32_u).setX(d.rd);
};

/** fclass: the class of the raw bits (a double's NaN payload is not kept by JS). */
const fclass = (p: P): EmitFn => (b, d) => {
  if (p === "D") {
    b.getFBits(d.rs1).tee(L_T1).i64(32).op(Op.i64_shr_u).op(Op.i32_wrap_i64);
    b.get(L_T1).op(Op.i32_wrap_i64).call("classD", fn([I32, I32], [I32]));
  } else {
    b.getS(d.rs1).call("classS", fn([I32], [I32]));
  }
  b.op(Op.i64_extend_i32_u).setX(d.rd);
};

/** Sign injection on raw bits; kind 0 = copy, 1 = negate, 2 = xor. */
const sgnj = (p: P, kind: 0 | 1 | 2): EmitFn => (b, d) => {
  if (p === "D") {
    const sign = -(2n ** 63n);
    b.getFBits(d.rs1).i64(~sign).op(Op.i64_and);
    if (kind === 2) {
      b.getFBits(d.rs1).getFBits(d.rs2).op(Op.i64_xor);
    } else {
      b.getFBits(d.rs2);
      if (kind === 1) b.i64(-1).op(Op.i64_xor);
    }
    b.i64(sign).op(Op.i64_and).op(Op.i64_or).setFBits(d.rd);
    return;
  }
  const sign = 0x80000000 | 0;
  b.getS(d.rs1).i32(0x7fffffff).op(Op.i32_and);
  if (kind === 2) {
    b.getS(d.rs1).getS(d.rs2).op(Op.i32_xor);
  } else {
    b.getS(d.rs2);
    if (kind === 1) b.i32(-1).op(Op.i32_xor);
  }
  b.i32(sign).op(Op.i32_and).op(Op.i32_or).setS(d.rd);
};

/** Float to integer: W forms return an int32, L forms an integral double. */
const toInteger =
  (p: P, name: string, long: boolean, unsigned: boolean): EmitFn => (b, d) => {
    const t = vt(p);
    getF(b, p, d.rs1);
    if (!b.roundingMode(d.rm)) return void (b.ended = true);
    if (p === "D") signalD(b, [d.rs1]);
    if (long) {
      b.call(name + p, fn([t, I32], [F64]));
      b.op(
        0xfc,
        unsigned ? OpFC.i64_trunc_sat_f64_u : OpFC.i64_trunc_sat_f64_s,
      );
    } else {
      b.call(name + p, fn([t, I32], [I32]));
      b.op(Op.i64_extend_i32_s);
    }
    b.setX(d.rd);
  };

/** Integer to float. Word sources pass an int32; long sources two halves. */
const fromInteger = (p: P, name: string, long: boolean): EmitFn => (b, d) => {
  const t = vt(p);
  if (long) {
    b.getX(d.rs1).set(L_T1);
    b.get(L_T1).i64(32).op(Op.i64_shr_u).op(Op.i32_wrap_i64);
    b.get(L_T1).op(Op.i32_wrap_i64);
  } else {
    b.getX32(d.rs1);
  }
  const params: ValType[] = long ? [I32, I32] : [I32];
  if (!(p === "D" && !long)) {
    if (!b.roundingMode(d.rm)) return void (b.ended = true);
    params.push(I32);
  }
  b.call(name, fn(params, [t]));
  setF(b, p, d.rd);
};

function fp(p: P): Record<string, EmitFn> {
  const s = p === "D" ? ".d" : ".s";
  const width = p === "D" ? 8 : 4;
  return {
    ["fadd" + s]: arith(p, "add", 2),
    ["fsub" + s]: arith(p, "sub", 2),
    ["fmul" + s]: arith(p, "mul", 2),
    ["fdiv" + s]: arith(p, "div", 2),
    ["fsqrt" + s]: arith(p, "sqrt", 1),
    ["fmadd" + s]: arith(p, "fmadd", 3),
    ["fmsub" + s]: arith(p, "fmsub", 3),
    ["fnmsub" + s]: arith(p, "fnmsub", 3),
    ["fnmadd" + s]: arith(p, "fnmadd", 3),
    ["fmin" + s]: arith(p, "min", 2, false),
    ["fmax" + s]: arith(p, "max", 2, false),
    ["feq" + s]: compare(p, "eq"),
    ["flt" + s]: compare(p, "lt"),
    ["fle" + s]: compare(p, "le"),
    ["fclass" + s]: fclass(p),
    ["fsgnj" + s]: sgnj(p, 0),
    ["fsgnjn" + s]: sgnj(p, 1),
    ["fsgnjx" + s]: sgnj(p, 2),
    ["fcvt.w" + s]: toInteger(p, "cvtW", false, false),
    ["fcvt.wu" + s]: toInteger(p, "cvtWU", false, true),
    ["fcvt.l" + s]: toInteger(p, "cvtL", true, false),
    ["fcvt.lu" + s]: toInteger(p, "cvtLU", true, true),
    [`fcvt${s}.w`]: fromInteger(p, `cvt${p}W`, false),
    [`fcvt${s}.wu`]: fromInteger(p, `cvt${p}WU`, false),
    [`fcvt${s}.l`]: fromInteger(p, `cvt${p}L`, true),
    [`fcvt${s}.lu`]: fromInteger(p, `cvt${p}LU`, true),
    [p === "D" ? "fld" : "flw"]: (b: BlockBuilder, d: Decoded) => {
      b.getX(d.rs1).i64(d.imm).op(Op.i64_add);
      if (p === "D") b.load(Op.i64_load, 8).setFBits(d.rd);
      else b.load(Op.i64_load32_u, 4).op(Op.i32_wrap_i64).setS(d.rd);
    },
    [p === "D" ? "fsd" : "fsw"]: (b: BlockBuilder, d: Decoded) => {
      b.store(
        p === "D" ? Op.i64_store : Op.i64_store32,
        width,
        () => b.getX(d.rs1).i64(d.imm).op(Op.i64_add),
        () => b.getFBits(d.rs2),
        L_T1,
      );
    },
  };
}

/** F and D. */
export const EMIT_FP: Record<string, EmitFn> = {
  ...fp("S"),
  ...fp("D"),
  "fmv.x.w": (b, d) => {
    b.getFBits(d.rs1).op(Op.i64_extend32_s).setX(d.rd);
  },
  "fmv.w.x": (b, d) => {
    b.getX32(d.rs1).setS(d.rd);
  },
  "fmv.x.d": (b, d) => {
    b.getFBits(d.rs1).setX(d.rd);
  },
  "fmv.d.x": (b, d) => {
    b.getX(d.rs1).setFBits(d.rd);
  },
  "fcvt.s.d": (b, d) => {
    b.getD(d.rs1);
    if (!b.roundingMode(d.rm)) return void (b.ended = true);
    signalD(b, [d.rs1]);
    b.call("cvtSD", fn([F64, I32], [I32]));
    b.setS(d.rd);
  },
  "fcvt.d.s": (b, d) => {
    b.getS(d.rs1);
    b.call("cvtDS", fn([I32], [F64]));
    b.setD(d.rd);
  },
};
