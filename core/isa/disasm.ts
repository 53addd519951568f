/**
 * An objdump-like disassembler (`objdump -d -M no-aliases` style, with
 * absolute `0x` branch targets).
 *
 * @module
 */

import { decode, TABLES32 } from "./decode.ts";
import type { Decoded } from "./types.ts";

const ABI = [
  "zero",
  "ra",
  "sp",
  "gp",
  "tp",
  "t0",
  "t1",
  "t2",
  "s0",
  "s1",
  "a0",
  "a1",
  "a2",
  "a3",
  "a4",
  "a5",
  "a6",
  "a7",
  "s2",
  "s3",
  "s4",
  "s5",
  "s6",
  "s7",
  "s8",
  "s9",
  "s10",
  "s11",
  "t3",
  "t4",
  "t5",
  "t6",
] as const;

const FABI = [
  "ft0",
  "ft1",
  "ft2",
  "ft3",
  "ft4",
  "ft5",
  "ft6",
  "ft7",
  "fs0",
  "fs1",
  "fa0",
  "fa1",
  "fa2",
  "fa3",
  "fa4",
  "fa5",
  "fa6",
  "fa7",
  "fs2",
  "fs3",
  "fs4",
  "fs5",
  "fs6",
  "fs7",
  "fs8",
  "fs9",
  "fs10",
  "fs11",
  "ft8",
  "ft9",
  "ft10",
  "ft11",
] as const;

/** Rounding-mode names, by rm field (Unpriv. 20.2, Table 29). */
const RM = ["rne", "rtz", "rdn", "rup", "rmm", "rm5", "rm6", "dyn"];

/** CSR names the disassembler knows (Priv. 2.2, Table 3). */
const CSR_NAMES: Record<number, string> = {
  0x001: "fflags",
  0x002: "frm",
  0x003: "fcsr",
  0xc00: "cycle",
  0xc01: "time",
  0xc02: "instret",
};

/**
 * ABI name of integer register `r`.
 *
 * @example
 * ```ts
 * import { abiName } from "./disasm.ts";
 * console.log(abiName(2), abiName(10)); // sp a0
 * ```
 */
export function abiName(r: number): string {
  return ABI[r & 31];
}

/**
 * ABI name of FP register `r`.
 *
 * @example
 * ```ts
 * import { fpName } from "./disasm.ts";
 * console.log(fpName(10)); // fa0
 * ```
 */
export function fpName(r: number): string {
  return FABI[r & 31];
}

const hex = (v: number) => "0x" + v.toString(16);
/** An absolute target address, shown as an unsigned 64-bit value. */
const target = (v: number) =>
  "0x" + (v < 0 ? BigInt.asUintN(64, BigInt(v)).toString(16) : v.toString(16));

/** Which operands of an F/D instruction are integer registers. */
function fpClasses(name: string): { rd: "x" | "f"; rs1: "x" | "f" } {
  if (/^(fl[wd]|fs[wd])$/.test(name)) return { rd: "f", rs1: "x" };
  if (/^(fcvt\.[wl]u?\.[sd]|fmv\.x\.[wd]|feq|flt|fle|fclass)/.test(name)) {
    return { rd: "x", rs1: "f" };
  }
  if (/^(fcvt\.[sd]\.[wl]u?|fmv\.[wd]\.x)$/.test(name)) {
    return { rd: "f", rs1: "x" };
  }
  return { rd: "f", rs1: "f" };
}

/** Conversions that are exact never print a rounding mode (objdump does so). */
const EXACT = new Set(["fcvt.d.s", "fcvt.d.w", "fcvt.d.wu"]);

function isFp(name: string): boolean {
  return name.startsWith("f") && name !== "fence" && name !== "fence.i";
}

/** Formats a compressed instruction the way objdump shows it. */
function compressed(d: Decoded, pc: number): string {
  const c = d.cname!;
  const x = abiName, f = fpName;
  switch (c) {
    case "c.nop":
    case "c.ebreak":
      return c;
    case "c.addi4spn":
      return `${c} ${x(d.rd)},sp,${d.imm}`;
    case "c.fld":
      return `${c} ${f(d.rd)},${d.imm}(${x(d.rs1)})`;
    case "c.lw":
    case "c.ld":
    case "c.lwsp":
    case "c.ldsp":
      return `${c} ${x(d.rd)},${d.imm}(${x(d.rs1)})`;
    case "c.fldsp":
      return `${c} ${f(d.rd)},${d.imm}(sp)`;
    case "c.fsd":
    case "c.fsdsp":
      return `${c} ${f(d.rs2)},${d.imm}(${x(d.rs1)})`;
    case "c.sw":
    case "c.sd":
    case "c.swsp":
    case "c.sdsp":
      return `${c} ${x(d.rs2)},${d.imm}(${x(d.rs1)})`;
    case "c.addi":
    case "c.addiw":
    case "c.li":
    case "c.andi":
    case "c.addi16sp":
      return `${c} ${x(d.rd)},${d.imm}`;
    case "c.lui":
      return `${c} ${x(d.rd)},${hex((d.imm >>> 12) & 0xfffff)}`;
    case "c.srli":
    case "c.srai":
    case "c.slli":
      return `${c} ${x(d.rd)},${hex(d.imm)}`;
    case "c.j":
      return `${c} ${target(pc + d.imm)}`;
    case "c.beqz":
    case "c.bnez":
      return `${c} ${x(d.rs1)},${target(pc + d.imm)}`;
    case "c.jr":
    case "c.jalr":
      return `${c} ${x(d.rs1)}`;
    default: // c.mv, c.add, c.sub, c.xor, c.or, c.and, c.subw, c.addw
      return `${c} ${x(d.rd)},${x(d.rs2)}`;
  }
}

const FORMAT_OF = new Map<string, string>();

/**
 * Disassembles a decoded instruction at `pc` (used for pc-relative targets,
 * shown as absolute `0x` addresses). Compressed instructions print with their
 * `c.` mnemonic.
 *
 * @example
 * ```ts
 * import { decode } from "./decode.ts";
 * import { disassemble } from "./disasm.ts";
 * console.log(disassemble(decode(0x00813083)!, 0)); // "ld ra,8(sp)"
 * console.log(disassemble(decode(0x00050463)!, 0x10070)); // "beq a0,zero,0x10078"
 * console.log(disassemble(decode(0x0505)!, 0)); // "c.addi a0,1"
 * ```
 */
export function disassemble(d: Decoded, pc: number): string {
  if (d.size === 2 && d.cname !== undefined) return compressed(d, pc);
  const n = d.name, x = abiName, f = fpName;
  const fp = isFp(n);
  const cls = fp ? fpClasses(n) : { rd: "x", rs1: "x" };
  const rd = cls.rd === "f" ? f(d.rd) : x(d.rd);
  const rs1 = cls.rs1 === "f" ? f(d.rs1) : x(d.rs1);
  const rs2 = fp ? f(d.rs2) : x(d.rs2);
  const rm = d.rm === 7 || EXACT.has(n) ? "" : `,${RM[d.rm]}`;
  const fmt = formatOf(n);
  switch (fmt) {
    case "R":
      return `${n} ${rd},${rs1},${rs2}`;
    case "RM":
      return `${n} ${rd},${rs1},${rs2}${rm}`;
    case "R4":
      return `${n} ${rd},${rs1},${rs2},${f(d.rs3)}${rm}`;
    case "R1":
      return /^f(mv|class)/.test(n)
        ? `${n} ${rd},${rs1}`
        : `${n} ${rd},${rs1}${rm}`;
    case "I":
      if (n === "jalr" || /^(l[bhwd]u?|fl[wd])$/.test(n)) {
        return `${n} ${rd},${d.imm}(${x(d.rs1)})`;
      }
      return `${n} ${rd},${rs1},${d.imm}`;
    case "SH":
    case "SHW":
      return `${n} ${rd},${rs1},${hex(d.imm)}`;
    case "S":
      return `${n} ${fp ? f(d.rs2) : x(d.rs2)},${d.imm}(${x(d.rs1)})`;
    case "B":
      return `${n} ${x(d.rs1)},${x(d.rs2)},${target(pc + d.imm)}`;
    case "U":
      return `${n} ${rd},${hex((d.imm >>> 12) & 0xfffff)}`;
    case "J":
      return `${n} ${rd},${target(pc + d.imm)}`;
    case "CSR":
      return `${n} ${rd},${CSR_NAMES[d.csr] ?? hex(d.csr)},${x(d.rs1)}`;
    case "CSRI":
      return `${n} ${rd},${CSR_NAMES[d.csr] ?? hex(d.csr)},${d.imm}`;
    case "A": {
      const sfx = (d.aq ? "aq" : "") + (d.rl ? "rl" : "");
      const m = sfx ? `${n}.${sfx}` : n;
      return n.startsWith("lr.")
        ? `${m} ${rd},(${x(d.rs1)})`
        : `${m} ${rd},${rs2},(${x(d.rs1)})`;
    }
    case "FENCE":
      return `fence ${fenceSet(d.imm >> 4)},${fenceSet(d.imm)}`;
    default:
      return n;
  }
}

function fenceSet(v: number): string {
  const s = (v & 8 ? "i" : "") + (v & 4 ? "o" : "") + (v & 2 ? "r" : "") +
    (v & 1 ? "w" : "");
  return s || "0";
}

function formatOf(name: string): string {
  let f = FORMAT_OF.get(name);
  if (f === undefined) {
    // Decode each table row's own match word once to learn its format.
    f = lookupFormat(name);
    FORMAT_OF.set(name, f);
  }
  return f;
}

function lookupFormat(name: string): string {
  for (const t of TABLES32) {
    for (const r of t) if (r.name === name) return r.format;
  }
  return "N";
}

/**
 * Disassembles a raw word, or `(illegal)` when it does not decode.
 *
 * @example
 * ```ts
 * import { disassembleWord } from "./disasm.ts";
 * console.log(disassembleWord(0x00000073, 0)); // "ecall"
 * console.log(disassembleWord(0xffffffff, 0)); // "(illegal)"
 * ```
 */
export function disassembleWord(word: number, pc: number): string {
  const d = decode(word);
  return d === undefined ? "(illegal)" : disassemble(d, pc);
}
