/**
 * Semantics of RV64D (Unprivileged ISA, chapter 21). Arithmetic goes through
 * the FPU (which accrues fflags); loads, stores, moves and sign injection
 * move raw bits.
 *
 * @module
 */

import { Exit } from "../exit.ts";
import type { RV64DName } from "../isa/mod.ts";
import { type ExecFn, loadAddr, noteStore, setW, storeAddr } from "./_hart.ts";
import { getD, getS, rmOf, setD, setL, setLU, setS, signalD } from "./_fp.ts";
import { fpCombinators } from "./_fp_combinators.ts";

const { arith, fused, pick, cmp, toInt, fromInt } = fpCombinators(
  getD,
  setD,
  signalD,
);

/** Sign injection on the high word; the low word is copied raw. */
const sgnj = (sign: (a: number, b: number) => number): ExecFn => (h, d) => {
  const f = h.f32, a = f[2 * d.rs1 + 1], b = f[2 * d.rs2 + 1];
  const lo = f[2 * d.rs1];
  f[2 * d.rd + 1] = (a & 0x7fffffff) | (sign(a, b) & 0x80000000);
  f[2 * d.rd] = lo;
  return 0;
};

/**
 * RV64D semantics, keyed by mnemonic.
 *
 * @example
 * ```ts
 * import { EXEC_RV64D } from "./exec_rv64d.ts";
 * console.log(typeof EXEC_RV64D["fmadd.d"]); // "function"
 * ```
 */
export const EXEC_RV64D: Record<RV64DName, ExecFn> = {
  fld: (h, d) => {
    const a = loadAddr(h, d, 8);
    if (a < 0) return Exit.LOAD_FAULT;
    const lo = h.view.getInt32(a, true), hi = h.view.getInt32(a + 4, true);
    h.f32[2 * d.rd] = lo;
    h.f32[2 * d.rd + 1] = hi;
    return 0;
  },
  fsd: (h, d) => {
    const a = storeAddr(h, d, 8);
    if (a < 0) return Exit.STORE_FAULT;
    h.view.setInt32(a, h.f32[2 * d.rs2], true);
    h.view.setInt32(a + 4, h.f32[2 * d.rs2 + 1], true);
    noteStore(h, a, 8);
    return 0;
  },
  "fmadd.d": fused((f, a, b, c, rm) => f.fmaddD(a, b, c, rm)),
  "fmsub.d": fused((f, a, b, c, rm) => f.fmsubD(a, b, c, rm)),
  "fnmsub.d": fused((f, a, b, c, rm) => f.fnmsubD(a, b, c, rm)),
  "fnmadd.d": fused((f, a, b, c, rm) => f.fnmaddD(a, b, c, rm)),
  "fadd.d": arith((f, a, b, rm) => f.addD(a, b, rm)),
  "fsub.d": arith((f, a, b, rm) => f.subD(a, b, rm)),
  "fmul.d": arith((f, a, b, rm) => f.mulD(a, b, rm)),
  "fdiv.d": arith((f, a, b, rm) => f.divD(a, b, rm)),
  "fsqrt.d": (h, d) => {
    const rm = rmOf(h, d);
    if (rm < 0) return Exit.ILLEGAL;
    signalD(h, d.rs1);
    setD(h, d.rd, h.fpu.sqrtD(getD(h, d.rs1), rm));
    return 0;
  },
  "fsgnj.d": sgnj((_a, b) => b),
  "fsgnjn.d": sgnj((_a, b) => ~b),
  "fsgnjx.d": sgnj((a, b) => a ^ b),
  "fmin.d": pick((f, a, b) => f.minD(a, b)),
  "fmax.d": pick((f, a, b) => f.maxD(a, b)),
  "fcvt.s.d": (h, d) => {
    const rm = rmOf(h, d);
    if (rm < 0) return Exit.ILLEGAL;
    signalD(h, d.rs1);
    setS(h, d.rd, h.fpu.cvtSD(getD(h, d.rs1), rm));
    return 0;
  },
  "fcvt.d.s": (h, d) => {
    setD(h, d.rd, h.fpu.cvtDS(getS(h, d.rs1)));
    return 0;
  },
  "feq.d": cmp((f, a, b) => f.eqD(a, b)),
  "flt.d": cmp((f, a, b) => f.ltD(a, b)),
  "fle.d": cmp((f, a, b) => f.leD(a, b)),
  "fclass.d": (h, d) => {
    setW(h, d.rd, h.fpu.classD(h.f32[2 * d.rs1 + 1], h.f32[2 * d.rs1]));
    return 0;
  },
  "fcvt.w.d": toInt((f, a, rm) => f.cvtWD(a, rm), setW),
  "fcvt.wu.d": toInt((f, a, rm) => f.cvtWUD(a, rm), setW),
  "fcvt.l.d": toInt((f, a, rm) => f.cvtLD(a, rm), setL),
  "fcvt.lu.d": toInt((f, a, rm) => f.cvtLUD(a, rm), setLU),
  "fcvt.d.w": (h, d) => {
    setD(h, d.rd, h.fpu.cvtDW(h.x32[2 * d.rs1]));
    return 0;
  },
  "fcvt.d.wu": (h, d) => {
    setD(h, d.rd, h.fpu.cvtDWU(h.x32[2 * d.rs1] >>> 0));
    return 0;
  },
  "fmv.x.d": (h, d) => {
    const lo = h.f32[2 * d.rs1], hi = h.f32[2 * d.rs1 + 1];
    h.x32[2 * d.rd] = lo;
    h.x32[2 * d.rd + 1] = hi;
    return 0;
  },
  "fcvt.d.l": fromInt((f, hi, lo, rm) => f.cvtDL(hi, lo, rm)),
  "fcvt.d.lu": fromInt((f, hi, lo, rm) => f.cvtDLU(hi, lo, rm)),
  "fmv.d.x": (h, d) => {
    const lo = h.x32[2 * d.rs1], hi = h.x32[2 * d.rs1 + 1];
    h.f32[2 * d.rd] = lo;
    h.f32[2 * d.rd + 1] = hi;
    return 0;
  },
};
