/**
 * Bench-only QPP consumers for fan-out: each counts `qpp_source`'s `tick`
 * events (batched delivery) and notes the absolute time at which the
 * `events=N`-th arrived. At exit it logs
 * `qpp_sink {"name":..,"received":N,"end":T}`. Plugin names must be
 * unique, so `qpp_sink_1.ts` .. `qpp_sink_4.ts` are one-line modules that
 * each define one sink with {@link sinkPlugin}.
 *
 * @module
 */

import { definePlugin, type PluginDefinition } from "../../runtime/sdk/mod.ts";
import { now, type QppSourceEvents } from "./qpp_source.ts";

/**
 * Defines a sink plugin called `name`.
 *
 * @example
 * ```ts ignore
 * export default sinkPlugin("qpp_sink_1");
 * ```
 */
export function sinkPlugin(name: string): PluginDefinition {
  return definePlugin({
    name,
    version: "1.0.0",
    api: "^1.0",
    requires: { qpp_source: "^1" },
    install(ctx, args) {
      const expected = args.int("events", 0, { min: 0 });
      let received = 0;
      let end = NaN;
      ctx.qpp.on<QppSourceEvents, "tick">("qpp_source", "tick", () => {
        if (++received === expected) end = now();
      });
      ctx.onAtExit(() => {
        ctx.log(`qpp_sink ${JSON.stringify({ name, received, end })}\n`);
      });
    },
  });
}
