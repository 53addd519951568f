/**
 * The floating-point unit: IEEE 754 binary32/binary64 arithmetic for the
 * RISC-V F and D extensions, with all rounding modes and exact fflags.
 *
 * @example
 * ```ts
 * import { Fpu, NX, RNE, RTZ } from "./mod.ts";
 * const flags = new Int32Array(1);
 * const fpu = new Fpu(flags, 0);
 * console.log(fpu.fmaddD(0.1, 10, -1, RNE)); // 5.551115123125783e-17
 * console.log(fpu.cvtWUD(-0.9, RTZ), flags[0] === NX); // 0 true
 * ```
 *
 * @module
 */

export { Fpu, isSignalingD } from "./fpu.ts";
export { DZ, NV, NX, OF, RDN, RMM, RNE, RTZ, RUP, UF } from "./fcsr.ts";
export type { FlagSink } from "./_exact.ts";
