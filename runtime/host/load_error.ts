/**
 * The error every plugin-caused load failure rejects with.
 *
 * @module
 */

/** The step of loading that failed. */
export type LoadStage =
  | "fetch"
  | "probe"
  | "manifest"
  | "api"
  | "install"
  | "timeout"
  | "exit";

/**
 * A plugin could not be loaded: its source could not be fetched or failed
 * its pin, its module failed to import, its manifest is invalid, it needs
 * another plugin API, it threw in `install`, it exited, or it timed out.
 * The message names the plugin and the cause; `cause` holds the original.
 *
 * @example
 * ```ts
 * import { PluginLoadError } from "./load_error.ts";
 * const e = new PluginLoadError("cache", "install", "install() threw: TypeError: bad");
 * console.log(e.message); // plugin "cache": install() threw: TypeError: bad
 * ```
 */
export class PluginLoadError extends Error {
  /** Always `"PluginLoadError"`. */
  override name = "PluginLoadError";
  /** The plugin's name (its file name until its manifest is read). */
  readonly plugin: string;
  /** Which step failed. */
  readonly stage: LoadStage;

  /** Builds `plugin "NAME": DETAIL`. */
  constructor(
    plugin: string,
    stage: LoadStage,
    detail: string,
    options?: ErrorOptions,
  ) {
    super(`plugin "${plugin}": ${detail}`, options);
    this.plugin = plugin;
    this.stage = stage;
  }
}
