/**
 * The runtime: the scripting API ({@linkcode run}) and the command line,
 * built on the plugin host, its sandboxed Workers and QPP.
 *
 * @example
 * ```ts
 * import { parseCli } from "./mod.ts";
 * console.log(parseCli(["prog.elf"]).program); // "prog.elf"
 * ```
 *
 * @module
 */

export { run, type RunOptions, type RunPlugin, type RunResult } from "./run.ts";
export { main, userCwd } from "./cli/cli.ts";
export {
  type CliOptions,
  GROUPS,
  type OptionDef,
  OPTIONS,
  parseCli,
  UsageError,
} from "./cli/options.ts";
export { helpText } from "./cli/help.ts";
export {
  type NetPolicy,
  parseNetPolicy,
  WorkerHostNet,
} from "./host/host_net.ts";
