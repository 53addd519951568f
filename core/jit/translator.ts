/**
 * The translator: turns guest basic blocks into WebAssembly functions, caches
 * them by guest pc, and runs them from a dispatch loop that itself lives in
 * wasm (so hot code never returns to JS between blocks).
 *
 * Each translated block (TB) is one wasm function `() -> i32` placed in a
 * shared funcref table. The dispatcher looks the pc up in a direct-mapped
 * jump cache in guest page 0 and calls the block; the block writes the next
 * pc and returns 0, or returns an `Exit` cause. A block that branches back to
 * its own start becomes a wasm loop with registers kept in locals.
 *
 * @module
 */

import type { Cpu } from "../cpu.ts";
import { Exit, type ExitCause } from "../exit.ts";
import type { Fpu } from "../fpu/fpu.ts";
import { decodeAt } from "../isa/decode.ts";
import { Interpreter } from "../interp/interpreter.ts";
import {
  BUDGET_OFF,
  EXIT_CAUSE_OFF,
  INSTRET_OFF,
  JCACHE_BASE,
  JCACHE_ENTRIES,
  MEMORY_BYTES,
  PAGE_SHIFT,
  PC_OFF,
  PERM_W,
} from "../layout.ts";
import type { GuestMemory } from "../memory.ts";
import { BlockBuilder, type BlockInsn, LOCAL_TYPES } from "./block_builder.ts";
import { EMIT_RV64I, EMIT_RV64M, type EmitFn } from "./emit_int.ts";
import { EMIT_RV64A, EMIT_ZICSR } from "./emit_sys.ts";
import { EMIT_FP } from "./emit_fp.ts";
import {
  buildModule,
  Bytes,
  type FuncDef,
  type FuncImport,
  I32,
  I64,
  type ModuleImports,
  Op,
} from "./wasm.ts";
import { makeHelpers } from "./_helpers.ts";
import { blockCount, emitInsns } from "./_emit_insns.ts";
import {
  emitRegion,
  MAX_REGION_BLOCKS,
  MAX_REGION_INSNS,
  regionSuccessors,
} from "./region.ts";
import { JitProfile } from "./jit_profile.ts";
import {
  type BlockPlan,
  type BlockView,
  deferrable,
  insnView,
  type Instrumenter,
} from "./instrument.ts";

/** Every emitter, by mnemonic. */
export const EMITTERS: Readonly<Record<string, EmitFn>> = {
  ...EMIT_RV64I,
  ...EMIT_RV64M,
  ...EMIT_RV64A,
  ...EMIT_ZICSR,
  ...EMIT_FP,
};

/** Longest block, in instructions. */
const MAX_BLOCK = 64;
const MEM_PAGES = MEMORY_BYTES / 65536;

interface Block {
  readonly pc: number;
  readonly index: number;
  readonly pages: number[];
  /** The pcs of every block of its region (dropped together), if in one. */
  readonly members?: readonly number[];
}

/** A decoded, not yet compiled block. */
interface Decoded {
  readonly pc: number;
  readonly insns: BlockInsn[];
  /** Raw bits of an illegal instruction ending the block, if any. */
  readonly illegal: number | undefined;
  /** pc after the last instruction. */
  readonly end: number;
  /** The block branches back to its own start. */
  readonly loops: boolean;
}

/** Counters describing the translator's work, for `--stats` and benchmarks. */
export interface TranslatorStats {
  /** Blocks translated. */
  blocks: number;
  /** Guest instructions translated. */
  insns: number;
  /** Blocks dropped because their code was written or unmapped. */
  invalidated: number;
  /** Full flushes (fence.i). */
  flushes: number;
  /** Milliseconds spent translating and compiling. */
  translateMs: number;
  /** Blocks decoded and planned ahead of running (compiled if they run). */
  planned: number;
}

/**
 * Runs guest code by translating it to WebAssembly.
 *
 * @example
 * ```ts
 * import { Translator } from "./translator.ts";
 * import { GuestMemory } from "../memory.ts";
 * import { Cpu } from "../cpu.ts";
 * import { Fpu } from "../fpu/fpu.ts";
 * import { PERM_R, PERM_X } from "../layout.ts";
 * const mem = new GuestMemory();
 * const cpu = new Cpu(mem.memory.buffer);
 * const fpu = new Fpu(new Int32Array(mem.memory.buffer), Cpu.FFLAGS_INDEX);
 * mem.map(0x10000, 0x1000, PERM_R | PERM_X);
 * mem.view.setUint32(0x10000, 0x02a00513, true); // li a0, 42
 * mem.view.setUint32(0x10004, 0x00000073, true); // ecall
 * cpu.pc = 0x10000;
 * const t = new Translator(mem, cpu, fpu);
 * console.log(t.run(), cpu.getX(10)); // 2 42
 * ```
 */
export class Translator {
  /** Work counters. */
  readonly stats: TranslatorStats = {
    blocks: 0,
    insns: 0,
    invalidated: 0,
    flushes: 0,
    translateMs: 0,
    planned: 0,
  };
  private readonly table: WebAssembly.Table;
  private dispatch: () => number;
  private readonly imports: WebAssembly.Imports;
  private readonly blocks = new Map<number, Block>();
  private readonly byPage = new Map<number, Set<number>>();
  private readonly free: number[] = [];
  private readonly jc: Uint32Array;
  /** Block chaining: table slot per target pc, holding its block or the stub. */
  private readonly chainSlots = new Map<number, number>();
  private readonly fns = new Map<number, () => number>();
  /**
   * Blocks decoded and planned ahead but not compiled: a block is compiled
   * when it first runs, so blocks that never run cost a decode and a share
   * of one planning request, not a compile.
   */
  private readonly pending = new Map<
    number,
    { g: Decoded; plan: BlockPlan | undefined }
  >();
  private stub: () => number;
  private instrumenter?: Instrumenter;
  private prof?: JitProfile;
  /**
   * Most blocks planned in one go while instrumented (1: one at a time).
   * Grouping saves a planning round trip per block to each plugin Worker.
   */
  lookahead = 32;
  /**
   * Translate uninstrumented code in regions of several blocks (see
   * `region.ts`); false: one block per function, as instrumented code is.
   */
  regions = true;
  /**
   * Run uninstrumented code in the interpreter until it has run this many
   * times, and translate only what gets that hot (0: translate everything
   * on first run). Most code of a short run runs a few times only, and
   * interpreting a block costs far less than compiling it.
   */
  hotAfter = 128;
  /** Times each not-yet-translated block ran in the interpreter. */
  private readonly heat = new Map<number, number>();
  /** Instructions in each block the interpreter ran (decoded once). */
  private readonly coldSize = new Map<number, number>();
  private interp?: Interpreter;

  /** Builds the dispatcher and the host helpers for one vCPU. */
  constructor(
    private readonly mem: GuestMemory,
    private readonly cpu: Cpu,
    private readonly fpu: Fpu,
  ) {
    this.table = new WebAssembly.Table({ element: "anyfunc", initial: 1024 });
    for (let i = 1023; i >= 1; i--) this.free.push(i);
    this.jc = new Uint32Array(
      mem.memory.buffer,
      JCACHE_BASE,
      JCACHE_ENTRIES * 2,
    );
    this.jc.fill(0);
    this.imports = {
      e: { m: mem.memory, t: this.table },
      h: makeHelpers(
        mem,
        fpu,
        (addrLo, addrHi, size) => this.storeCheck(addrLo, addrHi, size),
      ),
    };
    const d = buildDispatcher(this.imports, false);
    this.dispatch = d.run;
    this.stub = d.stub;
    mem.onCodeChange = (page) => this.invalidatePage(page);
    this.budget = 0x7fffffff;
  }

  /**
   * Installs (or removes) the instrumenter that plans every block from now
   * on. Existing translations are flushed so the new plans apply everywhere.
   */
  instrument(i: Instrumenter | undefined): void {
    this.instrumenter = i;
    const h = this.imports.h as Record<string, WebAssembly.ImportValue>;
    const p = this.prof;
    const timed = <F extends (...a: never[]) => unknown>(f: F) =>
      p ? p.timed(f) : f;
    h.hookExec = i ? timed(i.exec.bind(i)) : () => 0;
    h.hookMem = i ? timed(i.mem.bind(i)) : () => {};
    h.ringFull = i ? timed(i.ringFull.bind(i)) : () => {};
    const e = this.imports.e as Record<string, WebAssembly.ImportValue>;
    i?.boards.forEach((m, k) => e[`b${k}`] = m);
    this.flush();
  }

  /**
   * Makes every block return to the dispatcher (no chaining, no in-block
   * loops), so the budget counts blocks and a turn can end at any block
   * boundary: the scheduler needs it while several vCPUs take turns.
   * Changing it drops every translation.
   */
  setPreemptible(on: boolean): void {
    if (this.preemptible === on) return;
    this.preemptible = on;
    this.flush();
  }
  private preemptible = false;

  /** The profile switched on by {@link enableProfile}, if any. */
  get profile(): JitProfile | undefined {
    return this.prof;
  }

  /**
   * Starts profiling: from now on translation phases are timed, host hooks
   * are timed, and translated code counts dispatches, chained jumps and
   * indirect jumps. Existing translations are dropped so that all code
   * counts. Without this call no counting code exists at all.
   */
  enableProfile(): JitProfile {
    if (this.prof) return this.prof;
    this.prof = new JitProfile(this.mem.memory);
    const d = buildDispatcher(this.imports, true);
    this.dispatch = d.run;
    this.stub = d.stub;
    for (const slot of this.chainSlots.values()) this.table.set(slot, d.stub);
    this.instrument(this.instrumenter);
    return this.prof;
  }

  /** Blocks the dispatcher may run before returning to JS (progress, limits). */
  set budget(n: number) {
    this.mem.view.setInt32(BUDGET_OFF, n, true);
  }

  /**
   * Runs guest code from `cpu.pc` until something needs the host: a system
   * call, a fault, an illegal instruction, `fence.i`, or the budget.
   */
  run(): ExitCause {
    for (;;) {
      const cause = this.dispatch() as ExitCause;
      if (cause !== Exit.MISS) return cause;
      const pc = this.cpu.pc;
      if (this.hotAfter > 0 && !this.instrumenter && !this.blocks.has(pc)) {
        const ran = this.heat.get(pc) ?? 0;
        if (ran < this.hotAfter) {
          this.heat.set(pc, ran + 1);
          if (this.prof) this.prof.times.interpreted++;
          const c = this.interpretBlock(pc);
          if (c !== Exit.NONE) return c;
          continue;
        }
      }
      if (this.prof) this.prof.times.misses++;
      const fault = this.enter(pc);
      if (fault !== Exit.NONE) return fault;
    }
  }

  /**
   * Runs the block at `pc` in the interpreter, up to its end (or its exit,
   * returned). The block's length is decoded once and remembered; should the
   * code change, a stale length only moves where the interpreter pauses
   * (it executes whatever the code now is), never what it does.
   */
  private interpretBlock(pc: number): ExitCause {
    let n = this.coldSize.get(pc);
    if (n === undefined) {
      const g = pc % 2 === 0 && pc < MEMORY_BYTES ? this.decode(pc) : undefined;
      // A block that cannot be fetched: let the interpreter raise the fault.
      n = g && !("fault" in g) ? blockCount(g) : 1;
      this.coldSize.set(pc, n);
    }
    this.interp ??= new Interpreter(this.mem, this.cpu, this.fpu);
    const c = this.interp.run(n);
    if (c !== Exit.BUDGET) return c;
    this.cpu.exitCause = Exit.NONE;
    return Exit.NONE;
  }

  /** Drops every translation (fence.i). */
  flush(): void {
    this.heat.clear();
    this.coldSize.clear();
    this.pending.clear();
    for (const pc of [...this.blocks.keys()]) this.drop(pc);
    this.jc.fill(0);
    this.stats.flushes++;
    this.instrumenter?.flushed?.();
  }

  /** Drops the translations made from guest page `page`. */
  invalidatePage(page: number): void {
    const pcs = this.byPage.get(page);
    if (!pcs) return;
    for (const pc of [...pcs]) {
      this.drop(pc);
      this.stats.invalidated++;
    }
  }

  /** Forgets the block at `pc` (and its region's) and frees its table slot. */
  private drop(pc: number): void {
    const b = this.blocks.get(pc);
    if (!b) return;
    if (b.members) {
      // The region's function goes once no entry reaches it.
      for (const m of b.members) this.dropOne(m);
    } else this.dropOne(pc);
  }

  /** Forgets the one block at `pc`. */
  private dropOne(pc: number): void {
    const b = this.blocks.get(pc);
    if (!b) return;
    this.blocks.delete(pc);
    for (const p of b.pages) {
      const set = this.byPage.get(p);
      set?.delete(pc);
      if (set && set.size === 0) this.byPage.delete(p);
    }
    const slot = ((pc >>> 1) & (JCACHE_ENTRIES - 1)) * 2;
    if (this.jc[slot] === pc) this.jc[slot] = 0;
    this.table.set(b.index, null);
    this.free.push(b.index);
    this.fns.delete(pc);
    const chained = this.chainSlots.get(pc);
    if (chained !== undefined) this.table.set(chained, this.stub);
    this.instrumenter?.dropped?.(pc);
  }

  /** The chain slot for jumps to `target` (allocated on first use). */
  private chainSlot(target: number): number {
    let slot = this.chainSlots.get(target);
    if (slot === undefined) {
      slot = this.allocSlot();
      this.chainSlots.set(target, slot);
      this.table.set(slot, this.fns.get(target) ?? this.stub);
    }
    return slot;
  }

  /** Makes sure a block exists for `pc` and is in the jump cache. */
  private enter(pc: number): ExitCause {
    if (pc % 2 !== 0 || pc >= MEMORY_BYTES) {
      return this.fetchFault(pc);
    }
    let b = this.blocks.get(pc);
    if (!b) {
      const made = this.translate(pc);
      if (typeof made === "number") return made;
      b = made;
    }
    const slot = ((pc >>> 1) & (JCACHE_ENTRIES - 1)) * 2;
    this.jc[slot] = pc;
    this.jc[slot + 1] = b.index;
    return Exit.NONE;
  }

  /** Records a fetch fault at `addr` as the exit. */
  private fetchFault(addr: number): ExitCause {
    this.cpu.exitCause = Exit.FETCH_FAULT;
    this.cpu.exitTval = addr;
    return Exit.FETCH_FAULT;
  }

  /**
   * Decodes and compiles the block at `pc`. With an instrumenter installed,
   * blocks statically reachable from it (branch targets, fall-throughs,
   * return sites) are decoded and planned in the same go, up to
   * {@link lookahead} in all, so a plugin Worker is asked once per group
   * instead of once per block. Only the block at `pc` is compiled now; the
   * others wait with their plans until they first run (a compile costs
   * more than a decode, and many never run). Speculative blocks that do
   * not decode cleanly are left for later.
   */
  private translate(pc: number): Block | ExitCause {
    const t0 = performance.now();
    const head = this.decode(pc);
    if (this.prof) this.prof.times.decodeMs += performance.now() - t0;
    if ("fault" in head) return this.fetchFault(head.fault);
    const ahead = this.pending.get(pc);
    this.pending.delete(pc);
    let block: Block;
    if (!this.instrumenter && this.regions && !this.preemptible) {
      const t1 = performance.now();
      const group = this.regionFrom(head);
      if (this.prof) this.prof.times.decodeMs += performance.now() - t1;
      block = this.compileRegion(group).find((b) => b.pc === pc)!;
    } else if (ahead && sameCode(ahead.g, head)) {
      block = this.compile([head], [ahead.plan])[0];
    } else {
      const group = [head];
      const ins = this.instrumenter;
      const t1 = performance.now();
      if (ins && this.lookahead > 1 && ins.planning !== false) {
        this.extend(group);
      }
      const t2 = performance.now();
      const plans = this.plans(group);
      if (this.prof) {
        this.prof.times.decodeMs += t2 - t1;
        this.prof.times.planMs += performance.now() - t2;
      }
      for (let k = 1; k < group.length; k++) {
        this.pending.set(group[k].pc, { g: group[k], plan: plans[k] });
      }
      this.stats.planned += group.length - 1;
      block = this.compile([head], [plans[0]])[0];
    }
    this.stats.translateMs += performance.now() - t0;
    return block;
  }

  /** Decodes one block; `fault` when its first instruction cannot be fetched. */
  private decode(pc: number): Decoded | { fault: number } {
    const insns: BlockInsn[] = [];
    let illegal: number | undefined;
    let at = pc;
    const page = pc >>> PAGE_SHIFT;
    while (insns.length < MAX_BLOCK) {
      const r = decodeAt(this.mem, at);
      if ("fault" in r) {
        if (insns.length === 0) return { fault: r.fault };
        break;
      }
      if (r.d === undefined) {
        illegal = r.word;
        break;
      }
      insns.push({ pc: at, d: r.d });
      at += r.d.size;
      if (r.d.spec.flow !== "none" || at >>> PAGE_SHIFT !== page) break;
    }
    const last = insns[insns.length - 1];
    const loops = last !== undefined && illegal === undefined &&
      targetOf(last) === pc;
    return { pc, insns, illegal, end: at, loops };
  }

  /** Adds to `group` the untranslated blocks reachable from it, breadth first. */
  private extend(group: Decoded[]): void {
    const seen = new Set(group.map((d) => d.pc));
    for (let k = 0; k < group.length && group.length < this.lookahead; k++) {
      for (const t of successors(group[k])) {
        if (group.length >= this.lookahead) break;
        if (seen.has(t) || this.blocks.has(t) || this.pending.has(t)) continue;
        seen.add(t);
        if (t % 2 !== 0 || t >= MEMORY_BYTES) continue;
        // Not code (yet), or not cleanly: left for when, if ever, it runs.
        const d = this.decode(t);
        if ("fault" in d || d.illegal !== undefined) continue;
        group.push(d);
      }
    }
  }

  /** Asks the instrumenter, if any, how to instrument each block. */
  private plans(group: Decoded[]): readonly (BlockPlan | undefined)[] {
    const ins = this.instrumenter;
    if (!ins) return [];
    const views: BlockView[] = group.map((g) => {
      // One copy per block: an ArrayBuffer per instruction made GC work.
      const code = this.mem.u8.slice(g.pc, g.end);
      return {
        pc: g.pc,
        insns: g.insns.map((i) =>
          insnView(
            i.pc,
            code.subarray(i.pc - g.pc, i.pc - g.pc + i.d.size),
            i.d,
          )
        ),
      };
    });
    return ins.planMany ? ins.planMany(views) : views.map((v) => ins.plan(v));
  }

  /** Emits every block of `group` into one module and installs them. */
  private compile(
    group: Decoded[],
    plans: readonly (BlockPlan | undefined)[],
  ): Block[] {
    const t0 = performance.now();
    const imports: BlockBuilder["imports"] = new Map();
    let chained = false;
    const funcs = group.map((g, k): FuncDef => {
      const body = this.emitBlock(g, plans[k], imports);
      chained ||= body.chained;
      return {
        type: { params: [], results: [I32] },
        locals: LOCAL_TYPES,
        body: body.code,
        export: `f${k}`,
      };
    });
    const funcImports: FuncImport[] = [...imports].map(([name, im]) => ({
      module: "h",
      name,
      type: im.type,
    }));
    const bytes = buildModule(funcImports, funcs, {
      memories: this.memoryImports(),
      table: chained ? { module: "e", name: "t", min: 1 } : undefined,
    });
    const t1 = performance.now();
    const module = new WebAssembly.Module(bytes);
    const t2 = performance.now();
    const instance = new WebAssembly.Instance(module, this.imports);
    const blocks = group.map((g, k) => {
      const fn = instance.exports[`f${k}`] as () => number;
      return this.install(g, fn);
    });
    const p = this.prof?.times;
    if (p) {
      p.emitMs += t1 - t0;
      p.compileMs += t2 - t1;
      p.instantiateMs += performance.now() - t2;
      p.modules++;
    }
    return blocks;
  }

  /** Connects a builder to this translator: chaining and profiling. */
  private setup(b: BlockBuilder): void {
    if (!this.preemptible) b.chain = (target) => this.chainSlot(target);
    b.profile = this.prof !== undefined;
  }

  /**
   * Grows a region from `head`: blocks reachable inside its function
   * (see `regionSuccessors`) that are not translated yet, breadth first.
   * Blocks that do not decode cleanly are left out (a jump to them leaves
   * the region, and they are translated if they ever run).
   */
  private regionFrom(head: Decoded): Decoded[] {
    const group = [head];
    const seen = new Set([head.pc]);
    let insns = blockCount(head);
    for (let k = 0; k < group.length; k++) {
      for (const t of regionSuccessors(group[k])) {
        if (group.length >= MAX_REGION_BLOCKS || insns >= MAX_REGION_INSNS) {
          return group;
        }
        if (seen.has(t) || this.blocks.has(t)) continue;
        seen.add(t);
        if (t % 2 !== 0 || t >= MEMORY_BYTES) continue;
        const d = this.decode(t);
        if ("fault" in d || d.illegal !== undefined) continue;
        group.push(d);
        insns += blockCount(d);
      }
    }
    return group;
  }

  /** Compiles a region (see `region.ts`) and installs each of its blocks. */
  private compileRegion(group: Decoded[]): Block[] {
    const t0 = performance.now();
    const blocks = [...group].sort((a, b) => a.pc - b.pc);
    const imports: BlockBuilder["imports"] = new Map();
    const body = emitRegion(
      blocks,
      imports,
      (b) => this.setup(b),
      (b, g) => emitInsns(b, g, undefined, EMITTERS),
    );
    const region = imports.size + blocks.length;
    const entries = blocks.map((_, k): FuncDef => ({
      type: { params: [], results: [I32] },
      locals: [],
      body: new Bytes().byte(Op.i64_const).sNum(k).byte(Op.return_call)
        .u32(region),
      export: `f${k}`,
    }));
    const funcs: FuncDef[] = [...entries, {
      type: { params: [I64], results: [I32] },
      locals: LOCAL_TYPES.slice(1),
      body: body.code,
    }];
    const funcImports: FuncImport[] = [...imports].map(([name, im]) => ({
      module: "h",
      name,
      type: im.type,
    }));
    const bytes = buildModule(funcImports, funcs, {
      memories: this.memoryImports(),
      table: body.chained ? { module: "e", name: "t", min: 1 } : undefined,
    });
    const t1 = performance.now();
    const module = new WebAssembly.Module(bytes);
    const t2 = performance.now();
    const instance = new WebAssembly.Instance(module, this.imports);
    const pages = new Set<number>();
    for (const g of blocks) {
      pages.add(g.pc >>> PAGE_SHIFT).add((g.end - 1) >>> PAGE_SHIFT);
    }
    const members = blocks.map((g) => g.pc);
    const installed = blocks.map((g, k) =>
      this.install(g, instance.exports[`f${k}`] as () => number, {
        pages: [...pages],
        members,
      })
    );
    const p = this.prof?.times;
    if (p) {
      p.emitMs += t1 - t0;
      p.compileMs += t2 - t1;
      p.instantiateMs += performance.now() - t2;
      p.modules++;
    }
    return installed;
  }

  /** Writes one block's function body (two passes: the first finds the registers used). */
  private emitBlock(
    g: Decoded,
    plan: BlockPlan | undefined,
    imports: BlockBuilder["imports"],
  ): BlockBuilder {
    const { pc } = g;
    const loops = g.loops && !this.preemptible;
    const count = blockCount(g);
    const defer = deferrable(plan);
    const emit = (writeback: number, used: number, into?: typeof imports) => {
      const b = new BlockBuilder(pc, count, loops, into);
      b.deferAdds = defer;
      b.exitRecords = plan?.exit ?? [];
      b.writeback = writeback;
      b.used = used;
      this.setup(b);
      emitInsns(b, g, plan, EMITTERS);
      return b;
    };
    const first = emit(0, 0);
    const b = emit(first.written, first.used, imports);
    const body = new BlockBuilder(pc, count, loops, imports);
    for (let r = 1; r < 32; r++) {
      if (b.used & (1 << r)) body.i32(0).mem(Op.i64_load, 8 * r).set(r);
    }
    if (loops) body.op(Op.loop, 0x40);
    body.i32(0).stateLoad(Op.i64_load, INSTRET_OFF).i64(count).op(Op.i64_add)
      .mem(Op.i64_store, INSTRET_OFF);
    body.code.append(b.code);
    if (loops) body.op(Op.end, Op.unreachable);
    body.chained = b.chained;
    return body;
  }

  /** Puts a compiled block in the table, the chain slots and the page index. */
  private install(
    g: Decoded,
    fn: () => number,
    region?: { pages: number[]; members: readonly number[] },
  ): Block {
    const { pc, end } = g;
    const index = this.allocSlot();
    this.table.set(index, fn);
    this.fns.set(pc, fn);
    const chained = this.chainSlots.get(pc);
    if (chained !== undefined) this.table.set(chained, fn);
    const page = pc >>> PAGE_SHIFT;
    const pages = region?.pages ?? [page];
    if (!region && (end - 1) >>> PAGE_SHIFT !== page) {
      pages.push((end - 1) >>> PAGE_SHIFT);
    }
    const block: Block = { pc, index, pages, members: region?.members };
    this.blocks.set(pc, block);
    for (const p of pages) {
      let set = this.byPage.get(p);
      if (!set) this.byPage.set(p, set = new Set());
      set.add(pc);
      this.mem.markCode(p);
    }
    this.stats.blocks++;
    this.stats.insns += g.insns.length + (g.illegal !== undefined ? 1 : 0);
    return block;
  }

  /** Guest memory, then one shared memory per scoreboard. */
  private memoryImports(): ModuleImports["memories"] {
    const mems = [{ module: "e", name: "m", pages: MEM_PAGES, shared: false }];
    this.instrumenter?.boards.forEach((m, k) => {
      mems.push({
        module: "e",
        name: `b${k}`,
        pages: m.buffer.byteLength / 65536,
        shared: m.buffer instanceof SharedArrayBuffer,
      });
    });
    return mems;
  }

  /** A free function-table slot, growing the table when needed. */
  private allocSlot(): number {
    if (this.free.length === 0) {
      const old = this.table.grow(1024);
      for (let i = old + 1023; i >= old; i--) this.free.push(i);
    }
    return this.free.pop()!;
  }

  /**
   * Slow-path check for a store (or atomic) the fast path refused: returns 1
   * if every byte is writable and readable-as-needed (dropping translations on
   * those pages), 0 if the store must fault.
   */
  private storeCheck(addrLo: number, addrHi: number, size: number): number {
    if (addrHi !== 0) return 0;
    const addr = addrLo >>> 0;
    // Atomics also read, but Linux has no write-only pages, so W suffices.
    if (!this.mem.check(addr, size, PERM_W)) return 0;
    this.mem.noteWrite(addr, size);
    return 1;
  }
}

/**
 * True when a block decoded ahead still matches the code now at its
 * address (it may have been rewritten or unmapped since; then its plan,
 * made for the old code, is dropped and the block is planned again).
 */
function sameCode(a: Decoded, b: Decoded): boolean {
  if (a.end !== b.end || a.illegal !== b.illegal) return false;
  if (a.insns.length !== b.insns.length) return false;
  for (let i = 0; i < a.insns.length; i++) {
    if (a.insns[i].d.raw !== b.insns[i].d.raw) return false;
  }
  return true;
}

/** Instructions that end a block. */
/**
 * Where control may go after a block, as far as its code says: branch and
 * jump targets, the fall-through of conditional branches, and the return
 * site after calls and system calls.
 */
function successors(g: Decoded): number[] {
  if (g.illegal !== undefined) return [];
  const last = g.insns[g.insns.length - 1];
  if (!last) return [];
  const d = last.d;
  switch (d.spec.flow) {
    case "direct":
      return d.rd !== 0 ? [g.end, last.pc + d.imm] : [last.pc + d.imm];
    case "indirect":
      return d.rd !== 0 ? [g.end] : [];
    case "syscall":
      return [g.end];
    case "breakpoint":
    case "fence.i":
      return [];
  }
  const t = targetOf(last);
  return t === undefined ? [g.end] : [t, g.end];
}

/** Static target of a branch or jal (from the table row), or undefined. */
function targetOf(i: BlockInsn): number | undefined {
  const flow = i.d.spec.flow;
  return flow === "branch" || flow === "direct" ? i.pc + i.d.imm : undefined;
}

/**
 * The dispatch loop, in wasm: look up pc in the jump cache, call the block,
 * repeat until a block returns an exit cause or the cache misses.
 */
function buildDispatcher(
  imports: WebAssembly.Imports,
  profile: boolean,
): { run: () => number; stub: () => number } {
  const b = new BlockBuilder(0, 0, false);
  b.profile = profile;
  const PC = 0, E = 1, R = 2;
  b.op(Op.loop, 0x40);
  // budget -= 1; stop at zero
  b.i32(0).stateLoad(Op.i32_load, BUDGET_OFF).i32(1).op(Op.i32_sub).tee(R)
    .mem(Op.i32_store, BUDGET_OFF);
  b.get(R).op(Op.i32_eqz).if();
  b.i32(0).i32(Exit.BUDGET).mem(Op.i32_store, EXIT_CAUSE_OFF);
  b.i32(Exit.BUDGET).op(Op.return).end();
  // pc must fit in 32 bits to be in the cache
  b.stateLoad(Op.i32_load, PC_OFF + 4).if().i32(Exit.MISS).op(Op.return).end();
  b.stateLoad(Op.i32_load, PC_OFF).tee(PC).i32(1).op(Op.i32_shr_u)
    .i32(JCACHE_ENTRIES - 1).op(Op.i32_and).i32(3).op(Op.i32_shl).tee(E)
    .mem(Op.i32_load, JCACHE_BASE).get(PC).op(Op.i32_ne);
  b.get(PC).op(Op.i32_eqz).op(Op.i32_or);
  b.if().i32(Exit.MISS).op(Op.return).end();
  b.tally("dispatched");
  b.get(E).mem(Op.i32_load, JCACHE_BASE + 4);
  b.code.byte(Op.call_indirect).u32(0).u32(0);
  b.tee(R).if().get(R).op(Op.return).end();
  b.code.byte(Op.br).u32(0);
  b.op(Op.end, Op.unreachable);
  const bytes = buildModule([], [{
    type: { params: [], results: [I32] },
    locals: [I32, I32, I32],
    body: b.code.finish(),
    export: "run",
  }, {
    // The chain-slot stub: "no block yet", back to the dispatcher.
    type: { params: [], results: [I32] },
    locals: [],
    body: stubBody(profile),
    export: "stub",
  }], {
    memories: [{ module: "e", name: "m", pages: MEM_PAGES }],
    table: { module: "e", name: "t", min: 1 },
  });
  const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes), imports);
  return {
    run: inst.exports.run as () => number,
    stub: inst.exports.stub as () => number,
  };
}

/** The chain-slot stub's body: return 0 (counting it when profiling). */
function stubBody(profile: boolean): Uint8Array {
  const b = new BlockBuilder(0, 0, false);
  b.profile = profile;
  b.tally("unchained").i32(0);
  return b.code.finish().slice();
}
