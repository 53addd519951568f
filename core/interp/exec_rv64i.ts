/**
 * Semantics of RV64I (Unprivileged ISA, chapters 2 and 4), on 32-bit
 * register halves so that no BigInt is allocated on the hot path.
 *
 * @module
 */

import { Exit } from "../exit.ts";
import type { RV64IName } from "../isa/mod.ts";
import {
  type ExecFn,
  type Hart,
  loadAddr,
  noteStore,
  setNum,
  setW,
  storeAddr,
} from "./_hart.ts";
import type { Decoded } from "../isa/types.ts";

const TWO32 = 0x1_0000_0000;

/** rd = (ahi:alo) + (bhi:blo). */
function add64(
  h: Hart,
  rd: number,
  alo: number,
  ahi: number,
  blo: number,
  bhi: number,
) {
  const lo = (alo >>> 0) + (blo >>> 0);
  h.x32[2 * rd + 1] = (ahi + bhi + (lo >= TWO32 ? 1 : 0)) | 0;
  h.x32[2 * rd] = lo | 0;
}

/** rd = (ahi:alo) - (bhi:blo). */
function sub64(
  h: Hart,
  rd: number,
  alo: number,
  ahi: number,
  blo: number,
  bhi: number,
) {
  const borrow = (alo >>> 0) < (blo >>> 0) ? 1 : 0;
  h.x32[2 * rd + 1] = (ahi - bhi - borrow) | 0;
  h.x32[2 * rd] = (alo - blo) | 0;
}

/** Signed a < b on halves. */
function lt(ahi: number, alo: number, bhi: number, blo: number): boolean {
  return ahi < bhi || (ahi === bhi && (alo >>> 0) < (blo >>> 0));
}

/** Unsigned a < b on halves. */
function ltu(ahi: number, alo: number, bhi: number, blo: number): boolean {
  return (ahi >>> 0) < (bhi >>> 0) ||
    (ahi === bhi && (alo >>> 0) < (blo >>> 0));
}

function sll64(h: Hart, rd: number, lo: number, hi: number, s: number) {
  if (s === 0) {
    // nothing to shift
  } else if (s < 32) {
    hi = (hi << s) | (lo >>> (32 - s));
    lo = lo << s;
  } else {
    hi = lo << (s - 32);
    lo = 0;
  }
  h.x32[2 * rd] = lo;
  h.x32[2 * rd + 1] = hi;
}

function srl64(h: Hart, rd: number, lo: number, hi: number, s: number) {
  if (s === 0) {
    // nothing to shift
  } else if (s < 32) {
    lo = (lo >>> s) | (hi << (32 - s));
    hi = hi >>> s;
  } else {
    lo = hi >>> (s - 32);
    hi = 0;
  }
  h.x32[2 * rd] = lo;
  h.x32[2 * rd + 1] = hi;
}

function sra64(h: Hart, rd: number, lo: number, hi: number, s: number) {
  if (s === 0) {
    // nothing to shift
  } else if (s < 32) {
    lo = (lo >>> s) | (hi << (32 - s));
    hi = hi >> s;
  } else {
    lo = hi >> (s - 32);
    hi = hi >> 31;
  }
  h.x32[2 * rd] = lo;
  h.x32[2 * rd + 1] = hi;
}

type Bin = (
  h: Hart,
  rd: number,
  alo: number,
  ahi: number,
  blo: number,
  bhi: number,
) => void;

/** A register-register op. */
const rr = (op: Bin): ExecFn => (h, d) => {
  const x = h.x32, a = 2 * d.rs1, b = 2 * d.rs2;
  op(h, d.rd, x[a], x[a + 1], x[b], x[b + 1]);
  return 0;
};

/** A register-immediate op (imm sign-extended to 64 bits). */
const ri = (op: Bin): ExecFn => (h, d) => {
  const x = h.x32, a = 2 * d.rs1;
  op(h, d.rd, x[a], x[a + 1], d.imm | 0, d.imm >> 31);
  return 0;
};

const and: Bin = (h, rd, alo, ahi, blo, bhi) => {
  h.x32[2 * rd] = alo & blo;
  h.x32[2 * rd + 1] = ahi & bhi;
};
const or: Bin = (h, rd, alo, ahi, blo, bhi) => {
  h.x32[2 * rd] = alo | blo;
  h.x32[2 * rd + 1] = ahi | bhi;
};
const xor: Bin = (h, rd, alo, ahi, blo, bhi) => {
  h.x32[2 * rd] = alo ^ blo;
  h.x32[2 * rd + 1] = ahi ^ bhi;
};
const slt: Bin = (h, rd, alo, ahi, blo, bhi) => {
  h.x32[2 * rd] = lt(ahi, alo, bhi, blo) ? 1 : 0;
  h.x32[2 * rd + 1] = 0;
};
const sltu: Bin = (h, rd, alo, ahi, blo, bhi) => {
  h.x32[2 * rd] = ltu(ahi, alo, bhi, blo) ? 1 : 0;
  h.x32[2 * rd + 1] = 0;
};

/** A conditional branch on halves. */
const branch = (
  cond: (ahi: number, alo: number, bhi: number, blo: number) => boolean,
): ExecFn =>
(h, d) => {
  const x = h.x32, a = 2 * d.rs1, b = 2 * d.rs2;
  if (cond(x[a + 1], x[a], x[b + 1], x[b])) h.npc = h.pc + d.imm;
  return 0;
};

/** A load of `size` bytes that produces the halves to store in rd. */
const load =
  (size: number, read: (h: Hart, a: number, rd: number) => void): ExecFn =>
  (h, d) => {
    const a = loadAddr(h, d, size);
    if (a < 0) return Exit.LOAD_FAULT;
    read(h, a, d.rd);
    return 0;
  };

/** A store of `size` bytes. */
const store =
  (size: number, write: (h: Hart, a: number, rs2: number) => void): ExecFn =>
  (h, d) => {
    const a = storeAddr(h, d, size);
    if (a < 0) return Exit.STORE_FAULT;
    write(h, a, d.rs2);
    noteStore(h, a, size);
    return 0;
  };

/** 32-bit ops: operate on the low words, sign-extend the result. */
const w = (op: (a: number, b: number) => number): ExecFn => (h, d) => {
  setW(h, d.rd, op(h.x32[2 * d.rs1], h.x32[2 * d.rs2]));
  return 0;
};
const wi = (op: (a: number, b: number) => number): ExecFn => (h, d) => {
  setW(h, d.rd, op(h.x32[2 * d.rs1], d.imm));
  return 0;
};

/**
 * RV64I semantics, keyed by mnemonic.
 *
 * @example
 * ```ts
 * import { EXEC_RV64I } from "./exec_rv64i.ts";
 * console.log(typeof EXEC_RV64I.add); // "function"
 * ```
 */
export const EXEC_RV64I: Record<RV64IName, ExecFn> = {
  lui: (h, d) => {
    setW(h, d.rd, d.imm);
    return 0;
  },
  auipc: (h, d) => {
    setNum(h, d.rd, h.pc + d.imm);
    return 0;
  },
  jal: (h, d) => {
    setNum(h, d.rd, h.pc + d.size);
    h.npc = h.pc + d.imm;
    return 0;
  },
  jalr: (h: Hart, d: Decoded) => {
    // Target from the old rs1 (rd may equal rs1), bit 0 cleared (Unpriv. 2.5.1).
    const x = h.x32;
    let lo = (x[2 * d.rs1] >>> 0) + d.imm, hi = x[2 * d.rs1 + 1];
    if (lo >= TWO32) {
      lo -= TWO32;
      hi++;
    } else if (lo < 0) {
      lo += TWO32;
      hi--;
    }
    setNum(h, d.rd, h.pc + d.size);
    h.npc = hi * TWO32 + ((lo & ~1) >>> 0);
    return 0;
  },
  beq: branch((ah, al, bh, bl) => ah === bh && al === bl),
  bne: branch((ah, al, bh, bl) => ah !== bh || al !== bl),
  blt: branch(lt),
  bge: branch((ah, al, bh, bl) => !lt(ah, al, bh, bl)),
  bltu: branch(ltu),
  bgeu: branch((ah, al, bh, bl) => !ltu(ah, al, bh, bl)),
  lb: load(1, (h, a, rd) => setW(h, rd, h.view.getInt8(a))),
  lh: load(2, (h, a, rd) => setW(h, rd, h.view.getInt16(a, true))),
  lw: load(4, (h, a, rd) => setW(h, rd, h.view.getInt32(a, true))),
  ld: load(8, (h, a, rd) => {
    const lo = h.view.getInt32(a, true), hi = h.view.getInt32(a + 4, true);
    h.x32[2 * rd] = lo;
    h.x32[2 * rd + 1] = hi;
  }),
  lbu: load(1, (h, a, rd) => setW(h, rd, h.u8[a])),
  lhu: load(2, (h, a, rd) => setW(h, rd, h.view.getUint16(a, true))),
  lwu: load(4, (h, a, rd) => {
    h.x32[2 * rd] = h.view.getInt32(a, true);
    h.x32[2 * rd + 1] = 0;
  }),
  sb: store(1, (h, a, r) => h.u8[a] = h.x32[2 * r]),
  sh: store(2, (h, a, r) => h.view.setInt16(a, h.x32[2 * r], true)),
  sw: store(4, (h, a, r) => h.view.setInt32(a, h.x32[2 * r], true)),
  sd: store(8, (h, a, r) => {
    h.view.setInt32(a, h.x32[2 * r], true);
    h.view.setInt32(a + 4, h.x32[2 * r + 1], true);
  }),
  addi: ri(add64),
  slti: ri(slt),
  sltiu: ri(sltu),
  xori: ri(xor),
  ori: ri(or),
  andi: ri(and),
  slli: (h, d) => {
    sll64(h, d.rd, h.x32[2 * d.rs1], h.x32[2 * d.rs1 + 1], d.imm);
    return 0;
  },
  srli: (h, d) => {
    srl64(h, d.rd, h.x32[2 * d.rs1], h.x32[2 * d.rs1 + 1], d.imm);
    return 0;
  },
  srai: (h, d) => {
    sra64(h, d.rd, h.x32[2 * d.rs1], h.x32[2 * d.rs1 + 1], d.imm);
    return 0;
  },
  add: rr(add64),
  sub: rr(sub64),
  sll: rr((h, rd, alo, ahi, blo) => sll64(h, rd, alo, ahi, blo & 63)),
  slt: rr(slt),
  sltu: rr(sltu),
  xor: rr(xor),
  srl: rr((h, rd, alo, ahi, blo) => srl64(h, rd, alo, ahi, blo & 63)),
  sra: rr((h, rd, alo, ahi, blo) => sra64(h, rd, alo, ahi, blo & 63)),
  or: rr(or),
  and: rr(and),
  addiw: wi((a, b) => (a + b) | 0),
  slliw: wi((a, s) => a << s),
  srliw: wi((a, s) => a >>> s | 0),
  sraiw: wi((a, s) => a >> s),
  addw: w((a, b) => (a + b) | 0),
  subw: w((a, b) => (a - b) | 0),
  sllw: w((a, b) => a << (b & 31)),
  srlw: w((a, b) => (a >>> (b & 31)) | 0),
  sraw: w((a, b) => a >> (b & 31)),
  fence: () => 0,
  ecall: () => Exit.ECALL,
  ebreak: () => Exit.EBREAK,
};
