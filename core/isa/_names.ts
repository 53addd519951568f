/**
 * Names the disassembler and the instruction facts share: ABI register
 * names, rounding modes, CSRs and fence sets.
 *
 * @module
 */

import type { InsnSpec } from "./types.ts";

/** Integer register ABI names, x0..x31 (RISC-V psABI, "Integer Register Convention"). */
export const ABI = [
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

/** FP register ABI names, f0..f31 (psABI, "Floating-point Register Convention"). */
export const FABI = [
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
export const RM = ["rne", "rtz", "rdn", "rup", "rmm", "rm5", "rm6", "dyn"];

/** CSR names the disassembler knows (Priv. 2.2, Table 3). */
export const CSR_NAMES: Record<number, string> = {
  0x001: "fflags",
  0x002: "frm",
  0x003: "fcsr",
  0xc00: "cycle",
  0xc01: "time",
  0xc02: "instret",
};

/** A fence's predecessor or successor set, as objdump prints it (`iorw`). */
export function fenceSet(v: number): string {
  const s = (v & 8 ? "i" : "") + (v & 4 ? "o" : "") + (v & 2 ? "r" : "") +
    (v & 1 ? "w" : "");
  return s || "0";
}

/** A CSR's name, or its number in hex. */
export function csrName(csr: number): string {
  return CSR_NAMES[csr] ?? "0x" + csr.toString(16);
}

/** True when the row has a rounding-mode field (funct3 free in an FP op format). */
export function hasRm(spec: InsnSpec): boolean {
  return (spec.format === "RM" || spec.format === "R4" ||
    spec.format === "R1") && (spec.mask & 0x7000) === 0;
}
