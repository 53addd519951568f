/**
 * Semantics of Zicsr (Unprivileged ISA, chapter 7) for the user-level CSRs
 * a Linux program can touch, and of Zifencei's `fence.i` (chapter 6).
 *
 * @module
 */

import { Exit } from "../exit.ts";
import type { ZicsrName } from "../isa/mod.ts";
import type { Decoded } from "../isa/types.ts";
import { type ExecFn, type Hart, setNum } from "./_hart.ts";

/** Floating-point accrued exceptions (Unpriv. 20.2). */
export const CSR_FFLAGS = 0x001;
/** Floating-point dynamic rounding mode (Unpriv. 20.2). */
export const CSR_FRM = 0x002;
/** fflags and frm together: frm << 5 | fflags (Unpriv. 20.2). */
export const CSR_FCSR = 0x003;
/** Cycle counter, read-only (Unpriv. 8.1, Zicntr). */
export const CSR_CYCLE = 0xc00;
/** Real-time counter, read-only (Unpriv. 8.1, Zicntr). */
export const CSR_TIME = 0xc01;
/** Instructions-retired counter, read-only (Unpriv. 8.1, Zicntr). */
export const CSR_INSTRET = 0xc02;

/** Frequency of the `time` CSR: 10 MHz, as Linux reports on QEMU virt. */
const TIME_HZ = 10_000_000;

/**
 * Reads a CSR, or returns undefined when it does not exist. `cycle` and
 * `instret` count the instructions begun before this one.
 */
function readCsr(h: Hart, csr: number): number | undefined {
  switch (csr) {
    case CSR_FFLAGS:
      return h.cpu.fflags;
    case CSR_FRM:
      return h.cpu.frm;
    case CSR_FCSR:
      return (h.cpu.frm << 5) | h.cpu.fflags;
    case CSR_CYCLE:
    case CSR_INSTRET:
      return h.instret - 1;
    case CSR_TIME:
      return Math.floor(performance.now() * (TIME_HZ / 1000));
  }
  return undefined;
}

/** Writes a CSR; false when it is read-only or unknown. */
function writeCsr(h: Hart, csr: number, v: number): boolean {
  switch (csr) {
    case CSR_FFLAGS:
      h.cpu.fflags = v & 0x1f;
      return true;
    case CSR_FRM:
      h.cpu.frm = v & 7;
      return true;
    case CSR_FCSR:
      h.cpu.fflags = v & 0x1f;
      h.cpu.frm = (v >>> 5) & 7;
      return true;
  }
  return false;
}

/**
 * One CSR instruction: `src` is the operand (register low word or uimm),
 * `write` whether it writes at all, `combine` the new value.
 */
const csrOp = (
  operand: (h: Hart, d: Decoded) => number,
  writes: (h: Hart, d: Decoded) => boolean,
  combine: (old: number, v: number) => number,
): ExecFn =>
(h, d) => {
  const old = readCsr(h, d.csr);
  if (old === undefined) return Exit.ILLEGAL;
  const v = operand(h, d);
  if (writes(h, d) && !writeCsr(h, d.csr, combine(old, v))) return Exit.ILLEGAL;
  setNum(h, d.rd, old);
  return 0;
};

/** The low word of rs1 (the writable CSRs are all narrower than 32 bits). */
const reg = (h: Hart, d: Decoded) => h.x32[2 * d.rs1];
const uimm = (_h: Hart, d: Decoded) => d.imm;
const always = () => true;

/**
 * Zicsr and Zifencei semantics, keyed by mnemonic.
 *
 * @example
 * ```ts
 * import { EXEC_ZICSR } from "./exec_zicsr.ts";
 * console.log(typeof EXEC_ZICSR.csrrw); // "function"
 * ```
 */
export const EXEC_ZICSR: Record<ZicsrName, ExecFn> = {
  "fence.i": () => Exit.FENCE_I,
  csrrw: csrOp(reg, always, (_o, v) => v),
  csrrs: csrOp(reg, (_h, d) => d.rs1 !== 0, (o, v) => o | v),
  csrrc: csrOp(reg, (_h, d) => d.rs1 !== 0, (o, v) => o & ~v),
  csrrwi: csrOp(uimm, always, (_o, v) => v),
  csrrsi: csrOp(uimm, (_h, d) => d.imm !== 0, (o, v) => o | v),
  csrrci: csrOp(uimm, (_h, d) => d.imm !== 0, (o, v) => o & ~v),
};
