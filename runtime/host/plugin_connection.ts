/**
 * One loaded plugin's connection, as the host holds it: its Worker, its
 * sync channel, its board and the ring header only the host writes, what
 * it registered per block, what the request in flight lets it do, and its
 * report. Every request to the plugin, every answer to its nested calls and
 * every drain of its events goes through here; anything invalid from the
 * plugin ends in `env.fail`, never in an exception.
 *
 * @module
 */

import {
  type BlockView,
  findRegister,
  type Machine,
  REGISTERS,
} from "../../core/mod.ts";
import { RING_BASE, RING_HALF, RING_HEADER } from "../wire/board.ts";
import {
  type Channel,
  type ChannelMessage,
  ChannelProtocolError,
  ChannelTimeout,
} from "../wire/channel.ts";
import type { HostRequestKind } from "../wire/channel_message.ts";
import * as hex from "../wire/hex.ts";
import {
  type Access,
  accessError,
  CAN_READ,
  CAN_WRITE,
  checkAnswerArgs,
  validateReply,
} from "../wire/replies.ts";
import { BlockRegistrations } from "./block_registrations.ts";
import type { LoadedPlugin } from "./load.ts";

/** A plugin failed and `--plugin-error=abort` was given. */
export class PluginAbortError extends Error {
  /** Always "PluginAbortError". */
  override name = "PluginAbortError";
}

/** What a connection needs from the plugin set around it. */
export interface ConnectionEnv {
  /** Milliseconds a request may take. */
  readonly timeoutMs: number;
  /** Where plugin text goes. */
  out(text: string): void;
  /** The machine being run, once attached. */
  machine(): Machine | undefined;
  /** Unloads the plugin (or aborts the run), saying why. */
  fail(conn: PluginConnection, why: string): void;
  /** Drops every translation (the plugin's instrumentation changed). */
  flush(): void;
}

/** A consumer of this plugin's QPP API, and the slots it calls through. */
export interface QppConsumerLink {
  /** The consumer's name. */
  name: string;
  /** Its sync calls to this plugin. */
  callSlot: SharedArrayBuffer;
  /** This plugin's sync callbacks to it. */
  cbSlot: SharedArrayBuffer;
}

/**
 * One loaded plugin's connection.
 *
 * @example
 * ```ts ignore
 * const conn = new PluginConnection(0, plugin, channel, board, env, []);
 * conn.request("vcpu", { event: "init" });
 * ```
 */
export class PluginConnection {
  /**
   * The ring header (head, limit, base), in a memory only the host and
   * translated code see: the plugin cannot point records outside its board.
   */
  readonly header: WebAssembly.Memory = new WebAssembly.Memory({
    initial: 1,
    maximum: 1,
  });
  /** The header's words. */
  readonly hdr: Uint32Array = new Uint32Array(
    this.header.buffer,
    RING_HEADER,
    4,
  );
  /** What it registered per translated block (freed when blocks go). */
  readonly regs: BlockRegistrations = new BlockRegistrations();
  /** What the request in flight lets the plugin do with vCPU state. */
  cap: Access = 0;
  /** The plugin's last structured report (`ctx.report`), as JSON. */
  report?: string;
  /** The hooks it registered. */
  readonly hooks: Set<string>;
  /** Its QPP consumers and the slots they call it through. */
  readonly consumers: QppConsumerLink[] = [];
  /** Instrumentation still active (false after uninstall or failure). */
  active = true;
  /** The worker is alive (false after a failure). */
  alive = true;
  /** A drain request is in flight. */
  draining = false;
  /** The callee moved the pc during a sync exec callback. */
  redirected = false;
  /**
   * The blocks of the `tb` request in flight, whose facts the plugin may
   * ask for (`facts` nested call); undefined outside one.
   */
  planning: readonly BlockView[] | undefined;
  /** The plugin asked for facts once: they go with every block from now on. */
  wantsFacts = false;

  /** Wraps an installed plugin and the channel and board it was given. */
  constructor(
    /** Its load order. */
    readonly index: number,
    /** The installed plugin (worker, name, version). */
    readonly plugin: LoadedPlugin,
    /** Its sync channel. */
    readonly channel: Channel,
    /** Its board (scoreboards and event ring, shared with its worker). */
    readonly board: WebAssembly.Memory,
    private readonly env: ConnectionEnv,
    /** Names of the providers it requires (QPP). */
    readonly requires: readonly string[],
  ) {
    this.hdr.set([0, RING_HALF, RING_BASE, 0]);
    this.hooks = new Set(plugin.hooks);
  }

  /**
   * A sync request to plugin `p`, during which it may use vCPU state as
   * `cap` allows; undefined if the plugin failed. Nothing the plugin does
   * makes this throw (except an abort the user asked for).
   */
  request(
    kind: HostRequestKind,
    data: unknown,
    cap: Access = 0,
    drainBytes = 0,
  ): unknown {
    if (!this.alive) return undefined;
    try {
      if (this.draining) {
        this.draining = false;
        this.collect(
          this.channel.wait(this.env.timeoutMs, (q) => this.answer(q)),
        );
      }
      if (!this.alive) return undefined;
      this.channel.send({ kind, data }, drainBytes);
      this.cap = cap;
      let r: ChannelMessage;
      try {
        r = this.channel.wait(this.env.timeoutMs, (q) => this.answer(q));
      } finally {
        this.cap = 0;
      }
      return this.collect(r);
    } catch (e) {
      if (e instanceof PluginAbortError) throw e;
      const why = e instanceof ChannelTimeout
        ? `its ${kind} callback did not return within ${this.env.timeoutMs} ms`
        : e instanceof ChannelProtocolError
        ? `it broke the channel protocol: ${e.message}`
        : `it sent an invalid ${kind} reply: ${(e as Error).message}`;
      this.env.fail(this, why);
      return undefined;
    }
  }

  /** Handles a reply's side channels (log text, errors, uninstall). */
  private collect(m: ChannelMessage): unknown {
    const d = validateReply(m);
    if (typeof d === "string") {
      this.env.fail(this, `it sent an invalid reply: ${d}`);
      return undefined;
    }
    if (d.log) this.env.out(d.log);
    if (d.report !== undefined) this.report = d.report;
    if (d.error) {
      this.env.fail(this, `it threw ${d.error.name}: ${d.error.message}`);
      return undefined;
    }
    if (d.uninstall && this.active) {
      this.active = false;
      this.env.flush();
    }
    if (d.reset) {
      this.hooks.clear();
      this.env.flush();
    }
    return d.r;
  }

  /**
   * Answers a plugin's nested call during one of its requests. State access
   * is checked against what the request in flight allows (`this.cap`); a
   * refusal or bad arguments are errors the plugin can catch.
   */
  private answer(q: ChannelMessage): unknown {
    const m = this.env.machine();
    const bad = checkAnswerArgs(q);
    if (bad) throw new TypeError(`${q.kind}: ${bad}`);
    const need = q.kind === "readreg" || q.kind === "readmem" ||
        q.kind === "readstr"
      ? CAN_READ
      : q.kind === "writereg" || q.kind === "writemem" || q.kind === "setpc"
      ? CAN_WRITE
      : 0;
    if (need && (this.cap & need) !== need) {
      throw accessError(this.plugin.name, q.kind, need);
    }
    if (need && !m) throw new RangeError(`${q.kind}: no guest is running`);
    const reg = (name: string) => {
      const r = findRegister(name);
      if (!r) throw new RangeError(`no register named "${name}"`);
      return r;
    };
    switch (q.kind) {
      case "log":
        this.env.out(q.data as string);
        return null;

      case "registers":
        return REGISTERS.map((r) => ({
          name: r.name,
          size: r.size,
          feature: r.feature,
        }));
      case "readreg":
        return reg(q.data as string).read(m!.cpu).toString();
      case "writereg": {
        const [name, v] = q.data as [string, string];
        reg(name).write(m!.cpu, BigInt(v));
        return null;
      }
      case "facts": {
        const b = this.planning?.[q.data as number];
        if (!b) {
          throw new RangeError("instruction facts exist only in onTbTrans");
        }
        this.wantsFacts = true;
        return b.insns.map((i) => i.facts);
      }
      case "setpc":
        m!.cpu.pc = q.data as number;
        this.redirected = true;
        return null;
      case "readmem": {
        const [addr, len] = q.data as [number, number];
        const b = m!.mem.read(addr, len);
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
        const s = m!.mem.readCString(addr, max);
        if (s === undefined) {
          throw new RangeError(`no readable string at 0x${addr.toString(16)}`);
        }
        return s;
      }
      case "writemem": {
        const [addr, data] = q.data as [number, string];
        if (!m!.mem.write(addr, hex.fromHex(data))) {
          throw new RangeError(
            `guest memory at 0x${addr.toString(16)} is not writable`,
          );
        }
        return null;
      }
    }
    throw new RangeError(`unknown call "${q.kind}"`);
  }

  /**
   * Instrumenter: a ring half is full. Hands it to the worker to drain
   * while records go to the other half (the header is the host's own).
   */
  ringFull(): void {
    const [head, , base] = this.hdr;
    this.hdr[0] = 0;
    if (!this.alive) return;
    try {
      if (this.draining) {
        this.draining = false;
        this.collect(
          this.channel.wait(this.env.timeoutMs, (q) => this.answer(q)),
        );
        if (!this.alive) return;
      }
      this.channel.send({ kind: "drain", data: { base, bytes: head } }, head);
      this.draining = true;
      this.hdr[2] = base === RING_BASE ? RING_BASE + RING_HALF : RING_BASE;
    } catch (e) {
      if (e instanceof PluginAbortError) throw e;
      this.env.fail(
        this,
        e instanceof ChannelTimeout
          ? `its drain did not finish within ${this.env.timeoutMs} ms`
          : (e as Error).message,
      );
    }
  }

  /** Delivers every record of `p` written so far, and waits for it. */
  drainAll(): void {
    if (this.hdr[0] > 0 && this.alive) {
      const [head, , base] = this.hdr;
      this.hdr[0] = 0;
      this.request("drain", { base, bytes: head }, 0, head);
    } else if (this.draining) {
      this.request("vcpu", { event: "none" });
    }
  }
}
