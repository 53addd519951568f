/**
 * The shapes of F and D arithmetic instructions, shared by both
 * precisions: they differ only in how a value is read from and written to
 * an f register (`getS`/`setS` NaN-box 32-bit patterns, `getD`/`setD` move
 * doubles).
 *
 * @module
 */

import { Exit } from "../exit.ts";
import type { FpuOps } from "./fpu_ops.ts";
import { type ExecFn, type Hart, setW } from "./_hart.ts";
import { rmOf } from "./_fp.ts";

type Op2 = (fpu: FpuOps, a: number, b: number, rm: number) => number;
type Op3 = (fpu: FpuOps, a: number, b: number, c: number, rm: number) => number;
type Pick = (fpu: FpuOps, a: number, b: number) => number;

/** The combinators for one precision. */
export interface FpCombinators {
  /** fd = op(fs1, fs2) with rounding. */
  arith(op: Op2): ExecFn;
  /** fd = op(fs1, fs2, fs3) with rounding. */
  fused(op: Op3): ExecFn;
  /** fd = op(fs1, fs2), no rounding (min/max). */
  pick(op: Pick): ExecFn;
  /** rd = op(fs1, fs2) (compare). */
  cmp(op: Pick): ExecFn;
  /** rd = integer conversion of fs1, written by `write`. */
  toInt(
    op: (fpu: FpuOps, a: number, rm: number) => number,
    write: (h: Hart, rd: number, v: number) => void,
  ): ExecFn;
  /** fd = conversion of the integer in rs1 (passed as halves hi, lo). */
  fromInt(
    op: (fpu: FpuOps, hi: number, lo: number, rm: number) => number,
  ): ExecFn;
}

/**
 * Builds the combinators over a precision's register accessors. `signal`
 * raises NV for a signaling NaN in a source register, from its bits, before
 * the operation runs (binary64 needs it, see `signalD`; binary32 operands
 * travel as bits and the Fpu judges them itself).
 *
 * @example
 * ```ts ignore
 * const { arith } = fpCombinators(getD, setD, signalD);
 * const faddD = arith((fpu, a, b, rm) => fpu.addD(a, b, rm));
 * ```
 */
export function fpCombinators(
  get: (h: Hart, r: number) => number,
  set: (h: Hart, r: number, v: number) => void,
  signal: (h: Hart, r: number) => void = () => {},
): FpCombinators {
  return {
    arith: (op) => (h, d) => {
      const rm = rmOf(h, d);
      if (rm < 0) return Exit.ILLEGAL;
      signal(h, d.rs1);
      signal(h, d.rs2);
      set(h, d.rd, op(h.fpu, get(h, d.rs1), get(h, d.rs2), rm));
      return 0;
    },
    fused: (op) => (h, d) => {
      const rm = rmOf(h, d);
      if (rm < 0) return Exit.ILLEGAL;
      signal(h, d.rs1);
      signal(h, d.rs2);
      signal(h, d.rs3);
      set(h, d.rd, op(h.fpu, get(h, d.rs1), get(h, d.rs2), get(h, d.rs3), rm));
      return 0;
    },
    pick: (op) => (h, d) => {
      signal(h, d.rs1);
      signal(h, d.rs2);
      set(h, d.rd, op(h.fpu, get(h, d.rs1), get(h, d.rs2)));
      return 0;
    },
    cmp: (op) => (h, d) => {
      signal(h, d.rs1);
      signal(h, d.rs2);
      setW(h, d.rd, op(h.fpu, get(h, d.rs1), get(h, d.rs2)));
      return 0;
    },
    toInt: (op, write) => (h, d) => {
      const rm = rmOf(h, d);
      if (rm < 0) return Exit.ILLEGAL;
      signal(h, d.rs1);
      write(h, d.rd, op(h.fpu, get(h, d.rs1), rm));
      return 0;
    },
    fromInt: (op) => (h, d) => {
      const rm = rmOf(h, d);
      if (rm < 0) return Exit.ILLEGAL;
      set(h, d.rd, op(h.fpu, h.x32[2 * d.rs1 + 1], h.x32[2 * d.rs1], rm));
      return 0;
    },
  };
}
