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
}

/** A decoded instruction. Compressed ones decode to their base equivalent. */
export interface Decoded {
  /** Base mnemonic (for a compressed instruction, what it expands to). */
  readonly name: string;
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
