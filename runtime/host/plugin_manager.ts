/**
 * The host side of the instrumentation API: loads plugins into their
 * Workers, turns their translation-time requests into the translator's
 * block plans, delivers events in the three modes, and isolates failures.
 *
 * - inline: scoreboard operations compiled into blocks (no host work).
 * - batched: record ops write into each plugin's ring (two halves on its
 *   board); when a half fills, the worker drains it while the vCPU fills the
 *   other. Before any sync request to a plugin, its pending records are
 *   delivered first, so a plugin always sees its events in order.
 * - sync: a request over the plugin's channel; the vCPU waits, up to the
 *   timeout, after which the plugin is unloaded.
 *
 * @module
 */

import {
  type BlockPlan,
  type BlockView,
  type ExecCall,
  findRegister,
  type InlineOp,
  type Instrumenter,
  type Machine,
  type MachineHooks,
  type MemPlan,
  type PointPlan,
  type RecordField,
  type RecordOp,
  REGISTERS,
  syscallName,
} from "../../core/mod.ts";
import {
  createBoard,
  EXEC_RECORD,
  MEM_INFO_SHIFT,
  MEM_RECORD,
  RING_BASE,
  RING_HALF,
  RING_HEADER,
} from "../wire/board.ts";
import {
  Channel,
  type ChannelMessage,
  ChannelTimeout,
} from "../wire/channel.ts";
import {
  installPlugin,
  type LoadedPlugin,
  type ProbedPlugin,
  probePlugin,
} from "./load.ts";
import type { InitMessage } from "../wire/protocol.ts";
import { inTreePlugins } from "./spec.ts";
import { createSlot, killSlot } from "../wire/qpp_slot.ts";
import { satisfies } from "../wire/semver.ts";
import type { PluginGrant } from "./permissions.ts";
import * as hex from "../wire/hex.ts";
import type { PlanReq, PointReq } from "../wire/plan.ts";
import { packBlock, type WireBlock } from "../wire/block.ts";

/** `--plugin-error`: what a failing plugin does to the run. */
export type PluginErrorPolicy = "unload" | "abort";

/** Options of {@link PluginManager.load}. */
export interface PluginManagerOptions {
  /** The user's working directory (for relative specs and grants). */
  cwd: string;
  /** `--allow-plugin` grants. */
  grants: readonly PluginGrant[];
  /** Guest function symbols, sorted by address, offered to plugins. */
  symbols: { name: string; addr: number; size: number }[];
  /** The program, offered to plugins as `ctx.binary()`. */
  binary?: {
    path: string;
    startCode: number;
    endCode: number;
    entryCode: number;
  };
  /** Per-phase limit for loading and installing plugins (default 10 000 ms). */
  loadTimeoutMs?: number;
  /** Milliseconds a sync callback may take before its plugin is unloaded. */
  timeoutMs: number;
  /** Unload a failing plugin and go on (default), or abort the run. */
  onError: PluginErrorPolicy;
  /** Where plugin text output goes (stderr, or the -D file). */
  out: (text: string) => void;
  /** Where diagnostics go (stderr). */
  log: (line: string) => void;
}

/** Plugins' dependencies cannot be satisfied (missing, mismatched, cyclic, duplicate). */
export class PluginDependencyError extends Error {
  /** Always "PluginDependencyError". */
  override name = "PluginDependencyError";
}

/**
 * Orders plugins so each comes after the plugins it requires, keeping the
 * given order otherwise; throws on a cycle, naming its plugins and versions.
 *
 * @example
 * ```ts ignore
 * const ordered = dependencyOrder(probed);
 * ```
 */
export function dependencyOrder(
  plugins: readonly ProbedPlugin[],
): ProbedPlugin[] {
  const byName = new Map(plugins.map((p) => [p.manifest.name, p]));
  const done = new Set<string>(), out: ProbedPlugin[] = [];
  const visit = (p: ProbedPlugin, path: ProbedPlugin[]) => {
    const name = p.manifest.name;
    if (done.has(name)) return;
    if (path.includes(p)) {
      const cycle = [...path.slice(path.indexOf(p)), p]
        .map((q) => `${q.manifest.name} ${q.manifest.version}`).join(" -> ");
      throw new PluginDependencyError(
        `plugins require each other in a cycle: ${cycle}`,
      );
    }
    for (const dep of Object.keys(p.manifest.requires)) {
      const d = byName.get(dep);
      if (d) visit(d, [...path, p]);
    }
    done.add(name);
    out.push(p);
  };
  for (const p of plugins) visit(p, []);
  return out;
}

/** A plugin failed and `--plugin-error=abort` was given. */
export class PluginAbortError extends Error {
  /** Always "PluginAbortError". */
  override name = "PluginAbortError";
}

interface Active {
  readonly index: number;
  readonly plugin: LoadedPlugin;
  readonly channel: Channel;
  readonly board: WebAssembly.Memory;
  readonly hdr: Uint32Array;
  readonly hooks: Set<string>;
  /** Names of the providers it requires (QPP). */
  readonly requires: readonly string[];
  /** Its QPP consumers and the slots they call it through. */
  readonly consumers: {
    name: string;
    callSlot: SharedArrayBuffer;
    cbSlot: SharedArrayBuffer;
  }[];
  /** Instrumentation still active (false after uninstall or failure). */
  active: boolean;
  /** The worker is alive (false after a failure). */
  alive: boolean;
  /** A drain request is in flight. */
  draining: boolean;
  /** The callee moved the pc during a sync exec callback. */
  redirected: boolean;
}

/** A block's plan as the plugins' requests are merged into it. */
interface MergedPlan {
  block: PointPlan;
  insns: Map<number, PointPlan>;
  mem: Map<number, MemPlan[]>;
  exit: RecordOp[];
}

function emptyPlan(): MergedPlan {
  return { block: {}, insns: new Map(), mem: new Map(), exit: [] };
}

const ID_SHIFT = 20;
const ID_MASK = (1 << ID_SHIFT) - 1;

/**
 * The loaded plugins of one run.
 *
 * @example
 * ```ts ignore
 * const pm = await PluginManager.load(["insn"], opts);
 * pm.attach(machine);
 * machine.run();
 * pm.finish();
 * ```
 */
export class PluginManager implements Instrumenter {
  /** One board per plugin, in load order. */
  readonly boards: WebAssembly.Memory[] = [];
  private readonly plugins: Active[] = [];
  private machine?: Machine;

  private readonly opts: PluginManagerOptions;

  private constructor(opts: PluginManagerOptions) {
    this.opts = { ...opts };
  }

  /**
   * Loads plugins and returns the manager. Every plugin is probed first;
   * `requires` are resolved (a missing in-tree dependency is loaded on its
   * own, like PANDA's `panda_require`), and plugins are installed in
   * dependency order, whatever the command-line order. A missing or
   * mismatched dependency, a cycle, or two plugins with one name is refused
   * with a {@link PluginDependencyError} naming the plugins and versions.
   */
  static async load(
    specs: readonly string[],
    opts: PluginManagerOptions,
  ): Promise<PluginManager> {
    const pm = new PluginManager(opts);
    const loadOpts = {
      cwd: opts.cwd,
      grants: opts.grants,
      log: opts.log,
      timeoutMs: opts.loadTimeoutMs,
    };
    const probed: ProbedPlugin[] = [];
    const release = () => probed.forEach((p) => p.source.release());
    try {
      const byName = new Map<string, ProbedPlugin>();
      const add = (p: ProbedPlugin) => {
        const other = byName.get(p.manifest.name);
        if (other) {
          throw new PluginDependencyError(
            `two plugins are named "${p.manifest.name}": ${other.spec.label} (${other.manifest.version}) and ` +
              `${p.spec.label} (${p.manifest.version}); load each plugin once`,
          );
        }
        byName.set(p.manifest.name, p);
        probed.push(p);
      };
      for (const spec of specs) add(await probePlugin(spec, loadOpts));
      // Resolve dependencies, loading in-tree ones nobody named.
      const inTree = new Set(inTreePlugins());
      for (let i = 0; i < probed.length; i++) {
        const p = probed[i];
        for (const [dep, range] of Object.entries(p.manifest.requires)) {
          if (!byName.has(dep)) {
            if (!inTree.has(dep)) {
              throw new PluginDependencyError(
                `plugin "${p.manifest.name}" ${p.manifest.version} requires ${dep} ${range}, which is not loaded ` +
                  `and is not an in-tree plugin (add --plugin ${dep}, pointing at it)`,
              );
            }
            add(await probePlugin(dep, loadOpts));
          }
          const d = byName.get(dep)!;
          if (!satisfies(d.manifest.version, range)) {
            throw new PluginDependencyError(
              `plugin "${p.manifest.name}" ${p.manifest.version} requires ${dep} ${range}, ` +
                `but ${dep} ${d.manifest.version} is loaded`,
            );
          }
        }
      }
      const order = dependencyOrder(probed);
      for (const p of order) await pm.install(p, loadOpts);
      return pm;
    } catch (e) {
      release();
      for (const p of pm.plugins) p.plugin.terminate();
      throw e;
    }
  }

  /** Installs one probed plugin, linking it to the providers it requires. */
  private async install(
    probed: ProbedPlugin,
    loadOpts: {
      cwd: string;
      grants: readonly PluginGrant[];
      log: (l: string) => void;
      timeoutMs?: number;
    },
  ): Promise<void> {
    const channel = Channel.create();
    const board = createBoard();
    const links: NonNullable<NonNullable<InitMessage["env"]>["qpp"]> = [];
    const transfer: Transferable[] = [];
    for (const dep of Object.keys(probed.manifest.requires)) {
      const provider = this.plugins.find((p) => p.plugin.name === dep)!;
      const { port1, port2 } = new MessageChannel();
      const callSlot = createSlot(), cbSlot = createSlot();
      provider.plugin.worker.postMessage({
        type: "qpp-link",
        consumer: probed.manifest.name,
        order: this.plugins.length,
        port: port2,
        callSlot,
        cbSlot,
        consumerBell: channel.buffer,
      }, [port2]);
      links.push({
        provider: dep,
        version: provider.plugin.version,
        port: port1,
        callSlot,
        cbSlot,
        providerBell: provider.channel.buffer,
      });
      transfer.push(port1);
      provider.consumers.push({ name: probed.manifest.name, callSlot, cbSlot });
    }
    const plugin = await installPlugin(probed, {
      ...loadOpts,
      env: {
        channel: channel.buffer,
        board: board.buffer as SharedArrayBuffer,
        symbols: this.opts.symbols,
        binary: this.opts.binary,
        qpp: links,
      },
    }, transfer);
    const hdr = new Uint32Array(board.buffer, RING_HEADER, 4);
    hdr.set([0, RING_HALF, RING_BASE, 0]);
    this.boards.push(board);
    this.plugins.push({
      index: this.plugins.length,
      plugin,
      channel,
      board,
      hdr,
      hooks: new Set(plugin.hooks),
      requires: Object.keys(probed.manifest.requires),
      consumers: [],
      active: true,
      alive: true,
      draining: false,
      redirected: false,
    });
  }

  /** Names and versions of the loaded plugins. */
  get loaded(): { name: string; version: string }[] {
    return this.plugins.map((p) => ({
      name: p.plugin.name,
      version: p.plugin.version,
    }));
  }

  /** Connects the plugins to a machine (before it runs). */
  attach(machine: Machine): void {
    this.machine = machine;
    const wantsBlocks = this.plugins.some((p) => p.hooks.has("tb_trans"));
    if (wantsBlocks) {
      if (!machine.translator) {
        throw new TypeError(
          "plugins that instrument translated code need the translator (drop --engine interp)",
        );
      }
      machine.translator.instrument(this);
    }
    machine.hooks = this.machineHooks();
    this.broadcast("vcpu_init", "vcpu", { event: "init" });
  }

  /**
   * Delivers every pending event, then vCPU exit and atexit, and stops the
   * workers. With `quiet`, failures only unload (used after an abort).
   */
  finish(quiet = false): void {
    if (quiet) this.opts.onError = "unload";
    // Providers come before their consumers: deliver each plugin's events,
    // then send out the QPP callbacks they produced, then its exit hooks,
    // which wait until every batch from their providers has arrived.
    const sent = new Map<string, Record<string, number>>();
    for (const p of this.plugins) {
      if (!p.alive) continue;
      this.drainAll(p);
      if (p.hooks.has("vcpu_exit")) this.request(p, "vcpu", { event: "exit" });
      if (p.consumers.length > 0) {
        sent.set(
          p.plugin.name,
          (this.request(p, "qpp_flush", { expect: this.expected(p, sent) }) ??
            {}) as Record<string, number>,
        );
      }
    }
    for (const p of this.plugins) {
      if (!p.alive || !p.hooks.has("atexit")) continue;
      this.request(p, "atexit", { expect: this.expected(p, sent) });
    }
    for (const p of this.plugins) p.plugin.terminate();
  }

  /** How many callback batches `p` must have received from each provider. */
  private expected(
    p: Active,
    sent: Map<string, Record<string, number>>,
  ): Record<string, number> {
    const expect: Record<string, number> = {};
    for (const dep of p.requires) {
      const n = sent.get(dep)?.[p.plugin.name];
      if (n !== undefined) expect[dep] = n;
    }
    return expect;
  }

  // ---- requests ----

  /** A sync request to plugin `p`; undefined if the plugin failed. */
  private request(p: Active, kind: string, data: unknown): unknown {
    if (!p.alive) return undefined;
    try {
      if (p.draining) {
        p.draining = false;
        this.collect(
          p,
          p.channel.wait(this.opts.timeoutMs, (q) => this.answer(p, q)),
        );
      }
      if (!p.alive) return undefined;
      const r = p.channel.request(
        { kind, data },
        this.opts.timeoutMs,
        (q) => this.answer(p, q),
      );
      return this.collect(p, r);
    } catch (e) {
      if (e instanceof PluginAbortError) throw e;
      const why = e instanceof ChannelTimeout
        ? `its ${kind} callback did not return within ${this.opts.timeoutMs} ms`
        : (e as Error).message;
      this.fail(p, why);
      return undefined;
    }
  }

  /** Handles a reply's side channels (log text, errors, uninstall). */
  private collect(p: Active, m: ChannelMessage): unknown {
    const d = m.data as {
      r?: unknown;
      log?: string;
      error?: { name: string; message: string };
      uninstall?: boolean;
      reset?: boolean;
    };
    if (d.log) this.opts.out(d.log);
    if (d.error) {
      this.fail(p, `it threw ${d.error.name}: ${d.error.message}`);
      return undefined;
    }
    if (d.uninstall && p.active) {
      p.active = false;
      this.machine?.translator?.flush();
    }
    if (d.reset) {
      p.hooks.clear();
      this.machine?.translator?.flush();
    }
    return d.r;
  }

  /** Unloads a failed plugin (or aborts the run, if asked to). */
  private fail(p: Active, why: string): void {
    if (!p.alive) return;
    p.alive = false;
    p.active = false;
    p.plugin.terminate();
    this.opts.log(`pandeno: plugin "${p.plugin.name}" unloaded: ${why}`);
    // Its consumers' calls fail from now on, and they are told.
    for (const c of p.consumers) {
      killSlot(c.callSlot);
      const consumer = this.plugins.find((q) => q.plugin.name === c.name);
      if (consumer?.alive) {
        this.request(consumer, "qpp_gone", { plugin: p.plugin.name, why });
      }
    }
    this.machine?.translator?.flush();
    if (this.opts.onError === "abort") {
      throw new PluginAbortError(`plugin "${p.plugin.name}" failed: ${why}`);
    }
  }

  /** Answers a plugin's nested call (state access) during a sync callback. */
  private answer(p: Active, q: ChannelMessage): unknown {
    const m = this.machine!;
    const reg = (name: string) => {
      const r = findRegister(name);
      if (!r) throw new RangeError(`no register named "${name}"`);
      return r;
    };
    switch (q.kind) {
      case "log":
        this.opts.out(String(q.data));
        return null;
      case "registers":
        return REGISTERS.map((r) => ({
          name: r.name,
          size: r.size,
          feature: r.feature,
        }));
      case "readreg":
        return reg(q.data as string).read(m.cpu).toString();
      case "writereg": {
        const [name, v] = q.data as [string, string];
        reg(name).write(m.cpu, BigInt(v));
        return null;
      }
      case "setpc":
        m.cpu.pc = q.data as number;
        p.redirected = true;
        return null;
      case "readmem": {
        const [addr, len] = q.data as [number, number];
        const b = m.mem.read(addr, len);
        if (!b) {
          throw new RangeError(
            `guest memory at 0x${
              addr.toString(16)
            } (${len} bytes) is not readable`,
          );
        }
        return hex.toHex(b);
      }
      case "readstr": {
        const [addr, max] = q.data as [number, number];
        const s = m.mem.readCString(addr, max);
        if (s === undefined) {
          throw new RangeError(`no readable string at 0x${addr.toString(16)}`);
        }
        return s;
      }
      case "writemem": {
        const [addr, data] = q.data as [number, string];
        if (!m.mem.write(addr, hex.fromHex(data))) {
          throw new RangeError(
            `guest memory at 0x${addr.toString(16)} is not writable`,
          );
        }
        return null;
      }
    }
    throw new RangeError(`unknown call "${q.kind}"`);
  }

  private broadcast(hook: string, kind: string, data: unknown): void {
    for (const p of this.plugins) {
      if (p.active && p.hooks.has(hook)) {
        this.drainAll(p);
        this.request(p, kind, data);
      }
    }
  }

  // ---- batched delivery ----

  /** Instrumenter: a ring half is full. */
  ringFull(board: number): void {
    const p = this.plugins[board];
    const [head, , base] = p.hdr;
    if (!p.alive) {
      p.hdr[0] = 0;
      return;
    }
    if (p.draining) {
      p.draining = false;
      try {
        this.collect(
          p,
          p.channel.wait(this.opts.timeoutMs, (q) => this.answer(p, q)),
        );
      } catch (e) {
        this.fail(p, (e as Error).message);
      }
      if (!p.alive) return void (p.hdr[0] = 0);
    }
    p.channel.send({ kind: "drain", data: { base, bytes: head } });
    p.draining = true;
    p.hdr[2] = base === RING_BASE ? RING_BASE + RING_HALF : RING_BASE;
    p.hdr[0] = 0;
  }

  /** Delivers every record of `p` written so far, and waits for it. */
  private drainAll(p: Active): void {
    if (p.hdr[0] > 0 && p.alive) {
      const [head, , base] = p.hdr;
      p.hdr[0] = 0;
      this.request(p, "drain", { base, bytes: head });
    } else if (p.draining) {
      this.request(p, "vcpu", { event: "none" });
    }
  }

  // ---- Instrumenter ----

  /** Instrumenter: whether any plugin has a translation hook. */
  get planning(): boolean {
    return this.plugins.some((p) => p.active && p.hooks.has("tb_trans"));
  }

  /** Instrumenter: asks every plugin with a translation hook how to instrument `b`. */
  plan(b: BlockView): BlockPlan | undefined {
    return this.planMany([b])[0];
  }

  /**
   * Instrumenter: plans a group of blocks, with one request to each plugin
   * with a translation hook for the whole group.
   */
  planMany(blocks: readonly BlockView[]): (BlockPlan | undefined)[] {
    const plans: (MergedPlan | undefined)[] = blocks.map(() => undefined);
    let described: WireBlock[] | undefined;
    for (const p of this.plugins) {
      if (!p.active || !p.hooks.has("tb_trans")) continue;
      // Plugins decode, disassemble and find symbols lazily (tb_plan.ts).
      described ??= blocks.map((b) => packBlock(b.pc, b.insns));
      const reqs = this.request(p, "tb", { blocks: described }) as
        | PlanReq[]
        | undefined;
      if (!reqs || !p.active) continue;
      try {
        reqs.forEach((req, k) => {
          this.merge(plans[k] ??= emptyPlan(), p, req);
        });
      } catch (e) {
        this.fail(p, (e as Error).message);
      }
    }
    return plans;
  }

  private merge(
    plan: MergedPlan,
    p: Active,
    req: PlanReq,
  ): void {
    const into = (target: PointPlan, src: PointReq): PointPlan => ({
      calls: [...(target.calls ?? []), ...this.calls(p, src)],
      inline: [...(target.inline ?? []), ...this.inlineOps(p, src)],
    });
    if (req.block) plan.block = into(plan.block, req.block);
    for (const [i, src] of req.insns) {
      plan.insns.set(i, into(plan.insns.get(i) ?? {}, src));
    }
    if (req.compact !== undefined) {
      // One record per block run for the plugin's per-instruction events.
      plan.exit.push({
        op: "record",
        board: p.index,
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
      for (const m of mems) list.push(this.memPlan(p, m));
      plan.mem.set(i, list);
    }
  }

  private calls(p: Active, src: PointReq): ExecCall[] {
    return (src.calls ?? []).map((c) => ({
      id: (p.index << ID_SHIFT) | c.id,
      regs: c.access === "rw" ? "rw" : c.access === "none" ? "none" : "read",
      cond: c.cond && {
        board: p.index,
        offset: c.cond.offset,
        cmp: c.cond.cmp as "eq",
        value: BigInt(c.cond.value),
      },
    }));
  }

  private inlineOps(p: Active, src: PointReq): InlineOp[] {
    const ops: InlineOp[] = (src.inline ?? []).map((o) => ({
      op: o.op,
      board: p.index,
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
        board: p.index,
        ring: RING_HEADER,
        size: EXEC_RECORD + 8 * r.regs.length,
        fields,
      });
    }
    return ops;
  }

  private memPlan(
    p: Active,
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
          board: p.index,
          offset: m.inline.offset,
          value: BigInt(m.inline.value),
        }],
      };
    }
    if (m.mode === "sync") {
      return { id: (p.index << ID_SHIFT) | (m.id ?? 0), when: m.when };
    }
    return {
      id: 0,
      when: m.when,
      call: false,
      inline: [{
        op: "record",
        board: p.index,
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

  /** Instrumenter: a sync exec callback. */
  exec(id: number, pc: number, icount: number): number {
    const p = this.plugins[id >>> ID_SHIFT];
    if (!p?.active) return 0;
    this.drainAll(p);
    p.redirected = false;
    this.request(p, "exec", { id: id & ID_MASK, pc, icount });
    return p.redirected ? 1 : 0;
  }

  /** Instrumenter: a sync memory callback. */
  mem(
    id: number,
    pc: number,
    addrLo: number,
    addrHi: number,
    info: number,
    valueLo: number,
    valueHi: number,
  ): void {
    const p = this.plugins[id >>> ID_SHIFT];
    if (!p?.active) return;
    this.drainAll(p);
    const value = (BigInt(valueHi >>> 0) << 32n) | BigInt(valueLo >>> 0);
    this.request(p, "mem", {
      id: id & ID_MASK,
      pc,
      addr: (addrHi >>> 0) * 2 ** 32 + (addrLo >>> 0),
      info,
      value: value.toString(),
    });
  }

  // ---- process events ----

  private machineHooks(): MachineHooks {
    const has = (h: string) => this.plugins.some((p) => p.hooks.has(h));
    const hooks: MachineHooks = {};
    const cpu = () => this.machine!.cpu;
    const event = (nr: number) => ({
      num: nr,
      name: syscallName(nr) ?? `syscall_${nr}`,
      args: [10, 11, 12, 13, 14, 15].map((r) =>
        BigInt.asUintN(64, cpu().x[r]).toString()
      ),
      pc: cpu().pc,
      icount: cpu().instret - 1,
    });
    if (has("syscall") || has("syscall_filter")) {
      hooks.syscallEnter = (nr) => {
        const ev = event(nr);
        this.broadcast("syscall", "syscall", ev);
        for (const p of this.plugins) {
          if (!p.active || !p.hooks.has("syscall_filter")) continue;
          this.drainAll(p);
          const r = this.request(p, "syscall_filter", ev) as {
            skip?: boolean;
            ret?: string;
          } | undefined;
          if (r?.skip) return { ret: BigInt(r.ret ?? "0") };
        }
        return undefined;
      };
    }
    if (has("syscall_ret")) {
      hooks.syscallExit = (nr) => {
        this.broadcast("syscall_ret", "syscall_ret", {
          ...event(nr),
          ret: cpu().x[10].toString(),
        });
      };
    }
    if (has("discon")) {
      hooks.discontinuity = (kind, from, to, signal) =>
        this.broadcast("discon", "discon", { vcpu: 0, kind, from, to, signal });
    }
    if (has("vcpu_idle")) {
      hooks.idle = () => this.broadcast("vcpu_idle", "vcpu", { event: "idle" });
    }
    if (has("vcpu_resume")) {
      hooks.resume = () =>
        this.broadcast("vcpu_resume", "vcpu", { event: "resume" });
    }
    if (has("flush")) {
      hooks.flushed = () => this.broadcast("flush", "flush", null);
    }
    return hooks;
  }
}
