/**
 * Output files named by a plugin's declared `file` arguments (QEMU's
 * `filename=`): the user named the file on the command line, or accepted
 * the declared default (a plain file name, so it lands in the user's
 * folder), so the plugin may write exactly that file without a separate
 * `--allow-plugin` flag. Nothing else is widened.
 *
 * @module
 */

import { resolve } from "node:path";
import type { ArgSpecs } from "../sdk/arg_spec.ts";
import type { PluginPermissions } from "../sdk/plugin_def.ts";
import type { PluginGrant } from "./permissions.ts";

/**
 * The plugin's wanted permissions and the grants, each extended with write
 * access to every output file its `file` arguments name, resolved against
 * `cwd` (the user's folder).
 *
 * @example
 * ```ts
 * import { withOutputFiles } from "./arg_grants.ts";
 * const r = withOutputFiles(
 *   "drcov",
 *   { filename: { type: "file", default: "file.drcov.trace", doc: "" } },
 *   [],
 *   {},
 *   [],
 *   "/home/u",
 * );
 * console.log(r.wants.write, r.grants[0].value); // ["/home/u/file.drcov.trace"] "/home/u/file.drcov.trace"
 * ```
 */
export function withOutputFiles(
  plugin: string,
  specs: ArgSpecs | undefined,
  args: readonly (readonly [string, string])[],
  wants: PluginPermissions,
  grants: readonly PluginGrant[],
  cwd: string,
): { wants: PluginPermissions; grants: PluginGrant[] } {
  const given = new Map(args);
  const files: string[] = [];
  for (const [key, spec] of Object.entries(specs ?? {})) {
    if (spec.type !== "file") continue;
    const path = given.get(key) || spec.default;
    files.push(resolve(cwd, path));
  }
  if (files.length === 0) return { wants, grants: [...grants] };
  return {
    wants: { ...wants, write: [...(wants.write ?? []), ...files] },
    grants: [
      ...grants,
      ...files.map((value): PluginGrant => ({ plugin, kind: "write", value })),
    ],
  };
}
