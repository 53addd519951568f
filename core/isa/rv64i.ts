/**
 * RV64I base integer instructions (RISC-V Unprivileged ISA, chapters 2 and 4).
 *
 * @module
 */

import { load, type Shape, shape, store, SXX, XX, XXX } from "./_shapes.ts";
import type { InsnSpec } from "./types.ts";

/** Opcode/funct3/funct7 mask of an R-type instruction (Unpriv. 2.2). */
const R = 0xfe00707f;
/** Opcode/funct3 mask of I-, S- and B-type instructions (Unpriv. 2.2). */
const F3 = 0x0000707f;
/** Opcode-only mask of U- and J-type instructions (Unpriv. 2.3). */
const OP = 0x0000007f;
/** RV64 immediate shifts keep a 6-bit shamt, so funct6 only (Unpriv. 4.2.1). */
const SH6 = 0xfc00707f;

/** lui, auipc: rd <- upper immediate (Unpriv. 2.4.1). */
const UPPER: Shape = shape("I", "U", { rd: "x" });
/** jal: pc-relative jump, link in rd (Unpriv. 2.5.1). */
const JAL: Shape = shape("I", "J", { rd: "x" }, null, "direct");
/** jalr: jump to x[rs1] + imm, link in rd (Unpriv. 2.5.1). */
const JALR: Shape = shape("I", "I", XX, null, "indirect");
/** Conditional branches on rs1, rs2 (Unpriv. 2.5.2). */
const BRANCH: Shape = shape("I", "B", SXX, null, "branch");
/** Register-immediate operations (Unpriv. 2.4.1, 4.2.1). */
const OP_IMM: Shape = shape("I", "I", XX);
/** Immediate shifts, 6-bit shamt. */
const SHIFT: Shape = shape("I", "SH", XX);
/** Word immediate shifts, 5-bit shamt. */
const SHIFTW: Shape = shape("I", "SHW", XX);
/** Register-register operations (Unpriv. 2.4.2, 4.2.2). */
const REG: Shape = shape("I", "R", XXX);
/** Loads (Unpriv. 2.6, 4.3): lb, lh, lw sign-extend. */
const LOAD_LB: Shape = shape("I", "I", XX, load(1, true));
const LOAD_LH: Shape = shape("I", "I", XX, load(2, true));
const LOAD_LW: Shape = shape("I", "I", XX, load(4, true));
const LOAD_LD: Shape = shape("I", "I", XX, load(8));
const LOAD_LBU: Shape = shape("I", "I", XX, load(1));
const LOAD_LHU: Shape = shape("I", "I", XX, load(2));
const LOAD_LWU: Shape = shape("I", "I", XX, load(4));
/** Stores of rs2 (Unpriv. 2.6, 4.3). */
const STORE_SB: Shape = shape("I", "S", SXX, store(1));
const STORE_SH: Shape = shape("I", "S", SXX, store(2));
const STORE_SW: Shape = shape("I", "S", SXX, store(4));
const STORE_SD: Shape = shape("I", "S", SXX, store(8));
/** fence: ordering only, no register operands (Unpriv. 2.7). */
const FENCE: Shape = shape("I", "FENCE", {});
/** ecall: a request to the execution environment (Unpriv. 2.8). */
const ECALL: Shape = shape("I", "N", {}, null, "syscall");
/** ebreak: a request to the debugger (Unpriv. 2.8). */
const EBREAK: Shape = shape("I", "N", {}, null, "breakpoint");

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
  { name: "lui", mask: OP, match: 0x00000037, ...UPPER },
  { name: "auipc", mask: OP, match: 0x00000017, ...UPPER },
  { name: "jal", mask: OP, match: 0x0000006f, ...JAL },
  { name: "jalr", mask: F3, match: 0x00000067, ...JALR },
  { name: "beq", mask: F3, match: 0x00000063, ...BRANCH },
  { name: "bne", mask: F3, match: 0x00001063, ...BRANCH },
  { name: "blt", mask: F3, match: 0x00004063, ...BRANCH },
  { name: "bge", mask: F3, match: 0x00005063, ...BRANCH },
  { name: "bltu", mask: F3, match: 0x00006063, ...BRANCH },
  { name: "bgeu", mask: F3, match: 0x00007063, ...BRANCH },
  { name: "lb", mask: F3, match: 0x00000003, ...LOAD_LB },
  { name: "lh", mask: F3, match: 0x00001003, ...LOAD_LH },
  { name: "lw", mask: F3, match: 0x00002003, ...LOAD_LW },
  { name: "ld", mask: F3, match: 0x00003003, ...LOAD_LD },
  { name: "lbu", mask: F3, match: 0x00004003, ...LOAD_LBU },
  { name: "lhu", mask: F3, match: 0x00005003, ...LOAD_LHU },
  { name: "lwu", mask: F3, match: 0x00006003, ...LOAD_LWU },
  { name: "sb", mask: F3, match: 0x00000023, ...STORE_SB },
  { name: "sh", mask: F3, match: 0x00001023, ...STORE_SH },
  { name: "sw", mask: F3, match: 0x00002023, ...STORE_SW },
  { name: "sd", mask: F3, match: 0x00003023, ...STORE_SD },
  { name: "addi", mask: F3, match: 0x00000013, ...OP_IMM },
  { name: "slti", mask: F3, match: 0x00002013, ...OP_IMM },
  { name: "sltiu", mask: F3, match: 0x00003013, ...OP_IMM },
  { name: "xori", mask: F3, match: 0x00004013, ...OP_IMM },
  { name: "ori", mask: F3, match: 0x00006013, ...OP_IMM },
  { name: "andi", mask: F3, match: 0x00007013, ...OP_IMM },
  { name: "slli", mask: SH6, match: 0x00001013, ...SHIFT },
  { name: "srli", mask: SH6, match: 0x00005013, ...SHIFT },
  { name: "srai", mask: SH6, match: 0x40005013, ...SHIFT },
  { name: "add", mask: R, match: 0x00000033, ...REG },
  { name: "sub", mask: R, match: 0x40000033, ...REG },
  { name: "sll", mask: R, match: 0x00001033, ...REG },
  { name: "slt", mask: R, match: 0x00002033, ...REG },
  { name: "sltu", mask: R, match: 0x00003033, ...REG },
  { name: "xor", mask: R, match: 0x00004033, ...REG },
  { name: "srl", mask: R, match: 0x00005033, ...REG },
  { name: "sra", mask: R, match: 0x40005033, ...REG },
  { name: "or", mask: R, match: 0x00006033, ...REG },
  { name: "and", mask: R, match: 0x00007033, ...REG },
  { name: "addiw", mask: F3, match: 0x0000001b, ...OP_IMM },
  { name: "slliw", mask: R, match: 0x0000101b, ...SHIFTW },
  { name: "srliw", mask: R, match: 0x0000501b, ...SHIFTW },
  { name: "sraiw", mask: R, match: 0x4000501b, ...SHIFTW },
  { name: "addw", mask: R, match: 0x0000003b, ...REG },
  { name: "subw", mask: R, match: 0x4000003b, ...REG },
  { name: "sllw", mask: R, match: 0x0000103b, ...REG },
  { name: "srlw", mask: R, match: 0x0000503b, ...REG },
  { name: "sraw", mask: R, match: 0x4000503b, ...REG },
  // FENCE ignores rd/rs1/fm (fence.tso decodes as fence): Unpriv. 2.7.
  { name: "fence", mask: F3, match: 0x0000000f, ...FENCE },
  { name: "ecall", mask: 0xffffffff, match: 0x00000073, ...ECALL },
  { name: "ebreak", mask: 0xffffffff, match: 0x00100073, ...EBREAK },
] as const satisfies readonly InsnSpec[];
