/**
 * The empty plugin (QEMU's `tests/plugin/empty.c`): it registers a
 * translation callback that does nothing. Its overhead is the floor every
 * other plugin is measured against. It takes no arguments.
 *
 * @module
 */

import { definePlugin, type PluginDefinition } from "../runtime/sdk/mod.ts";

/**
 * The `empty` plugin definition.
 *
 * @example
 * ```ts ignore
 * // deno task run --plugin empty ./tests/guests/bin/hello.elf
 * import empty from "./empty.ts";
 * console.log(empty.name); // "empty"
 * ```
 */
export default definePlugin({
  name: "empty",
  version: "1.0.0",
  api: "^1.0",
  description:
    "does nothing: the floor other plugins are measured against (QEMU's empty)",
  args: {},
  install(ctx) {
    ctx.onTbTrans(() => {});
  },
}) as PluginDefinition;
