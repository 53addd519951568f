/**
 * Hostile QPP consumer: calls names its provider never exported but that
 * every plain object inherits (`hasOwnProperty`, `toString`, `valueOf`,
 * `__lookupGetter__`), and logs what came back.
 *
 * @module
 */

import { definePlugin, type PluginDefinition } from "pandeno/sdk";

type Loose = Record<string, (...a: unknown[]) => unknown>;

export default definePlugin({
  name: "qpp_inherited",
  version: "1.0.0",
  api: "^1.0",
  requires: { syscalls: "^1.2" },
  install(ctx) {
    const sys = ctx.qpp.importSync<Loose>("syscalls", "^1.2") as Loose;
    const calls: [string, unknown[]][] = [
      ["hasOwnProperty", ["stats"]],
      ["toString", []],
      ["propertyIsEnumerable", ["name"]],
      ["__lookupGetter__", ["stats"]],
    ];
    for (const [fn, args] of calls) {
      try {
        ctx.log(`${fn}: answered ${JSON.stringify(sys[fn](...args))}\n`);
      } catch (e) {
        ctx.log(`${fn}: refused (${(e as Error).message})\n`);
      }
    }
  },
}) as PluginDefinition;
