/**
 * Plan merging: how one plugin's validated translation plan (wire/plan.ts)
 * becomes instrumentation of core's seam, addressing that plugin's board
 * and its host-only ring header, with its callback ids packed (wire/ids.ts).
 * Pure functions; the plugin set merges every plugin's plan into one.
 *
 * @module
 */

import {
  type ExecCall,
  findRegister,
  type InlineOp,
  type MemPlan,
  type PointPlan,
  type RecordField,
  type RecordOp,
} from "../../core/mod.ts";
import {
  EXEC_RECORD,
  MEM_INFO_SHIFT,
  MEM_RECORD,
  RING_HEADER,
  SCOREBOARD_BASE,
  SCOREBOARD_END,
} from "../wire/board.ts";
import { isCallbackId, packId } from "../wire/ids.ts";
import type { PlanLimits, PlanReq, PointReq } from "../wire/plan.ts";
import { type Access, CAN_READ, CAN_WRITE } from "../wire/replies.ts";

/** A block's plan as the plugins' requests are merged into it. */
export interface MergedPlan {
  /** Before the block. */
  block: PointPlan;
  /** Before instruction i. */
  insns: Map<number, PointPlan>;
  /** Memory hooks of instruction i. */
  mem: Map<number, MemPlan[]>;
  /** Records written when the block leaves. */
  exit: RecordOp[];
}

/** A plan with nothing in it yet. */
export function emptyPlan(): MergedPlan {
  return { block: {}, insns: new Map(), mem: new Map(), exit: [] };
}

/** What a plugin's plans may address (wire/plan.ts). */
export const PLAN_LIMITS: PlanLimits = {
  scoreStart: SCOREBOARD_BASE,
  scoreEnd: SCOREBOARD_END,
  isId: isCallbackId,
  isReg: (name) => {
    const r = findRegister(name);
    return r !== undefined && (r.x !== undefined || r.f !== undefined);
  },
};

/**
 * The sync exec calls of a plan with the access each asks for. One id has
 * one access: what translated code reloads after the call (rw) is what the
 * host lets the callback write.
 */
export function syncCalls(req: PlanReq): [number, Access][] {
  const out: [number, Access][] = [];
  const add = (pt: PointReq | undefined) => {
    for (const c of pt?.calls ?? []) {
      out.push([
        c.id,
        c.access === "rw"
          ? CAN_READ | CAN_WRITE
          : c.access === "none"
          ? 0
          : CAN_READ,
      ]);
    }
  };
  add(req.block);
  for (const [, pt] of req.insns) add(pt);
  return out;
}

/** Board index of plugin `i`'s board; its ring header memory is the next. */
export const boardOf = (i: number) => 2 * i;

/**
 * Merges plugin `index`'s plan `req` into `plan`.
 *
 * @example
 * ```ts
 * import { emptyPlan, mergePlan } from "./plan_merge.ts";
 * const plan = emptyPlan();
 * mergePlan(plan, 1, { insns: [[0, { calls: [{ id: 3, access: "read" }] }]], mem: [] });
 * console.log(plan.insns.get(0)?.calls?.[0].id); // 1048579
 * ```
 */
export function mergePlan(
  plan: MergedPlan,
  index: number,
  req: PlanReq,
): void {
  const into = (target: PointPlan, src: PointReq): PointPlan => ({
    calls: [...(target.calls ?? []), ...calls(index, src)],
    inline: [...(target.inline ?? []), ...inlineOps(index, src)],
  });
  if (req.block) plan.block = into(plan.block, req.block);
  for (const [i, src] of req.insns) {
    plan.insns.set(i, into(plan.insns.get(i) ?? {}, src));
  }
  if (req.compact !== undefined) {
    // One record per block run for the plugin's per-instruction events.
    plan.exit.push({
      op: "record",
      board: boardOf(index),
      header: boardOf(index) + 1,
      ring: RING_HEADER,
      size: EXEC_RECORD,
      fields: [
        { offset: 0, width: 4, src: "const", value: req.compact },
        { offset: 4, width: 4, src: "executed" },
        { offset: 8, width: 8, src: "icount0" },
      ],
    });
  }
  for (const [i, mems] of req.mem) {
    const list = plan.mem.get(i) ?? [];
    for (const m of mems) list.push(memPlan(index, m));
    plan.mem.set(i, list);
  }
}

function calls(index: number, src: PointReq): ExecCall[] {
  return (src.calls ?? []).map((c) => call(index, c));
}

function call(
  index: number,
  c: NonNullable<PointReq["calls"]>[number],
): ExecCall {
  return {
    id: packId(index, c.id),
    regs: c.access === "rw" ? "rw" : c.access === "none" ? "none" : "read",
    cond: c.cond && {
      board: boardOf(index),
      offset: c.cond.offset,
      cmp: c.cond.cmp as "eq",
      value: BigInt(c.cond.value),
    },
  };
}

function inlineOps(index: number, src: PointReq): InlineOp[] {
  const ops: InlineOp[] = (src.inline ?? []).map((o) => ({
    op: o.op,
    board: boardOf(index),
    offset: o.offset,
    value: BigInt(o.value),
  }));
  for (const r of src.recs ?? []) {
    const fields: RecordField[] = [
      { offset: 0, width: 4, src: "const", value: r.id },
      { offset: 4, width: 4, src: "pc" },
      { offset: 8, width: 8, src: "icount" },
    ];
    r.regs.forEach((name, k) => {
      const info = findRegister(name);
      if (!info || (info.x === undefined && info.f === undefined)) {
        throw new RangeError(
          `cannot capture register "${name}" in batched events (use x0-x31, f0-f31 or ABI names)`,
        );
      }
      fields.push({
        offset: EXEC_RECORD + 8 * k,
        width: 8,
        src: info.x !== undefined ? "x" : "f",
        reg: info.x ?? info.f,
      });
    });
    ops.push({
      op: "record",
      board: boardOf(index),
      header: boardOf(index) + 1,
      ring: RING_HEADER,
      size: EXEC_RECORD + 8 * r.regs.length,
      fields,
    });
  }
  return ops;
}

function memPlan(
  index: number,
  m: {
    id?: number;
    mode: string;
    when: "r" | "w" | "rw";
    inline?: { op: "add"; offset: number; value: string };
  },
): MemPlan {
  if (m.mode === "inline" && m.inline) {
    return {
      id: 0,
      when: m.when,
      call: false,
      inline: [{
        op: "add",
        board: boardOf(index),
        offset: m.inline.offset,
        value: BigInt(m.inline.value),
      }],
    };
  }
  if (m.mode === "sync") {
    return { id: packId(index, m.id ?? 0), when: m.when };
  }
  return {
    id: 0,
    when: m.when,
    call: false,
    inline: [{
      op: "record",
      board: boardOf(index),
      header: boardOf(index) + 1,
      ring: RING_HEADER,
      size: MEM_RECORD,
      fields: [
        {
          offset: 0,
          width: 4,
          src: "info",
          value: m.id ?? 0,
          shift: MEM_INFO_SHIFT,
        },
        { offset: 4, width: 4, src: "addr" },
        { offset: 8, width: 8, src: "value" },
      ],
    }],
  };
}
