/**
 * Bench-only QPP provider. It exports a no-op function (so a consumer can
 * time bare round trips) and, with `events=N`, runs its `tick` callback N
 * times when the vCPU starts, for fan-out throughput. It logs
 * `qpp_source {"start":T,"produced":T,"events":N}` with absolute times in ms
 * (`performance.timeOrigin + performance.now()`, comparable across Workers).
 *
 * @module
 */

import { definePlugin, type PluginDefinition } from "../../runtime/sdk/mod.ts";

/** Functions the provider exports. */
export interface QppSourceApi {
  /**
   * Does nothing and returns 0: a call measures the QPP round trip alone.
   * (It returns a value because an async call of a function returning
   * `undefined` never settles with runtime/worker/qpp.ts as of this writing.)
   */
  noop(): number;
}

/** Callbacks the provider runs. */
export interface QppSourceEvents {
  /** The `i`-th of the N events run at vCPU start. */
  tick: { i: number };
}

/** Absolute time in ms, comparable between Workers. */
export function now(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * The `qpp_source` plugin definition.
 *
 * @example
 * ```ts ignore
 * // --plugin ./bench/plugins/qpp_source.ts,events=51200 --plugin ./bench/plugins/qpp_sink_1.ts,events=51200
 * import source from "./qpp_source.ts";
 * console.log(source.name); // "qpp_source"
 * ```
 */
export default definePlugin({
  name: "qpp_source",
  version: "1.0.0",
  api: "^1.0",
  install(ctx, args) {
    const events = args.int("events", 0, { min: 0 });
    ctx.qpp.export<QppSourceApi>({ noop: () => 0 });
    const cb = ctx.qpp.callbacks<QppSourceEvents>();
    if (events > 0) {
      ctx.onVcpuInit(() => {
        const start = now();
        for (let i = 0; i < events; i++) cb.run("tick", { i });
        const produced = now();
        ctx.log(
          `qpp_source ${JSON.stringify({ start, produced, events })}\n`,
        );
      });
    }
  },
}) as PluginDefinition;
