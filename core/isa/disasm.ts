/**
 * An objdump-like disassembler (`objdump -d -M no-aliases` style, with
 * absolute `0x` branch targets).
 *
 * @module
 */

import { ABI, csrName, FABI, fenceSet, hasRm, RM } from "./_names.ts";
import { decode } from "./decode.ts";
import type { Decoded, RegFile } from "./types.ts";

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

/** Conversions that are exact never print a rounding mode (objdump does so). */
const EXACT = new Set(["fcvt.d.s", "fcvt.d.w", "fcvt.d.wu"]);

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
  const n = d.name, spec = d.spec, x = abiName;
  const reg = (file: RegFile | undefined, r: number) =>
    file === "f" ? fpName(r) : abiName(r);
  const rd = reg(spec.regs.rd, d.rd), rs1 = reg(spec.regs.rs1, d.rs1);
  const rs2 = reg(spec.regs.rs2, d.rs2);
  const rm = hasRm(spec) && d.rm !== 7 && !EXACT.has(n) ? `,${RM[d.rm]}` : "";
  switch (spec.format) {
    case "R":
      return `${n} ${rd},${rs1},${rs2}`;
    case "RM":
      return `${n} ${rd},${rs1},${rs2}${rm}`;
    case "R4":
      return `${n} ${rd},${rs1},${rs2},${reg(spec.regs.rs3, d.rs3)}${rm}`;
    case "R1":
      return `${n} ${rd},${rs1}${rm}`;
    case "I":
      return spec.mem !== null || spec.flow === "indirect"
        ? `${n} ${rd},${d.imm}(${x(d.rs1)})`
        : `${n} ${rd},${rs1},${d.imm}`;
    case "SH":
    case "SHW":
      return `${n} ${rd},${rs1},${hex(d.imm)}`;
    case "S":
      return `${n} ${rs2},${d.imm}(${x(d.rs1)})`;
    case "B":
      return `${n} ${rs1},${rs2},${target(pc + d.imm)}`;
    case "U":
      return `${n} ${rd},${hex((d.imm >>> 12) & 0xfffff)}`;
    case "J":
      return `${n} ${rd},${target(pc + d.imm)}`;
    case "CSR":
      return `${n} ${rd},${csrName(d.csr)},${rs1}`;
    case "CSRI":
      return `${n} ${rd},${csrName(d.csr)},${d.imm}`;
    case "A": {
      const sfx = (d.aq ? "aq" : "") + (d.rl ? "rl" : "");
      const m = sfx ? `${n}.${sfx}` : n;
      return spec.regs.rs2 === undefined
        ? `${m} ${rd},(${rs1})`
        : `${m} ${rd},${rs2},(${rs1})`;
    }
    case "FENCE":
      return `fence ${fenceSet(d.imm >> 4)},${fenceSet(d.imm)}`;
    case "N":
      return n;
  }
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
