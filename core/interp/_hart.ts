/**
 * The interpreter's working state and the helpers every `exec_*.ts` uses:
 * register halves, effective addresses, permission-checked memory access.
 *
 * @module
 */

import type { Cpu } from "../cpu.ts";
import type { Decoded } from "../isa/types.ts";
import {
  EXIT_TVAL_OFF,
  GUEST_MAX,
  PAGE_SHIFT,
  PERM_CODE,
  PERM_R,
  PERM_W,
  RES_ADDR_OFF,
  RES_VALID_OFF,
} from "../layout.ts";
import type { GuestMemory } from "../memory.ts";
import type { FpuOps } from "./fpu_ops.ts";

/**
 * Executes one decoded instruction. Returns `Exit.NONE` (0) to continue, or
 * an exit cause; for faults it has already stored the faulting address.
 */
export type ExecFn = (h: Hart, d: Decoded) => number;

const TWO32 = 0x1_0000_0000;

/** Mutable execution state shared by the semantic functions. */
export class Hart {
  /** Integer registers as 32-bit halves: lo at 2i, hi at 2i+1. */
  readonly x32: Int32Array;
  /** Integer registers as BigInts (same storage). */
  readonly x: BigInt64Array;
  /** FP registers as 32-bit halves. */
  readonly f32: Int32Array;
  /** FP registers as doubles. */
  readonly f: Float64Array;
  /** The whole memory as bytes. */
  readonly u8: Uint8Array;
  /** The whole memory, little-endian accessors. */
  readonly view: DataView;
  /** Per-page permissions. */
  readonly perm: Uint8Array;
  /** Int32 view of page 0 (reservation, tval). */
  readonly i32: Int32Array;
  /** Int64 view of page 0. */
  readonly i64: BigInt64Array;
  /** pc of the instruction being executed. */
  pc = 0;
  /** pc of the next instruction; jumps and branches overwrite it. */
  npc = 0;
  /** Instructions begun so far (mirrors cpu.instret while running). */
  instret = 0;

  constructor(
    readonly mem: GuestMemory,
    readonly cpu: Cpu,
    readonly fpu: FpuOps,
  ) {
    this.x32 = cpu.x32;
    this.x = cpu.x;
    this.f32 = cpu.f32;
    this.f = cpu.f;
    this.u8 = mem.u8;
    this.view = mem.view;
    this.perm = mem.perm;
    this.i32 = new Int32Array(mem.memory.buffer, 0, 0x400);
    this.i64 = new BigInt64Array(mem.memory.buffer, 0, 0x200);
  }

  /** Stores an exact 64-bit exit tval. */
  setTval(v: number | bigint): void {
    this.i64[EXIT_TVAL_OFF >> 3] = typeof v === "bigint"
      ? BigInt.asIntN(64, v)
      : BigInt(v);
  }

  /** Sets the LR reservation. */
  reserve(addr: number): void {
    this.i64[RES_ADDR_OFF >> 3] = BigInt(addr);
    this.i32[RES_VALID_OFF >> 2] = 1;
  }

  /** Tests and clears the reservation; true when it was valid for `addr`. */
  takeReservation(addr: number): boolean {
    const ok = this.i32[RES_VALID_OFF >> 2] !== 0 &&
      this.i64[RES_ADDR_OFF >> 3] === BigInt(addr);
    this.i32[RES_VALID_OFF >> 2] = 0;
    return ok;
  }
}

/**
 * Effective address `x[rs1] + imm` as a JS number: exact whenever it is
 * within ±2^53, and far outside the guest range otherwise.
 */
export function ea(h: Hart, rs1: number, imm: number): number {
  return h.x32[2 * rs1 + 1] * TWO32 + (h.x32[2 * rs1] >>> 0) + imm;
}

/** Exact effective address as a BigInt (only used to report faults). */
function eaBig(h: Hart, rs1: number, imm: number): bigint {
  return h.x[rs1] + BigInt(imm);
}

/** True when every page of `[a, a+size)` has all permission bits `need`. */
export function accessible(
  h: Hart,
  a: number,
  size: number,
  need: number,
): boolean {
  if (!(a >= 0 && a + size <= GUEST_MAX)) return false;
  const p = a >>> PAGE_SHIFT, q = (a + size - 1) >>> PAGE_SHIFT;
  return (h.perm[p] & need) === need &&
    (q === p || (h.perm[q] & need) === need);
}

/**
 * Checks a load; on failure records the exact address and returns -1 (an
 * address is never negative when it passes).
 */
export function loadAddr(h: Hart, d: Decoded, size: number): number {
  const a = ea(h, d.rs1, d.imm);
  if (accessible(h, a, size, PERM_R)) return a;
  h.setTval(eaBig(h, d.rs1, d.imm));
  return -1;
}

/** Like {@link loadAddr} for stores (PERM_W). */
export function storeAddr(h: Hart, d: Decoded, size: number): number {
  const a = ea(h, d.rs1, d.imm);
  if (accessible(h, a, size, PERM_W)) return a;
  h.setTval(eaBig(h, d.rs1, d.imm));
  return -1;
}

/** After a store: tells the memory if translated code lived there. */
export function noteStore(h: Hart, a: number, size: number): void {
  if (
    ((h.perm[a >>> PAGE_SHIFT] | h.perm[(a + size - 1) >>> PAGE_SHIFT]) &
      PERM_CODE) !== 0
  ) {
    h.mem.noteWrite(a, size);
  }
}

/** Writes a sign-extended 32-bit result to rd. */
export function setW(h: Hart, rd: number, v: number): void {
  h.x32[2 * rd] = v;
  h.x32[2 * rd + 1] = v >> 31;
}

/** Writes a JS integer (exact, |v| < 2^53) to rd, two's complement. */
export function setNum(h: Hart, rd: number, v: number): void {
  h.x32[2 * rd] = v | 0;
  h.x32[2 * rd + 1] = Math.floor(v / TWO32) | 0;
}

/** Writes a 64-bit value given as two halves to rd. */
export function setHL(h: Hart, rd: number, hi: number, lo: number): void {
  h.x32[2 * rd] = lo;
  h.x32[2 * rd + 1] = hi;
}
