/**
 * Starting a plugin's Worker (the spawn step of loading: spec -> source ->
 * graph -> spawn -> install). The Worker gets exactly the permissions given,
 * every key spelled out, and starts from a bootstrap module that, before
 * any plugin code runs:
 * - evaluates worker/bootstrap.ts, which locks the Worker down
 *   (worker/lockdown.ts);
 * - loads the SDK, so the plugin's rewritten imports of it read nothing;
 * - guards the plugin's file grants against planted links
 *   (worker/file_grants.ts), given their real paths resolved here;
 * - installs its memory budget (worker/memory_budget.ts);
 * and then imports the plugin's checked `blob:` graph (host/graph.ts).
 *
 * @module
 */

import { isAbsolute, resolve } from "node:path";
import type { LoadStage } from "./load_error.ts";
import { PluginLoadError } from "./load_error.ts";
import {
  type ControlMessage,
  decodeMessage,
  type InitMessage,
  isControl,
  type Message,
  PendingRequests,
  type Phase,
  type Reply,
} from "../wire/protocol.ts";

const HARNESS_URL = new URL("../worker/bootstrap.ts", import.meta.url).href;
const SDK_URL = new URL("../sdk/mod.ts", import.meta.url).href;
const FILE_GRANTS_URL =
  new URL("../worker/file_grants.ts", import.meta.url).href;
const BUDGET_URL = new URL("../worker/memory_budget.ts", import.meta.url).href;
const MAX_PROTOCOL_WARNINGS = 5;

/**
 * The SDK's URL: the one module outside a plugin that its graph may import.
 *
 * @example
 * ```ts
 * import { SDK_MODULE_URL } from "./spawn.ts";
 * console.log(SDK_MODULE_URL.endsWith("/runtime/sdk/mod.ts")); // true
 * ```
 */
export const SDK_MODULE_URL: string = SDK_URL;

/**
 * Default memory budget of a plugin, in MiB (`--plugin-memory`).
 *
 * @example
 * ```ts
 * import { DEFAULT_PLUGIN_MEMORY_MB } from "./spawn.ts";
 * console.log(DEFAULT_PLUGIN_MEMORY_MB); // 512
 * ```
 */
export const DEFAULT_PLUGIN_MEMORY_MB = 512;

/** Budgets and grants the bootstrap installs. */
export interface SpawnLimits {
  /** Memory budget in MiB (default {@link DEFAULT_PLUGIN_MEMORY_MB}). */
  readonly memoryMb?: number;
  /** The user's working directory (relative plugin paths resolve here). */
  readonly cwd?: string;
}

/**
 * The real path of `path`, or of its nearest existing ancestor joined with
 * the rest: what a grant means on disk at this moment.
 */
function realOrNearest(path: string): string {
  try {
    return Deno.realPathSync(path);
  } catch {
    const parent = resolve(path, "..");
    if (parent === path) return path;
    return resolve(realOrNearest(parent), path.slice(parent.length + 1));
  }
}

/** The Worker permission list for `kind`, as real paths plus as granted. */
function realList(v: Deno.PermissionOptionsObject["read"]): string[] {
  if (!Array.isArray(v)) return [];
  return v.map((p) => String(p)).filter((p) => isAbsolute(p));
}

function startWorker(
  graphUrl: string,
  permissions: Deno.PermissionOptionsObject,
  label: string,
  limits: SpawnLimits,
  keep: (bootstrapUrl: string) => void,
): Worker {
  const cwd = limits.cwd ?? Deno.cwd();
  const realCwd = realOrNearest(cwd);
  const read = realList(permissions.read).map(realOrNearest);
  const write = realList(permissions.write).map(realOrNearest);
  // Paths are checked against real grant roots in the Worker; Deno needs
  // read access to resolve them, write-only roots included (file_grants.ts
  // keeps reads there refused).
  const denoPermissions: Deno.PermissionOptionsObject = {
    ...permissions,
    read: permissions.read === false && write.length === 0
      ? false
      : [...new Set([...read, ...write])],
    write: permissions.write === false ? false : [...new Set(write)],
    import: false,
  };
  if (permissions.read === true || permissions.write === true) {
    throw new TypeError("plugin workers never get unrestricted file access");
  }
  const bytes = (limits.memoryMb ?? DEFAULT_PLUGIN_MEMORY_MB) * 1024 * 1024;
  const grants = { read, write, cwd: realCwd };
  const src = `import { servePlugin } from ${JSON.stringify(HARNESS_URL)};
import ${JSON.stringify(SDK_URL)};
import { guardFiles } from ${JSON.stringify(FILE_GRANTS_URL)};
import { installMemoryBudget } from ${JSON.stringify(BUDGET_URL)};
guardFiles(${JSON.stringify(grants)});
installMemoryBudget({ bytes: ${bytes}, onExceeded: (message) =>
  postMessage({ type: "error", error: { name: "BudgetExceeded", message } }) });
const url = ${JSON.stringify(graphUrl)};
servePlugin(() => import(url));
`;
  const bootstrap = URL.createObjectURL(
    new Blob([src], { type: "text/javascript" }),
  );
  keep(bootstrap);
  return new Worker(bootstrap, {
    type: "module",
    name: `plugin:${label}`,
    deno: { permissions: denoPermissions },
  });
}

/**
 * A plugin's Worker: started from a bootstrap that locks it down, guards its
 * file grants and installs its memory budget before importing the plugin's
 * checked graph; plus the request plumbing of the probe and install phases.
 */
export class Session {
  readonly worker: Worker;
  readonly pending = new PendingRequests();
  readonly data = new Set<(m: Message) => void>();
  readonly control = new Set<(m: ControlMessage) => void>();
  #bootstrap = "";
  #warnings = 0;
  #dead = false;
  #phase: Phase = "probe";
  /** Set when the worker died during a request, to reject it clearly. */
  onFatal?: (stage: LoadStage, detail: string) => void;

  /**
   * Starts the Worker. `graphUrl` is the plugin's checked `blob:` root
   * (host/graph.ts); `permissions` spell out every key.
   */
  constructor(
    graphUrl: string,
    permissions: Deno.PermissionOptionsObject,
    readonly label: () => string,
    readonly log: (line: string) => void,
    limits: SpawnLimits = {},
    readonly out?: (text: string) => void,
  ) {
    this.worker = startWorker(
      graphUrl,
      permissions,
      label(),
      limits,
      (url) => this.#bootstrap = url,
    );
    this.worker.onmessage = (e) => this.#receive(e.data);
    this.worker.onmessageerror = () =>
      this.#receive(Symbol("undeserializable"));
    this.worker.onerror = (e) => {
      e.preventDefault();
      this.#fatal(this.#phase, `its worker failed: ${e.message}`);
    };
  }

  #receive(data: unknown): void {
    const m = decodeMessage(data);
    if (m.type === "protocol-error") {
      if (this.#warnings++ < MAX_PROTOCOL_WARNINGS) {
        this.log(
          `pandeno: plugin "${this.label()}" sent a bad message (${m.reason}); ignored`,
        );
      } else if (this.#warnings === MAX_PROTOCOL_WARNINGS + 1) {
        this.log(
          `pandeno: plugin "${this.label()}": further bad messages ignored silently`,
        );
      }
      this.#emitControl({
        type: "error",
        error: { name: "ProtocolError", message: m.reason },
      });
      return;
    }
    if (
      m.type === "manifest" || m.type === "installed" ||
      m.type === "install-error"
    ) {
      if (!this.pending.settle(m)) {
        this.log(
          `pandeno: plugin "${this.label()}": unexpected "${m.type}" ignored`,
        );
      }
      return;
    }
    if (m.type === "log") {
      // Where the plugin's later output goes (-D), when the caller says.
      const line = `[${this.label()}] ${m.text.replace(/\n$/, "")}`;
      if (this.out) this.out(line + "\n");
      else this.log(line);
    }
    if (isControl(m)) {
      this.#emitControl(m);
      if (m.type === "exit") {
        this.#fatal("exit", `it called ${m.via}(${m.code})`);
      }
      if (m.type === "close") {
        this.#fatal("exit", "it closed its worker (self.close())");
      }
      return;
    }
    for (const h of this.data) h(m);
  }

  #emitControl(m: ControlMessage): void {
    for (const h of this.control) h(m);
  }

  #fatal(stage: LoadStage, detail: string): void {
    this.onFatal?.(stage, detail);
    this.terminate();
  }

  request(
    phase: Phase,
    name: string,
    args: [string, string][],
    timeoutMs: number,
    env?: InitMessage["env"],
    transfer: Transferable[] = [],
  ): Promise<Reply> {
    return new Promise<Reply>((resolve, reject) => {
      this.#phase = phase;
      this.onFatal = (stage, detail) =>
        reject(new PluginLoadError(this.label(), stage, detail));
      this.pending.request((id) => {
        const init: InitMessage = { type: "init", id, phase, name, args, env };
        this.worker.postMessage(init, transfer);
      }, timeoutMs).then(resolve, (e: Error) => {
        this.terminate();
        reject(
          e.name === "TimeoutError"
            ? new PluginLoadError(
              this.label(),
              "timeout",
              `no answer within ${timeoutMs} ms while ${
                phase === "probe" ? "importing" : "installing"
              } it ` +
                `(an endless loop at top level or in install()?)`,
            )
            : e,
        );
      });
    }).finally(() => this.onFatal = undefined);
  }

  terminate(): void {
    if (this.#dead) return;
    this.#dead = true;
    this.worker.terminate();
    URL.revokeObjectURL(this.#bootstrap);
    this.pending.rejectAll(new Error("worker terminated"));
  }
}
