/**
 * Encodings of the two fields of the RISC-V `fcsr`: the rounding mode
 * (`frm`, spec 11.2 table 11.1) and the accrued exception flags (`fflags`,
 * spec 11.2 table 11.2).
 *
 * @example
 * ```ts
 * import { NV, NX, RTZ } from "./fcsr.ts";
 * console.log(RTZ, (NV | NX).toString(2)); // 1 "10001"
 * ```
 *
 * @module
 */

/**
 * Round to nearest, ties to even (frm 000, RISC-V spec 11.2).
 *
 * @example
 * ```ts
 * import { Fpu, RNE } from "./fpu.ts";
 * const fpu = new Fpu(new Int32Array(1), 0);
 * console.log(fpu.cvtWD(2.5, RNE)); // 2
 * ```
 */
export const RNE = 0;
/**
 * Round towards zero (frm 001, RISC-V spec 11.2).
 *
 * @example
 * ```ts
 * import { Fpu, RTZ } from "./fpu.ts";
 * const fpu = new Fpu(new Int32Array(1), 0);
 * console.log(fpu.cvtWD(-2.7, RTZ)); // -2
 * ```
 */
export const RTZ = 1;
/**
 * Round down, towards -inf (frm 010, RISC-V spec 11.2).
 *
 * @example
 * ```ts
 * import { Fpu, RDN } from "./fpu.ts";
 * const fpu = new Fpu(new Int32Array(1), 0);
 * console.log(fpu.cvtWD(-2.1, RDN)); // -3
 * ```
 */
export const RDN = 2;
/**
 * Round up, towards +inf (frm 011, RISC-V spec 11.2).
 *
 * @example
 * ```ts
 * import { Fpu, RUP } from "./fpu.ts";
 * const fpu = new Fpu(new Int32Array(1), 0);
 * console.log(fpu.cvtWD(2.1, RUP)); // 3
 * ```
 */
export const RUP = 3;
/**
 * Round to nearest, ties to max magnitude (frm 100, RISC-V spec 11.2).
 *
 * @example
 * ```ts
 * import { Fpu, RMM } from "./fpu.ts";
 * const fpu = new Fpu(new Int32Array(1), 0);
 * console.log(fpu.cvtWD(2.5, RMM)); // 3
 * ```
 */
export const RMM = 4;

/**
 * fflags bit: inexact (RISC-V spec 11.2, table 11.2).
 *
 * @example
 * ```ts
 * import { Fpu, NX, RNE } from "./fpu.ts";
 * const flags = new Int32Array(1);
 * new Fpu(flags, 0).divD(1, 3, RNE);
 * console.log(flags[0] === NX); // true
 * ```
 */
export const NX = 1;
/**
 * fflags bit: underflow, tininess detected after rounding (RISC-V spec 11.2).
 *
 * @example
 * ```ts
 * import { Fpu, NX, RNE, UF } from "./fpu.ts";
 * const flags = new Int32Array(1);
 * new Fpu(flags, 0).mulD(2 ** -1000, 3 * 2 ** -70, RNE);
 * console.log(flags[0] === (UF | NX)); // true
 * ```
 */
export const UF = 2;
/**
 * fflags bit: overflow (RISC-V spec 11.2).
 *
 * @example
 * ```ts
 * import { Fpu, NX, OF, RNE } from "./fpu.ts";
 * const flags = new Int32Array(1);
 * new Fpu(flags, 0).mulD(1e300, 1e300, RNE);
 * console.log(flags[0] === (OF | NX)); // true
 * ```
 */
export const OF = 4;
/**
 * fflags bit: divide by zero (RISC-V spec 11.2).
 *
 * @example
 * ```ts
 * import { DZ, Fpu, RNE } from "./fpu.ts";
 * const flags = new Int32Array(1);
 * console.log(new Fpu(flags, 0).divD(1, -0, RNE), flags[0] === DZ); // -Infinity true
 * ```
 */
export const DZ = 8;
/**
 * fflags bit: invalid operation (RISC-V spec 11.2).
 *
 * @example
 * ```ts
 * import { Fpu, NV, RNE } from "./fpu.ts";
 * const flags = new Int32Array(1);
 * console.log(new Fpu(flags, 0).sqrtD(-1, RNE), flags[0] === NV); // NaN true
 * ```
 */
export const NV = 16;
