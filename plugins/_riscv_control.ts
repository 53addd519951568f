/**
 * Classifies RISC-V jumps as calls, returns and plain jumps from their raw
 * bytes, by the calling convention's link-register rule (RISC-V
 * unprivileged spec, section 2.5 "Control Transfer Instructions", table
 * "Return-address stack prediction hints"): a `jal`/`jalr` whose rd is a
 * link register (x1 `ra` or x5 `t0`) is a call; a `jalr` whose rs1 is a
 * link register and rd is not is a return; anything else is a jump. Shared
 * by `callstack` and `cache_by_function`, so both see the same edges.
 *
 * @module
 */

import { abiName } from "../runtime/sdk/mod.ts";

/** What a control-flow instruction does to the call stack. */
export type FlowKind = "call" | "return" | "jump";

/** A decoded `jal`/`jalr` (or compressed `c.j`, `c.jr`, `c.jalr`). */
export interface Flow {
  /** Call, return or jump. */
  readonly kind: FlowKind;
  /** The base instruction. */
  readonly op: "jal" | "jalr";
  /** Destination register. */
  readonly rd: number;
  /** Base register (`jalr` only; 0 for `jal`). */
  readonly rs1: number;
  /** Immediate: pc-relative for `jal`, added to rs1 for `jalr`. */
  readonly imm: number;
  /** Length in bytes (2 or 4); the return address is pc + size. */
  readonly size: number;
}

/** ABI names of x0..x31, for register capture (`regs` options). */
export const ABI_NAMES: readonly string[] = Array.from(
  { length: 32 },
  (_, r) => abiName(r),
);

const isLink = (r: number) => r === 1 || r === 5;

function flow(
  op: "jal" | "jalr",
  rd: number,
  rs1: number,
  imm: number,
  size: number,
): Flow {
  const kind: FlowKind = isLink(rd)
    ? "call"
    : op === "jalr" && isLink(rs1)
    ? "return"
    : "jump";
  return { kind, op, rd, rs1, imm, size };
}

/**
 * Decodes `bytes` (one instruction, little-endian) as a jump, or returns
 * undefined for anything else. RV64 has no `c.jal` (its encoding is
 * `c.addiw`), so a 16-bit call is only `c.jalr`.
 *
 * @example
 * ```ts
 * import { classify } from "./_riscv_control.ts";
 * const w = (x: number) => new Uint8Array([x, x >>> 8, x >>> 16, x >>> 24]);
 * console.log(classify(w(0x008000ef))?.kind); // call    (jal ra, +8)
 * console.log(classify(w(0x00008067))?.kind); // return  (ret = jalr x0, 0(ra))
 * console.log(classify(new Uint8Array([0x82, 0x80]))?.kind); // return  (c.jr ra)
 * console.log(classify(w(0x00000513))); // undefined  (addi a0, x0, 0)
 * ```
 */
export function classify(bytes: Uint8Array): Flow | undefined {
  if (bytes.length >= 4 && (bytes[0] & 3) === 3) {
    const w = (bytes[0] | (bytes[1] << 8) | (bytes[2] << 16) |
      (bytes[3] << 24)) >>> 0;
    const rd = (w >>> 7) & 31;
    if ((w & 0x7f) === 0x6f) {
      // J-type: imm[20|10:1|11|19:12] in bits 31..12.
      let imm = ((w >>> 31) << 20) | (((w >>> 21) & 0x3ff) << 1) |
        (((w >>> 20) & 1) << 11) | (((w >>> 12) & 0xff) << 12);
      if (imm & 0x100000) imm -= 0x200000;
      return flow("jal", rd, 0, imm, 4);
    }
    if ((w & 0x7f) === 0x67 && ((w >>> 12) & 7) === 0) {
      return flow("jalr", rd, (w >>> 15) & 31, w >> 20, 4);
    }
    return undefined;
  }
  if (bytes.length < 2) return undefined;
  const h = bytes[0] | (bytes[1] << 8);
  const quadrant = h & 3, funct3 = h >>> 13;
  if (quadrant === 1 && funct3 === 5) {
    // c.j: offset[11|4|9:8|10|6|7|3:1|5] in bits 12..2.
    const b = (i: number) => (h >>> i) & 1;
    let imm = (b(12) << 11) | (b(11) << 4) | (((h >>> 9) & 3) << 8) |
      (b(8) << 10) | (b(7) << 6) | (b(6) << 7) | (((h >>> 3) & 7) << 1) |
      (b(2) << 5);
    if (imm & 0x800) imm -= 0x1000;
    return flow("jal", 0, 0, imm, 2);
  }
  if (quadrant === 2 && funct3 === 4) {
    const rs1 = (h >>> 7) & 31, rs2 = (h >>> 2) & 31;
    if (rs1 === 0 || rs2 !== 0) return undefined; // c.mv, c.add, c.ebreak
    return flow("jalr", (h >>> 12) & 1 ? 1 : 0, rs1, 0, 2); // c.jalr : c.jr
  }
  return undefined;
}

/**
 * Where a jump goes: `pc + imm` for `jal`; for `jalr`, `(rs1 + imm) & ~1`
 * with `rs1` the register's value before the instruction.
 *
 * @example
 * ```ts
 * import { classify, target } from "./_riscv_control.ts";
 * const jal = classify(new Uint8Array([0xef, 0x00, 0x80, 0x00]))!; // jal ra, +8
 * console.log(target(jal, 0x1000, 0n).toString(16)); // 1008
 * const jr = classify(new Uint8Array([0x82, 0x80]))!; // c.jr ra
 * console.log(target(jr, 0x1000, 0x2345n).toString(16)); // 2344
 * ```
 */
export function target(f: Flow, pc: number, rs1: bigint): number {
  if (f.op === "jal") return pc + f.imm;
  return Number(BigInt.asUintN(64, rs1 + BigInt(f.imm)) & ~1n);
}

/**
 * Whether an executed jump changes the call stack: calls and returns
 * always, plain jumps only when they land on a function's entry (a tail
 * call). `callstack` runs one event for each such jump.
 *
 * @example
 * ```ts
 * import { changesStack, classify } from "./_riscv_control.ts";
 * const j = classify(new Uint8Array([0x01, 0xa0]))!; // c.j +0
 * const entries = new Set([0x2000]);
 * console.log(changesStack(j, 0x2000, entries), changesStack(j, 0x2010, entries)); // true false
 * ```
 */
export function changesStack(
  f: Flow,
  to: number,
  entries: ReadonlySet<number>,
): boolean {
  return f.kind !== "jump" || entries.has(to);
}
