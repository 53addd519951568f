/**
 * Translator semantics for RV64I and RV64M, keyed by mnemonic (RISC-V
 * unprivileged spec chapters 2, 5 and 7).
 *
 * @module
 */

import { Exit } from "../exit.ts";
import type { Decoded } from "../isa/types.ts";
import { type BlockBuilder, L_T1, L_T2 } from "./block_builder.ts";
import { I64, Op } from "./wasm.ts";

/** Emits one instruction into a block. */
export type EmitFn = (b: BlockBuilder, d: Decoded) => void;

const rr = (op: number): EmitFn => (b, d) => {
  b.getX(d.rs1).getX(d.rs2).op(op).setX(d.rd);
};
const ri = (op: number): EmitFn => (b, d) => {
  b.getX(d.rs1).i64(d.imm).op(op).setX(d.rd);
};
/** 32-bit op on low words, result sign-extended (the *W instructions). */
const rrw = (op: number): EmitFn => (b, d) => {
  b.getX(d.rs1).getX(d.rs2).op(op).op(Op.i64_extend32_s).setX(d.rd);
};
const riw = (op: number): EmitFn => (b, d) => {
  b.getX(d.rs1).i64(d.imm).op(op).op(Op.i64_extend32_s).setX(d.rd);
};
const cmp = (op: number, imm: boolean): EmitFn => (b, d) => {
  b.getX(d.rs1);
  if (imm) b.i64(d.imm);
  else b.getX(d.rs2);
  b.op(op, Op.i64_extend_i32_u).setX(d.rd);
};
const branch = (op: number): EmitFn => (b, d) => {
  b.getX(d.rs1).getX(d.rs2).op(op).branch(b.pc + d.imm);
};
const load = (op: number, size: number): EmitFn => (b, d) => {
  b.getX(d.rs1).i64(d.imm).op(Op.i64_add).load(op, size).setX(d.rd);
};
const store = (op: number, size: number): EmitFn => (b, d) => {
  b.store(
    op,
    size,
    () => b.getX(d.rs1).i64(d.imm).op(Op.i64_add),
    () => b.getX(d.rs2),
    L_T1,
  );
};
/** Right shift of the low word (sign- or zero-extended first), result sign-extended. */
const shiftw =
  (op: number, signed: boolean, imm: boolean): EmitFn => (b, d) => {
    b.getX(d.rs1);
    if (signed) b.op(Op.i64_extend32_s);
    else b.op(Op.i32_wrap_i64, Op.i64_extend_i32_u);
    if (imm) b.i64(d.imm);
    else b.getX(d.rs2).i64(31).op(Op.i64_and);
    b.op(op).op(Op.i64_extend32_s).setX(d.rd);
  };

/** Signed division with RISC-V's defined results for /0 and overflow. */
function divide(b: BlockBuilder, d: Decoded, op: number, word: boolean): void {
  const ext = word ? Op.i64_extend32_s : -1;
  b.getX(d.rs1);
  if (ext >= 0) b.op(ext);
  b.set(L_T1);
  b.getX(d.rs2);
  if (ext >= 0) b.op(ext);
  b.set(L_T2);
  const signed = op === Op.i64_div_s || op === Op.i64_rem_s;
  const isRem = op === Op.i64_rem_s || op === Op.i64_rem_u;
  // Unsigned word ops work on zero-extended words.
  if (word && !signed) {
    b.get(L_T1).op(Op.i32_wrap_i64, Op.i64_extend_i32_u).set(L_T1);
    b.get(L_T2).op(Op.i32_wrap_i64, Op.i64_extend_i32_u).set(L_T2);
  }
  b.get(L_T2).op(Op.i64_eqz).ifResult(I64);
  if (isRem) b.get(L_T1);
  else b.i64(-1);
  b.else();
  if (signed) {
    // MIN / -1 overflows: quotient MIN, remainder 0. i64.rem_s gives 0 already;
    // i64.div_s traps, so steer around it.
    b.get(L_T2).i64(-1).op(Op.i64_eq).ifResult(I64);
    if (isRem) b.i64(0);
    else b.i64(0).get(L_T1).op(Op.i64_sub);
    b.else().get(L_T1).get(L_T2).op(op).end();
  } else {
    b.get(L_T1).get(L_T2).op(op);
  }
  b.end();
  if (word) b.op(Op.i64_extend32_s);
  b.setX(d.rd);
}

/** RV64I. */
export const EMIT_RV64I: Record<string, EmitFn> = {
  lui: (b, d) => void b.i64(d.imm).setX(d.rd),
  auipc: (b, d) => void b.i64(b.pc + d.imm).setX(d.rd),
  jal: (b, d) => {
    b.i64(b.next).setX(d.rd);
    b.jumpTo(b.pc + d.imm);
  },
  jalr: (b, d) => {
    b.getX(d.rs1).i64(d.imm).op(Op.i64_add).i64(-2).op(Op.i64_and).set(L_T2);
    b.i64(b.next).setX(d.rd);
    b.get(L_T2).jumpDynamic();
  },
  beq: branch(Op.i64_eq),
  bne: branch(Op.i64_ne),
  blt: branch(Op.i64_lt_s),
  bge: branch(Op.i64_ge_s),
  bltu: branch(Op.i64_lt_u),
  bgeu: branch(Op.i64_ge_u),
  lb: load(Op.i64_load8_s, 1),
  lh: load(Op.i64_load16_s, 2),
  lw: load(Op.i64_load32_s, 4),
  ld: load(Op.i64_load, 8),
  lbu: load(Op.i64_load8_u, 1),
  lhu: load(Op.i64_load16_u, 2),
  lwu: load(Op.i64_load32_u, 4),
  sb: store(Op.i64_store8, 1),
  sh: store(Op.i64_store16, 2),
  sw: store(Op.i64_store32, 4),
  sd: store(Op.i64_store, 8),
  addi: ri(Op.i64_add),
  slti: cmp(Op.i64_lt_s, true),
  sltiu: cmp(Op.i64_lt_u, true),
  xori: ri(Op.i64_xor),
  ori: ri(Op.i64_or),
  andi: ri(Op.i64_and),
  slli: ri(Op.i64_shl),
  srli: ri(Op.i64_shr_u),
  srai: ri(Op.i64_shr_s),
  add: rr(Op.i64_add),
  sub: rr(Op.i64_sub),
  sll: rr(Op.i64_shl),
  slt: cmp(Op.i64_lt_s, false),
  sltu: cmp(Op.i64_lt_u, false),
  xor: rr(Op.i64_xor),
  srl: rr(Op.i64_shr_u),
  sra: rr(Op.i64_shr_s),
  or: rr(Op.i64_or),
  and: rr(Op.i64_and),
  addiw: riw(Op.i64_add),
  slliw: riw(Op.i64_shl),
  srliw: shiftw(Op.i64_shr_u, false, true),
  sraiw: shiftw(Op.i64_shr_s, true, true),
  addw: rrw(Op.i64_add),
  subw: rrw(Op.i64_sub),
  sllw: (b, d) => {
    b.getX(d.rs1).getX(d.rs2).i64(31).op(Op.i64_and).op(Op.i64_shl)
      .op(Op.i64_extend32_s).setX(d.rd);
  },
  srlw: shiftw(Op.i64_shr_u, false, false),
  sraw: shiftw(Op.i64_shr_s, true, false),
  fence: () => {},
  ecall: (b) => {
    b.exitAt(Exit.ECALL);
    b.ended = true;
  },
  ebreak: (b) => {
    b.exitAt(Exit.EBREAK);
    b.ended = true;
  },
};

/** Upper 64 bits of a 64x64-bit product; `sa`/`sb` say which operands are signed. */
function mulHigh(b: BlockBuilder, d: Decoded, sa: boolean, sb: boolean): void {
  b.getX(d.rs1).getX(d.rs2);
  b.call(`mulh${sa ? "s" : "u"}${sb ? "s" : "u"}`, {
    params: [I64, I64],
    results: [I64],
  });
  b.setX(d.rd);
}

/** RV64M. */
export const EMIT_RV64M: Record<string, EmitFn> = {
  mul: rr(Op.i64_mul),
  mulh: (b, d) => mulHigh(b, d, true, true),
  mulhsu: (b, d) => mulHigh(b, d, true, false),
  mulhu: (b, d) => mulHigh(b, d, false, false),
  div: (b, d) => divide(b, d, Op.i64_div_s, false),
  divu: (b, d) => divide(b, d, Op.i64_div_u, false),
  rem: (b, d) => divide(b, d, Op.i64_rem_s, false),
  remu: (b, d) => divide(b, d, Op.i64_rem_u, false),
  mulw: rrw(Op.i64_mul),
  divw: (b, d) => divide(b, d, Op.i64_div_s, true),
  divuw: (b, d) => divide(b, d, Op.i64_div_u, true),
  remw: (b, d) => divide(b, d, Op.i64_rem_s, true),
  remuw: (b, d) => divide(b, d, Op.i64_rem_u, true),
};
