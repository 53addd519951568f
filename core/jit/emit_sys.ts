/**
 * Translator semantics for RV64A (chapter 8), Zicsr (chapter 9) and
 * Zifencei (chapter 6) of the RISC-V unprivileged spec.
 *
 * @module
 */

import { Exit } from "../exit.ts";
import { FFLAGS_OFF, FRM_OFF, RES_ADDR_OFF, RES_VALID_OFF } from "../layout.ts";
import {
  type BlockBuilder,
  L_ADDR,
  L_T1,
  L_T2,
  L_T3,
  L_V,
  L_W,
} from "./block_builder.ts";
import { MEM_INFO } from "./instrument.ts";
import type { EmitFn } from "./emit_int.ts";
import { F64, I64, Op } from "./wasm.ts";

/** Loads (W: sign-extended word, D: doubleword) at the checked address in L_W. */
function loadAt(b: BlockBuilder, word: boolean): void {
  b.get(L_W).mem(word ? Op.i64_load32_s : Op.i64_load, 0);
}

function storeAt(b: BlockBuilder, word: boolean, local: number): void {
  b.get(L_W).get(local).mem(word ? Op.i64_store32 : Op.i64_store, 0);
}

/**
 * An AMO: rd = old; mem = combine(old, rs2). `combine` sees old in L_T1 and
 * rs2 (already extended like old) in L_T2 and pushes the new value.
 */
const amo =
  (word: boolean, combine: (b: BlockBuilder) => void): EmitFn => (b, d) => {
    const size = word ? 4 : 8;
    b.getX(d.rs1);
    b.atomicAddress(size);
    loadAt(b, word);
    b.set(L_T1);
    b.getX(d.rs2);
    if (word) b.op(Op.i64_extend32_s);
    b.set(L_T2);
    combine(b);
    b.set(L_T3);
    storeAt(b, word, L_T3);
    hookAtomic(b, size, L_T1, L_T3);
    b.get(L_T1).setX(d.rd);
  };

/** Memory hooks of an atomic: the read of `oldLocal`, the write of `newLocal`. */
function hookAtomic(
  b: BlockBuilder,
  size: number,
  oldLocal: number | undefined,
  newLocal: number | undefined,
): void {
  if (oldLocal !== undefined && b.hooked("r")) {
    b.get(oldLocal).set(L_V);
    b.memHook("r", size | (size === 4 ? MEM_INFO.SIGNED : 0));
  }
  if (newLocal !== undefined && b.hooked("w")) {
    b.get(newLocal).set(L_V);
    b.memHook("w", size | MEM_INFO.STORE);
  }
}

const binop = (op: number) => (b: BlockBuilder) => {
  b.get(L_T1).get(L_T2).op(op);
};
const pick = (cmp: number, unsignedWord: boolean) => (b: BlockBuilder) => {
  // select(old, rs2, old CMP rs2)
  b.get(L_T1).get(L_T2);
  if (unsignedWord) {
    b.get(L_T1).op(Op.i32_wrap_i64, Op.i64_extend_i32_u);
    b.get(L_T2).op(Op.i32_wrap_i64, Op.i64_extend_i32_u);
  } else {
    b.get(L_T1).get(L_T2);
  }
  b.op(cmp, Op.select);
};

function amos(word: boolean): Record<string, EmitFn> {
  const s = word ? ".w" : ".d";
  return {
    ["amoswap" + s]: amo(word, (b) => void b.get(L_T2)),
    ["amoadd" + s]: amo(word, binop(Op.i64_add)),
    ["amoxor" + s]: amo(word, binop(Op.i64_xor)),
    ["amoand" + s]: amo(word, binop(Op.i64_and)),
    ["amoor" + s]: amo(word, binop(Op.i64_or)),
    ["amomin" + s]: amo(word, pick(Op.i64_lt_s, false)),
    ["amomax" + s]: amo(word, pick(Op.i64_gt_s, false)),
    ["amominu" + s]: amo(word, pick(Op.i64_lt_u, word)),
    ["amomaxu" + s]: amo(word, pick(Op.i64_gt_u, word)),
    ["lr" + s]: (b, d) => {
      const size = word ? 4 : 8;
      b.getX(d.rs1);
      b.atomicAddress(size, true);
      loadAt(b, word);
      b.set(L_T1);
      hookAtomic(b, size, L_T1, undefined);
      b.get(L_T1).setX(d.rd);
      b.i32(0).get(L_ADDR).mem(Op.i64_store, RES_ADDR_OFF);
      b.i32(0).i32(1).mem(Op.i32_store, RES_VALID_OFF);
    },
    ["sc" + s]: (b, d) => {
      const size = word ? 4 : 8;
      b.getX(d.rs2).set(L_T2);
      b.getX(d.rs1);
      b.atomicAddress(size);
      b.stateLoad(Op.i32_load, RES_VALID_OFF);
      b.stateLoad(Op.i64_load, RES_ADDR_OFF).get(L_ADDR).op(Op.i64_eq);
      b.op(Op.i32_and).ifResult(I64);
      storeAt(b, word, L_T2);
      hookAtomic(b, size, undefined, L_T2);
      b.i64(0).else().i64(1).end();
      b.setX(d.rd);
      b.i32(0).i32(0).mem(Op.i32_store, RES_VALID_OFF);
    },
  };
}

/** RV64A. */
export const EMIT_RV64A: Record<string, EmitFn> = {
  ...amos(true),
  ...amos(false),
};

// ---- Zicsr ----

const CSR_FFLAGS = 0x001, CSR_FRM = 0x002, CSR_FCSR = 0x003;
const CSR_CYCLE = 0xc00, CSR_TIME = 0xc01, CSR_INSTRET = 0xc02;

/** Pushes the CSR's value (i64); false if the CSR does not exist. */
function readCsr(b: BlockBuilder, csr: number): boolean {
  switch (csr) {
    case CSR_FFLAGS:
      b.stateLoad(Op.i64_load32_u, FFLAGS_OFF);
      return true;
    case CSR_FRM:
      b.stateLoad(Op.i64_load32_u, FRM_OFF);
      return true;
    case CSR_FCSR:
      b.stateLoad(Op.i64_load32_u, FRM_OFF).i64(5).op(Op.i64_shl);
      b.stateLoad(Op.i64_load32_u, FFLAGS_OFF).op(Op.i64_or);
      return true;
    case CSR_CYCLE:
    case CSR_INSTRET:
      // Instructions retired before this one.
      b.instret().i64(b.count - b.index).op(Op.i64_sub);
      return true;
    case CSR_TIME:
      b.call("timeTicks", { params: [], results: [F64] });
      b.op(0xfc, 7); // i64.trunc_sat_f64_u
      return true;
  }
  return false;
}

/** Pops an i64 and writes it to the CSR; false if it is read-only or absent. */
function writeCsr(b: BlockBuilder, csr: number): boolean {
  switch (csr) {
    case CSR_FFLAGS:
      b.op(Op.i32_wrap_i64).i32(0x1f).op(Op.i32_and).set(L_W);
      b.i32(0).get(L_W).mem(Op.i32_store, FFLAGS_OFF);
      return true;
    case CSR_FRM:
      b.op(Op.i32_wrap_i64).i32(7).op(Op.i32_and).set(L_W);
      b.i32(0).get(L_W).mem(Op.i32_store, FRM_OFF);
      return true;
    case CSR_FCSR:
      b.op(Op.i32_wrap_i64).set(L_W);
      b.i32(0).get(L_W).i32(0x1f).op(Op.i32_and).mem(Op.i32_store, FFLAGS_OFF);
      b.i32(0).get(L_W).i32(5).op(Op.i32_shr_u).i32(7).op(Op.i32_and)
        .mem(Op.i32_store, FRM_OFF);
      return true;
  }
  return false;
}

/**
 * csrrw/csrrs/csrrc and immediate forms. `kind` 0 = write, 1 = set, 2 = clear.
 */
const csrOp = (kind: 0 | 1 | 2, imm: boolean): EmitFn => (b, d) => {
  const src = () => imm ? b.i64(d.imm) : b.getX(d.rs1);
  const writes = kind === 0 || (imm ? d.imm !== 0 : d.rs1 !== 0);
  const reads = kind !== 0 || d.rd !== 0;
  // Probe validity without emitting: a throwaway builder would be heavier than
  // a table, so check the CSR set directly.
  const known = [
    CSR_FFLAGS,
    CSR_FRM,
    CSR_FCSR,
    CSR_CYCLE,
    CSR_TIME,
    CSR_INSTRET,
  ]
    .includes(d.csr);
  const writable = d.csr <= CSR_FCSR && d.csr >= CSR_FFLAGS;
  if (!known || (writes && !writable)) {
    b.exitAt(Exit.ILLEGAL, () => b.i64(d.raw >>> 0));
    b.ended = true;
    return;
  }
  src();
  b.set(L_T2);
  if (reads) readCsr(b, d.csr);
  else b.i64(0);
  b.set(L_T1);
  if (writes) {
    if (kind === 0) b.get(L_T2);
    else if (kind === 1) b.get(L_T1).get(L_T2).op(Op.i64_or);
    else b.get(L_T1).get(L_T2).i64(-1).op(Op.i64_xor).op(Op.i64_and);
    writeCsr(b, d.csr);
  }
  b.get(L_T1).setX(d.rd);
};

/** Zicsr and Zifencei. */
export const EMIT_ZICSR: Record<string, EmitFn> = {
  csrrw: csrOp(0, false),
  csrrs: csrOp(1, false),
  csrrc: csrOp(2, false),
  csrrwi: csrOp(0, true),
  csrrsi: csrOp(1, true),
  csrrci: csrOp(2, true),
  "fence.i": (b) => {
    b.exitNext(Exit.FENCE_I);
    b.ended = true;
  },
};
