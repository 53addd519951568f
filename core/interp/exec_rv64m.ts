/**
 * Semantics of RV64M (Unprivileged ISA, chapter 13). Division by zero and
 * overflow never trap (Table 11): x/0 = -1 (all ones), x%0 = x,
 * MIN/-1 = MIN, MIN%-1 = 0.
 *
 * @module
 */

import type { RV64MName } from "../isa/mod.ts";
import { type ExecFn, type Hart, setW } from "./_hart.ts";

/** Most negative 64-bit value. */
const MIN64 = -(1n << 63n);
const M64 = (1n << 64n) - 1n;

/** High 32 bits of the unsigned 64-bit product of two u32s. */
function mulhu32(a: number, b: number): number {
  const a0 = a & 0xffff, a1 = a >>> 16, b0 = b & 0xffff, b1 = b >>> 16;
  const mid1 = a1 * b0, mid2 = a0 * b1;
  const t = ((a0 * b0) >>> 16) + (mid1 & 0xffff) + (mid2 & 0xffff);
  return (a1 * b1 + (mid1 >>> 16) + (mid2 >>> 16) + (t >>> 16)) | 0;
}

/** True when register r holds a sign-extended 32-bit value. */
const small = (h: Hart, r: number) => h.x32[2 * r + 1] === h.x32[2 * r] >> 31;

/** A 64-bit division/remainder, with a number fast path for small operands. */
const divrem = (
  fast: (a: number, b: number) => number | undefined,
  slow: (a: bigint, b: bigint) => bigint,
): ExecFn =>
(h, d) => {
  if (small(h, d.rs1) && small(h, d.rs2)) {
    const r = fast(h.x32[2 * d.rs1], h.x32[2 * d.rs2]);
    if (r !== undefined) {
      setW(h, d.rd, r);
      return 0;
    }
  }
  h.x[d.rd] = slow(h.x[d.rs1], h.x[d.rs2]);
  return 0;
};

const u64 = (v: bigint) => BigInt.asUintN(64, v);

/**
 * RV64M semantics, keyed by mnemonic.
 *
 * @example
 * ```ts
 * import { EXEC_RV64M } from "./exec_rv64m.ts";
 * console.log(Object.keys(EXEC_RV64M).length); // 13
 * ```
 */
export const EXEC_RV64M: Record<RV64MName, ExecFn> = {
  mul: (h, d) => {
    const x = h.x32, a = 2 * d.rs1, b = 2 * d.rs2;
    const alo = x[a], ahi = x[a + 1], blo = x[b], bhi = x[b + 1];
    x[2 * d.rd + 1] = (mulhu32(alo >>> 0, blo >>> 0) + Math.imul(alo, bhi) +
      Math.imul(ahi, blo)) | 0;
    x[2 * d.rd] = Math.imul(alo, blo);
    return 0;
  },
  mulh: (h, d) => {
    h.x[d.rd] = (h.x[d.rs1] * h.x[d.rs2]) >> 64n;
    return 0;
  },
  mulhsu: (h, d) => {
    h.x[d.rd] = (h.x[d.rs1] * u64(h.x[d.rs2])) >> 64n;
    return 0;
  },
  mulhu: (h, d) => {
    h.x[d.rd] = (u64(h.x[d.rs1]) * u64(h.x[d.rs2])) >> 64n;
    return 0;
  },
  div: divrem(
    (a, b) => b === 0 ? -1 : b === -1 ? undefined : Math.trunc(a / b),
    (a, b) => b === 0n ? -1n : a === MIN64 && b === -1n ? MIN64 : a / b,
  ),
  divu: divrem(
    (a, b) => a >= 0 && b > 0 ? Math.trunc(a / b) : undefined,
    (a, b) => b === 0n ? M64 : u64(a) / u64(b),
  ),
  rem: divrem(
    (a, b) => b === 0 ? a : b === -1 ? 0 : a % b | 0,
    (a, b) => b === 0n ? a : a === MIN64 && b === -1n ? 0n : a % b,
  ),
  remu: divrem(
    (a, b) => a >= 0 && b > 0 ? a % b : undefined,
    (a, b) => b === 0n ? a : u64(a) % u64(b),
  ),
  mulw: (h, d) => {
    setW(h, d.rd, Math.imul(h.x32[2 * d.rs1], h.x32[2 * d.rs2]));
    return 0;
  },
  divw: (h, d) => {
    const a = h.x32[2 * d.rs1], b = h.x32[2 * d.rs2];
    setW(h, d.rd, b === 0 ? -1 : b === -1 ? -a | 0 : Math.trunc(a / b) | 0);
    return 0;
  },
  divuw: (h, d) => {
    const a = h.x32[2 * d.rs1] >>> 0, b = h.x32[2 * d.rs2] >>> 0;
    setW(h, d.rd, b === 0 ? -1 : Math.trunc(a / b) | 0);
    return 0;
  },
  remw: (h, d) => {
    const a = h.x32[2 * d.rs1], b = h.x32[2 * d.rs2];
    setW(h, d.rd, b === 0 ? a : b === -1 ? 0 : (a % b) | 0);
    return 0;
  },
  remuw: (h, d) => {
    const a = h.x32[2 * d.rs1] >>> 0, b = h.x32[2 * d.rs2] >>> 0;
    setW(h, d.rd, b === 0 ? a | 0 : (a % b) | 0);
    return 0;
  },
};
