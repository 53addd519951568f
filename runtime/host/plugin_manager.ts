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
  type Instrumenter,
  type Machine,
  type MachineHooks,
  syscallName,
} from "../../core/mod.ts";
import { createBoard } from "../wire/board.ts";
import { Channel } from "../wire/channel.ts";
import { CALLBACK_ID_BITS, MAX_CALLBACK_ID, MAX_PLUGINS } from "../wire/ids.ts";
import { validatePlans } from "../wire/plan.ts";
import {
  type Access,
  CAN_READ,
  CAN_WRITE,
  validateFilterResult,
} from "../wire/replies.ts";
import type { InitMessage } from "../wire/protocol.ts";
import type { HostRequestKind } from "../wire/channel_message.ts";
import { createQppChannel } from "../wire/qpp_call.ts";
import type { PluginLock } from "./plugin_lock.ts";
import { packBlock, type WireBlock } from "../wire/block.ts";
import { type InsnFacts, LINUX_SYSCALL_ABI } from "../sdk/insn_facts.ts";
import {
  emptyPlan,
  type MergedPlan,
  mergePlan,
  PLAN_LIMITS,
  syncCalls,
} from "./plan_merge.ts";
import {
  type ConnectionEnv,
  PluginAbortError,
  PluginConnection,
} from "./plugin_connection.ts";
import { installPlugin, type ProbedPlugin } from "./load.ts";
import { resolvePlugins } from "./resolve_plugins.ts";
import type { PluginGrant } from "./permissions.ts";

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
  /** Pins for remote plugins' modules (`--plugin-lock`). */
  lock?: PluginLock;
  /** Memory budget per plugin in MiB (`--plugin-memory`). */
  memoryMb?: number;
}

export { PluginDependencyError } from "./resolve_plugins.ts";
export { PluginAbortError } from "./plugin_connection.ts";

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
  /**
   * Two memories per plugin, in load order: its board (scoreboards and
   * event ring, shared with its worker) and its ring header (host only).
   */
  readonly boards: WebAssembly.Memory[] = [];
  private readonly plugins: PluginConnection[] = [];
  private machine?: Machine;

  private readonly opts: PluginManagerOptions;
  /** What each plugin's connection needs from the set. */
  private readonly connEnv: ConnectionEnv;

  private constructor(opts: PluginManagerOptions) {
    this.opts = { ...opts };
    this.connEnv = {
      timeoutMs: opts.timeoutMs,
      out: (text) => this.opts.out(text),
      machine: () => this.machine,
      fail: (conn, why) => this.fail(conn, why),
      flush: () => this.machine?.translator?.flush(),
    };
  }

  /**
   * Loads plugins and returns the manager: {@link resolvePlugins} probes
   * them and resolves their `requires`, then each is installed in the
   * dependency order it returns, linked to the providers it requires.
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
      out: opts.out,
      timeoutMs: opts.loadTimeoutMs,
      lock: opts.lock,
      memoryMb: opts.memoryMb,
    };
    const order = await resolvePlugins(specs, loadOpts);
    try {
      for (const p of order) await pm.install(p, loadOpts);
      return pm;
    } catch (e) {
      for (const p of order) p.source.release();
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
      out?: (text: string) => void;
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
      const callSlot = createQppChannel(), cbSlot = createQppChannel();
      provider.plugin.worker.postMessage({
        type: "qpp-link",
        consumer: probed.manifest.name,
        order: this.plugins.length,
        port: port2,
        callSlot,
        cbSlot,
        consumerBell: channel.bell,
      }, [port2]);
      links.push({
        provider: dep,
        version: provider.plugin.version,
        port: port1,
        callSlot,
        cbSlot,
        providerBell: provider.channel.bell,
      });
      transfer.push(port1);
      provider.consumers.push({ name: probed.manifest.name, callSlot, cbSlot });
    }
    const plugin = await installPlugin(probed, {
      ...loadOpts,
      env: {
        channel: channel.buffer,
        bell: channel.bell,
        board: board.buffer as SharedArrayBuffer,
        symbols: this.opts.symbols,
        binary: this.opts.binary,
        qpp: links,
      },
    }, transfer);
    if (this.plugins.length >= MAX_PLUGINS) {
      throw new RangeError(`more than ${MAX_PLUGINS} plugins`);
    }
    const conn = new PluginConnection(
      this.plugins.length,
      plugin,
      channel,
      board,
      this.connEnv,
      Object.keys(probed.manifest.requires),
    );
    this.boards.push(board, conn.header);
    this.plugins.push(conn);
    // A plugin over its memory budget reports it (worker/memory_budget.ts)
    // and is unloaded with that one line.
    plugin.onControl((m) => {
      if (m.type !== "error" || m.error.name !== "BudgetExceeded") return;
      if (this.opts.onError === "unload") this.fail(conn, m.error.message);
      // With abort, the plugin's next allocation throws in its callback,
      // which aborts the run on the usual path.
    });
  }

  /**
   * Each plugin's latest structured report (`ctx.report(value)`), by plugin
   * name; plugins that reported nothing are absent.
   */
  reports(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const p of this.plugins) {
      if (p.report !== undefined) out[p.plugin.name] = JSON.parse(p.report);
    }
    return out;
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
      p.drainAll();
      if (p.hooks.has("vcpu_exit")) p.request("vcpu", { event: "exit" });
      if (p.consumers.length > 0) {
        sent.set(
          p.plugin.name,
          (p.request("qpp_flush", { expect: this.expected(p, sent) }) ??
            {}) as Record<string, number>,
        );
      }
    }
    for (const p of this.plugins) {
      if (!p.alive || !p.hooks.has("atexit")) continue;
      p.request("atexit", { expect: this.expected(p, sent) });
    }
    for (const p of this.plugins) p.plugin.terminate();
  }

  /** How many callback batches `p` must have received from each provider. */
  private expected(
    p: PluginConnection,
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

  /** Unloads a failed plugin (or aborts the run, if asked to). */
  private fail(p: PluginConnection, why: string): void {
    if (!p.alive) return;
    p.alive = false;
    p.active = false;
    p.plugin.terminate();
    this.opts.log(`pandeno: plugin "${p.plugin.name}" unloaded: ${why}`);
    // Its providers' sync callbacks to it end at once (not at their
    // deadline, which would fail the provider too).
    for (const q of this.plugins) {
      for (const c of q.consumers) {
        if (c.name === p.plugin.name) Channel.close(c.cbSlot);
      }
    }
    // Its consumers' calls fail from now on, and they are told.
    for (const c of p.consumers) {
      Channel.close(c.callSlot);
      const consumer = this.plugins.find((q) => q.plugin.name === c.name);
      if (consumer?.alive) {
        consumer.request("qpp_gone", { plugin: p.plugin.name, why });
      }
    }
    this.machine?.translator?.flush();
    if (this.opts.onError === "abort") {
      throw new PluginAbortError(`plugin "${p.plugin.name}" failed: ${why}`);
    }
  }

  private broadcast(
    hook: string,
    kind: HostRequestKind,
    data: unknown,
    cap: Access = 0,
  ): void {
    for (const p of this.plugins) {
      if (p.active && p.hooks.has(hook)) {
        p.drainAll();
        p.request(kind, data, cap);
      }
    }
  }

  // ---- batched delivery ----

  // ---- Instrumenter ----

  /** Instrumenter: plugin `board >> 1`'s ring half is full. */
  ringFull(board: number): void {
    this.plugins[board >> 1]?.ringFull();
  }

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
    let facts: InsnFacts[][] | undefined;
    for (const p of this.plugins) {
      if (!p.active || !p.hooks.has("tb_trans")) continue;
      // Plugins find symbols lazily (tb_plan.ts), and get the core's
      // instruction facts once they ask for them (a `facts` nested call).
      described ??= blocks.map((b) => packBlock(b.pc, b.insns));
      if (p.wantsFacts) {
        facts ??= blocks.map((b) => b.insns.map((i) => i.facts));
      }
      // Registrations of dropped blocks go once their records are delivered.
      let free: number[] | undefined;
      if (p.regs.hasFreed) {
        p.drainAll();
        free = p.regs.takeFreed();
      }
      p.planning = blocks;
      let reply: unknown;
      try {
        reply = p.request("tb", {
          blocks: described,
          free,
          facts: p.wantsFacts ? facts : undefined,
        });
      } finally {
        p.planning = undefined;
      }
      if (!p.active) continue;
      const reqs = validatePlans(
        reply,
        blocks.map((b) => b.insns.length),
        PLAN_LIMITS,
      );
      if (typeof reqs === "string") {
        this.fail(p, `it sent an invalid translation plan: ${reqs}`);
        continue;
      }
      try {
        reqs.forEach((req, k) => {
          p.regs.planned(blocks[k].pc, syncCalls(req));
          mergePlan(plans[k] ??= emptyPlan(), p.index, req);
        });
      } catch (e) {
        if (e instanceof PluginAbortError) throw e;
        this.fail(p, (e as Error).message);
      }
    }
    return plans;
  }

  /** Instrumenter: the block at `pc` was dropped. */
  dropped(pc: number): void {
    for (const p of this.plugins) p.regs.dropped(pc);
  }

  /** Instrumenter: every block and every plan made ahead was dropped. */
  flushed(): void {
    for (const p of this.plugins) p.regs.flushed();
  }

  /** Instrumenter: a sync exec callback. */
  exec(packed: number, pc: number, icount: number): number {
    // unpackId, without an array per call.
    const index = packed >>> CALLBACK_ID_BITS,
      id = packed & (MAX_CALLBACK_ID - 1);
    const p = this.plugins[index];
    if (!p?.active) return 0;
    p.drainAll();
    p.redirected = false;
    p.request("exec", { id, pc, icount }, p.regs.access(id));
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
    const index = id >>> CALLBACK_ID_BITS, local = id & (MAX_CALLBACK_ID - 1);
    const p = this.plugins[index];
    if (!p?.active) return;
    p.drainAll();
    const value = (BigInt(valueHi >>> 0) << 32n) | BigInt(valueLo >>> 0);
    p.request("mem", {
      id: local,
      pc,
      addr: (addrHi >>> 0) * 2 ** 32 + (addrLo >>> 0),
      info,
      value: value.toString(),
    }, CAN_READ);
  }

  // ---- process events ----

  private machineHooks(): MachineHooks {
    const has = (h: string) => this.plugins.some((p) => p.hooks.has(h));
    const hooks: MachineHooks = {};
    const cpu = () => this.machine!.cpu;
    const event = (nr: number) => ({
      num: nr,
      name: syscallName(nr) ?? `syscall_${nr}`,
      args: LINUX_SYSCALL_ABI.args.map(({ index: r }) =>
        BigInt.asUintN(64, cpu().x[r]).toString()
      ),
      pc: cpu().pc,
      icount: cpu().instret - 1,
    });
    if (has("syscall") || has("syscall_filter")) {
      hooks.syscallEnter = (nr) => {
        const ev = event(nr);
        this.broadcast("syscall", "syscall", ev, CAN_READ);
        for (const p of this.plugins) {
          if (!p.active || !p.hooks.has("syscall_filter")) continue;
          p.drainAll();
          const r = validateFilterResult(
            p.request("syscall_filter", ev, CAN_READ | CAN_WRITE),
          );
          if (typeof r === "string") {
            this.fail(p, `its syscall filter returned ${r}`);
            continue;
          }
          if (r) return { ret: r.ret };
        }
        return undefined;
      };
    }
    if (has("syscall_ret")) {
      hooks.syscallExit = (nr) => {
        this.broadcast("syscall_ret", "syscall_ret", {
          ...event(nr),
          ret: cpu().x[10].toString(),
        }, CAN_READ);
      };
    }
    if (has("discon")) {
      hooks.discontinuity = (kind, from, to, signal) =>
        this.broadcast(
          "discon",
          "discon",
          { vcpu: 0, kind, from, to, signal },
          CAN_READ,
        );
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
