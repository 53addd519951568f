/**
 * The translation-time side of the plugin API, in the plugin's Worker: the
 * block and instruction handles `onTbTrans` receives, and the plan they
 * build (which callbacks, records and inline operations go where), sent
 * back to the host as a {@link PlanReq}.
 *
 * Handles are small class instances over the host's description, built per
 * block and cheap when a plugin looks at little (the `empty` plugin looks
 * at nothing): bytes, disassembly and decoding are computed on demand.
 *
 * @module
 */

import {
  EXEC_RECORD,
  execRecordSize,
  MAX_HANDLERS,
  MEM_RECORD,
} from "../wire/board.ts";
import type { InsnDesc } from "../wire/block.ts";
import type { MemReq, PlanReq, PointReq } from "../wire/plan.ts";
import type {
  Condition,
  ExecEvent,
  ExecOptions,
  InsnHandle,
  MemEvent,
  MemOptions,
  ScoreboardEntry,
  TbHandle,
} from "../sdk/plugin_api.ts";
import type { InsnFacts } from "../sdk/insn_facts.ts";

/**
 * The name of the symbol containing `pc`, if any.
 *
 * @example
 * ```ts
 * import { symbolAt } from "./tb_plan.ts";
 * const syms = [{ name: "main", addr: 0x1000, size: 0x40 }];
 * console.log(symbolAt(syms, 0x1010), symbolAt(syms, 0x2000)); // "main" undefined
 * ```
 */
export function symbolAt(
  syms: readonly { name: string; addr: number; size: number }[],
  pc: number,
): string | undefined {
  // Symbols sorted by address; the last one that starts at or before pc
  // and covers it.
  let lo = 0, hi = syms.length - 1, found: string | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = syms[mid];
    if (s.addr <= pc) {
      if (pc < s.addr + Math.max(s.size, 1)) found = s.name;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** A registered event callback, found by the id its records carry. */
export type Handler =
  | {
    kind: "exec";
    cb: (e: ExecEvent) => void;
    regs: string[];
    size: number;
  }
  | {
    kind: "mem";
    cb: (e: MemEvent) => void;
    size: number;
    /** The access site's pc (records do not carry it). */
    pc: number;
  }
  | {
    /** One record per block run, expanded into its instructions' events. */
    kind: "block";
    /** Instruction index of each entry (ascending). */
    at: Int32Array;
    /** The callback of each entry (the handlers' `cb`, looked up once). */
    cbs: ((e: ExecEvent) => void)[];
    /**
     * The guest pc of each entry. Guest addresses are below 4 GiB, and
     * small ones stay small integers in the events, so a plugin that keeps
     * `e.pc` in a variable does not allocate a number per event.
     */
    pcs: Uint32Array;
    /**
     * Entry k is instruction k, for every instruction, all with one callback
     * (the common case: a plugin registers one function for each
     * instruction): `cb` is that callback.
     */
    uniform: boolean;
    /** The callback of every entry, when `uniform`. */
    cb: (e: ExecEvent) => void;
    size: number;
  };

const NO_CB = () => {};
const NO_I32 = new Int32Array(0);
const NO_U32 = new Uint32Array(0);

/**
 * Gives every handler the same fields in the same order, so they share one
 * hidden class and the drain loop's `handlers[id]` lookups stay monomorphic
 * (three shapes cost ~9 ns a record there; session 3).
 */
function shaped(h: Handler): Handler {
  const a = h as Partial<Extract<Handler, { kind: "block" }>> & {
    cb?: (e: never) => void;
    regs?: string[];
  };
  return {
    kind: h.kind,
    cb: a.cb ?? NO_CB,
    regs: a.regs ?? [],
    size: h.size,
    at: a.at ?? NO_I32,
    cbs: a.cbs ?? [],
    pcs: a.pcs ?? NO_U32,
    uniform: a.uniform ?? false,
    pc: (h as { pc?: number }).pc ?? 0,
  } as Handler;
}

/**
 * What a freed id's handler becomes: an exec handler doing nothing, shaped
 * like every other (no record should name it; if one does, nothing runs).
 */
export const FREED: Handler = shaped({
  kind: "exec",
  cb: NO_CB,
  regs: [],
  size: EXEC_RECORD,
});

/** What a planner needs of its plugin: the callback table and board offsets. */
export interface PlanRegistry {
  /** Every callback registered so far; ids are indexes. */
  readonly handlers: Handler[];
  /** Ids freed (their blocks were dropped), reused before new ones. */
  readonly free?: number[];
  /** Byte offset in the board of one of this plugin's scoreboard entries. */
  offsetOf(e: ScoreboardEntry): number;
  /** The symbol containing `pc` (default: none known). */
  symbolAt?(pc: number): string | undefined;
  /**
   * The facts of every instruction of the block being planned, asked of
   * the host (default: none can be had).
   */
  factsOf?(): readonly InsnFacts[];
}

/**
 * Collects one block's instrumentation as `onTbTrans` callbacks register it.
 *
 * @example
 * ```ts
 * import { BlockPlanner, TbView } from "./tb_plan.ts";
 * const planner = new BlockPlanner({ handlers: [], offsetOf: () => 4096 });
 * const tb = new TbView(planner, 0x10000, [
 *   { pc: 0x10000, size: 4, bytes: [0x13, 0x05, 0x10, 0x00] }, // li a0, 1
 * ]);
 * tb.insn(0).onExec(() => {});
 * console.log(tb.insn(0).vaddr, planner.finish().insns.length); // 65536 1
 * ```
 */
export class BlockPlanner {
  /** The ids this block's registrations took (freed with the block). */
  readonly ids: number[] = [];
  private block: PointReq | undefined;
  private readonly points = new Map<number, PointReq>();
  private readonly mems = new Map<number, MemReq[]>();

  /** Starts an empty plan. */
  constructor(private readonly registry: PlanRegistry) {}

  /** The symbol containing `pc`, from the registry. */
  symbolAt(pc: number): string | undefined {
    return this.registry.symbolAt?.(pc);
  }

  /** The facts of the block's instructions, from the registry. */
  factsOf(): readonly InsnFacts[] {
    const f = this.registry.factsOf?.();
    if (!f) throw new Error("no instruction facts available");
    return f;
  }

  /**
   * The plan, as sent to the host. `pcs` are the block's instruction
   * addresses. When the block's only batched records are per-instruction
   * ones without registers, and the plugin has no sync call or memory
   * record in it, they become one block record (see `PlanReq.compact`):
   * one ring write per block run instead of one per instruction.
   */
  finish(pcs: readonly number[] = []): PlanReq {
    const plan: PlanReq = { insns: [], mem: [...this.mems] };
    for (const [i, list] of this.mems) {
      for (const m of list) {
        const h = m.id === undefined ? undefined : this.registry.handlers[m.id];
        if (h?.kind === "mem") h.pc = pcs[i] ?? 0;
      }
    }
    if (this.block) plan.block = this.block;
    if (this.compactable()) {
      const entries: [number, number][] = [];
      const sorted = [...this.points].sort((a, b) => a[0] - b[0]);
      for (const [k, p] of sorted) {
        for (const r of p.recs ?? []) entries.push([k, r.id]);
        delete p.recs;
      }
      const handlers = this.registry.handlers;
      const cbs = entries.map((e) => {
        const h = handlers[e[1]];
        if (h?.kind !== "exec") throw new Error(`no exec callback ${e[1]}`);
        return h.cb;
      });
      const uniform = entries.every((e, k) => e[0] === k) &&
        cbs.every((cb) => cb === cbs[0]);
      const block = shaped({
        kind: "block",
        at: Int32Array.from(entries, (e) => e[0]),
        cbs,
        pcs: Uint32Array.from(entries, (e) => pcs[e[0]] ?? 0),
        uniform,
        cb: uniform ? cbs[0] : NO_CB,
        size: EXEC_RECORD,
      });
      plan.compact = this.register(block);
    }
    for (const [k, p] of this.points) {
      if (p.calls?.length || p.recs?.length || p.inline?.length) {
        plan.insns.push([k, p]);
      }
    }
    return plan;
  }

  private compactable(): boolean {
    if (this.block?.recs?.length || this.block?.calls?.length) return false;
    let recs = 0;
    for (const p of this.points.values()) {
      if (p.calls?.length) return false;
      for (const r of p.recs ?? []) {
        if (r.regs.length > 0) return false;
        recs++;
      }
    }
    for (const ms of this.mems.values()) {
      if (ms.some((m) => m.mode !== "inline")) return false;
    }
    // A block of one record gains nothing.
    return recs > 1;
  }

  /** Adds a handler to the registry; returns its id. */
  private register(h: Handler): number {
    const handlers = this.registry.handlers;
    const reused = this.registry.free?.pop();
    if (reused !== undefined) {
      handlers[reused] = h;
      this.ids.push(reused);
      return reused;
    }
    if (handlers.length >= MAX_HANDLERS) {
      throw new RangeError(
        `more than ${MAX_HANDLERS} callbacks registered: register one function ` +
          "for many instructions rather than a closure for each",
      );
    }
    const id = handlers.push(h) - 1;
    this.ids.push(id);
    return id;
  }

  private point(i: number): PointReq {
    if (i < 0) return this.block ??= {};
    let p = this.points.get(i);
    if (!p) this.points.set(i, p = {});
    return p;
  }

  private memList(i: number): MemReq[] {
    let m = this.mems.get(i);
    if (!m) this.mems.set(i, m = []);
    return m;
  }

  /** `onExec` at point `i` (-1: the block). */
  onExec(i: number, cb: (e: ExecEvent) => void, opts: ExecOptions = {}): void {
    const p = this.point(i);
    if (opts.mode === "sync") {
      const id = this.register(shaped({ kind: "exec", cb, regs: [], size: 0 }));
      (p.calls ??= []).push({ id, access: opts.access ?? "read" });
    } else {
      const regs = [...(opts.regs ?? [])];
      const id = this.register(shaped({
        kind: "exec",
        cb,
        regs,
        size: execRecordSize(regs.length),
      }));
      (p.recs ??= []).push({ id, regs });
    }
  }

  /** `onExecIf` at point `i`. */
  onExecIf(
    i: number,
    cond: Condition,
    cb: (e: ExecEvent) => void,
    opts: ExecOptions = {},
  ): void {
    const id = this.register(shaped({ kind: "exec", cb, regs: [], size: 0 }));
    (this.point(i).calls ??= []).push({
      id,
      access: opts.access ?? "read",
      cond: {
        offset: this.registry.offsetOf(cond.entry),
        cmp: cond.op,
        value: String(cond.value),
      },
    });
  }

  /** An inline add or store at point `i`. */
  inline(
    i: number,
    op: "add" | "store",
    entry: ScoreboardEntry,
    value: number | bigint,
  ): void {
    (this.point(i).inline ??= []).push({
      op,
      offset: this.registry.offsetOf(entry),
      value: String(value),
    });
  }

  /** `onMem` on instruction `i`. */
  onMem(i: number, cb: (e: MemEvent) => void, opts: MemOptions = {}): void {
    const id = this.register(
      shaped({ kind: "mem", cb, size: MEM_RECORD, pc: 0 }),
    );
    this.memList(i).push({
      id,
      mode: opts.mode ?? "batched",
      when: opts.when ?? "rw",
    });
  }

  /** `inlineMemAdd` on instruction `i`. */
  inlineMemAdd(
    i: number,
    entry: ScoreboardEntry,
    value: number | bigint,
    when: "r" | "w" | "rw",
  ): void {
    this.memList(i).push({
      mode: "inline",
      when,
      inline: {
        op: "add",
        offset: this.registry.offsetOf(entry),
        value: String(value),
      },
    });
  }
}

/**
 * An instruction handle (QEMU's `qemu_plugin_insn`).
 *
 * @example
 * ```ts
 * import { BlockPlanner, InsnView } from "./tb_plan.ts";
 * const planner = new BlockPlanner({ handlers: [], offsetOf: () => 4096 });
 * const insn = new InsnView(planner, 0, {
 *   pc: 0x10000,
 *   size: 2,
 *   bytes: [0x05, 0x45], // c.li a0, 1
 * });
 * console.log(insn.vaddr, insn.size); // 65536 2
 * // insn.facts (and insn.disas, insn.mnemonic) come from the host, through
 * // the planner's registry (`factsOf`).
 * ```
 */
export class InsnView implements InsnHandle {
  /** Starts a handle on instruction `index` of the block `planner` plans. */
  constructor(
    private readonly planner: BlockPlanner,
    private readonly index: number,
    private readonly desc: InsnDesc,
  ) {}

  /** Guest virtual address. */
  get vaddr(): number {
    return this.desc.pc;
  }
  /** Host address: the guest address (flat memory). */
  get haddr(): number {
    return this.desc.pc;
  }
  /** Length in bytes. */
  get size(): number {
    return this.desc.size;
  }
  /** The raw bytes (a fresh copy). */
  get bytes(): Uint8Array {
    return Uint8Array.from(this.desc.bytes);
  }
  /** What the core decoded (asked of the host for the whole block once). */
  get facts(): InsnFacts {
    const d = this.desc;
    if (d.facts) return d.facts;
    const all = this.planner.factsOf();
    const f = all[this.index];
    if (!f || f.pc !== d.pc || f.size !== d.size) {
      throw new Error(`no facts for the instruction at 0x${d.pc.toString(16)}`);
    }
    return d.facts = f;
  }
  /** Disassembly. */
  get disas(): string {
    return this.facts.disasm;
  }
  /** Mnemonic of the decoded instruction. */
  get mnemonic(): string {
    return this.facts.mnemonic;
  }
  /** Containing function symbol. */
  get symbol(): string | undefined {
    return this.desc.symbol ?? this.planner.symbolAt(this.desc.pc);
  }
  /** See {@link InsnHandle.onExec}. */
  onExec(cb: (e: ExecEvent) => void, opts?: ExecOptions): void {
    this.planner.onExec(this.index, cb, opts);
  }
  /** See {@link InsnHandle.onExecIf}. */
  onExecIf(
    cond: Condition,
    cb: (e: ExecEvent) => void,
    opts?: ExecOptions,
  ): void {
    this.planner.onExecIf(this.index, cond, cb, opts);
  }
  /** See {@link InsnHandle.inlineAdd}. */
  inlineAdd(entry: ScoreboardEntry, value: number | bigint): void {
    this.planner.inline(this.index, "add", entry, value);
  }
  /** See {@link InsnHandle.inlineStore}. */
  inlineStore(entry: ScoreboardEntry, value: number | bigint): void {
    this.planner.inline(this.index, "store", entry, value);
  }
  /** See {@link InsnHandle.onMem}. */
  onMem(cb: (e: MemEvent) => void, opts?: MemOptions): void {
    this.planner.onMem(this.index, cb, opts);
  }
  /** See {@link InsnHandle.inlineMemAdd}. */
  inlineMemAdd(
    entry: ScoreboardEntry,
    value: number | bigint,
    when: "r" | "w" | "rw" = "rw",
  ): void {
    this.planner.inlineMemAdd(this.index, entry, value, when);
  }
}

/**
 * A block handle (QEMU's `qemu_plugin_tb`); instruction handles are made
 * when first asked for.
 *
 * @example
 * ```ts
 * import { BlockPlanner, TbView } from "./tb_plan.ts";
 * const planner = new BlockPlanner({ handlers: [], offsetOf: () => 4096 });
 * const tb = new TbView(planner, 0x10000, [
 *   { pc: 0x10000, size: 2, bytes: [0x05, 0x45] },
 *   { pc: 0x10002, size: 2, bytes: [0x82, 0x80] },
 * ]);
 * console.log(tb.nInsns, tb.size); // 2 4
 * ```
 */
export class TbView implements TbHandle {
  private handles: InsnView[] | undefined;

  /** Starts a handle on the block at `vaddr` made of `descs`. */
  constructor(
    private readonly planner: BlockPlanner,
    /** Guest address of the first instruction. */
    readonly vaddr: number,
    private readonly descs: readonly InsnDesc[],
  ) {}

  /** The plan of this block, once the plugin's callbacks are done with it. */
  finish(): PlanReq {
    return this.planner.finish(this.descs.map((d) => d.pc));
  }

  /** Number of instructions. */
  get nInsns(): number {
    return this.descs.length;
  }
  /** Total size in bytes. */
  get size(): number {
    let n = 0;
    for (const d of this.descs) n += d.size;
    return n;
  }
  /** Its instructions. */
  get insns(): readonly InsnView[] {
    return this.handles ??= this.descs.map((d, i) =>
      new InsnView(this.planner, i, d)
    );
  }
  /** Instruction `i`. */
  insn(i: number): InsnView {
    const h = this.insns[i];
    if (!h) throw new RangeError(`block has no instruction ${i}`);
    return h;
  }
  /** See {@link TbHandle.onExec}. */
  onExec(cb: (e: ExecEvent) => void, opts?: ExecOptions): void {
    this.planner.onExec(-1, cb, opts);
  }
  /** See {@link TbHandle.onExecIf}. */
  onExecIf(
    cond: Condition,
    cb: (e: ExecEvent) => void,
    opts?: ExecOptions,
  ): void {
    this.planner.onExecIf(-1, cond, cb, opts);
  }
  /** See {@link TbHandle.inlineAdd}. */
  inlineAdd(entry: ScoreboardEntry, value: number | bigint): void {
    this.planner.inline(-1, "add", entry, value);
  }
  /** See {@link TbHandle.inlineStore}. */
  inlineStore(entry: ScoreboardEntry, value: number | bigint): void {
    this.planner.inline(-1, "store", entry, value);
  }
}
