/**
 * QPP: plugin-to-plugin functions and callbacks, typed at both ends.
 *
 * A provider exports an object of functions and names its callbacks; a
 * consumer that declares the provider in its manifest's `requires` imports
 * them with the provider's TypeScript interface:
 *
 * ```ts ignore
 * // provider (callstack.ts)
 * export interface CallstackApi { current(): string[]; depth(): number }
 * export interface CallstackEvents { on_call: { from: number; to: number } }
 * ctx.qpp.export<CallstackApi>({ current: () => [...stack], depth: () => stack.length });
 * const events = ctx.qpp.callbacks<CallstackEvents>();
 * events.run("on_call", { from, to });
 *
 * // consumer (requires: { callstack: "^1" })
 * import type { CallstackApi, CallstackEvents } from "./callstack.ts";
 * const cs = ctx.qpp.import<CallstackApi>("callstack", "^1");
 * const frames = await cs.current();          // async: worker to worker
 * const d = ctx.qpp.importSync<CallstackApi>("callstack", "^1").depth();
 * ctx.qpp.on<CallstackEvents, "on_call">("callstack", "on_call", (e, meta) => {});
 * ```
 *
 * Calls travel directly between the two Workers over a MessagePort the host
 * sets up once; the synchronous variant uses shared memory and Atomics and
 * refuses a cycle of sync calls ({@link QppDeadlockError}). Callback
 * payloads are copied when `run` is called (so a consumer never sees later
 * guest state) and fanned out in batches: one message per batch per
 * consumer, not per event. Handlers of one event run in order of
 * `priority` (higher first), then plugin load order, then registration
 * order. Every event carries the provider's instruction count.
 *
 * @module
 */

/** Any function-valued interface can be exported. */
export type QppExports = object;

/** The async view of an exported interface: every method returns a Promise. */
export type AsyncApi<T> = {
  readonly [K in keyof T]: T[K] extends (...args: infer A) => infer R
    ? (...args: A) => Promise<Awaited<R>>
    : never;
};

/** The sync view of an exported interface (for sync instrumentation callbacks). */
export type SyncApi<T> = {
  readonly [K in keyof T]: T[K] extends (...args: infer A) => infer R
    ? (...args: A) => Awaited<R>
    : never;
};

/** Metadata delivered with each callback event. */
export interface QppMeta {
  /** The provider plugin's name. */
  readonly provider: string;
  /** Guest instructions executed before the event (the provider's vCPU view). */
  readonly icount: number;
  /** The event's sequence number within its provider (0, 1, 2, ...). */
  readonly seq: number;
}

/** Options of a callback registration. */
export interface QppOnOptions {
  /** Higher runs first (default 0). */
  readonly priority?: number;
  /**
   * "batched" (default): delivered asynchronously in batches. "sync": the
   * provider's `run` waits until this handler returned, so the handler may
   * query the provider (with `importSync`) about the same moment.
   */
  readonly mode?: "batched" | "sync";
}

/** A provider's handle to run its callbacks. `C` maps event names to payload types. */
export interface QppCallbacks<C> {
  /** Runs every consumer's handler for `event` with a copy of `payload`. */
  run<K extends keyof C & string>(event: K, payload: C[K]): void;
  /** True when some consumer listens to `event` (skip building costly payloads). */
  wanted<K extends keyof C & string>(event: K): boolean;
}

/** The QPP part of the plugin context. */
export interface Qpp {
  /** Exports this plugin's functions (once, during install). */
  export<T extends QppExports>(impl: T): void;
  /** Declares this plugin's callbacks; returns the handle to run them. */
  callbacks<C>(): QppCallbacks<C>;
  /**
   * Imports `plugin`'s functions, which must satisfy `range` and be declared
   * in this plugin's `requires`. Calls reject with `QppUnavailableError`
   * once the provider is gone.
   */
  import<T extends QppExports>(plugin: string, range: string): AsyncApi<T>;
  /** Like `import`, but calls block until the provider answers. */
  importSync<T extends QppExports>(plugin: string, range: string): SyncApi<T>;
  /** Registers a handler for one of `plugin`'s callbacks; returns the unregister function. */
  on<C, K extends keyof C & string>(
    plugin: string,
    event: K,
    handler: (payload: C[K], meta: QppMeta) => void,
    opts?: QppOnOptions,
  ): () => void;
  /** Called when `plugin` is unloaded or crashes. */
  onUnavailable(plugin: string, cb: (reason: string) => void): void;
}

/** A provider is not loaded (any more): calls to it fail with this. */
export class QppUnavailableError extends Error {
  /** Always "QppUnavailableError". */
  override name = "QppUnavailableError";
}

/** A cycle of sync QPP calls would deadlock: refused. */
export class QppDeadlockError extends Error {
  /** Always "QppDeadlockError". */
  override name = "QppDeadlockError";
}
