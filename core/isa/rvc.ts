/**
 * RV64C compressed instructions (RISC-V Unprivileged ISA, chapter 16), as
 * 16-bit rows that expand to their base-ISA equivalents.
 *
 * @module
 */

import { makeDecoded } from "./_decoded.ts";
import { rowOf } from "./_rows.ts";
import type { InsnName } from "./mod.ts";
import type { Decoded, InsnSpec } from "./types.ts";

/**
 * A row of the RVC table: a 16-bit pattern and its expansion. Control flow,
 * operand roles and memory access are the base instruction's (its row is
 * `Decoded.spec` of the expansion).
 */
export interface CInsnSpec
  extends Pick<InsnSpec, "name" | "mask" | "match" | "format" | "ext"> {
  /**
   * Expands the halfword (already known to match) to the base instruction,
   * or `undefined` for a reserved encoding.
   */
  readonly expand: (h: number) => Decoded | undefined;
}

/** quadrant + funct3 (Unpriv. 16.2, the common compressed formats). */
const Q = 0xe003;
/** Mask of the c.srli/c.srai/c.andi group: funct3, funct2 (bits 11:10). */
const QF2 = 0xec03;
/** Mask of the c.sub..c.addw group: funct6 and funct2 (bits 6:5). */
const QF6 = 0xfc63;
/** Mask of the c.jr/c.mv/c.jalr/c.add group: funct4 (bits 15:12). */
const QF4 = 0xf003;
/** The sp register, x2 (Unpriv. 16.2: CI/CSS stack-pointer forms). */
const SP = 2;
/** The link register, x1. */
const RA = 1;

/** rd'/rs2' in bits 4:2 (x8..x15). */
const rdp = (h: number) => ((h >> 2) & 7) + 8;
/** rs1'/rd' in bits 9:7 (x8..x15). */
const rs1p = (h: number) => ((h >> 7) & 7) + 8;
/** Full rd/rs1 in bits 11:7. */
const r7 = (h: number) => (h >> 7) & 31;
/** Full rs2 in bits 6:2. */
const r2 = (h: number) => (h >> 2) & 31;
/** CI signed 6-bit immediate: imm[5] at 12, imm[4:0] at 6:2. */
const ci = (h: number) => ((((h >> 7) & 0x20) | ((h >> 2) & 0x1f)) << 26) >> 26;
/** CI 6-bit shift amount (unsigned). */
const shamt = (h: number) => ((h >> 7) & 0x20) | ((h >> 2) & 0x1f);
/** CL/CS word offset: uimm[5:3] at 12:10, uimm[2|6] at 6:5. */
const lwOff = (h: number) =>
  ((h >> 7) & 0x38) | ((h << 1) & 0x40) | ((h >> 4) & 4);
/** CL/CS doubleword offset: uimm[5:3] at 12:10, uimm[7:6] at 6:5. */
const ldOff = (h: number) => ((h >> 7) & 0x38) | ((h << 1) & 0xc0);
/** CIW c.addi4spn: nzuimm[5:4|9:6|2|3] at 12:5. */
const spnOff = (h: number) =>
  ((h >> 7) & 0x30) | ((h >> 1) & 0x3c0) | ((h >> 4) & 4) | ((h >> 2) & 8);
/** c.addi16sp: nzimm[9] at 12, nzimm[4|6|8:7|5] at 6:2, signed. */
const sp16 = (h: number) =>
  ((((h >> 3) & 0x200) | ((h >> 2) & 0x10) | ((h << 1) & 0x40) |
    ((h << 4) & 0x180) | ((h << 3) & 0x20)) << 22) >> 22;
/** CJ: offset[11|4|9:8|10|6|7|3:1|5] at 12:2, signed. */
const jOff = (h: number) =>
  ((((h >> 1) & 0x800) | ((h >> 7) & 0x10) | ((h >> 1) & 0x300) |
    ((h << 2) & 0x400) | ((h >> 1) & 0x40) | ((h << 1) & 0x80) |
    ((h >> 2) & 0xe) | ((h << 3) & 0x20)) << 20) >> 20;
/** CB: offset[8|4:3] at 12:10, offset[7:6|2:1|5] at 6:2, signed. */
const bOff = (h: number) =>
  ((((h >> 4) & 0x100) | ((h >> 7) & 0x18) | ((h << 1) & 0xc0) |
    ((h >> 2) & 6) | ((h << 3) & 0x20)) << 23) >> 23;
/** CI c.lwsp: uimm[5] at 12, uimm[4:2|7:6] at 6:2. */
const lwspOff = (h: number) =>
  ((h >> 7) & 0x20) | ((h >> 2) & 0x1c) | ((h << 4) & 0xc0);
/** CI c.ldsp/c.fldsp: uimm[5] at 12, uimm[4:3|8:6] at 6:2. */
const ldspOff = (h: number) =>
  ((h >> 7) & 0x20) | ((h >> 2) & 0x18) | ((h << 4) & 0x1c0);
/** CSS c.swsp: uimm[5:2|7:6] at 12:7. */
const swspOff = (h: number) => ((h >> 7) & 0x3c) | ((h >> 1) & 0xc0);
/** CSS c.sdsp/c.fsdsp: uimm[5:3|8:6] at 12:7. */
const sdspOff = (h: number) => ((h >> 7) & 0x38) | ((h >> 1) & 0x1c0);

/** A compressed instruction expanded to `name rd, rs1, rs2, imm`. */
function x(
  name: InsnName,
  cname: string,
  h: number,
  rd: number,
  rs1: number,
  rs2: number,
  imm: number,
): Decoded {
  return makeDecoded(
    rowOf(name),
    cname,
    h,
    2,
    rd,
    rs1,
    rs2,
    0,
    imm,
    0,
    0,
    false,
    false,
  );
}

/**
 * The RV64C table. Each row's `expand` yields the base instruction with
 * `cname` set and `size` 2; reserved encodings expand to `undefined`.
 *
 * @example
 * ```ts
 * import { RVC } from "./rvc.ts";
 * const row = RVC.find((r) => r.name === "c.addi")!;
 * console.log(row.expand(0x0505)?.name); // "addi" (c.addi a0,1)
 * ```
 */
export const RVC = [
  // ---- Quadrant 0 ----
  {
    name: "c.addi4spn",
    mask: Q,
    match: 0x0000,
    format: "I",
    ext: "C",
    expand: (h: number): Decoded | undefined => {
      const imm = spnOff(h);
      return imm === 0
        ? undefined
        : x("addi", "c.addi4spn", h, rdp(h), SP, 0, imm);
    },
  },
  {
    name: "c.fld",
    mask: Q,
    match: 0x2000,
    format: "I",
    ext: "C",
    expand: (h: number): Decoded | undefined =>
      x("fld", "c.fld", h, rdp(h), rs1p(h), 0, ldOff(h)),
  },
  {
    name: "c.lw",
    mask: Q,
    match: 0x4000,
    format: "I",
    ext: "C",
    expand: (h: number): Decoded | undefined =>
      x("lw", "c.lw", h, rdp(h), rs1p(h), 0, lwOff(h)),
  },
  {
    name: "c.ld",
    mask: Q,
    match: 0x6000,
    format: "I",
    ext: "C",
    expand: (h: number): Decoded | undefined =>
      x("ld", "c.ld", h, rdp(h), rs1p(h), 0, ldOff(h)),
  },
  {
    name: "c.fsd",
    mask: Q,
    match: 0xa000,
    format: "S",
    ext: "C",
    expand: (h: number): Decoded | undefined =>
      x("fsd", "c.fsd", h, 0, rs1p(h), rdp(h), ldOff(h)),
  },
  {
    name: "c.sw",
    mask: Q,
    match: 0xc000,
    format: "S",
    ext: "C",
    expand: (h: number): Decoded | undefined =>
      x("sw", "c.sw", h, 0, rs1p(h), rdp(h), lwOff(h)),
  },
  {
    name: "c.sd",
    mask: Q,
    match: 0xe000,
    format: "S",
    ext: "C",
    expand: (h: number): Decoded | undefined =>
      x("sd", "c.sd", h, 0, rs1p(h), rdp(h), ldOff(h)),
  },
  // ---- Quadrant 1 ----
  {
    name: "c.nop",
    mask: 0xffff,
    match: 0x0001,
    format: "I",
    ext: "C",
    expand: (h: number): Decoded | undefined =>
      x("addi", "c.nop", h, 0, 0, 0, 0),
  },
  {
    // rd = 0 with imm != 0 is a HINT (Unpriv. 16.7): it decodes, as a no-op.
    name: "c.addi",
    mask: Q,
    match: 0x0001,
    format: "I",
    ext: "C",
    expand: (h: number): Decoded | undefined =>
      x("addi", "c.addi", h, r7(h), r7(h), 0, ci(h)),
  },
  {
    name: "c.addiw",
    mask: Q,
    match: 0x2001,
    format: "I",
    ext: "C",
    expand: (h: number): Decoded | undefined =>
      r7(h) === 0
        ? undefined
        : x("addiw", "c.addiw", h, r7(h), r7(h), 0, ci(h)),
  },
  {
    name: "c.li",
    mask: Q,
    match: 0x4001,
    format: "I",
    ext: "C",
    expand: (h: number): Decoded | undefined =>
      x("addi", "c.li", h, r7(h), 0, 0, ci(h)),
  },
  {
    name: "c.addi16sp",
    mask: 0xef83,
    match: 0x6101,
    format: "I",
    ext: "C",
    expand: (h: number): Decoded | undefined => {
      const imm = sp16(h);
      return imm === 0 ? undefined : x("addi", "c.addi16sp", h, SP, SP, 0, imm);
    },
  },
  {
    // nzimm = 0 is reserved; rd = x0 is a HINT (Unpriv. 16.7): lui x0, a
    // no-op. rd = x2 is c.addi16sp, a more specific row.
    name: "c.lui",
    mask: Q,
    match: 0x6001,
    format: "U",
    ext: "C",
    expand: (h: number): Decoded | undefined => {
      const rd = r7(h), imm = ci(h);
      return rd === SP || imm === 0
        ? undefined
        : x("lui", "c.lui", h, rd, 0, 0, imm << 12);
    },
  },
  {
    name: "c.srli",
    mask: QF2,
    match: 0x8001,
    format: "SH",
    ext: "C",
    expand: (h: number): Decoded | undefined =>
      x("srli", "c.srli", h, rs1p(h), rs1p(h), 0, shamt(h)),
  },
  {
    name: "c.srai",
    mask: QF2,
    match: 0x8401,
    format: "SH",
    ext: "C",
    expand: (h: number): Decoded | undefined =>
      x("srai", "c.srai", h, rs1p(h), rs1p(h), 0, shamt(h)),
  },
  {
    name: "c.andi",
    mask: QF2,
    match: 0x8801,
    format: "I",
    ext: "C",
    expand: (h: number): Decoded | undefined =>
      x("andi", "c.andi", h, rs1p(h), rs1p(h), 0, ci(h)),
  },
  {
    name: "c.sub",
    mask: QF6,
    match: 0x8c01,
    format: "R",
    ext: "C",
    expand: (h: number): Decoded | undefined =>
      x("sub", "c.sub", h, rs1p(h), rs1p(h), rdp(h), 0),
  },
  {
    name: "c.xor",
    mask: QF6,
    match: 0x8c21,
    format: "R",
    ext: "C",
    expand: (h: number): Decoded | undefined =>
      x("xor", "c.xor", h, rs1p(h), rs1p(h), rdp(h), 0),
  },
  {
    name: "c.or",
    mask: QF6,
    match: 0x8c41,
    format: "R",
    ext: "C",
    expand: (h: number): Decoded | undefined =>
      x("or", "c.or", h, rs1p(h), rs1p(h), rdp(h), 0),
  },
  {
    name: "c.and",
    mask: QF6,
    match: 0x8c61,
    format: "R",
    ext: "C",
    expand: (h: number): Decoded | undefined =>
      x("and", "c.and", h, rs1p(h), rs1p(h), rdp(h), 0),
  },
  {
    name: "c.subw",
    mask: QF6,
    match: 0x9c01,
    format: "R",
    ext: "C",
    expand: (h: number): Decoded | undefined =>
      x("subw", "c.subw", h, rs1p(h), rs1p(h), rdp(h), 0),
  },
  {
    name: "c.addw",
    mask: QF6,
    match: 0x9c21,
    format: "R",
    ext: "C",
    expand: (h: number): Decoded | undefined =>
      x("addw", "c.addw", h, rs1p(h), rs1p(h), rdp(h), 0),
  },
  {
    name: "c.j",
    mask: Q,
    match: 0xa001,
    format: "J",
    ext: "C",
    expand: (h: number): Decoded | undefined =>
      x("jal", "c.j", h, 0, 0, 0, jOff(h)),
  },
  {
    name: "c.beqz",
    mask: Q,
    match: 0xc001,
    format: "B",
    ext: "C",
    expand: (h: number): Decoded | undefined =>
      x("beq", "c.beqz", h, 0, rs1p(h), 0, bOff(h)),
  },
  {
    name: "c.bnez",
    mask: Q,
    match: 0xe001,
    format: "B",
    ext: "C",
    expand: (h: number): Decoded | undefined =>
      x("bne", "c.bnez", h, 0, rs1p(h), 0, bOff(h)),
  },
  // ---- Quadrant 2 ----
  {
    name: "c.slli",
    mask: Q,
    match: 0x0002,
    format: "SH",
    ext: "C",
    expand: (h: number): Decoded | undefined =>
      x("slli", "c.slli", h, r7(h), r7(h), 0, shamt(h)),
  },
  {
    name: "c.fldsp",
    mask: Q,
    match: 0x2002,
    format: "I",
    ext: "C",
    expand: (h: number): Decoded | undefined =>
      x("fld", "c.fldsp", h, r7(h), SP, 0, ldspOff(h)),
  },
  {
    name: "c.lwsp",
    mask: Q,
    match: 0x4002,
    format: "I",
    ext: "C",
    expand: (h: number): Decoded | undefined =>
      r7(h) === 0 ? undefined : x("lw", "c.lwsp", h, r7(h), SP, 0, lwspOff(h)),
  },
  {
    name: "c.ldsp",
    mask: Q,
    match: 0x6002,
    format: "I",
    ext: "C",
    expand: (h: number): Decoded | undefined =>
      r7(h) === 0 ? undefined : x("ld", "c.ldsp", h, r7(h), SP, 0, ldspOff(h)),
  },
  {
    name: "c.ebreak",
    mask: 0xffff,
    match: 0x9002,
    format: "N",
    ext: "C",
    expand: (h: number): Decoded | undefined =>
      x("ebreak", "c.ebreak", h, 0, 0, 0, 0),
  },
  {
    name: "c.jr",
    mask: 0xf07f,
    match: 0x8002,
    format: "I",
    ext: "C",
    expand: (h: number): Decoded | undefined =>
      r7(h) === 0 ? undefined : x("jalr", "c.jr", h, 0, r7(h), 0, 0),
  },
  {
    name: "c.jalr",
    mask: 0xf07f,
    match: 0x9002,
    format: "I",
    ext: "C",
    expand: (h: number): Decoded | undefined =>
      x("jalr", "c.jalr", h, RA, r7(h), 0, 0),
  },
  {
    name: "c.mv",
    mask: QF4,
    match: 0x8002,
    format: "R",
    ext: "C",
    expand: (h: number): Decoded | undefined =>
      x("add", "c.mv", h, r7(h), 0, r2(h), 0),
  },
  {
    name: "c.add",
    mask: QF4,
    match: 0x9002,
    format: "R",
    ext: "C",
    expand: (h: number): Decoded | undefined =>
      x("add", "c.add", h, r7(h), r7(h), r2(h), 0),
  },
  {
    name: "c.fsdsp",
    mask: Q,
    match: 0xa002,
    format: "S",
    ext: "C",
    expand: (h: number): Decoded | undefined =>
      x("fsd", "c.fsdsp", h, 0, SP, r2(h), sdspOff(h)),
  },
  {
    name: "c.swsp",
    mask: Q,
    match: 0xc002,
    format: "S",
    ext: "C",
    expand: (h: number): Decoded | undefined =>
      x("sw", "c.swsp", h, 0, SP, r2(h), swspOff(h)),
  },
  {
    name: "c.sdsp",
    mask: Q,
    match: 0xe002,
    format: "S",
    ext: "C",
    expand: (h: number): Decoded | undefined =>
      x("sd", "c.sdsp", h, 0, SP, r2(h), sdspOff(h)),
  },
] as const satisfies readonly CInsnSpec[];
