/**
 * The script every plugin Worker runs. The host starts a tiny `blob:`
 * bootstrap module:
 *
 * ```js ignore
 * import { servePlugin } from "file:///.../runtime/plugin_worker.ts";
 * import "file:///.../runtime/sdk.ts";
 * const url = "file:///.../my_plugin.ts";
 * servePlugin(() => import(url));
 * ```
 *
 * so this module is evaluated, locks the worker down and registers
 * `onmessage` before any plugin code runs. The plugin's specifier is
 * computed, so Deno checks its whole module graph against the Worker's
 * permissions (a literal one would load it, and its literal imports, with
 * the host's rights: deno issue 29503). The host grants read on exactly the
 * plugin's own files (runtime/plugin_graph.ts); the SDK is already loaded.
 *
 * Lock-down, measured on Deno 2.9.6: `Deno.exit`, `process.exit` and
 * `self.close()` in a worker silently end the worker only, so the host would
 * wait forever; here they post an `exit`/`close` control message first.
 * `Deno.kill(Deno.pid, sig)` needs no permission (even with run denied) and
 * kills the host, so it is refused, as are `process.kill` and `process.abort`.
 * `Deno.permissions.request()` in a sandboxed worker prompts on a TTY and can
 * escalate, so it always throws here; nested Workers would get a fresh,
 * un-locked global, so they are refused. `Deno[Deno.internal]` (runtime
 * internals) is hidden. Printing (`console`, `Deno.stdout`, `process.stdout`
 * and their stderr twins) would land in the guest's stdout or around the
 * `-D` log, so it goes to the plugin log; stdin is the guest's and is
 * refused. `caches` (which writes to DENO_DIR) and `BroadcastChannel` need no
 * permission in Deno, so they are removed.
 *
 * @module
 */

import { PluginArgs } from "./plugin_args.ts";
import { PluginRuntime } from "./plugin_runtime.ts";
import type { PluginDefinition } from "./plugin_def.ts";
import {
  decodeMessage,
  type InitMessage,
  type Message,
  toErrorInfo,
} from "./protocol.ts";

/** The worker global, typed without the `deno.worker` lib. */
const scope = globalThis as unknown as {
  postMessage(m: unknown): void;
  close(): void;
  onmessage: ((e: MessageEvent) => void) | null;
  process?: Record<string, unknown>;
};
/**
 * Only a Worker is locked down; imported anywhere else (doc tests, tools)
 * this module does nothing at load.
 */
const IN_WORKER = "WorkerGlobalScope" in globalThis &&
  globalThis instanceof
    (globalThis as unknown as { WorkerGlobalScope: typeof Object })
      .WorkerGlobalScope;
const post: (m: Message) => void = IN_WORKER
  ? scope.postMessage.bind(scope)
  : () => {};
const realClose: () => void = IN_WORKER ? scope.close.bind(scope) : () => {};

function lock(obj: object, key: string, value: unknown): void {
  try {
    Object.defineProperty(obj, key, {
      value,
      writable: false,
      configurable: false,
      enumerable: false,
    });
  } catch {
    // Already non-configurable: nothing a plugin can change either.
  }
}

function refused(what: string): never {
  throw new Deno.errors.NotCapable(
    `${what} is not allowed inside a plugin worker`,
  );
}

/** Makes exits visible to the host and closes escalation paths. */
function lockDown(): void {
  lock(Deno, "exit", (code = 0) => {
    post({ type: "exit", code: Number(code) || 0, via: "Deno.exit" });
    throw new Deno.errors.NotCapable(
      `Deno.exit(${code}) is not allowed inside a plugin worker`,
    );
  });
  const proc = scope.process;
  if (proc) {
    for (const key of ["exit", "reallyExit"]) {
      lock(proc, key, (code = 0) => {
        post({ type: "exit", code: Number(code) || 0, via: `process.${key}` });
        throw new Deno.errors.NotCapable(
          `process.${key}(${code}) is not allowed inside a plugin worker`,
        );
      });
    }
    lock(proc, "abort", () => refused("process.abort()"));
    lock(proc, "kill", () => refused("process.kill()"));
    // Built-ins by name, around deno.json's map (runtime/denied_builtin.ts).
    for (
      const key of ["getBuiltinModule", "binding", "_linkedBinding", "dlopen"]
    ) {
      lock(proc, key, () => refused(`process.${key}()`));
    }
  }
  // Deno.kill(Deno.pid, signal) needs no permission at all, even in a
  // sandboxed worker: it would kill the host.
  lock(Deno, "kill", () => refused("Deno.kill()"));
  redirectStdio();
  // Deno[Deno.internal] exposes runtime internals (core ops); hide it.
  lock(Deno, (Deno as unknown as { internal: string }).internal, undefined);
  // The Cache API writes to DENO_DIR with no permission at all, and is
  // shared by every plugin and every run; BroadcastChannel reaches the
  // other plugins' workers.
  lock(globalThis, "caches", undefined);
  lock(globalThis, "BroadcastChannel", function BroadcastChannel() {
    refused("BroadcastChannel");
  });
  lock(globalThis, "close", () => {
    post({ type: "close" });
    realClose();
  });
  const perms = Deno.permissions;
  for (const target of [perms, Object.getPrototypeOf(perms)]) {
    lock(
      target,
      "request",
      () =>
        Promise.reject(
          new Deno.errors.NotCapable(
            "permission requests are not allowed inside a plugin worker; use --allow-plugin",
          ),
        ),
    );
    lock(
      target,
      "requestSync",
      () => refused("Deno.permissions.requestSync()"),
    );
  }
  lock(globalThis, "Worker", function Worker() {
    refused("starting a Worker");
  });
  lock(Deno, "permissions", perms);
}

/**
 * Where plugin text goes: the plugin log (stderr or `-D FILE`), never the
 * guest's stdout. Text printed while the host only probes the manifest is
 * dropped: the module's top level runs again in the real worker.
 */
function pluginLog(text: string): void {
  if (phase === "probe") return;
  if (runtime) runtime.ctx.log(text);
  else post({ type: "log", text });
}

/** A stand-in for `Deno.stdout`/`Deno.stderr` that writes to the plugin log. */
function logStream(): object {
  const decoder = new TextDecoder();
  const put = (b: Uint8Array) => {
    pluginLog(decoder.decode(b, { stream: true }));
    return b.byteLength;
  };
  return Object.freeze({
    writeSync: put,
    write: (b: Uint8Array) => Promise.resolve(put(b)),
    writable: new WritableStream<Uint8Array>({ write: (b) => void put(b) }),
    isTerminal: () => false,
    close() {},
  });
}

/**
 * Plugin output must not mix into the guest's stdout, and a plugin must not
 * read the guest's stdin: `console`, `Deno.stdout`/`stderr` and
 * `process.stdout`/`stderr` go to the plugin log; stdin is refused.
 * (`node:fs` calls on descriptors 0-2 reach the process's stdio directly;
 * deno.json keeps `node:fs` from plugin code: runtime/denied_builtin.ts.)
 */
function redirectStdio(): void {
  const internal = (Deno as unknown as Record<string, unknown>)[
    (Deno as unknown as { internal: string }).internal
  ] as { Console?: new (print: (msg: string) => void) => Console } | undefined;
  const PluginConsole = internal?.Console;
  if (PluginConsole) {
    // Patched in place: node:console hands out this same object's methods.
    const original = globalThis.console as unknown as Record<string, unknown>;
    const logging = new PluginConsole(pluginLog) as unknown as Record<
      string,
      unknown
    >;
    for (const key of Object.keys(original)) {
      if (typeof original[key] === "function") {
        lock(original, key, logging[key]);
      }
    }
    lock(globalThis, "console", original);
  }
  const stdin = Object.freeze({
    read: () => refused("reading standard input"),
    readSync: () => refused("reading standard input"),
    get readable(): never {
      return refused("reading standard input");
    },
    isTerminal: () => false,
    close() {},
  });
  lock(Deno, "stdin", stdin);
  lock(Deno, "stdout", logStream());
  lock(Deno, "stderr", logStream());
  const proc = scope.process;
  if (!proc) return;
  const nodeStream = (): object => {
    const s = {
      write(chunk: unknown, enc?: unknown, cb?: unknown): boolean {
        pluginLog(
          typeof chunk === "string"
            ? chunk
            : new TextDecoder().decode(chunk as Uint8Array),
        );
        const done = typeof enc === "function" ? enc : cb;
        if (typeof done === "function") queueMicrotask(() => done());
        return true;
      },
      end: () => s,
      on: () => s,
      once: () => s,
      off: () => s,
      removeListener: () => s,
      emit: () => false,
      listenerCount: () => 0,
      isTTY: false,
    };
    return s;
  };
  lock(proc, "stdout", nodeStream());
  lock(proc, "stderr", nodeStream());
  lock(proc, "stdin", stdin);
}

let load: (() => Promise<unknown>) | undefined;
/** The phase of the `init` being handled: "probe" runs drop plugin text. */
let phase: InitMessage["phase"] | undefined;
/** The plugin's runtime, once installing. */
let runtime: PluginRuntime | undefined;
const queued: InitMessage[] = [];

if (IN_WORKER) setUp();

/** Locks the worker down and wires its message and error handlers. */
function setUp(): void {
  lockDown();

  // Registered at module evaluation, before any await (messages that arrive
  // before servePlugin are queued).
  scope.onmessage = (e: MessageEvent) => {
    const m = decodeMessage(e.data);
    if (m.type === "init") {
      if (load) void handleInit(m);
      else queued.push(m);
    } else if (m.type === "qpp-link") {
      runtime?.linkConsumer(m);
    } else if (m.type === "terminate") {
      realClose();
    } else {
      const reason = m.type === "protocol-error"
        ? m.reason
        : `unexpected "${m.type}" message`;
      post({
        type: "error",
        error: { name: "ProtocolError", message: reason },
      });
    }
  };

  // Errors the plugin leaves unhandled become control messages, not a dead worker.
  globalThis.addEventListener("unhandledrejection", (e) => {
    e.preventDefault();
    post({ type: "error", error: toErrorInfo(e.reason) });
  });
  globalThis.addEventListener("error", (e) => {
    e.preventDefault();
    post({ type: "error", error: toErrorInfo(e.error ?? e.message) });
  });
}

let definition: Promise<PluginDefinition> | undefined;

async function loadDefinition(): Promise<PluginDefinition> {
  const mod = await load!() as { default?: unknown };
  const def = mod.default as PluginDefinition | undefined;
  if (
    typeof def !== "object" || def === null || typeof def.install !== "function"
  ) {
    throw new TypeError(
      "the module's default export is not a plugin (use `export default definePlugin({ name, version, api, install })`)",
    );
  }
  return def;
}

async function handleInit(m: InitMessage): Promise<void> {
  phase = m.phase;
  definition ??= loadDefinition();
  let def: PluginDefinition;
  try {
    def = await definition;
  } catch (e) {
    post({
      type: "install-error",
      id: m.id,
      stage: "import",
      error: toErrorInfo(e),
    });
    return;
  }
  if (m.phase === "probe") {
    try {
      const { name, version, api, permissions, requires } = def;
      post({
        type: "manifest",
        id: m.id,
        manifest: { name, version, api, permissions, requires },
      });
    } catch (e) {
      post({
        type: "install-error",
        id: m.id,
        stage: "manifest",
        error: toErrorInfo(e),
      });
    }
    return;
  }
  const args = new PluginArgs(def.name, m.args);
  runtime = new PluginRuntime(def.name, args, m.env, (text) => {
    post({ type: "log", text });
  });
  try {
    await def.install(runtime.ctx, args);
    post({ type: "installed", id: m.id, hooks: runtime.registeredHooks() });
  } catch (e) {
    post({
      type: "install-error",
      id: m.id,
      stage: "install",
      error: toErrorInfo(e),
    });
    return;
  }
  // From here on the emulator talks to this plugin over the shared channel;
  // serving blocks this worker's thread until the host terminates it.
  if (m.env) setTimeout(() => void runtime!.serve(), 0);
}

/**
 * Called once by the bootstrap module with a loader for the plugin module;
 * answers `init` requests from then on.
 *
 * @example
 * ```ts ignore
 * // Only meaningful inside a plugin Worker's bootstrap module:
 * import { servePlugin } from "./plugin_worker.ts";
 * servePlugin(() => import("file:///path/to/plugin.ts"));
 * ```
 */
export function servePlugin(loader: () => Promise<unknown>): void {
  if (load) throw new Error("servePlugin() was already called in this worker");
  load = loader;
  for (const m of queued.splice(0)) void handleInit(m);
}
