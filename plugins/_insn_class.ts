/**
 * RISC-V instruction classes for the `howvec` plugin: QEMU's howvec has
 * per-architecture class tables matched on opcode bits and none for RISC-V;
 * this one classifies by base mnemonic (`addi` for `c.addi`).
 *
 * @module
 */

/** One instruction class, in the shape of howvec's `InsnClassExecCount`. */
export interface InsnClass {
  /** Name printed in the report (`Class: <name>`). */
  readonly name: string;
  /** Short name for howvec's `count=<opt>` / `count=!<opt>` arguments. */
  readonly opt: string;
  /** Mnemonics in the class; empty for the catch-all last class. */
  readonly mnemonics: readonly string[];
}

/**
 * The RISC-V RV64GC classes, in report order; the last one, "Unclassified",
 * takes every mnemonic no other class lists.
 *
 * @example
 * ```ts
 * import { RISCV_CLASSES } from "./_insn_class.ts";
 * console.log(RISCV_CLASSES.map((c) => c.opt).join(" "));
 * // "load store branch jump alui alur muldiv atomic fpldst fp csr sys unclas"
 * ```
 */
export const RISCV_CLASSES: readonly InsnClass[] = [
  {
    name: "Loads",
    opt: "load",
    mnemonics: ["lb", "lh", "lw", "ld", "lbu", "lhu", "lwu"],
  },
  { name: "Stores", opt: "store", mnemonics: ["sb", "sh", "sw", "sd"] },
  {
    name: "Branches",
    opt: "branch",
    mnemonics: ["beq", "bne", "blt", "bge", "bltu", "bgeu"],
  },
  { name: "Jumps", opt: "jump", mnemonics: ["jal", "jalr"] },
  {
    name: "ALU (imm)",
    opt: "alui",
    mnemonics: [
      "lui",
      "auipc",
      "addi",
      "slti",
      "sltiu",
      "xori",
      "ori",
      "andi",
      "slli",
      "srli",
      "srai",
      "addiw",
      "slliw",
      "srliw",
      "sraiw",
    ],
  },
  {
    name: "ALU (reg)",
    opt: "alur",
    mnemonics: [
      "add",
      "sub",
      "sll",
      "slt",
      "sltu",
      "xor",
      "srl",
      "sra",
      "or",
      "and",
      "addw",
      "subw",
      "sllw",
      "srlw",
      "sraw",
    ],
  },
  {
    name: "Mul/Div",
    opt: "muldiv",
    mnemonics: [
      "mul",
      "mulh",
      "mulhsu",
      "mulhu",
      "div",
      "divu",
      "rem",
      "remu",
      "mulw",
      "divw",
      "divuw",
      "remw",
      "remuw",
    ],
  },
  {
    name: "Atomics",
    opt: "atomic",
    mnemonics: ["w", "d"].flatMap((s) =>
      [
        "lr",
        "sc",
        "amoswap",
        "amoadd",
        "amoxor",
        "amoand",
        "amoor",
        "amomin",
        "amomax",
        "amominu",
        "amomaxu",
      ]
        .map((op) => `${op}.${s}`)
    ),
  },
  {
    name: "FP Load/Store",
    opt: "fpldst",
    mnemonics: ["flw", "fsw", "fld", "fsd"],
  },
  {
    name: "FP Arith",
    opt: "fp",
    mnemonics: [
      ...["s", "d"].flatMap((s) =>
        [
          "fmadd",
          "fmsub",
          "fnmsub",
          "fnmadd",
          "fadd",
          "fsub",
          "fmul",
          "fdiv",
          "fsqrt",
          "fsgnj",
          "fsgnjn",
          "fsgnjx",
          "fmin",
          "fmax",
          "feq",
          "flt",
          "fle",
          "fclass",
          "fcvt.w",
          "fcvt.wu",
          "fcvt.l",
          "fcvt.lu",
        ].map((op) => `${op}.${s}`)
      ),
      ...["w", "wu", "l", "lu"].flatMap((t) => [`fcvt.s.${t}`, `fcvt.d.${t}`]),
      "fcvt.s.d",
      "fcvt.d.s",
      "fmv.x.w",
      "fmv.w.x",
      "fmv.x.d",
      "fmv.d.x",
    ],
  },
  {
    name: "CSR",
    opt: "csr",
    mnemonics: ["csrrw", "csrrs", "csrrc", "csrrwi", "csrrsi", "csrrci"],
  },
  {
    name: "System",
    opt: "sys",
    mnemonics: [
      "fence",
      "fence.i",
      "ecall",
      "ebreak",
      "wfi",
      "mret",
      "sret",
      "sfence.vma",
    ],
  },
  { name: "Unclassified", opt: "unclas", mnemonics: [] },
];

const BY_MNEMONIC = new Map<string, number>(
  RISCV_CLASSES.flatMap((c, i) =>
    c.mnemonics.map((m) => [m, i] as [string, number])
  ),
);

/**
 * The index in {@link RISCV_CLASSES} of a base mnemonic's class (the last,
 * "Unclassified", for a mnemonic no class lists).
 *
 * @example
 * ```ts
 * import { classIndex, RISCV_CLASSES } from "./_insn_class.ts";
 * console.log(RISCV_CLASSES[classIndex("amoadd.w")].name); // "Atomics"
 * ```
 */
export function classIndex(mnemonic: string): number {
  return BY_MNEMONIC.get(mnemonic) ?? RISCV_CLASSES.length - 1;
}
