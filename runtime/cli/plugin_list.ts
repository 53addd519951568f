/**
 * `pandeno plugins` and `pandeno --plugin NAME,help`: every plugin's name,
 * version, summary and arguments, read from its own manifest (probed in a
 * Worker with no permissions, as for a real load), so the listing cannot
 * drift from the code.
 *
 * @module
 */

import { describeArg } from "../sdk/arg_spec.ts";
import { probePlugin } from "../host/load.ts";
import type { PluginManifest } from "../host/manifest.ts";
import { inTreePlugins } from "../host/spec.ts";
import { wrap } from "./help.ts";

/**
 * One plugin's help: `name version: summary`, then one line per argument.
 *
 * @example
 * ```ts
 * import { formatPlugin } from "./plugin_list.ts";
 * console.log(formatPlugin({
 *   name: "demo", version: "1.0.0", api: "^1.0", permissions: {}, requires: {},
 *   description: "does nothing",
 *   args: { n: { type: "int", default: 1, doc: "how many" } },
 * }));
 * // demo 1.0.0: does nothing
 * //   n=N (default: 1)
 * //       how many
 * ```
 */
export function formatPlugin(m: PluginManifest): string {
  let out = `${m.name} ${m.version}${
    m.description ? `: ${m.description}` : ""
  }`;
  const reqs = Object.entries(m.requires);
  if (reqs.length) {
    out += `\n  requires ${reqs.map(([n, r]) => `${n} ${r}`).join(", ")}`;
  }
  const args = Object.entries(m.args ?? {});
  if (args.length === 0) out += "\n  (no arguments)";
  for (const [key, spec] of args) {
    out += `\n  ${describeArg(key, spec)}`;
    if (spec.doc) out += `\n${wrap(spec.doc, 79, "      ")}`;
  }
  return out;
}

async function manifestOf(spec: string, cwd: string): Promise<PluginManifest> {
  const probed = await probePlugin(spec, {
    cwd,
    grants: [],
    log: (line) => console.error(line),
  });
  probed.source.release();
  return probed.manifest;
}

/**
 * The help of the plugin `spec` (an in-tree name, a path or a URL).
 *
 * @example
 * ```ts ignore
 * console.log(await pluginHelp("insn", Deno.cwd()));
 * ```
 */
export async function pluginHelp(spec: string, cwd: string): Promise<string> {
  return formatPlugin(await manifestOf(spec, cwd));
}

/**
 * Every in-tree plugin's help, in name order.
 *
 * @example
 * ```ts ignore
 * console.log(await listPlugins());
 * ```
 */
export async function listPlugins(): Promise<string> {
  const names = inTreePlugins();
  const manifests = await Promise.all(
    names.map((n) => manifestOf(n, Deno.cwd())),
  );
  return `In-tree plugins (load with --plugin NAME[,KEY=VALUE...]):\n\n` +
    manifests.map(formatPlugin).join("\n\n");
}
