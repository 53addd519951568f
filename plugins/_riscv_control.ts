/**
 * Classifies RISC-V jumps as calls, returns and plain jumps from the core's
 * instruction facts (`insn.facts.flow`), which apply the calling
 * convention's link-register rule (RISC-V unprivileged spec, section 2.5
 * "Control Transfer Instructions", table "Return-address stack prediction
 * hints"): a `jal`/`jalr` whose rd is a link register (x1 `ra` or x5 `t0`)
 * is a call; a `jalr` whose rs1 is a link register and rd is not is a
 * return; anything else is a jump. Shared by `callstack` and
 * `cache_by_function`, so both see the same edges.
 *
 * @module
 */

import { ABI_NAMES, type InsnFacts } from "../runtime/sdk/mod.ts";

/** What a control-flow instruction does to the call stack. */
export type FlowKind = "call" | "return" | "jump";

/** A `jal`/`jalr` (or compressed `c.j`, `c.jr`, `c.jalr`). */
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
export { ABI_NAMES };

/** The facts {@link classify} reads. */
export type JumpFacts = Pick<
  InsnFacts,
  "mnemonic" | "flow" | "operands" | "size"
>;

/**
 * The jump `f` describes, or undefined for anything else (branches,
 * `ecall` and straight-line code).
 *
 * @example
 * ```ts
 * import { classify } from "./_riscv_control.ts";
 * const ret = classify({
 *   mnemonic: "jalr", // c.jr ra
 *   flow: "return",
 *   size: 2,
 *   operands: [
 *     { kind: "reg", field: "rd", file: "x", access: "write", index: 0, name: "zero" },
 *     { kind: "reg", field: "rs1", file: "x", access: "read", index: 1, name: "ra" },
 *     { kind: "imm", role: "offset", value: 0 },
 *   ],
 * });
 * console.log(ret?.kind, ret?.rs1); // return 1
 * console.log(classify({ mnemonic: "addi", flow: "none", size: 4, operands: [] })); // undefined
 * ```
 */
export function classify(f: JumpFacts): Flow | undefined {
  const op = f.mnemonic;
  if (op !== "jal" && op !== "jalr") return undefined;
  let rd = 0, rs1 = 0, imm = 0;
  for (const o of f.operands) {
    if (o.kind === "reg" && o.field === "rd") rd = o.index;
    else if (o.kind === "reg" && o.field === "rs1") rs1 = o.index;
    else if (o.kind === "imm") imm = o.value;
  }
  const kind: FlowKind = f.flow === "call"
    ? "call"
    : f.flow === "return"
    ? "return"
    : "jump";
  return { kind, op, rd, rs1, imm, size: f.size };
}

/**
 * Where a jump goes: `pc + imm` for `jal`; for `jalr`, `(rs1 + imm) & ~1`
 * with `rs1` the register's value before the instruction.
 *
 * @example
 * ```ts
 * import { target } from "./_riscv_control.ts";
 * const jal = { kind: "call", op: "jal", rd: 1, rs1: 0, imm: 8, size: 4 } as const;
 * console.log(target(jal, 0x1000, 0n).toString(16)); // 1008
 * const jr = { kind: "return", op: "jalr", rd: 0, rs1: 1, imm: 0, size: 2 } as const;
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
 * import { changesStack } from "./_riscv_control.ts";
 * const j = { kind: "jump", op: "jal", rd: 0, rs1: 0, imm: 0, size: 2 } as const; // c.j +0
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
