/**
 * The runtime: the command line today; plugin loading, worker sandboxes, the
 * instrumentation API and QPP as they land.
 *
 * @example
 * ```ts
 * import { parseCli } from "./mod.ts";
 * console.log(parseCli(["prog.elf"]).program); // "prog.elf"
 * ```
 *
 * @module
 */

export {
  type CliOptions,
  HELP,
  main,
  parseCli,
  UsageError,
  userCwd,
} from "./cli/cli.ts";
