/**
 * What a plugin's `install` receives. Deliberately minimal for now: the
 * instrumentation API will extend this interface.
 *
 * @module
 */

import type { PluginArgs } from "./plugin_args.ts";

/**
 * The handle a plugin gets in `install(ctx, args)`. It stays valid for the
 * plugin's whole life (until its worker is terminated).
 *
 * @example
 * ```ts
 * import type { PluginContext } from "./plugin_context.ts";
 * function install(ctx: PluginContext) {
 *   ctx.log(`${ctx.name} ready, verbose=${ctx.args.bool("verbose", false)}`);
 * }
 * console.log(typeof install); // "function"
 * ```
 */
export interface PluginContext {
  /** The plugin's manifest name. */
  readonly name: string;
  /** The plugin's command-line arguments. */
  readonly args: PluginArgs;
  /** Sends one line of text to the host's log (like `qemu_plugin_outs`). */
  log(text: string): void;
}
