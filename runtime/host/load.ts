/**
 * The host side of a plugin: probe its manifest in a Worker with no
 * permissions, check the API version and the user's grants, then start the
 * real Worker with exactly the granted permissions and install the plugin.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { PluginArgs } from "../sdk/plugin_args.ts";
import { withOutputFiles } from "./arg_grants.ts";
import { PLUGIN_API_VERSION } from "../sdk/plugin_def.ts";
import { explainImportDenial } from "./graph.ts";
import { type LoadStage, PluginLoadError } from "./load_error.ts";
import { type PluginManifest, validateManifest } from "./manifest.ts";
import { parsePluginSpec, type PluginSpec } from "./spec.ts";
import { pluginSource } from "./source.ts";
import {
  checkGrants,
  grantsFor,
  NO_PERMISSIONS,
  type PluginGrant,
  workerPermissions,
} from "./permissions.ts";
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
import { satisfies } from "../wire/semver.ts";

/** Options for {@linkcode loadPlugin}. */
export interface LoadPluginOptions {
  /** The user's working directory (paths in specs, grants and manifests). */
  cwd: string;
  /** All `--allow-plugin` grants; only the plugin's own are used. */
  grants: readonly PluginGrant[];
  /** Receives plugin log lines (`[name] text`) and host warnings. */
  log(line: string): void;
  /**
   * Receives the plugin's own text while it loads (ctx.log, console) as
   * `[name] text` lines, where its later output goes (so `-D` gets it);
   * default: `log`.
   */
  out?(text: string): void;
  /** Per-phase limit for importing and installing (default 10 000 ms). */
  timeoutMs?: number;
  /** In-tree plugin directory (default: the repository's `plugins/`). */
  pluginDir?: string;
  /** Fetch used for remote plugins (default: global `fetch`). */
  fetch?: typeof fetch;
  /** Install-time environment of the instrumentation API (channel, board, symbols). */
  env?: InitMessage["env"];
}

/** A plugin installed in its own Worker. */
export interface LoadedPlugin {
  /** Manifest name. */
  readonly name: string;
  /** Manifest version. */
  readonly version: string;
  /** Everything the plugin declared. */
  readonly manifest: PluginManifest;
  /** Where it came from. */
  readonly spec: PluginSpec;
  /** For remote plugins: the SHA-256 of the source that runs. */
  readonly sha256?: string;
  /** The hooks its `install` registered (`tb_trans`, `syscall`, ...). */
  readonly hooks: readonly string[];
  /** Its arguments. */
  readonly args: PluginArgs;
  /** Its Worker (prefer post/onMessage). */
  readonly worker: Worker;
  /** Sends a message to the plugin's Worker. */
  post(msg: Message): void;
  /** Data messages from the worker; returns an unsubscribe function. */
  onMessage(handler: (msg: Message) => void): () => void;
  /**
   * Control events: `exit` and `close` (the plugin ended itself), `error`
   * (uncaught plugin error, or a message that did not decode:
   * `error.name === "ProtocolError"`). Returns an unsubscribe function.
   */
  onControl(handler: (msg: ControlMessage) => void): () => void;
  /** Stops the Worker at once. Idempotent. */
  terminate(): void;
}

const HARNESS_URL = new URL("../worker/bootstrap.ts", import.meta.url).href;
const SDK_URL = new URL("../sdk/mod.ts", import.meta.url).href;
const DENIED_BUILTIN = fileURLToPath(
  new URL("../worker/denied_builtin.ts", import.meta.url),
);
const MAX_PROTOCOL_WARNINGS = 5;

/**
 * Whether Pandeno's deno.json is in effect: its import map keeps the Node
 * built-ins that get around the sandbox from plugin code (plugin_graph.ts).
 * It is not when `mod.ts` runs with `--no-config`.
 */
function importMapInEffect(): boolean {
  try {
    return import.meta.resolve("pandeno/sdk") === SDK_URL;
  } catch {
    return false;
  }
}

/** A running Worker plus the plumbing shared by both phases. */
class Session {
  readonly worker: Worker;
  readonly pending = new PendingRequests();
  readonly data = new Set<(m: Message) => void>();
  readonly control = new Set<(m: ControlMessage) => void>();
  #bootstrap: string;
  #warnings = 0;
  #dead = false;
  #phase: Phase = "probe";
  /** Set when the worker died during a request, to reject it clearly. */
  onFatal?: (stage: LoadStage, detail: string) => void;

  constructor(
    sourceUrl: string,
    permissions: Deno.PermissionOptionsObject,
    readonly label: () => string,
    readonly log: (line: string) => void,
    readonly out?: (text: string) => void,
  ) {
    // The plugin is imported through a computed specifier, so Deno checks
    // its whole module graph against the Worker's permissions; a literal one
    // would load it with the host's rights (see plugin_graph.ts). The SDK is
    // loaded first, with the host's rights, so importing it needs no read.
    const src =
      `import { servePlugin } from ${JSON.stringify(HARNESS_URL)};\n` +
      `import ${JSON.stringify(SDK_URL)};\n` +
      `const url = ${JSON.stringify(sourceUrl)};\n` +
      `servePlugin(() => import(url));\n`;
    this.#bootstrap = URL.createObjectURL(
      new Blob([src], { type: "text/javascript" }),
    );
    this.worker = new Worker(this.#bootstrap, {
      type: "module",
      name: `plugin:${label()}`,
      deno: { permissions },
    });
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

/**
 * `permissions` plus read access to the plugin's own code files, and to the
 * module that deno.json puts in place of the Node built-ins plugins may not
 * use (so importing one fails with its message, not a read denial).
 */
function readingOwnCode(
  permissions: Deno.PermissionOptionsObject,
  files: readonly string[],
): Deno.PermissionOptionsObject {
  const { read } = permissions;
  if (read === true || read === "inherit") return { ...permissions };
  return {
    ...permissions,
    read: [...(Array.isArray(read) ? read : []), ...files, DENIED_BUILTIN],
  };
}

function replyError(
  label: string,
  reply: Reply,
  phase: Phase,
): PluginLoadError | undefined {
  if (reply.type !== "install-error") return undefined;
  const { name, message } = reply.error;
  const stage = reply.stage === "install"
    ? "install"
    : reply.stage === "manifest"
    ? "manifest"
    : "probe";
  const what = reply.stage === "install"
    ? "install() threw"
    : reply.stage === "manifest"
    ? "its definition cannot be read"
    : `its module failed to ${phase === "probe" ? "import" : "re-import"}`;
  const denied = stage === "probe" ? explainImportDenial(message) : undefined;
  if (denied) {
    return new PluginLoadError(label, "probe", denied, { cause: reply.error });
  }
  return new PluginLoadError(label, stage, `${what}: ${name}: ${message}`, {
    cause: reply.error,
  });
}

/** A plugin whose manifest was read in a no-permission worker, not yet installed. */
export interface ProbedPlugin {
  /** The parsed spec. */
  readonly spec: PluginSpec;
  /** Its validated manifest. */
  readonly manifest: PluginManifest;
  /** Where its source was loaded from, and its hash. */
  readonly source: Awaited<ReturnType<typeof pluginSource>>;
}

/**
 * Phase (a) of loading: fetches the plugin, imports it in a worker with every
 * permission denied, and reads its manifest (name, version, API range,
 * permissions, requires). Call {@link installPlugin} next, or
 * `probed.source.release()` to give it up.
 *
 * @example
 * ```ts ignore
 * const probed = await probePlugin("insn", { cwd: Deno.cwd(), grants: [], log: console.error });
 * console.log(probed.manifest.version);
 * ```
 */
export async function probePlugin(
  spec: string | PluginSpec,
  opts: LoadPluginOptions,
): Promise<ProbedPlugin> {
  const parsed = typeof spec === "string"
    ? parsePluginSpec(spec, { cwd: opts.cwd, pluginDir: opts.pluginDir })
    : spec;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  if (!importMapInEffect()) {
    throw new PluginLoadError(
      parsed.label,
      "probe",
      "not loaded: Pandeno's deno.json is not in effect, and its import map keeps " +
        "node:fs and other sandbox escapes from plugins; run through `deno task run` " +
        "in the project, or pass --config PANDENO_DIR/deno.json to deno",
    );
  }
  const source = await pluginSource(parsed, opts.fetch);
  if (parsed.kind === "remote" && parsed.sha256 === undefined) {
    opts.log(
      `pandeno: plugin ${parsed.url} is not pinned; to pin the code that ran, use ${parsed.url}#sha256=${source.sha256}`,
    );
  }
  try {
    // Phase (a): probe with every permission denied.
    const label = parsed.label;
    const probe = new Session(
      source.url,
      readingOwnCode(NO_PERMISSIONS, source.files),
      () => label,
      opts.log,
      opts.out,
    );
    let manifest: PluginManifest;
    try {
      const reply = await probe.request("probe", label, parsed.args, timeoutMs);
      const err = replyError(label, reply, "probe");
      if (err) throw err;
      try {
        manifest = validateManifest(
          (reply as { manifest: unknown }).manifest,
          label,
        );
      } catch (e) {
        throw new PluginLoadError(
          label,
          "manifest",
          (e as Error).message.replace(/^plugin "[^"]*": /, ""),
          {
            cause: e,
          },
        );
      }
    } finally {
      probe.terminate();
    }
    return { spec: parsed, manifest, source };
  } catch (e) {
    source.release();
    throw e;
  }
}

/**
 * Phase (b) of loading: the API handshake, the permission check, and the
 * real worker, which runs `install`. `transfer` lists MessagePorts in
 * `opts.env` (QPP links).
 *
 * @example
 * ```ts ignore
 * const plugin = await installPlugin(await probePlugin("insn", opts), opts);
 * ```
 */
export async function installPlugin(
  probed: ProbedPlugin,
  opts: LoadPluginOptions,
  transfer: Transferable[] = [],
): Promise<LoadedPlugin> {
  const { spec: parsed, manifest, source } = probed;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  try {
    const label = manifest.name;
    // Phase (b): handshake, grants, the real worker.
    if (!satisfies(PLUGIN_API_VERSION, manifest.api)) {
      throw new PluginLoadError(
        label,
        "api",
        `version ${manifest.version} needs plugin API "${manifest.api}", but this pandeno implements ` +
          `${PLUGIN_API_VERSION}; use a version of the plugin built for API ${PLUGIN_API_VERSION}`,
      );
    }
    // Declared arguments are checked before anything runs; declared output
    // files are granted (arg_grants.ts).
    const args = new PluginArgs(manifest.name, parsed.args, manifest.args);
    const { wants, grants } = withOutputFiles(
      manifest.name,
      manifest.args,
      parsed.args,
      manifest.permissions,
      opts.grants,
      opts.cwd,
    );
    checkGrants(manifest.name, wants, grants, opts.cwd);
    const permissions = workerPermissions(
      wants,
      grantsFor(manifest.name, grants),
      {
        cwd: opts.cwd,
        remoteUrl: parsed.kind === "remote" ? parsed.url : undefined,
      },
    );
    const session = new Session(
      source.url,
      readingOwnCode(permissions, source.files),
      () => label,
      opts.log,
      opts.out,
    );
    let hooks: string[] = [];
    try {
      const reply = await session.request(
        "install",
        manifest.name,
        parsed.args,
        timeoutMs,
        opts.env,
        transfer,
      );
      const err = replyError(label, reply, "install");
      if (err) throw err;
      hooks = reply.type === "installed" ? reply.hooks ?? [] : [];
    } catch (e) {
      session.terminate();
      throw e;
    }
    return {
      name: manifest.name,
      version: manifest.version,
      manifest,
      spec: parsed,
      sha256: source.sha256,
      hooks,
      args,
      worker: session.worker,
      post: (msg) => session.worker.postMessage(msg),
      onMessage(handler) {
        session.data.add(handler);
        return () => session.data.delete(handler);
      },
      onControl(handler) {
        session.control.add(handler);
        return () => session.control.delete(handler);
      },
      terminate: () => session.terminate(),
    };
  } finally {
    // The module is loaded (or failed) in every worker by now.
    source.release();
  }
}

/**
 * Loads a plugin: {@link probePlugin} then {@link installPlugin}.
 *
 * @example
 * ```ts ignore
 * const plugin = await loadPlugin("insn", { cwd: Deno.cwd(), grants: [], log: console.error });
 * ```
 */
export async function loadPlugin(
  spec: string | PluginSpec,
  opts: LoadPluginOptions,
): Promise<LoadedPlugin> {
  return installPlugin(await probePlugin(spec, opts), opts);
}
