/**
 * Host functions that translated blocks import (module "h"): the FPU's
 * operations, the store slow path, the time CSR, and 128-bit multiply-high
 * helpers written in wasm (JS would need BigInt for them).
 *
 * @module
 */

import type { Fpu } from "../fpu/fpu.ts";
import type { GuestMemory } from "../memory.ts";
import { BlockBuilder } from "./block_builder.ts";
import { buildModule, I64, Op } from "./wasm.ts";

/** The FPU methods blocks may call, by import name. */
const FPU_METHODS = [
  "addD",
  "subD",
  "mulD",
  "divD",
  "sqrtD",
  "fmaddD",
  "fmsubD",
  "fnmsubD",
  "fnmaddD",
  "minD",
  "maxD",
  "eqD",
  "ltD",
  "leD",
  "classD",
  "addS",
  "subS",
  "mulS",
  "divS",
  "sqrtS",
  "fmaddS",
  "fmsubS",
  "fnmsubS",
  "fnmaddS",
  "minS",
  "maxS",
  "eqS",
  "ltS",
  "leS",
  "classS",
  "cvtSD",
  "cvtDS",
  "cvtWD",
  "cvtWUD",
  "cvtLD",
  "cvtLUD",
  "cvtWS",
  "cvtWUS",
  "cvtLS",
  "cvtLUS",
  "cvtDW",
  "cvtDWU",
  "cvtDL",
  "cvtDLU",
  "cvtSW",
  "cvtSWU",
  "cvtSL",
  "cvtSLU",
] as const;

/** Ticks of the `time` CSR: 10 MHz, like common RISC-V Linux boards. */
export function timeTicks(): number {
  return Math.floor(performance.now() * 1e4);
}

/**
 * Builds the import namespace "h" for translated blocks.
 *
 * @example
 * ```ts ignore
 * const h = makeHelpers(mem, fpu, (lo, hi, size) => 1);
 * ```
 */
export function makeHelpers(
  _mem: GuestMemory,
  fpu: Fpu,
  storeCheck: (addrLo: number, addrHi: number, size: number) => number,
): Record<string, WebAssembly.ImportValue> {
  const h: Record<string, WebAssembly.ImportValue> = { storeCheck, timeTicks };
  const f = fpu as unknown as Record<string, (...a: number[]) => number>;
  for (const m of FPU_METHODS) {
    if (typeof f[m] !== "function") {
      throw new TypeError(`Fpu lacks method ${m}`);
    }
    h[m] = f[m].bind(fpu);
  }
  Object.assign(h, mulHighHelpers());
  return h;
}

/** mulhuu/mulhss/mulhsu: high 64 bits of a 64x64 product, in wasm. */
function mulHighHelpers(): Record<string, WebAssembly.ImportValue> {
  // Locals: 0 a, 1 b (params), 2 a_lo, 3 a_hi, 4 b_lo, 5 b_hi, 6 mid, 7 t
  const unsignedHigh = (b: BlockBuilder) => {
    const M = 0xffffffff;
    b.get(0).i64(M).op(Op.i64_and).set(2);
    b.get(0).i64(32).op(Op.i64_shr_u).set(3);
    b.get(1).i64(M).op(Op.i64_and).set(4);
    b.get(1).i64(32).op(Op.i64_shr_u).set(5);
    // mid = (a_lo*b_lo >> 32) + lo32(a_lo*b_hi) + lo32(a_hi*b_lo)
    b.get(2).get(4).op(Op.i64_mul).i64(32).op(Op.i64_shr_u);
    b.get(2).get(5).op(Op.i64_mul).tee(7).i64(M).op(Op.i64_and).op(Op.i64_add);
    b.get(3).get(4).op(Op.i64_mul).tee(6).i64(M).op(Op.i64_and).op(Op.i64_add);
    // hi = a_hi*b_hi + (a_lo*b_hi >> 32) + (a_hi*b_lo >> 32) + (mid >> 32)
    b.i64(32).op(Op.i64_shr_u);
    b.get(3).get(5).op(Op.i64_mul).op(Op.i64_add);
    b.get(7).i64(32).op(Op.i64_shr_u).op(Op.i64_add);
    b.get(6).i64(32).op(Op.i64_shr_u).op(Op.i64_add);
  };
  // signed corrections: hi -= (a<0 ? b : 0) + (b<0 ? a : 0)
  const minusIfNeg = (b: BlockBuilder, sign: number, other: number) => {
    b.get(other).i64(0).get(sign).i64(0).op(Op.i64_lt_s).op(Op.select);
    b.op(Op.i64_sub);
  };
  const make = (sa: boolean, sb: boolean) => {
    const b = new BlockBuilder(0, 0, false);
    unsignedHigh(b);
    if (sa) minusIfNeg(b, 0, 1);
    if (sb) minusIfNeg(b, 1, 0);
    return b.code.finish().slice();
  };
  const t = { params: [I64, I64], results: [I64] } as {
    params: typeof I64[];
    results: typeof I64[];
  };
  const locals = Array(6).fill(I64);
  const bytes = buildModule([], [
    { type: t, locals, body: make(false, false), export: "mulhuu" },
    { type: t, locals, body: make(true, true), export: "mulhss" },
    { type: t, locals, body: make(true, false), export: "mulhsu" },
  ]);
  const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes));
  return inst.exports as Record<string, WebAssembly.ImportValue>;
}
