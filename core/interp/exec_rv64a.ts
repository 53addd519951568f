/**
 * Semantics of RV64A (Unprivileged ISA, chapter 14) for a single hart:
 * every AMO is trivially atomic. Misaligned atomics exit with
 * `Exit.MISALIGNED` (Linux delivers SIGBUS); an AMO on a page that is not
 * both readable and writable is a store fault.
 *
 * @module
 */

import { Exit } from "../exit.ts";
import type { RV64AName } from "../isa/mod.ts";
import type { Decoded } from "../isa/types.ts";
import { PERM_R, PERM_W } from "../layout.ts";
import {
  accessible,
  ea,
  type ExecFn,
  type Hart,
  noteStore,
  setW,
} from "./_hart.ts";

/** Exact low bits of the address, for the alignment check. */
const low = (h: Hart, d: Decoded) => (h.x32[2 * d.rs1] + d.imm) & 7;

/** Misaligned-atomic exit; tval is the exact address. */
function misaligned(h: Hart, d: Decoded): number {
  h.setTval(h.x[d.rs1]);
  return Exit.MISALIGNED;
}

/** Records a fault at the exact address x[rs1]. */
function fault(h: Hart, d: Decoded, cause: number): number {
  h.setTval(h.x[d.rs1]);
  return cause;
}

const lr = (size: 4 | 8): ExecFn => (h, d) => {
  if ((low(h, d) & (size - 1)) !== 0) return misaligned(h, d);
  const a = ea(h, d.rs1, 0);
  if (!accessible(h, a, size, PERM_R)) return fault(h, d, Exit.LOAD_FAULT);
  if (size === 4) setW(h, d.rd, h.view.getInt32(a, true));
  else h.x[d.rd] = h.view.getBigInt64(a, true);
  h.reserve(a);
  return 0;
};

const sc = (size: 4 | 8): ExecFn => (h, d) => {
  if ((low(h, d) & (size - 1)) !== 0) return misaligned(h, d);
  const a = ea(h, d.rs1, 0);
  if (!h.takeReservation(a)) {
    setW(h, d.rd, 1);
    return 0;
  }
  if (!accessible(h, a, size, PERM_W)) return fault(h, d, Exit.STORE_FAULT);
  if (size === 4) h.view.setInt32(a, h.x32[2 * d.rs2], true);
  else h.view.setBigInt64(a, h.x[d.rs2], true);
  noteStore(h, a, size);
  setW(h, d.rd, 0);
  return 0;
};

/** Checks an AMO's address; returns it, or a negative exit marker. */
function amoAddr(h: Hart, d: Decoded, size: number): number {
  const a = ea(h, d.rs1, 0);
  if ((low(h, d) & (size - 1)) !== 0) return -misaligned(h, d);
  if (!accessible(h, a, size, PERM_R | PERM_W)) {
    return -fault(h, d, Exit.STORE_FAULT);
  }
  return a;
}

/** rd = sext(mem32); mem32 = op(mem32, rs2). */
const amoW = (op: (m: number, v: number) => number): ExecFn => (h, d) => {
  const a = amoAddr(h, d, 4);
  if (a < 0) return -a;
  const old = h.view.getInt32(a, true);
  h.view.setInt32(a, op(old, h.x32[2 * d.rs2]), true);
  noteStore(h, a, 4);
  setW(h, d.rd, old);
  return 0;
};

/** rd = mem64; mem64 = op(mem64, rs2). */
const amoD = (op: (m: bigint, v: bigint) => bigint): ExecFn => (h, d) => {
  const a = amoAddr(h, d, 8);
  if (a < 0) return -a;
  const old = h.view.getBigInt64(a, true);
  h.view.setBigInt64(a, op(old, h.x[d.rs2]), true);
  noteStore(h, a, 8);
  h.x[d.rd] = old;
  return 0;
};

const u = (v: bigint) => BigInt.asUintN(64, v);

/**
 * RV64A semantics, keyed by mnemonic.
 *
 * @example
 * ```ts
 * import { EXEC_RV64A } from "./exec_rv64a.ts";
 * console.log(typeof EXEC_RV64A["amoadd.d"]); // "function"
 * ```
 */
export const EXEC_RV64A: Record<RV64AName, ExecFn> = {
  "lr.w": lr(4),
  "sc.w": sc(4),
  "amoswap.w": amoW((_m, v) => v),
  "amoadd.w": amoW((m, v) => (m + v) | 0),
  "amoxor.w": amoW((m, v) => m ^ v),
  "amoand.w": amoW((m, v) => m & v),
  "amoor.w": amoW((m, v) => m | v),
  "amomin.w": amoW((m, v) => m < v ? m : v),
  "amomax.w": amoW((m, v) => m > v ? m : v),
  "amominu.w": amoW((m, v) => (m >>> 0) < (v >>> 0) ? m : v),
  "amomaxu.w": amoW((m, v) => (m >>> 0) > (v >>> 0) ? m : v),
  "lr.d": lr(8),
  "sc.d": sc(8),
  "amoswap.d": amoD((_m, v) => v),
  "amoadd.d": amoD((m, v) => BigInt.asIntN(64, m + v)),
  "amoxor.d": amoD((m, v) => m ^ v),
  "amoand.d": amoD((m, v) => m & v),
  "amoor.d": amoD((m, v) => m | v),
  "amomin.d": amoD((m, v) => m < v ? m : v),
  "amomax.d": amoD((m, v) => m > v ? m : v),
  "amominu.d": amoD((m, v) => u(m) < u(v) ? m : v),
  "amomaxu.d": amoD((m, v) => u(m) > u(v) ? m : v),
};
