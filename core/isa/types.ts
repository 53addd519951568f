/**
 * The shapes shared by every ISA table, the decoder, the interpreter, the
 * translator and the disassembler.
 *
 * @module
 */

/**
 * How an instruction word's operand fields are laid out.
 *
 * - `R`: rd, rs1, rs2. `R4`: rd, rs1, rs2, rs3, rm. `RM`: rd, rs1, rs2, rm.
 * - `I`: rd, rs1, imm (12-bit signed). `SH`/`SHW`: rd, rs1, imm = shamt.
 * - `S`, `B`: rs1, rs2, imm (byte offset). `U`: rd, imm (already << 12).
 * - `J`: rd, imm (byte offset). `CSR`: rd, rs1, csr. `CSRI`: rd, imm (uimm), csr.
 * - `A`: rd, rs1, rs2, aq, rl (atomics). `R1`: rd, rs1 (rs2 fixed), maybe rm.
 * - `FENCE`: pred/succ in imm. `N`: no operands.
 */
export type Format =
  | "R"
  | "R4"
  | "RM"
  | "R1"
  | "I"
  | "SH"
  | "SHW"
  | "S"
  | "B"
  | "U"
  | "J"
  | "CSR"
  | "CSRI"
  | "A"
  | "FENCE"
  | "N";

/** The extension an instruction belongs to. */
export type Ext = "I" | "M" | "A" | "F" | "D" | "Zicsr" | "Zifencei" | "C";

/** A register file: the integer registers `x`, or the FP registers `f`. */
export type RegFile = "x" | "f";

/**
 * Which register fields an instruction uses as registers, and in which
 * file: `rd` is written, `rs1`..`rs3` are read. A field left out is not a
 * register operand (its bits are an immediate, fixed, or unused).
 */
export interface RegRoles {
  /** Destination register file. */
  readonly rd?: RegFile;
  /** First source register file. */
  readonly rs1?: RegFile;
  /** Second source register file. */
  readonly rs2?: RegFile;
  /** Third source register file. */
  readonly rs3?: RegFile;
}

/**
 * The data memory access of an instruction, at address `x[rs1] + imm`
 * (atomics: `x[rs1]`). An AMO both loads and stores.
 */
export interface MemAccess {
  /** It reads memory. */
  readonly load: boolean;
  /** It writes memory (a store-conditional may not). */
  readonly store: boolean;
  /** Bytes accessed. */
  readonly width: 1 | 2 | 4 | 8;
  /** The loaded value is sign-extended into a 64-bit `rd` (lb, lh, lw, lr.w, amo*.w). */
  readonly signed: boolean;
}

/**
 * What an instruction does to control flow, as its row says (Unpriv. 2.5
 * for jumps and branches, 2.8 for ecall/ebreak, 6.1 for fence.i). Anything
 * but `"none"` ends a translated block.
 *
 * - `"branch"`: conditional, pc-relative (beq .. bgeu).
 * - `"direct"`: unconditional, pc-relative, maybe linking (jal).
 * - `"indirect"`: to a register plus offset, maybe linking (jalr).
 * - `"syscall"`: ecall. `"breakpoint"`: ebreak.
 * - `"fence.i"`: the instruction stream must be fetched again.
 */
export type RowFlow =
  | "none"
  | "branch"
  | "direct"
  | "indirect"
  | "syscall"
  | "breakpoint"
  | "fence.i";

/** One row of an ISA table: `(word & mask) === match` selects it. */
export interface InsnSpec {
  /** Canonical lower-case mnemonic, as in the RISC-V spec (`fadd.d`). */
  readonly name: string;
  /** Bits that identify the instruction. */
  readonly mask: number;
  /** Value of those bits. */
  readonly match: number;
  /** Operand layout. */
  readonly format: Format;
  /** Extension. */
  readonly ext: Ext;
  /** Control-flow kind. */
  readonly flow: RowFlow;
  /** Register operands: which fields are read and written, in which file. */
  readonly regs: RegRoles;
  /** Data memory access, or null when it has none. */
  readonly mem: MemAccess | null;
}

/** A decoded instruction. Compressed ones decode to their base equivalent. */
export interface Decoded {
  /** Base mnemonic (for a compressed instruction, what it expands to). */
  readonly name: string;
  /** The base instruction's table row (control flow, operand roles, memory). */
  readonly spec: InsnSpec;
  /** Compressed mnemonic (`c.addi`), when `size` is 2. */
  readonly cname?: string;
  /** The raw instruction bits (16 or 32 significant bits). */
  readonly raw: number;
  /** Length in bytes: 2 or 4. */
  readonly size: 2 | 4;
  /** Destination register number (integer or FP by instruction). */
  readonly rd: number;
  /** First source register. */
  readonly rs1: number;
  /** Second source register. */
  readonly rs2: number;
  /** Third source register (R4 format). */
  readonly rs3: number;
  /** Sign-extended immediate (or shamt / uimm / fence bits). */
  readonly imm: number;
  /** Rounding-mode field (7 = dynamic). */
  readonly rm: number;
  /** CSR number. */
  readonly csr: number;
  /** Acquire bit of an atomic. */
  readonly aq: boolean;
  /** Release bit of an atomic. */
  readonly rl: boolean;
}
