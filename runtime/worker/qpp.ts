/**
 * The worker side of QPP (see `qpp_api.ts`): exported functions, imports,
 * and callbacks between plugin Workers.
 *
 * Each consumer -> provider link (set up by the host from the consumer's
 * `requires`) has a MessagePort for async calls and callback batches, and two
 * sync channels (the same {@link Channel} the host uses): one for the
 * consumer's sync calls to the provider, one for the provider's sync
 * callbacks to the consumer. A caller writes a request and rings the
 * callee's doorbell; the callee's serve loop polls its channels. Sync requests carry the chain of plugins blocked on them, so a
 * cycle is refused before it can deadlock.
 *
 * @module
 */

import { Channel } from "../wire/channel.ts";
import { satisfies } from "../wire/semver.ts";
import { pack, unpack } from "../wire/codec.ts";
import {
  qppCall,
  qppChannel,
  qppServe,
  SYNC_TIMEOUT_MS,
} from "../wire/qpp_call.ts";
import {
  type AsyncApi,
  type Qpp,
  type QppCallbacks,
  QppDeadlockError,
  type QppMeta,
  type QppOnOptions,
  QppUnavailableError,
  type SyncApi,
} from "../sdk/qpp_api.ts";

/** A link as the consumer sees it (one per required provider). */
export interface QppLinkEnv {
  /** Provider name. */
  provider: string;
  /** Provider version. */
  version: string;
  /** Port to the provider. */
  port: MessagePort;
  /** Slot for this consumer's sync calls to the provider. */
  callSlot: SharedArrayBuffer;
  /** Slot for the provider's sync callbacks to this consumer. */
  cbSlot: SharedArrayBuffer;
  /** The provider's doorbell (never its channel). */
  providerBell: SharedArrayBuffer;
}

/** A link as the provider sees it (one per consumer). */
export interface QppPeerEnv {
  /** Consumer name. */
  consumer: string;
  /** The consumer's load order (callbacks run in it). */
  order: number;
  /** Port to the consumer. */
  port: MessagePort;
  /** Slot for the consumer's sync calls. */
  callSlot: SharedArrayBuffer;
  /** Slot for sync callbacks to the consumer. */
  cbSlot: SharedArrayBuffer;
  /** The consumer's doorbell (never its channel). */
  consumerBell: SharedArrayBuffer;
}

const BATCH_MAX = 512;

interface Link extends QppLinkEnv {
  call: Channel;
  cb: Channel;
  pending: Map<number, { resolve(v: unknown): void; reject(e: unknown): void }>;
  nextId: number;
  dead?: string;
  received: number;
  handlers: Map<
    string,
    { fn: (p: unknown, m: QppMeta) => void; priority: number; seq: number }[]
  >;
}

interface Peer extends QppPeerEnv {
  call: Channel;
  cb: Channel;
  events: Map<string, "batched" | "sync">;
  batch: unknown[];
  sent: number;
}

/**
 * One plugin's QPP state.
 *
 * @example
 * ```ts ignore
 * const q = new QppRuntime("strace", links, () => icount);
 * ctx.qpp = q.api;
 * ```
 */
export class QppRuntime {
  /** The `ctx.qpp` object. */
  readonly api: Qpp;
  private impl?: Record<string, (...a: unknown[]) => unknown>;
  private readonly links = new Map<string, Link>();
  private readonly peers: Peer[] = [];
  private seq = 0;
  private chain: string[] = [];
  private readonly unavailable = new Map<string, ((why: string) => void)[]>();
  private waiters: (() => void)[] = [];
  private regSeq = 0;

  /** `icount` tells the instruction count of the event being handled. */
  constructor(
    readonly self: string,
    links: QppLinkEnv[],
    private readonly icount: () => number,
    private readonly myBell: SharedArrayBuffer,
  ) {
    for (const l of links) {
      const link: Link = {
        ...l,
        call: qppChannel(l.callSlot, l.providerBell),
        cb: qppChannel(l.cbSlot, myBell),
        pending: new Map(),
        nextId: 0,
        received: 0,
        handlers: new Map(),
      };
      l.port.onmessage = (e) => this.fromProvider(link, e.data);
      this.links.set(l.provider, link);
    }
    this.api = this.makeApi();
  }

  /**
   * Provider side: true once a consumer is linked, so events emitted now
   * reach someone and their `icount` must be exact.
   */
  get linked(): boolean {
    return this.peers.length > 0;
  }

  /** Provider side: a consumer was linked (host message `qpp-link`). */
  addPeer(p: QppPeerEnv): void {
    const peer: Peer = {
      ...p,
      call: qppChannel(p.callSlot, this.myBell),
      cb: qppChannel(p.cbSlot, p.consumerBell),
      events: new Map(),
      batch: [],
      sent: 0,
    };
    p.port.onmessage = (e) => this.fromConsumer(peer, e.data);
    this.peers.push(peer);
    this.peers.sort((a, b) => a.order - b.order);
    Channel.ring(this.myBell); // wake the serve loop: a slot to poll
  }

  /** Serves pending sync requests from peers; true if any was served. */
  poll(): boolean {
    let did = false;
    for (const p of this.peers) {
      if (!p.call.pending) continue; // no closures in the idle spin
      did = qppServe(p.call, (req) => this.serveCall(p.consumer, req)) || did;
    }
    for (const l of this.links.values()) {
      if (!l.cb.pending) continue;
      did = qppServe(l.cb, (req) => this.serveCallback(l, req)) || did;
    }
    return did;
  }

  /** Sends every batched callback event; returns the batch count per consumer. */
  flush(): Record<string, number> {
    const sent: Record<string, number> = {};
    for (const p of this.peers) {
      if (p.batch.length > 0) {
        p.port.postMessage({ t: "batch", events: p.batch });
        Channel.ring(p.consumerBell);
        p.batch = [];
        p.sent++;
      }
      sent[p.consumer] = p.sent;
    }
    return sent;
  }

  /** Waits until `expect[provider]` batches of each provider were handled. */
  async settle(expect: Record<string, number>): Promise<void> {
    const done = () =>
      Object.entries(expect).every(([name, n]) => {
        const l = this.links.get(name);
        return !l || l.dead !== undefined || l.received >= n;
      });
    const deadline = performance.now() + SYNC_TIMEOUT_MS;
    while (!done() && performance.now() < deadline) {
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 50);
      });
    }
  }

  /** A provider is gone: fail its calls and tell the plugin. */
  providerGone(name: string, why: string): void {
    const l = this.links.get(name);
    if (!l || l.dead !== undefined) return;
    l.dead = why;
    for (const { reject } of l.pending.values()) {
      reject(
        new QppUnavailableError(`plugin "${name}" is not available: ${why}`),
      );
    }
    l.pending.clear();
    for (const cb of this.unavailable.get(name) ?? []) cb(why);
  }

  // ---- provider side ----

  private serveCall(consumer: string, req: unknown): unknown {
    const r = req as {
      sys?: string;
      fn?: string;
      args?: unknown[];
      chain: string[];
      event?: string;
      mode?: "batched" | "sync";
    };
    if (r.sys === "sub") {
      const peer = this.peers.find((p) => p.consumer === consumer)!;
      peer.events.set(r.event!, r.mode ?? "batched");
      return null;
    }
    const prev = this.chain;
    this.chain = r.chain;
    try {
      return this.invoke(r.fn!, r.args ?? [], consumer);
    } finally {
      this.chain = prev;
    }
  }

  private invoke(fn: string, args: unknown[], consumer: string): unknown {
    // Own properties only: a name every object inherits (`toString`,
    // `hasOwnProperty`, `__lookupGetter__`, ...) was never exported.
    const impl = this.impl;
    const f = impl !== undefined && typeof fn === "string" &&
        Object.hasOwn(impl, fn)
      ? impl[fn]
      : undefined;
    if (typeof f !== "function") {
      throw new TypeError(
        `plugin "${this.self}" exports no function "${fn}" (called by "${consumer}")`,
      );
    }
    return f.apply(impl, args);
  }

  private fromConsumer(peer: Peer, msg: unknown): void {
    const m = msg as { t: string; id: number; fn: string; args: unknown[] };
    if (m.t !== "call") return;
    Promise.resolve()
      .then(() =>
        this.invoke(
          m.fn,
          unpack(m.args as unknown as string) as unknown[],
          peer.consumer,
        )
      )
      .then(
        (v) =>
          peer.port.postMessage({
            t: "ret",
            id: m.id,
            ok: v === undefined ? undefined : pack(v),
          }),
        (e) =>
          peer.port.postMessage({
            t: "ret",
            id: m.id,
            err: { name: (e as Error).name, message: (e as Error).message },
          }),
      )
      .finally(() => Channel.ring(peer.consumerBell));
  }

  private run(event: string, payload: unknown): void {
    const seq = this.seq++;
    const meta: QppMeta = { provider: this.self, icount: this.icount(), seq };
    let packed: string | undefined; // copied once, shared by every consumer
    for (const p of this.peers) {
      const mode = p.events.get(event);
      if (mode === undefined) continue;
      if (mode === "sync") {
        // A consumer that is gone misses its callbacks; the emitter goes on.
        if (p.cb.closed) continue;
        try {
          this.syncCall(p.cb, p.consumer, { event, payload, meta });
        } catch (e) {
          if (!(e instanceof QppUnavailableError)) throw e;
        }
      } else {
        // Copied now (structured data), so consumers see this moment's state.
        packed ??= pack(payload);
        p.batch.push([event, packed, meta.icount, seq]);
        if (p.batch.length >= BATCH_MAX) {
          p.port.postMessage({ t: "batch", events: p.batch });
          Channel.ring(p.consumerBell);
          p.batch = [];
          p.sent++;
        }
      }
    }
  }

  // ---- consumer side ----

  private fromProvider(l: Link, msg: unknown): void {
    const m = msg as {
      t: string;
      id?: number;
      ok?: string;
      err?: { name: string; message: string };
      events?: [string, string, number, number][];
    };
    if (m.t === "ret") {
      const p = l.pending.get(m.id!);
      if (!p) return;
      l.pending.delete(m.id!);
      if (m.err) {
        const e = new Error(m.err.message);
        e.name = m.err.name;
        p.reject(e);
      } else p.resolve(m.ok === undefined ? undefined : unpack(m.ok));
    } else if (m.t === "batch") {
      for (const [event, payload, icount, seq] of m.events!) {
        this.dispatch(l, event, unpack(payload), {
          provider: l.provider,
          icount,
          seq,
        });
      }
      l.received++;
      for (const w of this.waiters.splice(0)) w();
    }
  }

  private serveCallback(l: Link, req: unknown): unknown {
    const r = req as {
      event: string;
      payload: unknown;
      meta: QppMeta;
      chain: string[];
    };
    const prev = this.chain;
    this.chain = r.chain;
    try {
      this.dispatch(l, r.event, r.payload, r.meta, "sync");
    } finally {
      this.chain = prev;
    }
    return null;
  }

  private dispatch(
    l: Link,
    event: string,
    payload: unknown,
    meta: QppMeta,
    mode?: string,
  ): void {
    for (const h of l.handlers.get(`${mode ?? "batched"}:${event}`) ?? []) {
      h.fn(payload, meta);
    }
  }

  private syncCall(
    ch: Channel,
    target: string,
    req: Record<string, unknown>,
  ): unknown {
    const chain = [...this.chain, this.self];
    if (chain.includes(target)) {
      throw new QppDeadlockError(
        `sync QPP call would deadlock: ${
          [...chain, target].join(" -> ")
        } (make one of these calls async)`,
      );
    }
    return qppCall(ch, { ...req, chain }, target);
  }

  private link(plugin: string, range: string): Link {
    const l = this.links.get(plugin);
    if (!l) {
      throw new TypeError(
        `plugin "${this.self}" imports "${plugin}" without requiring it; add requires: { ${plugin}: "${range}" } to its definition`,
      );
    }
    if (!satisfies(l.version, range)) {
      throw new TypeError(
        `plugin "${this.self}" imports ${plugin} ${range}, but ${plugin} ${l.version} is loaded`,
      );
    }
    return l;
  }

  private makeApi(): Qpp {
    return {
      export: <T extends object>(impl: T) => {
        if (this.impl) {
          throw new Error(
            `plugin "${this.self}" already exported its functions`,
          );
        }
        this.impl = impl as Record<string, (...a: unknown[]) => unknown>;
      },
      callbacks: <C>(): QppCallbacks<C> => ({
        run: (event, payload) => this.run(event, payload),
        wanted: (event) => this.peers.some((p) => p.events.has(event)),
      }),
      import: <T extends object>(
        plugin: string,
        range: string,
      ): AsyncApi<T> => {
        const l = this.link(plugin, range);
        return new Proxy({}, {
          get: (_t, fn) => {
            if (typeof fn !== "string" || fn === "then") return undefined;
            return (...args: unknown[]) => {
              if (l.dead !== undefined) {
                return Promise.reject(
                  new QppUnavailableError(
                    `plugin "${plugin}" is not available: ${l.dead}`,
                  ),
                );
              }
              const id = l.nextId++;
              return new Promise((resolve, reject) => {
                l.pending.set(id, { resolve, reject });
                l.port.postMessage({ t: "call", id, fn, args: pack(args) });
                Channel.ring(l.providerBell);
              });
            };
          },
        }) as AsyncApi<T>;
      },
      importSync: <T extends object>(
        plugin: string,
        range: string,
      ): SyncApi<T> => {
        const l = this.link(plugin, range);
        return new Proxy({}, {
          get: (_t, fn) => {
            if (typeof fn !== "string" || fn === "then") return undefined;
            return (...args: unknown[]) => {
              if (l.dead !== undefined) {
                throw new QppUnavailableError(
                  `plugin "${plugin}" is not available: ${l.dead}`,
                );
              }
              return this.syncCall(l.call, plugin, {
                fn,
                args,
              });
            };
          },
        }) as SyncApi<T>;
      },
      on: <C, K extends keyof C & string>(
        plugin: string,
        event: K,
        handler: (payload: C[K], meta: QppMeta) => void,
        opts: QppOnOptions = {},
      ) => {
        const l = this.link(plugin, "*");
        const mode = opts.mode ?? "batched";
        const key = `${mode}:${event}`;
        let list = l.handlers.get(key);
        if (!list) {
          l.handlers.set(key, list = []);
          this.syncCall(l.call, plugin, {
            sys: "sub",
            event,
            mode,
          });
        }
        const h = {
          fn: handler as (p: unknown, m: QppMeta) => void,
          priority: opts.priority ?? 0,
          seq: this.regSeq++,
        };
        list.push(h);
        list.sort((a, b) => b.priority - a.priority || a.seq - b.seq);
        return () => {
          const i = list!.indexOf(h);
          if (i >= 0) list!.splice(i, 1);
        };
      },
      onUnavailable: (plugin: string, cb: (why: string) => void) => {
        let list = this.unavailable.get(plugin);
        if (!list) this.unavailable.set(plugin, list = []);
        list.push(cb);
      },
    };
  }
}
