/**
 * RV64I base integer instructions (RISC-V Unprivileged ISA, chapters 2 and 4).
 *
 * @module
 */

import type { InsnSpec } from "./types.ts";

/** Opcode/funct3/funct7 mask of an R-type instruction (Unpriv. 2.2). */
const R = 0xfe00707f;
/** Opcode/funct3 mask of I-, S- and B-type instructions (Unpriv. 2.2). */
const F3 = 0x0000707f;
/** Opcode-only mask of U- and J-type instructions (Unpriv. 2.3). */
const OP = 0x0000007f;
/** RV64 immediate shifts keep a 6-bit shamt, so funct6 only (Unpriv. 4.2.1). */
const SH6 = 0xfc00707f;

/**
 * The RV64I table: one row per instruction, `(word & mask) === match`.
 *
 * @example
 * ```ts
 * import { RV64I } from "./rv64i.ts";
 * const add = RV64I.find((r) => r.name === "add")!;
 * console.log((0x00a50533 & add.mask) === add.match); // true (add a0,a0,a0)
 * ```
 */
export const RV64I = [
  { name: "lui", mask: OP, match: 0x00000037, format: "U", ext: "I" },
  { name: "auipc", mask: OP, match: 0x00000017, format: "U", ext: "I" },
  { name: "jal", mask: OP, match: 0x0000006f, format: "J", ext: "I" },
  { name: "jalr", mask: F3, match: 0x00000067, format: "I", ext: "I" },
  { name: "beq", mask: F3, match: 0x00000063, format: "B", ext: "I" },
  { name: "bne", mask: F3, match: 0x00001063, format: "B", ext: "I" },
  { name: "blt", mask: F3, match: 0x00004063, format: "B", ext: "I" },
  { name: "bge", mask: F3, match: 0x00005063, format: "B", ext: "I" },
  { name: "bltu", mask: F3, match: 0x00006063, format: "B", ext: "I" },
  { name: "bgeu", mask: F3, match: 0x00007063, format: "B", ext: "I" },
  { name: "lb", mask: F3, match: 0x00000003, format: "I", ext: "I" },
  { name: "lh", mask: F3, match: 0x00001003, format: "I", ext: "I" },
  { name: "lw", mask: F3, match: 0x00002003, format: "I", ext: "I" },
  { name: "ld", mask: F3, match: 0x00003003, format: "I", ext: "I" },
  { name: "lbu", mask: F3, match: 0x00004003, format: "I", ext: "I" },
  { name: "lhu", mask: F3, match: 0x00005003, format: "I", ext: "I" },
  { name: "lwu", mask: F3, match: 0x00006003, format: "I", ext: "I" },
  { name: "sb", mask: F3, match: 0x00000023, format: "S", ext: "I" },
  { name: "sh", mask: F3, match: 0x00001023, format: "S", ext: "I" },
  { name: "sw", mask: F3, match: 0x00002023, format: "S", ext: "I" },
  { name: "sd", mask: F3, match: 0x00003023, format: "S", ext: "I" },
  { name: "addi", mask: F3, match: 0x00000013, format: "I", ext: "I" },
  { name: "slti", mask: F3, match: 0x00002013, format: "I", ext: "I" },
  { name: "sltiu", mask: F3, match: 0x00003013, format: "I", ext: "I" },
  { name: "xori", mask: F3, match: 0x00004013, format: "I", ext: "I" },
  { name: "ori", mask: F3, match: 0x00006013, format: "I", ext: "I" },
  { name: "andi", mask: F3, match: 0x00007013, format: "I", ext: "I" },
  { name: "slli", mask: SH6, match: 0x00001013, format: "SH", ext: "I" },
  { name: "srli", mask: SH6, match: 0x00005013, format: "SH", ext: "I" },
  { name: "srai", mask: SH6, match: 0x40005013, format: "SH", ext: "I" },
  { name: "add", mask: R, match: 0x00000033, format: "R", ext: "I" },
  { name: "sub", mask: R, match: 0x40000033, format: "R", ext: "I" },
  { name: "sll", mask: R, match: 0x00001033, format: "R", ext: "I" },
  { name: "slt", mask: R, match: 0x00002033, format: "R", ext: "I" },
  { name: "sltu", mask: R, match: 0x00003033, format: "R", ext: "I" },
  { name: "xor", mask: R, match: 0x00004033, format: "R", ext: "I" },
  { name: "srl", mask: R, match: 0x00005033, format: "R", ext: "I" },
  { name: "sra", mask: R, match: 0x40005033, format: "R", ext: "I" },
  { name: "or", mask: R, match: 0x00006033, format: "R", ext: "I" },
  { name: "and", mask: R, match: 0x00007033, format: "R", ext: "I" },
  { name: "addiw", mask: F3, match: 0x0000001b, format: "I", ext: "I" },
  { name: "slliw", mask: R, match: 0x0000101b, format: "SHW", ext: "I" },
  { name: "srliw", mask: R, match: 0x0000501b, format: "SHW", ext: "I" },
  { name: "sraiw", mask: R, match: 0x4000501b, format: "SHW", ext: "I" },
  { name: "addw", mask: R, match: 0x0000003b, format: "R", ext: "I" },
  { name: "subw", mask: R, match: 0x4000003b, format: "R", ext: "I" },
  { name: "sllw", mask: R, match: 0x0000103b, format: "R", ext: "I" },
  { name: "srlw", mask: R, match: 0x0000503b, format: "R", ext: "I" },
  { name: "sraw", mask: R, match: 0x4000503b, format: "R", ext: "I" },
  // FENCE ignores rd/rs1/fm (fence.tso decodes as fence): Unpriv. 2.7.
  { name: "fence", mask: F3, match: 0x0000000f, format: "FENCE", ext: "I" },
  { name: "ecall", mask: 0xffffffff, match: 0x00000073, format: "N", ext: "I" },
  {
    name: "ebreak",
    mask: 0xffffffff,
    match: 0x00100073,
    format: "N",
    ext: "I",
  },
] as const satisfies readonly InsnSpec[];
