/**
 * What one decoded instruction is, as plain data: its mnemonic, operands
 * with their roles, disassembly, control-flow kind, static target, memory
 * access and, for `ecall`, the system-call registers. All of it comes from
 * the instruction's table row; the result crosses `structuredClone` and
 * `postMessage` intact, so code outside the core never decodes RISC-V.
 *
 * @module
 */

import { ABI, csrName, FABI, fenceSet, hasRm, RM } from "./_names.ts";
import { disassemble } from "./disasm.ts";
import {
  LINUX_SYSCALL_ABI,
  type RegRef,
  type SyscallAbi,
} from "./syscall_abi.ts";
import type { Decoded, Ext, Format, MemAccess, RegFile } from "./types.ts";

/**
 * What an instruction does to control flow. The table row gives the class;
 * for `jal`/`jalr` the link-register rule of the RISC-V return-address
 * stack hints (Unpriv. 2.5.1, table 3) picks call, return or jump, with x1
 * (`ra`) and x5 (`t0`) as link registers:
 *
 * - `"call"`: `jal`/`jalr` writing a link register (`jal ra`, `c.jalr`).
 * - `"return"`: `jalr` reading a link register and writing none (`c.jr ra`).
 * - `"jump"`: any other `jal` (`c.j`); `"indirect"`: any other `jalr`.
 * - `"branch"`: conditional (`beq`, `c.beqz`, ...).
 * - `"syscall"` (`ecall`), `"breakpoint"` (`ebreak`), `"fence.i"`.
 * - `"none"`: falls through to the next instruction.
 */
export type FlowKind =
  | "none"
  | "branch"
  | "jump"
  | "call"
  | "return"
  | "indirect"
  | "syscall"
  | "breakpoint"
  | "fence.i";

/** A register operand. */
export interface RegOperand {
  /** Discriminant. */
  readonly kind: "reg";
  /** The encoding field it comes from. */
  readonly field: "rd" | "rs1" | "rs2" | "rs3";
  /** Integer (`x`) or FP (`f`) register. */
  readonly file: RegFile;
  /** `rd` is written, the sources are read. */
  readonly access: "read" | "write";
  /** Register number, 0..31. */
  readonly index: number;
  /** ABI name (`a0`, `fa0`). */
  readonly name: string;
}

/**
 * An immediate. `role`: `"offset"` is added to a base register (loads,
 * stores, `jalr`) or to the pc (branches, `jal`; see `InsnFacts.target`);
 * `"upper"` is already shifted left by 12 (`lui`, `auipc`); `"shamt"` a
 * shift amount; `"uimm"` the 5-bit immediate of a CSR instruction;
 * `"imm"` any other operand value.
 */
export interface ImmOperand {
  /** Discriminant. */
  readonly kind: "imm";
  /** What the value means. */
  readonly role: "imm" | "offset" | "upper" | "shamt" | "uimm";
  /** Sign-extended value. */
  readonly value: number;
}

/** A CSR operand, and whether this instruction reads and writes it (Unpriv. 7.1). */
export interface CsrOperand {
  /** Discriminant. */
  readonly kind: "csr";
  /** CSR number. */
  readonly index: number;
  /** Its name (`fflags`), or the number in hex. */
  readonly name: string;
  /** The CSR is read (csrrw/csrrwi with rd = x0 do not read it). */
  readonly read: boolean;
  /** The CSR is written (csrrs/csrrc with a zero source do not write it). */
  readonly write: boolean;
}

/** The rounding-mode field of an FP instruction (Unpriv. 20.2). */
export interface RmOperand {
  /** Discriminant. */
  readonly kind: "rm";
  /** Field value; 7 is dynamic (`frm`). */
  readonly value: number;
  /** `rne`, `rtz`, `rdn`, `rup`, `rmm`, `dyn` (5, 6: `rm5`, `rm6`, reserved). */
  readonly name: string;
}

/** A fence's ordering sets (Unpriv. 2.7), as objdump prints them. */
export interface FenceOperand {
  /** Discriminant. */
  readonly kind: "fence";
  /** Predecessor set (`iorw`, `rw`, `0`). */
  readonly pred: string;
  /** Successor set. */
  readonly succ: string;
}

/** The ordering bits of an atomic (Unpriv. 14.2). */
export interface OrderOperand {
  /** Discriminant. */
  readonly kind: "order";
  /** Acquire. */
  readonly aq: boolean;
  /** Release. */
  readonly rl: boolean;
}

/** One operand, by kind. */
export type InsnOperand =
  | RegOperand
  | ImmOperand
  | CsrOperand
  | RmOperand
  | FenceOperand
  | OrderOperand;

/** A memory access: at `x[base] + offset`, `width` bytes. */
export interface MemFacts extends MemAccess {
  /** The base address register. */
  readonly base: RegRef;
  /** Added to it (0 for atomics). */
  readonly offset: number;
}

/** The facts of one instruction at one address. */
export interface InsnFacts {
  /** Guest address. */
  readonly pc: number;
  /** Length in bytes. */
  readonly size: 2 | 4;
  /** The instruction bits (16 or 32 significant bits). */
  readonly raw: number;
  /** Base mnemonic (`addi`, also for `c.addi`). */
  readonly mnemonic: string;
  /** Compressed mnemonic (`c.addi`), or null for a 32-bit instruction. */
  readonly compressed: string | null;
  /** Extension of the base instruction. */
  readonly ext: Ext;
  /** Encoding format of the base instruction. */
  readonly format: Format;
  /** Disassembly, objdump style (`-M no-aliases`, absolute targets). */
  readonly disasm: string;
  /** Registers (destination first, then sources), then other operands. */
  readonly operands: readonly InsnOperand[];
  /** Control-flow kind. */
  readonly flow: FlowKind;
  /** Static target of a branch or `jal` (pc + offset), else null. */
  readonly target: number | null;
  /** Address of the next instruction (the fall-through, and a call's return address). */
  readonly next: number;
  /** Data memory access, or null. */
  readonly mem: MemFacts | null;
  /** For `ecall`: where Linux riscv64 takes the call's number and arguments. */
  readonly syscall: SyscallAbi | null;
}

/** Link registers of the return-address-stack hints: x1 (ra), x5 (t0). */
const isLink = (r: number) => r === 1 || r === 5;

/** The refined control-flow kind of `d`. */
function flowOf(d: Decoded): FlowKind {
  const flow = d.spec.flow;
  if (flow === "direct") return isLink(d.rd) ? "call" : "jump";
  if (flow === "indirect") {
    if (isLink(d.rd)) return "call";
    return isLink(d.rs1) ? "return" : "indirect";
  }
  return flow;
}

function reg(
  field: RegOperand["field"],
  file: RegFile | undefined,
  index: number,
  into: InsnOperand[],
): void {
  if (file === undefined) return;
  into.push({
    kind: "reg",
    field,
    file,
    access: field === "rd" ? "write" : "read",
    index,
    name: file === "f" ? FABI[index] : ABI[index],
  });
}

/** The immediate's role by format (none for formats without one). */
function immRole(d: Decoded): ImmOperand["role"] | undefined {
  switch (d.spec.format) {
    case "I":
      return d.spec.mem !== null || d.spec.flow === "indirect"
        ? "offset"
        : "imm";
    case "S":
    case "B":
    case "J":
      return "offset";
    case "U":
      return "upper";
    case "SH":
    case "SHW":
      return "shamt";
    case "CSRI":
      return "uimm";
  }
  return undefined;
}

function operands(d: Decoded): InsnOperand[] {
  const { regs, format } = d.spec;
  const ops: InsnOperand[] = [];
  reg("rd", regs.rd, d.rd, ops);
  reg("rs1", regs.rs1, d.rs1, ops);
  reg("rs2", regs.rs2, d.rs2, ops);
  reg("rs3", regs.rs3, d.rs3, ops);
  const role = immRole(d);
  if (role !== undefined) ops.push({ kind: "imm", role, value: d.imm });
  if (format === "CSR" || format === "CSRI") {
    // funct3 bits 1:0: 1 read/write, 2 set, 3 clear (Unpriv. 7.1).
    const write = ((d.spec.match >>> 12) & 3) === 1;
    const source = format === "CSR" ? d.rs1 : d.imm;
    ops.push({
      kind: "csr",
      index: d.csr,
      name: csrName(d.csr),
      read: !write || d.rd !== 0,
      write: write || source !== 0,
    });
  }
  if (hasRm(d.spec)) ops.push({ kind: "rm", value: d.rm, name: RM[d.rm] });
  if (format === "FENCE") {
    ops.push({
      kind: "fence",
      pred: fenceSet(d.imm >> 4),
      succ: fenceSet(d.imm),
    });
  }
  if (format === "A") ops.push({ kind: "order", aq: d.aq, rl: d.rl });
  return ops;
}

/** The facts that do not depend on the address, kept per decoded instruction. */
type Fixed = Omit<InsnFacts, "pc" | "target" | "next" | "disasm"> & {
  /** The disassembly when it names no pc-relative target, else null. */
  readonly disasm: string | null;
};

/**
 * Decoded instructions are shared per instruction word (the decoder
 * memoizes them), so this holds one entry per distinct word translated.
 */
const FIXED = new WeakMap<Decoded, Fixed>();

function fixedFacts(d: Decoded): Fixed {
  const spec = d.spec, mem = spec.mem;
  const pcRelative = spec.flow === "branch" || spec.flow === "direct";
  return Object.freeze({
    size: d.size,
    raw: d.raw,
    mnemonic: d.name,
    compressed: d.cname ?? null,
    ext: spec.ext,
    format: spec.format,
    disasm: pcRelative ? null : disassemble(d, 0),
    operands: Object.freeze(operands(d).map((o) => Object.freeze(o))),
    flow: flowOf(d),
    mem: mem === null ? null : Object.freeze({
      load: mem.load,
      store: mem.store,
      width: mem.width,
      signed: mem.signed,
      base: Object.freeze({ index: d.rs1, name: ABI[d.rs1] }),
      offset: spec.format === "A" ? 0 : d.imm,
    }),
    syscall: spec.flow === "syscall" ? LINUX_SYSCALL_ABI : null,
  });
}

/**
 * The facts of decoded instruction `d` at guest address `pc`, as a plain
 * object (strings, numbers, booleans, arrays, null): safe to
 * `structuredClone` and to post to a Worker.
 *
 * @example
 * ```ts
 * import { decode } from "./decode.ts";
 * import { insnFacts } from "./insn_facts.ts";
 * const call = insnFacts(decode(0x008000ef)!, 0x1000); // jal ra,0x1008
 * console.log(call.flow, call.target, call.next); // call 4104 4100
 * const ret = insnFacts(decode(0x8082)!, 0x2000); // c.jr ra
 * console.log(ret.mnemonic, ret.compressed, ret.flow); // jalr c.jr return
 * const ld = insnFacts(decode(0xff843503)!, 0); // ld a0,-8(s0)
 * console.log(ld.mem?.load, ld.mem?.width, ld.mem?.base.name, ld.mem?.offset); // true 8 s0 -8
 * const ecall = insnFacts(decode(0x00000073)!, 0);
 * console.log(ecall.flow, ecall.syscall?.number.name); // syscall a7
 * ```
 */
export function insnFacts(d: Decoded, pc: number): InsnFacts {
  let f = FIXED.get(d);
  if (f === undefined) FIXED.set(d, f = fixedFacts(d));
  const pcRelative = f.disasm === null;
  return {
    pc,
    size: f.size,
    raw: f.raw,
    mnemonic: f.mnemonic,
    compressed: f.compressed,
    ext: f.ext,
    format: f.format,
    disasm: f.disasm ?? disassemble(d, pc),
    operands: f.operands,
    flow: f.flow,
    target: pcRelative ? pc + d.imm : null,
    next: pc + d.size,
    mem: f.mem,
    syscall: f.syscall,
  };
}
