/**
 * Row shapes shared by the ISA tables: a row is its name and bit pattern
 * plus one of these (format, extension, control flow, register roles and
 * memory access), so every row states all of them and a row without one
 * fails to type-check.
 *
 * @module
 */

import type {
  Ext,
  Format,
  InsnSpec,
  MemAccess,
  RegRoles,
  RowFlow,
} from "./types.ts";

/** Everything a row says besides its name and bit pattern. */
export type Shape = Omit<InsnSpec, "name" | "mask" | "match">;

/** A row shape. */
export function shape(
  ext: Ext,
  format: Format,
  regs: RegRoles,
  mem: MemAccess | null = null,
  flow: RowFlow = "none",
): Shape {
  return { format, ext, flow, regs, mem };
}

/** A load of `width` bytes (sign-extending into a 64-bit rd when `signed`). */
export function load(width: MemAccess["width"], signed = false): MemAccess {
  return { load: true, store: false, width, signed };
}

/** A store of `width` bytes. */
export function store(width: MemAccess["width"]): MemAccess {
  return { load: false, store: true, width, signed: false };
}

/** rd, rs1, rs2 all integer. */
export const XXX: RegRoles = { rd: "x", rs1: "x", rs2: "x" };
/** rd, rs1 integer. */
export const XX: RegRoles = { rd: "x", rs1: "x" };
/** rs1, rs2 integer (stores, branches). */
export const SXX: RegRoles = { rs1: "x", rs2: "x" };

/** The shapes of one FP precision's rows. */
export interface FpShapes {
  /** flw/fld: fd <- mem[x[rs1] + imm]. */
  readonly LOAD: Shape;
  /** fsw/fsd: mem[x[rs1] + imm] <- fs2. */
  readonly STORE: Shape;
  /** Fused multiply-add: fd <- fs1, fs2, fs3, rounded. */
  readonly FMA: Shape;
  /** fd <- fs1 op fs2, rounded. */
  readonly ARITH: Shape;
  /** fd <- fs1 op fs2, not rounded (sign injection, min/max). */
  readonly PICK: Shape;
  /** rd <- fs1 cmp fs2. */
  readonly CMP: Shape;
  /** fd <- op fs1 (sqrt, conversions between precisions). */
  readonly F_F: Shape;
  /** rd <- op fs1 (to integer, fmv.x, fclass). */
  readonly X_F: Shape;
  /** fd <- op rs1 (from integer, fmv from x). */
  readonly F_X: Shape;
}

/**
 * The shapes of one FP precision's rows (Unpriv. 20 and 21): `width` is
 * the size of its loads and stores.
 */
export function fpShapes(ext: "F" | "D", width: 4 | 8): FpShapes {
  return {
    /** flw/fld: fd <- mem[x[rs1] + imm]. */
    LOAD: shape(ext, "I", { rd: "f", rs1: "x" }, load(width)),
    /** fsw/fsd: mem[x[rs1] + imm] <- fs2. */
    STORE: shape(ext, "S", { rs1: "x", rs2: "f" }, store(width)),
    /** Fused multiply-add: fd <- fs1, fs2, fs3, rounded. */
    FMA: shape(ext, "R4", { rd: "f", rs1: "f", rs2: "f", rs3: "f" }),
    /** fd <- fs1 op fs2, rounded. */
    ARITH: shape(ext, "RM", { rd: "f", rs1: "f", rs2: "f" }),
    /** fd <- fs1 op fs2, not rounded (sign injection, min/max). */
    PICK: shape(ext, "R", { rd: "f", rs1: "f", rs2: "f" }),
    /** rd <- fs1 cmp fs2. */
    CMP: shape(ext, "R", { rd: "x", rs1: "f", rs2: "f" }),
    /** fd <- op fs1 (sqrt, conversions between precisions). */
    F_F: shape(ext, "R1", { rd: "f", rs1: "f" }),
    /** rd <- op fs1 (to integer, fmv.x, fclass). */
    X_F: shape(ext, "R1", { rd: "x", rs1: "f" }),
    /** fd <- op rs1 (from integer, fmv from x). */
    F_X: shape(ext, "R1", { rd: "f", rs1: "x" }),
  };
}
