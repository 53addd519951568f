/**
 * A block's instrumentation plan as a plugin's Worker sends it to the host.
 *
 * @module
 */

/** A sync call or record request at one point, as sent to the host. */
export interface PointReq {
  /** Sync calls: callback id, register access, optional condition. */
  calls?: { id: number; access: string; cond?: CondReq }[];
  /** Batched records: callback id and captured register names. */
  recs?: { id: number; regs: string[] }[];
  /** Inline scoreboard operations. */
  inline?: { op: "add" | "store"; offset: number; value: string }[];
}

/** A scoreboard condition, as sent to the host. */
export interface CondReq {
  /** Byte offset of the slot in the board. */
  offset: number;
  /** Comparison. */
  cmp: string;
  /** Immediate, decimal. */
  value: string;
}

/** A memory registration, as sent to the host. */
export interface MemReq {
  /** Callback id (sync or batched). */
  id?: number;
  /** "batched" | "sync" | "inline". */
  mode: string;
  /** Which accesses. */
  when: "r" | "w" | "rw";
  /** Inline op for `mode: "inline"`. */
  inline?: { op: "add"; offset: number; value: string };
}

/** A block's instrumentation, as sent to the host. */
export interface PlanReq {
  /** Before the block. */
  block?: PointReq;
  /** Before instruction i. */
  insns: [number, PointReq][];
  /** Memory registrations of instruction i. */
  mem: [number, MemReq[]][];
  /**
   * The block-record handler standing for every batched per-instruction
   * record of the block: the host writes one record (handler, instructions
   * executed, icount at block start) when the block leaves.
   */
  compact?: number;
}

/** Scoreboard comparisons a condition may use. */
export const COND_OPS: ReadonlySet<string> = new Set([
  "eq",
  "ne",
  "lt",
  "le",
  "gt",
  "ge",
]);
/** Register access a sync call may ask for. */
export const CALL_ACCESS: ReadonlySet<string> = new Set(["none", "read", "rw"]);
/** Most registers one batched record may capture. */
export const MAX_RECORD_REGS = 64;

/** What a plan may address: the plugin's scoreboard area, its id range. */
export interface PlanLimits {
  /** First byte of the scoreboard area. */
  scoreStart: number;
  /** One past the last byte of the scoreboard area. */
  scoreEnd: number;
  /** Whether a callback id is this plugin's to use. */
  isId(id: unknown): boolean;
  /** Whether a register name can be captured in a record. */
  isReg(name: string): boolean;
}

type Obj = Record<string, unknown>;
/** A value in a message, safely (objects may lack a prototype). */
function show(v: unknown): string {
  if (typeof v === "object" && v !== null) {
    return Array.isArray(v) ? "a list" : "an object";
  }
  return typeof v === "symbol" ? "a symbol" : `${v as string}`.slice(0, 40);
}
const isObj = (v: unknown): v is Obj =>
  typeof v === "object" && v !== null && !Array.isArray(v);
/** A 64-bit immediate in decimal: signed or unsigned, no more digits than fit. */
const DECIMAL = /^-?\d{1,20}$/;
const I64_MIN = -(2n ** 63n), U64_MAX = 2n ** 64n - 1n;

function isValue(v: unknown): boolean {
  if (typeof v !== "string" || !DECIMAL.test(v)) return false;
  const n = BigInt(v);
  return n >= I64_MIN && n <= U64_MAX;
}

/**
 * Checks one reply to a `tb` request: one plan per block sent, each field
 * of the right type and in range (instruction indexes in the block,
 * scoreboard offsets 8-aligned inside the plugin's scoreboard area, ids in
 * the plugin's range, known comparisons, 64-bit decimal immediates).
 * Returns the plans, or what is wrong with them.
 *
 * @example
 * ```ts
 * import { validatePlans } from "./plan.ts";
 * const limits = {
 *   scoreStart: 4096,
 *   scoreEnd: 8192,
 *   isId: (id: unknown) => id === 0,
 *   isReg: () => true,
 * };
 * const ok = [{ insns: [[0, { calls: [{ id: 0, access: "read" }] }]], mem: [] }];
 * console.log(Array.isArray(validatePlans(ok, [1], limits))); // true
 * const bad = [{ insns: [[0, { inline: [{ op: "add", offset: 1e9, value: "1" }] }]], mem: [] }];
 * console.log(validatePlans(bad, [1], limits)); // "scoreboard offset 1000000000 is outside the plugin's scoreboards"
 * ```
 */
export function validatePlans(
  value: unknown,
  sizes: readonly number[],
  limits: PlanLimits,
): PlanReq[] | string {
  if (!Array.isArray(value) || value.length !== sizes.length) {
    return `a translation reply must hold ${sizes.length} plans`;
  }
  const offset = (o: unknown): string | undefined =>
    Number.isInteger(o) && (o as number) % 8 === 0 &&
      (o as number) >= limits.scoreStart && (o as number) + 8 <= limits.scoreEnd
      ? undefined
      : `scoreboard offset ${show(o)} is outside the plugin's scoreboards`;
  const id = (v: unknown) =>
    limits.isId(v) ? undefined : `callback id ${show(v)} is not the plugin's`;
  const imm = (v: unknown) =>
    isValue(v) ? undefined : `immediate ${show(v)} is not a 64-bit decimal`;
  const index = (i: unknown, n: number) =>
    Number.isInteger(i) && (i as number) >= 0 && (i as number) < n
      ? undefined
      : `instruction index ${show(i)} is not in the block`;
  const point = (p: unknown): string | undefined => {
    if (!isObj(p)) return "a plan point is not an object";
    const { calls, recs, inline } = p;
    for (const c of listOf(calls)) {
      if (!isObj(c)) return "a call is not an object";
      const e = id(c.id) ??
        (CALL_ACCESS.has(c.access as string)
          ? undefined
          : `register access ${show(c.access)} is not none, read or rw`);
      if (e) return e;
      if (c.cond !== undefined) {
        const k = c.cond as Obj;
        if (!isObj(k)) return "a condition is not an object";
        const e2 = offset(k.offset) ?? imm(k.value) ??
          (COND_OPS.has(k.cmp as string)
            ? undefined
            : `condition operator ${show(k.cmp)} is not one of ${
              [...COND_OPS].join(", ")
            }`);
        if (e2) return e2;
      }
    }
    for (const r of listOf(recs)) {
      if (!isObj(r)) return "a record is not an object";
      const e = id(r.id);
      if (e) return e;
      if (!Array.isArray(r.regs) || r.regs.length > MAX_RECORD_REGS) {
        return `a record captures at most ${MAX_RECORD_REGS} registers`;
      }
      for (const g of r.regs) {
        if (typeof g !== "string" || !limits.isReg(g)) {
          return `cannot capture register ${
            JSON.stringify(g)
          } in batched events (use x0-x31, f0-f31 or ABI names)`;
        }
      }
    }
    for (const o of listOf(inline)) {
      if (!isObj(o)) return "an inline op is not an object";
      if (o.op !== "add" && o.op !== "store") {
        return `inline op ${show(o.op)} is not add or store`;
      }
      const e = offset(o.offset) ?? imm(o.value);
      if (e) return e;
    }
    if (calls === null || recs === null || inline === null) {
      return "a plan point holds null";
    }
    return [calls, recs, inline].some((l) =>
        l !== undefined && !Array.isArray(l)
      )
      ? "a plan point's calls, recs and inline must be lists"
      : undefined;
  };
  for (let k = 0; k < sizes.length; k++) {
    const plan = value[k];
    if (!isObj(plan)) return "a plan is not an object";
    if (plan.block !== undefined) {
      const e = point(plan.block);
      if (e) return e;
    }
    if (!Array.isArray(plan.insns) || !Array.isArray(plan.mem)) {
      return "a plan's insns and mem must be lists";
    }
    for (const entry of plan.insns) {
      if (!Array.isArray(entry) || entry.length !== 2) {
        return "a plan's insns entry must be [index, point]";
      }
      const e = index(entry[0], sizes[k]) ?? point(entry[1]);
      if (e) return e;
    }
    for (const entry of plan.mem) {
      if (
        !Array.isArray(entry) || entry.length !== 2 || !Array.isArray(entry[1])
      ) return "a plan's mem entry must be [index, registrations]";
      const e = index(entry[0], sizes[k]);
      if (e) return e;
      for (const m of entry[1] as unknown[]) {
        if (!isObj(m)) return "a memory registration is not an object";
        if (m.when !== "r" && m.when !== "w" && m.when !== "rw") {
          return `memory access kind ${show(m.when)} is not r, w or rw`;
        }
        if (m.mode === "inline") {
          const o = m.inline as Obj;
          if (!isObj(o) || o.op !== "add") {
            return "an inline memory registration needs an add";
          }
          const e2 = offset(o.offset) ?? imm(o.value);
          if (e2) return e2;
        } else if (m.mode === "sync" || m.mode === "batched") {
          const e2 = id(m.id);
          if (e2) return e2;
        } else return `memory delivery mode ${show(m.mode)} is unknown`;
      }
    }
    if (plan.compact !== undefined) {
      const e = id(plan.compact);
      if (e) return e;
    }
  }
  return value as PlanReq[];
}

function listOf(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
