/**
 * The plugin SDK: everything a plugin module may import. Remote plugins
 * import it by the bare specifier `pandeno/sdk` (mapped in deno.json);
 * in-tree plugins may use a relative path.
 *
 * @example
 * ```ts
 * import { definePlugin } from "./mod.ts";
 * export default definePlugin({
 *   name: "hello",
 *   version: "1.0.0",
 *   api: "^1.0",
 *   install(ctx, args) {
 *     if (args.bool("verbose", false)) ctx.log("hello from a sandbox");
 *   },
 * });
 * ```
 *
 * @module
 */

export {
  definePlugin,
  PLUGIN_API_VERSION,
  type PluginDefinition,
  type PluginPermissions,
} from "./plugin_def.ts";
export type {
  Condition,
  CondOp,
  DeliveryMode,
  DiscontinuityEvent,
  ExecEvent,
  ExecOptions,
  ExecPoint,
  GuestBinary,
  GuestSymbol,
  InsnHandle,
  MemEvent,
  MemOptions,
  PluginContext,
  RegAccess,
  RegisterDescriptor,
  Scoreboard,
  ScoreboardEntry,
  SyscallEvent,
  SyscallFilterResult,
  SyscallReturnEvent,
  TbHandle,
} from "./plugin_api.ts";
export type { IntBounds, PluginArgs } from "./plugin_args.ts";
export type {
  ArgSpec,
  ArgSpecs,
  BoolArgSpec,
  ChoiceArgSpec,
  FileArgSpec,
  IntArgSpec,
  StringArgSpec,
} from "./arg_spec.ts";
export { abiName } from "../../core/isa/disasm.ts";
export {
  type AsyncApi,
  type Qpp,
  type QppCallbacks,
  QppDeadlockError,
  type QppExports,
  type QppMeta,
  type QppOnOptions,
  QppUnavailableError,
  type SyncApi,
} from "./qpp_api.ts";
