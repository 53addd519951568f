/**
 * The script every plugin Worker runs. The host starts a tiny `blob:`
 * bootstrap module:
 *
 * ```js ignore
 * import { servePlugin } from "file:///.../runtime/worker/bootstrap.ts";
 * import "file:///.../runtime/sdk/mod.ts";
 * const url = "file:///.../my_plugin.ts";
 * servePlugin(() => import(url));
 * ```
 *
 * so this module is evaluated, locks the worker down and registers
 * `onmessage` before any plugin code runs. The plugin's specifier is
 * computed, so Deno checks its whole module graph against the Worker's
 * permissions (a literal one would load it, and its literal imports, with
 * the host's rights: deno issue 29503). The host grants read on exactly the
 * plugin's own files (runtime/host/graph.ts); the SDK is already loaded.
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

import { PluginArgs } from "../sdk/plugin_args.ts";
import { PluginRuntime } from "./plugin_runtime.ts";
import { lockDown } from "./lockdown.ts";
import type { PluginDefinition } from "../sdk/plugin_def.ts";
import {
  decodeMessage,
  type InitMessage,
  type Message,
  toErrorInfo,
} from "../wire/protocol.ts";

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

let load: (() => Promise<unknown>) | undefined;
/** The phase of the `init` being handled: "probe" runs drop plugin text. */
let phase: InitMessage["phase"] | undefined;
/** The plugin's runtime, once installing. */
let runtime: PluginRuntime | undefined;
const queued: InitMessage[] = [];

if (IN_WORKER) setUp();

/** Locks the worker down and wires its message and error handlers. */
function setUp(): void {
  lockDown({ post, close: realClose, log: pluginLog });

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
      const { name, version, api, permissions, requires, description, args } =
        def;
      post({
        type: "manifest",
        id: m.id,
        manifest: {
          name,
          version,
          api,
          permissions,
          requires,
          description,
          args,
        },
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
  const args = new PluginArgs(def.name, m.args, def.args);
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
 * import { servePlugin } from "./bootstrap.ts";
 * servePlugin(() => import("file:///path/to/plugin.ts"));
 * ```
 */
export function servePlugin(loader: () => Promise<unknown>): void {
  if (load) throw new Error("servePlugin() was already called in this worker");
  load = loader;
  for (const m of queued.splice(0)) void handleInit(m);
}
