/**
 * The instruction decoder: table-driven, bucketed by opcode, memoized by
 * instruction word.
 *
 * @module
 */

import { GUEST_MAX, PAGE_SHIFT, PAGE_SIZE, PERM_X } from "../layout.ts";
import type { GuestMemory } from "../memory.ts";
import { makeDecoded } from "./_decoded.ts";
import { TABLES32 } from "./_rows.ts";
import { type CInsnSpec, RVC } from "./rvc.ts";
import type { Decoded, InsnSpec } from "./types.ts";

export { TABLES32 };

interface Row32 {
  readonly spec: InsnSpec;
  readonly mask: number;
  readonly match: number;
}

interface Row16 {
  readonly spec: CInsnSpec;
  readonly mask: number;
  readonly match: number;
}

function popcount(v: number): number {
  let n = 0;
  for (let b = v >>> 0; b !== 0; b &= b - 1) n++;
  return n;
}

/** Most specific masks first, so `c.ebreak` wins over `c.jalr` over `c.add`. */
function bySpecificity(a: { mask: number }, b: { mask: number }): number {
  return popcount(b.mask) - popcount(a.mask);
}

/** 32-bit rows bucketed by major opcode, bits 6:0 (Unpriv. 2.2, Table 70). */
const BUCKETS32: Row32[][] = Array.from({ length: 128 }, () => []);
for (const table of TABLES32) {
  for (const spec of table) {
    BUCKETS32[spec.match & 0x7f].push({
      spec,
      mask: spec.mask | 0,
      match: spec.match | 0,
    });
  }
}
for (const b of BUCKETS32) b.sort(bySpecificity);

/** RVC bucket index: funct3 (bits 15:13) and quadrant (bits 1:0). */
const cIndex = (h: number) => ((h >> 11) & 0x1c) | (h & 3);
const BUCKETS16: Row16[][] = Array.from({ length: 32 }, () => []);
for (const spec of RVC as readonly CInsnSpec[]) {
  BUCKETS16[cIndex(spec.match)].push({
    spec,
    mask: spec.mask,
    match: spec.match,
  });
}
for (const b of BUCKETS16) b.sort(bySpecificity);

/** Extracts the operands of a 32-bit word laid out as `spec.format`. */
function operands(spec: InsnSpec, w: number): Decoded {
  const rd = (w >>> 7) & 31, rs1 = (w >>> 15) & 31, rs2 = (w >>> 20) & 31;
  const f3 = (w >>> 12) & 7;
  const iImm = w >> 20;
  const mk = (
    rd: number,
    rs1: number,
    rs2: number,
    rs3: number,
    imm: number,
    csr = 0,
    aq = false,
    rl = false,
  ) =>
    makeDecoded(
      spec,
      undefined,
      w >>> 0,
      4,
      rd,
      rs1,
      rs2,
      rs3,
      imm,
      f3,
      csr,
      aq,
      rl,
    );
  switch (spec.format) {
    case "R":
    case "RM":
      return mk(rd, rs1, rs2, 0, 0);
    case "R4":
      return mk(rd, rs1, rs2, w >>> 27, 0);
    case "R1":
      return mk(rd, rs1, 0, 0, 0);
    case "I":
      return mk(rd, rs1, 0, 0, iImm);
    case "SH":
      return mk(rd, rs1, 0, 0, (w >>> 20) & 63);
    case "SHW":
      return mk(rd, rs1, 0, 0, (w >>> 20) & 31);
    case "S":
      return mk(0, rs1, rs2, 0, ((w >> 20) & ~31) | rd);
    case "B":
      return mk(
        0,
        rs1,
        rs2,
        0,
        ((w >> 19) & ~0xfff) | ((w << 4) & 0x800) | ((w >>> 20) & 0x7e0) |
          ((w >>> 7) & 0x1e),
      );
    case "U":
      return mk(rd, 0, 0, 0, (w & 0xfffff000) | 0);
    case "J":
      return mk(
        rd,
        0,
        0,
        0,
        ((w >> 11) & ~0xfffff) | (w & 0xff000) | ((w >>> 9) & 0x800) |
          ((w >>> 20) & 0x7fe),
      );
    case "CSR":
      return mk(rd, rs1, 0, 0, 0, w >>> 20);
    case "CSRI":
      return mk(rd, 0, 0, 0, rs1, w >>> 20);
    case "A":
      return mk(
        rd,
        rs1,
        rs2,
        0,
        0,
        0,
        ((w >>> 26) & 1) === 1,
        ((w >>> 25) & 1) === 1,
      );
    case "FENCE":
      return mk(0, 0, 0, 0, (w >>> 20) & 0xff);
    case "N":
      return mk(0, 0, 0, 0, 0);
  }
}

function decodeUncached(word: number): Decoded | undefined {
  if ((word & 3) !== 3) {
    const h = word & 0xffff;
    for (const row of BUCKETS16[cIndex(h)]) {
      if ((h & row.mask) === row.match) return row.spec.expand(h);
    }
    return undefined;
  }
  const w = word | 0;
  for (const row of BUCKETS32[w & 0x7f]) {
    if ((w & row.mask) === row.match) {
      return operands(row.spec, w);
    }
  }
  return undefined;
}

/** Memo: word -> decoded (or undefined for an illegal word). */
const memo = new Map<number, Decoded | undefined>();
/** Bound on the memo, so decoding random data cannot grow it forever. */
const MEMO_LIMIT = 1 << 20;

/**
 * Decodes one instruction word. If the low two bits are not `0b11` it is a
 * 16-bit compressed instruction and only the low 16 bits are used. Returns
 * `undefined` for illegal, reserved or unsupported encodings; never throws.
 *
 * @example
 * ```ts
 * import { decode } from "./decode.ts";
 * const d = decode(0x01010513)!; // addi a0,sp,16
 * console.log(d.name, d.rd, d.rs1, d.imm); // addi 10 2 16
 * console.log(decode(0x0505)?.cname); // "c.addi"
 * console.log(decode(0)); // undefined
 * ```
 */
export function decode(word: number): Decoded | undefined {
  const key = (word & 3) === 3 ? word >>> 0 : word & 0xffff;
  let d = memo.get(key);
  if (d === undefined && !memo.has(key)) {
    d = decodeUncached(key);
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(key, d);
  }
  return d;
}

/** What {@link decodeAt} found at an address. */
export type FetchResult =
  /** The instruction (undefined when illegal) and its raw bits (16 or 32). */
  | { d: Decoded | undefined; word: number }
  /** Fetching faulted at this address (not executable or unmapped). */
  | { fault: number };

/**
 * Fetches and decodes the instruction at `pc`, checking `PERM_X` on every
 * page it occupies (a 4-byte instruction may straddle two pages). The fault
 * address is the first byte that could not be fetched.
 *
 * @example
 * ```ts
 * import { decodeAt } from "./decode.ts";
 * import { GuestMemory } from "../memory.ts";
 * import { PERM_R, PERM_X } from "../layout.ts";
 * const mem = new GuestMemory();
 * mem.map(0x10000, 0x1000, PERM_R | PERM_X);
 * mem.view.setUint32(0x10000, 0x00000073, true); // ecall
 * const r = decodeAt(mem, 0x10000);
 * console.log("d" in r && r.d?.name); // "ecall"
 * console.log(decodeAt(mem, 0x11000)); // { fault: 69632 }
 * ```
 */
export function decodeAt(mem: GuestMemory, pc: number): FetchResult {
  if (
    !(pc >= 0 && pc + 2 <= GUEST_MAX) ||
    (mem.perm[pc >>> PAGE_SHIFT] & PERM_X) === 0
  ) {
    return { fault: pc };
  }
  const lo = mem.view.getUint16(pc, true);
  if ((lo & 3) !== 3) return { d: decode(lo), word: lo };
  const hiAddr = pc + 2;
  if (
    (hiAddr & (PAGE_SIZE - 1)) === 0 &&
    (hiAddr + 2 > GUEST_MAX || (mem.perm[hiAddr >>> PAGE_SHIFT] & PERM_X) === 0)
  ) {
    return { fault: hiAddr };
  }
  const word = (lo | (mem.view.getUint16(hiAddr, true) << 16)) >>> 0;
  return { d: decode(word), word };
}
