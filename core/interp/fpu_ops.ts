/**
 * The floating-point operations the interpreter needs, as an interface. The
 * implementation is `Fpu` in `core/fpu/fpu.ts`; the interpreter depends only
 * on the methods named here.
 *
 * Doubles travel as JS numbers; singles as raw 32-bit patterns (int32).
 * Every method accrues IEEE exception flags into fflags itself.
 *
 * @module
 */

import type { Fpu } from "../fpu/fpu.ts";

/**
 * The part of `Fpu` (core/fpu/fpu.ts) the interpreter calls (`rm`: 0 RNE,
 * 1 RTZ, 2 RDN, 3 RUP, 4 RMM). Tests may pass any object with these methods.
 *
 * @example
 * ```ts
 * import type { FpuOps } from "./fpu_ops.ts";
 * const half = (fpu: FpuOps, v: number) => fpu.mulD(v, 0.5, 0);
 * console.log(typeof half); // "function"
 * ```
 */
export type FpuOps = Pick<
  Fpu,
  | "addD"
  | "subD"
  | "mulD"
  | "divD"
  | "sqrtD"
  | "fmaddD"
  | "fmsubD"
  | "fnmsubD"
  | "fnmaddD"
  | "minD"
  | "maxD"
  | "eqD"
  | "ltD"
  | "leD"
  | "classD"
  | "addS"
  | "subS"
  | "mulS"
  | "divS"
  | "sqrtS"
  | "fmaddS"
  | "fmsubS"
  | "fnmsubS"
  | "fnmaddS"
  | "minS"
  | "maxS"
  | "eqS"
  | "ltS"
  | "leS"
  | "classS"
  | "cvtSD"
  | "cvtDS"
  | "cvtWD"
  | "cvtWUD"
  | "cvtLD"
  | "cvtLUD"
  | "cvtWS"
  | "cvtWUS"
  | "cvtLS"
  | "cvtLUS"
  | "cvtDW"
  | "cvtDWU"
  | "cvtDL"
  | "cvtDLU"
  | "cvtSW"
  | "cvtSWU"
  | "cvtSL"
  | "cvtSLU"
>;
