/**
 * The install step of loading (spec -> source -> graph -> spawn -> install):
 * the API handshake, the check of the manifest's wants against the user's
 * grants, the real Worker with exactly those permissions, and its
 * `install()`.
 *
 * @module
 */

import { PluginArgs } from "../sdk/plugin_args.ts";
import { PLUGIN_API_VERSION } from "../sdk/plugin_def.ts";
import type { Phase, Reply } from "../wire/protocol.ts";
import { satisfies } from "../wire/semver.ts";
import { PluginLoadError } from "./load_error.ts";
import type { LoadedPlugin, LoadPluginOptions, ProbedPlugin } from "./load.ts";
import { checkGrants, grantsFor, workerPermissions } from "./permissions.ts";
import { withOutputFiles } from "./arg_grants.ts";
import { Session } from "./spawn.ts";

/**
 * The PluginLoadError a worker's `install-error` reply means (undefined for
 * any other reply).
 *
 * @example
 * ```ts
 * import { replyError } from "./install.ts";
 * const e = replyError("p", { type: "install-error", id: 1, stage: "install", error: { name: "Error", message: "boom" } }, "install");
 * console.log(e?.message); // plugin "p": install() threw: Error: boom
 * ```
 */
export function replyError(
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
      },
    );
    const session = new Session(
      source.url,
      permissions,
      () => label,
      opts.log,
      { cwd: opts.cwd, memoryMb: opts.memoryMb },
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
      sha256: parsed.kind === "remote" ? source.modules[0].sha256 : undefined,
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
