/**
 * The plugin contract: what a plugin module default-exports, and the API
 * version the host implements.
 *
 * @module
 */

import type { ArgSpecs } from "./arg_spec.ts";
import type { PluginArgs } from "./plugin_args.ts";
import type { PluginContext } from "./plugin_api.ts";

/**
 * The plugin API version this host implements. A plugin declares the range
 * it supports in `api`; the host refuses plugins whose range excludes it.
 * Changes are listed in the SDK changelog.
 *
 * @example
 * ```ts
 * import { PLUGIN_API_VERSION } from "./plugin_def.ts";
 * console.log(PLUGIN_API_VERSION); // "1.0.0"
 * ```
 */
export const PLUGIN_API_VERSION = "1.0.0";

/**
 * The permissions a plugin asks for. Paths are relative to the user's
 * working directory; `net` entries are `host` or `host:port`; `env` entries
 * are variable names. `run` and `ffi` are listed so a plugin can ask, but
 * the host never has them, so such plugins are always refused.
 *
 * @example
 * ```ts
 * import type { PluginPermissions } from "./plugin_def.ts";
 * const wants: PluginPermissions = { write: ["./out"], env: ["HOME"] };
 * console.log(Object.keys(wants)); // ["write", "env"]
 * ```
 */
export interface PluginPermissions {
  /** Files or directories to read. */
  read?: string[];
  /** Files or directories to write. */
  write?: string[];
  /** Hosts (`host` or `host:port`) to connect to. */
  net?: string[];
  /** Environment variable names to read. */
  env?: string[];
  /** System information (hostname, memory, ...). */
  sys?: boolean;
  /** Programs to run: never granted. */
  run?: string[];
  /** Native libraries: never granted. */
  ffi?: boolean;
}

/**
 * A plugin module's default export.
 *
 * @example
 * ```ts
 * import type { PluginDefinition } from "./plugin_def.ts";
 * const def: PluginDefinition = {
 *   name: "empty", version: "1.0.0", api: "^1.0",
 *   install() {},
 * };
 * console.log(def.name); // "empty"
 * ```
 */
export interface PluginDefinition<A = unknown> {
  /** `[a-z][a-z0-9_-]*`; the name used in `--allow-plugin NAME:...`. */
  name: string;
  /** The plugin's own version, `x.y.z`. */
  version: string;
  /** The plugin API versions it supports, e.g. `"^1.0"`. */
  api: string;
  /** One line saying what it does (shown by `pandeno plugins`). */
  description?: string;
  /**
   * Its `key=value` arguments, declared: the host refuses unknown keys and
   * values of the wrong type before `install`, `pandeno plugins` lists
   * them, and `args.bool(key)` and its siblings check reads against them
   * and default to the declared value.
   */
  args?: ArgSpecs;
  /** What it needs beyond computing; nothing if omitted. */
  permissions?: PluginPermissions;
  /** Other plugins it needs (QPP): name -> version range. */
  requires?: Record<string, string>;
  /** Called once in the plugin's worker, after the permission check. */
  install(ctx: PluginContext, args: PluginArgs): void | Promise<void>;
  /** Reserved for the plugin's typed exports (QPP); unused for now. */
  readonly exports?: A;
}

/**
 * Declares a plugin. It returns its argument unchanged; it exists so the
 * definition is type-checked: `export default definePlugin({...})`.
 *
 * @example
 * ```ts
 * import { definePlugin } from "./plugin_def.ts";
 * export default definePlugin({
 *   name: "hello", version: "0.1.0", api: "^1.0",
 *   install(ctx) { ctx.log("hello"); },
 * });
 * ```
 */
export function definePlugin<A>(def: PluginDefinition<A>): PluginDefinition<A> {
  return def;
}
