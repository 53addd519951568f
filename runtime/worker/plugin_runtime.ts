/**
 * The worker side of the instrumentation API: the `PluginContext` a plugin's
 * `install` receives, the translation-time plan it builds, and the loop that
 * serves the emulator's requests (translate a block, deliver a batch of
 * events, run a sync callback, ...) over a {@link Channel}.
 *
 * A plugin's callbacks are numbered in registration order; the numbers
 * travel in event records and sync requests and come back here.
 *
 * @module
 */

import { Channel, type ChannelMessage } from "../wire/channel.ts";
import {
  EXEC_RECORD,
  MEM_INFO_SHIFT,
  MEM_RECORD,
  SCOREBOARD_BASE,
  SCOREBOARD_END,
} from "../wire/board.ts";
import type { PluginArgs } from "../sdk/plugin_args.ts";
import type {
  DiscontinuityEvent,
  ExecEvent,
  GuestBinary,
  GuestSymbol,
  MemEvent,
  PluginContext,
  RegisterDescriptor,
  Scoreboard,
  ScoreboardEntry,
  SyscallEvent,
  SyscallFilterResult,
  SyscallReturnEvent,
  TbHandle,
} from "../sdk/plugin_api.ts";
import { fromHex, toHex } from "../wire/hex.ts";
import { PLUGIN_API_VERSION } from "../sdk/plugin_def.ts";
import { type QppLinkEnv, type QppPeerEnv, QppRuntime } from "./qpp.ts";
import {
  BlockPlanner,
  FREED,
  type Handler,
  type PlanRegistry,
  symbolAt,
  TbView,
} from "./tb_plan.ts";
import { type InsnDesc, unpackBlock, type WireBlock } from "../wire/block.ts";
import type { PlanReq } from "../wire/plan.ts";
import { MAX_REPORT_BYTES } from "../wire/replies.ts";

/** What the host hands a worker at install time. */
export interface PluginEnv {
  /** The sync channel's buffer. */
  channel: SharedArrayBuffer;
  /** The channel's doorbell. */
  bell: SharedArrayBuffer;
  /** The plugin's board (scoreboards and event ring). */
  board: SharedArrayBuffer;
  /** The guest's function symbols. */
  symbols: GuestSymbol[];
  /** The program's path and code bounds. */
  binary?: GuestBinary;
  /** QPP links to the providers this plugin requires. */
  qpp?: QppLinkEnv[];
}

type Cb<E> = (e: E) => void;

/**
 * Log text sent to the host in one nested call (UTF-16 units). JSON may
 * escape a unit into 6 bytes, so a chunk stays well inside the 4 MiB
 * channel.
 */
const LOG_CHUNK = 256 * 1024;

/** The handler id bits of a record's first word. */
const ID_BITS = (1 << MEM_INFO_SHIFT) - 1;
/** Words of a block-run record and of a memory record. */
const BLOCK_WORDS = EXEC_RECORD >>> 2, MEM_WORDS = MEM_RECORD >>> 2;

type ExecHandler = Extract<Handler, { kind: "exec" }>;
type BlockHandler = Extract<Handler, { kind: "block" }>;

/** The reused exec event of a drain (one object, fields overwritten per record). */
class ExecRecord implements ExecEvent {
  vcpu = 0;
  pc = 0;
  icount = 0;
  /** Names of the captured registers. */
  regs: readonly string[] = [];
  /** Board offset of the first captured register. */
  regBase = 0;
  constructor(private readonly view: DataView) {}
  reg(name: string): bigint {
    const k = this.regs.indexOf(name);
    if (k < 0) {
      throw new RangeError(
        `register ${name} was not captured (add it to regs)`,
      );
    }
    return this.view.getBigUint64(this.regBase + 8 * k, true);
  }
}

/** The icount of a block-run record's first instruction (record at word `at`). */
function icountAt(w: Uint32Array, at: number): number {
  return w[at + 2] + w[at + 3] * 0x1_0000_0000;
}

/**
 * The event of instruction `k` of the block-run record at word `at` of `w`.
 * A fresh object per event: when the plugin's callback is inlined into
 * {@link expand} (the common case, checked with --trace-turbo-inlining),
 * V8's escape analysis removes the allocation, which makes it ~10% cheaper
 * than updating one shared event object. `icount` is computed only when
 * read: computing it for every event cost ~0.5 ns of ~2.7 (session 4).
 */
class InsnRun implements ExecEvent {
  constructor(
    readonly pc: number,
    private readonly w: Uint32Array,
    private readonly at: number,
    private readonly k: number,
  ) {}
  get icount(): number {
    return icountAt(this.w, this.at) + this.k;
  }
  get vcpu(): number {
    return 0;
  }
  reg(name: string): bigint {
    throw new RangeError(`register ${name} was not captured (add it to regs)`);
  }
}

/** Where {@link expand} keeps the icount of the event being delivered. */
interface IcountSink {
  icount: number;
}

/**
 * Delivers the block-run record at word `at` of `w`: the events of the
 * block's instructions that ran, in order. With `sink`, each event's icount
 * is stored there first (a QPP provider stamps what it emits with it);
 * without, nothing is stored per event. Returns the index in the block of
 * the last instruction delivered (-1: none). A small function of its own,
 * so the JIT inlines the plugin's callback into these loops.
 */
function expand(
  h: BlockHandler,
  w: Uint32Array,
  at: number,
  sink: IcountSink | null,
): number {
  const n = w[at + 1];
  const pcs = h.pcs;
  if (h.uniform) {
    // One call target, loaded once: no per-event array load or target check.
    const cb = h.cb;
    const m = n < pcs.length ? n : pcs.length;
    if (sink === null) {
      for (let k = 0; k < m; k++) cb(new InsnRun(pcs[k], w, at, k));
    } else {
      const icount0 = icountAt(w, at);
      for (let k = 0; k < m; k++) {
        sink.icount = icount0 + k;
        cb(new InsnRun(pcs[k], w, at, k));
      }
    }
    return m - 1;
  }
  const { cbs, at: index } = h;
  const icount0 = sink === null ? 0 : icountAt(w, at);
  let k = 0;
  for (; k < index.length && index[k] < n; k++) {
    if (sink !== null) sink.icount = icount0 + index[k];
    cbs[k](new InsnRun(pcs[k], w, at, index[k]));
  }
  return k > 0 ? index[k - 1] : -1;
}

/**
 * One memory access record, read lazily: the fields are computed from the
 * record's words only when the plugin reads them. A fresh object per event,
 * so V8 removes it (and the unread fields) when the callback is inlined.
 */
class MemAccess implements MemEvent {
  constructor(
    readonly pc: number,
    readonly addr: number,
    private readonly lo: number,
    private readonly hi: number,
    private readonly info: number,
  ) {}
  get vcpu(): number {
    return 0;
  }
  get size(): number {
    return this.info & 0xff;
  }
  get isStore(): boolean {
    return (this.info & 0x100) !== 0;
  }
  get signExtended(): boolean {
    return (this.info & 0x200) !== 0;
  }
  get bigEndian(): boolean {
    return false;
  }
  get value(): bigint {
    return (BigInt(this.hi >>> 0) << 32n) | BigInt(this.lo >>> 0);
  }
}

const HOOKS = [
  "vcpu_init",
  "vcpu_exit",
  "vcpu_idle",
  "vcpu_resume",
  "tb_trans",
  "syscall",
  "syscall_ret",
  "syscall_filter",
  "discon",
  "flush",
  "atexit",
] as const;
type Hook = typeof HOOKS[number];

/**
 * The worker-side plugin runtime.
 *
 * @example
 * ```ts ignore
 * const rt = new PluginRuntime("insn", args, env);
 * await definition.install(rt.ctx, args);
 * rt.serve(); // never returns
 * ```
 */
export class PluginRuntime {
  /** The context handed to `install`. */
  readonly ctx: PluginContext;
  private readonly channel: Channel;
  private readonly board: SharedArrayBuffer;
  private readonly view: DataView;
  private readonly hooks = new Map<Hook, Cb<never>[]>();
  private readonly handlers: Handler[] = [];
  /** What translation planners register callbacks into. */
  /** Ids freed with their blocks, reused first. */
  private readonly freeIds: number[] = [];
  /** The ids each translated block's registrations took, by block pc. */
  private readonly blockIds = new Map<number, number[]>();
  private readonly registry: PlanRegistry = {
    handlers: this.handlers,
    free: this.freeIds,
    offsetOf: (e) => this.offsetOf(e),
    symbolAt: (pc) => symbolAt(this.env.symbols, pc),
  };
  private nextScore = SCOREBOARD_BASE;
  private out = "";
  /** True while a callback may read or write vCPU state. */
  private stateOk = false;
  private uninstalled = false;
  /** A report not yet sent (it rides on the next reply). */
  private pendingReport: string | undefined;
  private resetAsked = false;
  /** The icount of the event being delivered (QPP stamps its events with it). */
  icount = 0;
  /** QPP state. */
  readonly qpp: QppRuntime;

  private readonly env: PluginEnv;
  /** Where log text goes before serving starts (then it rides on replies). */
  private logSink: ((text: string) => void) | undefined;
  /** True while a host request is being handled (nested calls allowed). */
  private serving = false;

  /**
   * Builds the context for plugin `name`. Without `env` (a plugin loaded
   * outside an emulation run) only logging works.
   */
  constructor(
    readonly name: string,
    args: PluginArgs,
    env: PluginEnv | undefined,
    logSink?: (text: string) => void,
  ) {
    this.env = env ?? {
      channel: new SharedArrayBuffer(4096),
      bell: new SharedArrayBuffer(4),
      board: new SharedArrayBuffer(SCOREBOARD_END),
      symbols: [],
    };
    this.channel = new Channel(this.env.channel, this.env.bell);
    this.board = this.env.board;
    this.view = new DataView(this.env.board);
    this.logSink = logSink;
    this.qpp = new QppRuntime(
      name,
      this.env.qpp ?? [],
      () => this.icount,
      this.env.bell,
    );
    this.ctx = this.makeContext(args);
  }

  /** Names of the hooks the plugin registered (sent to the host after install). */
  registeredHooks(): string[] {
    return [...this.hooks.keys()];
  }

  private on(hook: Hook, cb: Cb<never>): void {
    let list = this.hooks.get(hook);
    if (!list) this.hooks.set(hook, list = []);
    list.push(cb);
  }

  private needState(what: string): void {
    if (!this.stateOk) {
      throw new Error(
        `plugin "${this.name}": ${what} works only inside sync callbacks ` +
          `(exec with mode "sync" and access "read"/"rw", syscall callbacks, filters, discontinuities)`,
      );
    }
  }

  private makeContext(args: PluginArgs): PluginContext {
    return Object.freeze({
      name: this.name,
      args,
      apiVersion: PLUGIN_API_VERSION,
      vcpus: 1,
      qpp: this.qpp.api,
      log: (text: string) => {
        if (this.logSink) this.logSink(String(text));
        else {
          this.out += String(text);
          if (this.serving && this.out.length > LOG_CHUNK) this.sendLog();
        }
      },
      onVcpuInit: (cb: Cb<number>) => this.on("vcpu_init", cb as Cb<never>),
      onVcpuExit: (cb: Cb<number>) => this.on("vcpu_exit", cb as Cb<never>),
      onVcpuIdle: (cb: Cb<number>) => this.on("vcpu_idle", cb as Cb<never>),
      onVcpuResume: (cb: Cb<number>) => this.on("vcpu_resume", cb as Cb<never>),
      onTbTrans: (cb: Cb<TbHandle>) => this.on("tb_trans", cb as Cb<never>),
      onSyscall: (cb: Cb<SyscallEvent>) => this.on("syscall", cb as Cb<never>),
      onSyscallReturn: (cb: Cb<SyscallReturnEvent>) =>
        this.on("syscall_ret", cb as Cb<never>),
      onSyscallFilter: (cb: (e: SyscallEvent) => SyscallFilterResult) =>
        this.on("syscall_filter", cb as Cb<never>),
      onDiscontinuity: (cb: Cb<DiscontinuityEvent>) =>
        this.on("discon", cb as Cb<never>),
      onFlush: (cb: () => void) => this.on("flush", cb as Cb<never>),
      onAtExit: (cb: () => void) => this.on("atexit", cb as Cb<never>),
      scoreboard: (slots: number) => this.scoreboard(slots),
      symbols: () => this.env.symbols,
      binary: () =>
        this.env.binary ??
          { path: "", startCode: 0, endCode: 0, entryCode: 0 },
      registers: () =>
        this.channel.call({
          kind: "registers",
          data: null,
        }) as RegisterDescriptor[],
      readRegister: (name: string) => {
        this.needState("readRegister");
        return BigInt(
          this.channel.call({ kind: "readreg", data: name }) as string,
        );
      },
      writeRegister: (name: string, value: bigint) => {
        this.needState("writeRegister");
        this.channel.call({
          kind: "writereg",
          data: [name, BigInt.asUintN(64, value)],
        });
      },
      setPc: (pc: number) => {
        this.needState("setPc");
        this.channel.call({ kind: "setpc", data: pc });
      },
      readMemory: (addr: number, len: number) => {
        this.needState("readMemory");
        const hex = this.channel.call({
          kind: "readmem",
          data: [addr, len],
        }) as string;
        return fromHex(hex);
      },
      readCString: (addr: number, max = 4096) => {
        this.needState("readCString");
        return this.channel.call({
          kind: "readstr",
          data: [addr, max],
        }) as string;
      },
      writeMemory: (addr: number, data: Uint8Array) => {
        this.needState("writeMemory");
        this.channel.call({ kind: "writemem", data: [addr, toHex(data)] });
      },
      report: (value: unknown) => {
        let text: string | undefined;
        try {
          text = JSON.stringify(value);
        } catch (e) {
          throw new TypeError(`report: ${(e as Error).message}`);
        }
        if (text === undefined || text.length > MAX_REPORT_BYTES) {
          throw new TypeError(
            `report: the value must be JSON of at most ${MAX_REPORT_BYTES} characters`,
          );
        }
        this.pendingReport = text;
      },
      uninstall: () => void (this.uninstalled = true),
      reset: () => void (this.resetAsked = true),
    });
  }

  private scoreboard(slots: number): Scoreboard {
    if (!Number.isInteger(slots) || slots < 1) {
      throw new RangeError(
        `scoreboard needs a positive slot count, got ${slots}`,
      );
    }
    const base = this.nextScore;
    if (base + 8 * slots > SCOREBOARD_END) {
      throw new RangeError(`plugin "${this.name}": out of scoreboard space`);
    }
    this.nextScore += 8 * slots;
    const words = new BigInt64Array(this.board, base, slots);
    const board: Scoreboard = {
      slots,
      entry: (slot) => {
        if (!(slot >= 0 && slot < slots)) {
          throw new RangeError(`no slot ${slot}`);
        }
        return { board, slot, offset: base + 8 * slot } as ScoreboardEntry;
      },
      get: (slot) => BigInt.asUintN(64, Atomics.load(words, slot)),
      set: (slot, v) => void Atomics.store(words, slot, BigInt.asIntN(64, v)),
      sum: (slot) => BigInt.asUintN(64, Atomics.load(words, slot)),
    };
    return board;
  }

  private offsetOf(e: ScoreboardEntry): number {
    const off = (e as ScoreboardEntry & { offset?: number }).offset;
    if (off === undefined) {
      throw new TypeError("not a scoreboard entry of this plugin");
    }
    return off;
  }

  // ---- translation ----

  private translate(insns: InsnDesc[], vaddr: number): PlanReq {
    const planner = new BlockPlanner(this.registry);
    const tb = new TbView(planner, vaddr, insns);
    for (const cb of this.hooks.get("tb_trans") ?? []) (cb as Cb<TbHandle>)(tb);
    const plan = tb.finish();
    if (planner.ids.length > 0) {
      const ids = this.blockIds.get(vaddr);
      if (ids) ids.push(...planner.ids);
      else this.blockIds.set(vaddr, planner.ids);
    }
    return plan;
  }

  /**
   * Frees what was registered for the blocks at `pcs` (the host dropped
   * them, and delivered their records first).
   */
  private freeBlocks(pcs: unknown): void {
    if (!Array.isArray(pcs)) return;
    for (const pc of pcs) {
      const ids = this.blockIds.get(pc);
      if (!ids) continue;
      this.blockIds.delete(pc);
      for (const id of ids) {
        this.handlers[id] = FREED;
        this.freeIds.push(id);
      }
    }
  }

  /** Sizes of the registration tables (tests check they stay flat). */
  get tableSizes(): { handlers: number; blocks: number; free: number } {
    return {
      handlers: this.handlers.length,
      blocks: this.blockIds.size,
      free: this.freeIds.length,
    };
  }

  // ---- delivery ----

  /** Delivers the records in `[base, base+bytes)` of the board, in order. */
  private drain(base: number, bytes: number): void {
    // Records are 8-byte aligned; read them as u32 words (no BigInt per event).
    const w = new Uint32Array(this.board, base, bytes >>> 2);
    const v = this.view;
    // Classes, not object literals: a getter in a literal made every field
    // store a slow-path store (33 ns an event against 4 ns; session 2).
    const exec = new ExecRecord(v);
    const handlers = this.handlers;
    const end = bytes >>> 2;
    // A QPP provider with consumers needs each event's icount as it runs.
    const sink: IcountSink | null = this.qpp.linked ? this : null;
    let n = 0;
    // The last block event delivered: its record and index (icount later).
    let lastAt = -1;
    let lastK = -1;
    for (let i = 0; i < end;) {
      // Tell a waiting host how far the drain got (its deadline restarts).
      if ((++n & 63) === 0) this.channel.consumed(4 * i);
      const word = w[i];
      // A memory record's first word also holds the access info.
      const h = handlers[word & ID_BITS];
      if (h === undefined) {
        throw new Error(`corrupt event ring at ${base + 4 * i}`);
      }
      // Each kind steps by its own constant size where it can: a step read
      // from the handler (h.size) chains every record's loads to the
      // previous one's, and cost ~2 ns a record (memory events: 4.5 ns ->
      // 2.3 ns in a replay of a real ring; session 4).
      if (h.kind === "block") {
        const k = expand(h, w, i, sink);
        if (k >= 0) {
          lastAt = i;
          lastK = k;
        }
        i += BLOCK_WORDS;
      } else if (h.kind === "exec") {
        lastAt = -1;
        exec.pc = w[i + 1];
        exec.icount = this.icount = icountAt(w, i);
        exec.regs = h.regs;
        exec.regBase = base + 4 * i + 16;
        h.cb(exec);
        i += h.size >>> 2;
      } else {
        h.cb(
          new MemAccess(
            h.pc,
            w[i + 1],
            w[i + 2],
            w[i + 3],
            word >>> MEM_INFO_SHIFT,
          ),
        );
        i += MEM_WORDS;
      }
    }
    if (lastAt >= 0) this.icount = icountAt(w, lastAt) + lastK;
  }

  private run(hook: Hook, ev: unknown): unknown {
    let result: unknown;
    for (const cb of this.hooks.get(hook) ?? []) {
      const r = (cb as (e: unknown) => unknown)(ev);
      if (r !== undefined && result === undefined) result = r;
    }
    return result;
  }

  /** Handles one request from the host. */
  private handle(m: ChannelMessage): unknown {
    const d = m.data as Record<string, unknown>;
    switch (m.kind) {
      case "tb":
        this.freeBlocks(d.free);
        return (d.blocks as WireBlock[]).map((b) =>
          this.translate(unpackBlock(b), b[0])
        );
      case "drain":
        this.drain(d.base as number, d.bytes as number);
        return null;
      case "exec": {
        const h = this.handlers[d.id as number];
        if (h?.kind !== "exec") throw new Error(`no exec callback ${d.id}`);
        this.stateOk = true;
        this.icount = d.icount as number;
        h.cb({
          vcpu: 0,
          pc: d.pc as number,
          icount: d.icount as number,
          reg: (name: string) => this.ctx.readRegister(name),
        });
        return null;
      }
      case "mem": {
        const h = this.handlers[d.id as number];
        if (h?.kind !== "mem") throw new Error(`no memory callback ${d.id}`);
        this.stateOk = true;
        const info = d.info as number;
        h.cb({
          vcpu: 0,
          pc: d.pc as number,
          addr: d.addr as number,
          size: info & 0xff,
          isStore: (info & 0x100) !== 0,
          signExtended: (info & 0x200) !== 0,
          bigEndian: false,
          value: BigInt(d.value as string),
        });
        return null;
      }
      case "syscall":
      case "syscall_ret":
      case "syscall_filter": {
        this.stateOk = true;
        this.icount = d.icount as number;
        const ev = {
          vcpu: 0,
          num: d.num as number,
          name: d.name as string,
          args: (d.args as string[]).map(BigInt),
          pc: d.pc as number,
          icount: d.icount as number,
          ret: d.ret === undefined ? undefined : BigInt(d.ret as string),
        };
        const r = this.run(m.kind, ev) as SyscallFilterResult;
        return r?.skip ? { skip: true, ret: String(r.ret) } : null;
      }
      case "discon":
        this.stateOk = true;
        this.run("discon", d);
        return null;
      case "vcpu":
        this.run(`vcpu_${d.event}` as Hook, 0);
        return null;
      case "flush":
        this.run(m.kind, undefined);
        return null;
      case "atexit":
        return this.qpp.settle((d?.expect ?? {}) as Record<string, number>)
          .then(() => {
            this.run("atexit", undefined);
            return null;
          });
      case "qpp_flush":
        // First take in every batch from our own providers (a plugin can be
        // both: its events may come from theirs), then send ours.
        return this.qpp.settle((d?.expect ?? {}) as Record<string, number>)
          .then(() => this.qpp.flush());
      case "qpp_gone":
        this.qpp.providerGone(d.plugin as string, d.why as string);
        return null;
    }
    throw new Error(`unknown request "${m.kind}"`);
  }

  /**
   * Sends the log text gathered so far to the host in chunks, while a
   * request is in flight (a drain of many events can log far more than a
   * reply holds).
   */
  private sendLog(): void {
    const text = this.out;
    this.out = "";
    for (let at = 0; at < text.length; at += LOG_CHUNK) {
      this.channel.call({ kind: "log", data: text.slice(at, at + LOG_CHUNK) });
    }
  }

  /** Serves the host's requests (and QPP sync calls) from now on. */
  serve(): Promise<never> {
    this.logSink = undefined;
    return this.channel.serve(async (m) => {
      let reply: Record<string, unknown>;
      this.serving = true;
      try {
        reply = { r: await this.handle(m) };
      } catch (e) {
        const err = e as Error;
        reply = {
          error: {
            name: err?.name ?? "Error",
            message: err?.message ?? String(e),
            stack: err?.stack,
          },
        };
      } finally {
        this.stateOk = false;
      }
      // Callback events produced while handling go out in one batch per consumer.
      this.qpp.flush();
      if (this.out.length > LOG_CHUNK) this.sendLog();
      this.serving = false;
      if (this.out) {
        reply.log = this.out;
        this.out = "";
      }
      if (this.uninstalled) reply.uninstall = true;
      if (this.pendingReport !== undefined) {
        reply.report = this.pendingReport;
        this.pendingReport = undefined;
      }
      if (this.resetAsked) {
        reply.reset = true;
        this.resetAsked = false;
        this.hooks.clear();
      }
      return { kind: "reply", data: reply };
    }, () => this.qpp.poll());
  }

  /** Provider side: links a consumer (host message `qpp-link`). */
  linkConsumer(peer: QppPeerEnv): void {
    this.qpp.addPeer(peer);
  }
}
