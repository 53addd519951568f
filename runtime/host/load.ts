/**
 * The host side of a plugin: probe its manifest in a Worker with no
 * permissions, check the API version and the user's grants, then start the
 * real Worker with exactly the granted permissions and install the plugin.
 *
 * @module
 */

import { PluginArgs } from "../sdk/plugin_args.ts";
import { PLUGIN_API_VERSION } from "../sdk/plugin_def.ts";
import { type PluginGraph, pluginGraph } from "./graph.ts";
import { PluginLoadError } from "./load_error.ts";
import type { PluginLock } from "./plugin_lock.ts";
import { SDK_MODULE_URL, Session } from "./spawn.ts";
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
import type {
  ControlMessage,
  InitMessage,
  Message,
  Phase,
  Reply,
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
  /** Per-phase limit for importing and installing (default 10 000 ms). */
  timeoutMs?: number;
  /** In-tree plugin directory (default: the repository's `plugins/`). */
  pluginDir?: string;
  /** Fetch used for remote plugins (default: global `fetch`). */
  fetch?: typeof fetch;
  /** Pins for remote plugins' modules (`--plugin-lock`). */
  lock?: PluginLock;
  /** Memory budget per plugin in MiB (`--plugin-memory`; default 512). */
  memoryMb?: number;
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
  /** Its checked module graph, served from memory (host/graph.ts). */
  readonly source: PluginGraph;
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
  const source = await pluginGraph(
    await pluginSource(parsed, { lock: opts.lock, fetch: opts.fetch }),
    SDK_MODULE_URL,
  );
  try {
    // Phase (a): probe with every permission denied.
    const label = parsed.label;
    const probe = new Session(
      source.url,
      NO_PERMISSIONS,
      () => label,
      opts.log,
      { cwd: opts.cwd, memoryMb: opts.memoryMb },
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
    checkGrants(manifest.name, manifest.permissions, opts.grants, opts.cwd);
    const permissions = workerPermissions(
      manifest.permissions,
      grantsFor(manifest.name, opts.grants),
      {
        cwd: opts.cwd,
      },
    );
    const session = new Session(
      source.url,
      permissions,
      () => label,
      opts.log,
      { cwd: opts.cwd, memoryMb: opts.memoryMb },
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
      sha256: parsed.kind === "remote" ? source.modules[0].sha256 : undefined,
      hooks,
      args: new PluginArgs(manifest.name, parsed.args),
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
