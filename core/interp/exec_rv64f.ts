/**
 * Semantics of RV64F (Unprivileged ISA, chapter 20). Arithmetic goes through
 * the FPU (which accrues fflags); loads, stores, moves and sign injection
 * move raw bits. Single values live NaN-boxed in the 64-bit f registers.
 *
 * @module
 */

import { Exit } from "../exit.ts";
import type { RV64FName } from "../isa/mod.ts";
import { type ExecFn, loadAddr, noteStore, setW, storeAddr } from "./_hart.ts";
import { getS, setL, setLU, setS } from "./_fp.ts";
import { fpCombinators } from "./_fp_combinators.ts";

const { arith, fused, pick, cmp, toInt, fromInt } = fpCombinators(getS, setS);

/** fd = sign-injected fs1 (raw bits; only the sign bit changes). */
const sgnj = (sign: (a: number, b: number) => number): ExecFn => (h, d) => {
  const a = getS(h, d.rs1), b = getS(h, d.rs2);
  setS(h, d.rd, (a & 0x7fffffff) | (sign(a, b) & 0x80000000));
  return 0;
};

/** rd = integer conversion of fs1. */
/**
 * RV64F semantics, keyed by mnemonic.
 *
 * @example
 * ```ts
 * import { EXEC_RV64F } from "./exec_rv64f.ts";
 * console.log(typeof EXEC_RV64F["fadd.s"]); // "function"
 * ```
 */
export const EXEC_RV64F: Record<RV64FName, ExecFn> = {
  flw: (h, d) => {
    const a = loadAddr(h, d, 4);
    if (a < 0) return Exit.LOAD_FAULT;
    setS(h, d.rd, h.view.getInt32(a, true));
    return 0;
  },
  fsw: (h, d) => {
    const a = storeAddr(h, d, 4);
    if (a < 0) return Exit.STORE_FAULT;
    h.view.setInt32(a, h.f32[2 * d.rs2], true);
    noteStore(h, a, 4);
    return 0;
  },
  "fmadd.s": fused((f, a, b, c, rm) => f.fmaddS(a, b, c, rm)),
  "fmsub.s": fused((f, a, b, c, rm) => f.fmsubS(a, b, c, rm)),
  "fnmsub.s": fused((f, a, b, c, rm) => f.fnmsubS(a, b, c, rm)),
  "fnmadd.s": fused((f, a, b, c, rm) => f.fnmaddS(a, b, c, rm)),
  "fadd.s": arith((f, a, b, rm) => f.addS(a, b, rm)),
  "fsub.s": arith((f, a, b, rm) => f.subS(a, b, rm)),
  "fmul.s": arith((f, a, b, rm) => f.mulS(a, b, rm)),
  "fdiv.s": arith((f, a, b, rm) => f.divS(a, b, rm)),
  "fsqrt.s": arith((f, a, _b, rm) => f.sqrtS(a, rm)),
  "fsgnj.s": sgnj((_a, b) => b),
  "fsgnjn.s": sgnj((_a, b) => ~b),
  "fsgnjx.s": sgnj((a, b) => a ^ b),
  "fmin.s": pick((f, a, b) => f.minS(a, b)),
  "fmax.s": pick((f, a, b) => f.maxS(a, b)),
  "fcvt.w.s": toInt((f, a, rm) => f.cvtWS(a, rm), setW),
  "fcvt.wu.s": toInt((f, a, rm) => f.cvtWUS(a, rm), setW),
  "fmv.x.w": (h, d) => {
    setW(h, d.rd, h.f32[2 * d.rs1]);
    return 0;
  },
  "feq.s": cmp((f, a, b) => f.eqS(a, b)),
  "flt.s": cmp((f, a, b) => f.ltS(a, b)),
  "fle.s": cmp((f, a, b) => f.leS(a, b)),
  "fclass.s": (h, d) => {
    setW(h, d.rd, h.fpu.classS(getS(h, d.rs1)));
    return 0;
  },
  "fcvt.s.w": fromInt((f, _hi, lo, rm) => f.cvtSW(lo, rm)),
  "fcvt.s.wu": fromInt((f, _hi, lo, rm) => f.cvtSWU(lo >>> 0, rm)),
  "fmv.w.x": (h, d) => {
    setS(h, d.rd, h.x32[2 * d.rs1]);
    return 0;
  },
  "fcvt.l.s": toInt((f, a, rm) => f.cvtLS(a, rm), setL),
  "fcvt.lu.s": toInt((f, a, rm) => f.cvtLUS(a, rm), setLU),
  "fcvt.s.l": fromInt((f, hi, lo, rm) => f.cvtSL(hi, lo, rm)),
  "fcvt.s.lu": fromInt((f, hi, lo, rm) => f.cvtSLU(hi, lo, rm)),
};
