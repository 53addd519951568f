/**
 * Loading a plugin, as a straight line with one file per step, each
 * entered once: host/spec.ts (what `--plugin` names) -> host/source.ts (the
 * host reads or fetches each module and checks its pin) -> host/graph.ts
 * (the allowlist; the graph served from memory) -> host/spawn.ts (a
 * locked-down Worker with no permissions reads the manifest) ->
 * host/install.ts (API and grants checked, the real Worker installs it).
 *
 * @module
 */

import type { PluginArgs } from "../sdk/plugin_args.ts";
import type { ControlMessage, InitMessage, Message } from "../wire/protocol.ts";
import { type PluginGraph, pluginGraph } from "./graph.ts";
import { installPlugin, replyError } from "./install.ts";
import { PluginLoadError } from "./load_error.ts";
import { type PluginManifest, validateManifest } from "./manifest.ts";
import { NO_PERMISSIONS, type PluginGrant } from "./permissions.ts";
import type { PluginLock } from "./plugin_lock.ts";
import { pluginSource } from "./source.ts";
import { SDK_MODULE_URL, Session } from "./spawn.ts";
import { parsePluginSpec, type PluginSpec } from "./spec.ts";

export { installPlugin };

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
