/**
 * The vCPU's architectural state, as typed views over page 0 of the flat
 * memory (see `layout.ts`). The interpreter, the translator and the Linux
 * layer all read and write this one copy.
 *
 * @module
 */

import {
  EXIT_CAUSE_OFF,
  EXIT_TVAL_OFF,
  F_BASE,
  FFLAGS_OFF,
  FRM_OFF,
  INSTRET_OFF,
  PC_OFF,
  RES_VALID_OFF,
  X_BASE,
} from "./layout.ts";

/**
 * Accessors for registers, pc, instret and the FP CSRs.
 *
 * @example
 * ```ts
 * import { Cpu } from "./cpu.ts";
 * const memory = new WebAssembly.Memory({ initial: 1 });
 * const cpu = new Cpu(memory.buffer);
 * cpu.setX(10, -1);
 * console.log(cpu.getX(10), cpu.getXU(10) === 2 ** 64 - 1); // -1 true
 * ```
 */
export class Cpu {
  /** x0..x31 as signed 64-bit BigInts (use for exact 64-bit work). */
  readonly x: BigInt64Array;
  /** x0..x31 as pairs of 32-bit halves: x[i] = (hi << 32) | lo, lo at 2i. */
  readonly x32: Int32Array;
  /** f0..f31 raw bits. */
  readonly fbits: BigUint64Array;
  /** f0..f31 as doubles (NaN payloads kept as stored). */
  readonly f: Float64Array;
  /** f0..f31 as 32-bit halves (low half at 2i). */
  readonly f32: Int32Array;
  private readonly i32: Int32Array;
  private readonly i64: BigInt64Array;

  /** Wraps the state that lives at the start of `buffer`. */
  constructor(buffer: ArrayBufferLike) {
    this.x = new BigInt64Array(buffer, X_BASE, 32);
    this.x32 = new Int32Array(buffer, X_BASE, 64);
    this.fbits = new BigUint64Array(buffer, F_BASE, 32);
    this.f = new Float64Array(buffer, F_BASE, 32);
    this.f32 = new Int32Array(buffer, F_BASE, 64);
    this.i32 = new Int32Array(buffer, 0, 0x400);
    this.i64 = new BigInt64Array(buffer, 0, 0x200);
  }

  /** Register `i` as a signed JS number (exact within ±2^53). */
  getX(i: number): number {
    return this.x32[2 * i + 1] * 0x1_0000_0000 + (this.x32[2 * i] >>> 0);
  }

  /** Register `i` as an unsigned JS number (exact below 2^53). */
  getXU(i: number): number {
    return (this.x32[2 * i + 1] >>> 0) * 0x1_0000_0000 +
      (this.x32[2 * i] >>> 0);
  }

  /** Register `i` interpreted as a signed 32-bit int (the low word). */
  getX32(i: number): number {
    return this.x32[2 * i];
  }

  /** Sets register `i` from a JS integer (sign-extended to 64 bits). Ignores x0. */
  setX(i: number, v: number): void {
    if (i === 0) return;
    const lo = v % 0x1_0000_0000;
    this.x32[2 * i] = lo | 0;
    this.x32[2 * i + 1] = Math.floor(v / 0x1_0000_0000) | 0;
  }

  /** Program counter, as a number (guest pcs are below 2^53). */
  get pc(): number {
    const lo = this.i32[PC_OFF >> 2] >>> 0, hi = this.i32[(PC_OFF >> 2) + 1];
    return hi * 0x1_0000_0000 + lo;
  }

  /** Sets the program counter. */
  set pc(v: number) {
    this.i64[PC_OFF >> 3] = BigInt(v);
  }

  /** Retired instructions so far, as a number (exact below 2^53). */
  get instret(): number {
    const lo = this.i32[INSTRET_OFF >> 2] >>> 0;
    const hi = this.i32[(INSTRET_OFF >> 2) + 1] >>> 0;
    return hi * 0x1_0000_0000 + lo;
  }

  /** Sets the retired-instruction counter. */
  set instret(v: number) {
    this.i64[INSTRET_OFF >> 3] = BigInt(v);
  }

  /** Accrued FP exception flags (NV DZ OF UF NX, bits 4..0). */
  get fflags(): number {
    return this.i32[FFLAGS_OFF >> 2];
  }

  /** Sets the FP exception flags (low 5 bits kept). */
  set fflags(v: number) {
    this.i32[FFLAGS_OFF >> 2] = v & 0x1f;
  }

  /** Dynamic rounding mode. */
  get frm(): number {
    return this.i32[FRM_OFF >> 2];
  }

  /** Sets the dynamic rounding mode (low 3 bits kept). */
  set frm(v: number) {
    this.i32[FRM_OFF >> 2] = v & 7;
  }

  /** The Int32 view index of the fflags word (for the FPU to OR into). */
  static readonly FFLAGS_INDEX = FFLAGS_OFF >> 2;

  /** Drops any LR reservation (signal delivery and context switches do). */
  clearReservation(): void {
    this.i32[RES_VALID_OFF >> 2] = 0;
  }

  /** Exit cause written by the last run of the engine. */
  get exitCause(): number {
    return this.i32[EXIT_CAUSE_OFF >> 2];
  }

  /** Sets the exit cause. */
  set exitCause(v: number) {
    this.i32[EXIT_CAUSE_OFF >> 2] = v;
  }

  /** Faulting address / instruction bits of the last exit. */
  get exitTval(): number {
    const lo = this.i32[EXIT_TVAL_OFF >> 2] >>> 0;
    const hi = this.i32[(EXIT_TVAL_OFF >> 2) + 1] >>> 0;
    return hi * 0x1_0000_0000 + lo;
  }

  /** Sets the faulting address / instruction bits. */
  set exitTval(v: number) {
    this.i64[EXIT_TVAL_OFF >> 3] = BigInt.asIntN(64, BigInt(v));
  }

  /**
   * Faulting address / instruction bits of the last exit, exact, as an
   * unsigned 64-bit BigInt (`exitTval` rounds above 2^53, which a fault
   * address can be).
   */
  get exitTvalBits(): bigint {
    return BigInt.asUintN(64, this.i64[EXIT_TVAL_OFF >> 3]);
  }
}
