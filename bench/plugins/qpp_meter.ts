/**
 * Bench-only QPP consumer that times calls to `qpp_source`'s no-op
 * function from inside its own Worker, one `performance.now()` pair per
 * call.
 *
 * Arguments:
 * - `mode=async`: `calls=K` awaited async calls during install (the
 *   Worker's event loop is free; the provider is serving).
 * - `mode=sync`: K sync calls during install.
 * - `mode=synccb`: K sync calls inside a sync callback (vCPU init), where
 *   a plugin would really use them; the vCPU waits meanwhile.
 * - `mode=none` (default): no calls (the baseline).
 * - `warmup=W`: untimed calls first (default 0).
 *
 * It logs `qpp_meter {"mode":..,"calls":K,"median_us":..,"p10_us":..,
 * "p90_us":..,"p99_us":..,"mean_us":..,"total_ms":..}`.
 *
 * @module
 */

import { definePlugin, type PluginDefinition } from "../../runtime/sdk/mod.ts";
import type { QppSourceApi } from "./qpp_source.ts";

function quantile(sorted: Float64Array, q: number): number {
  return sorted.length === 0
    ? NaN
    : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function report(mode: string, times: Float64Array, totalMs: number): string {
  const sorted = times.slice().sort();
  const us = (ms: number) => Math.round(ms * 1e5) / 100;
  const stats = {
    mode,
    calls: times.length,
    median_us: us(quantile(sorted, 0.5)),
    p10_us: us(quantile(sorted, 0.1)),
    p90_us: us(quantile(sorted, 0.9)),
    p99_us: us(quantile(sorted, 0.99)),
    mean_us: us(totalMs / Math.max(1, times.length)),
    total_ms: Math.round(totalMs * 100) / 100,
  };
  return `qpp_meter ${JSON.stringify(stats)}\n`;
}

/**
 * The `qpp_meter` plugin definition.
 *
 * @example
 * ```ts ignore
 * // --plugin ./bench/plugins/qpp_source.ts --plugin ./bench/plugins/qpp_meter.ts,mode=sync,calls=10000
 * import meter from "./qpp_meter.ts";
 * console.log(meter.name); // "qpp_meter"
 * ```
 */
export default definePlugin({
  name: "qpp_meter",
  version: "1.0.0",
  api: "^1.0",
  requires: { qpp_source: "^1" },
  async install(ctx, args) {
    const mode = args.string("mode", "none");
    const calls = args.int("calls", 1000, { min: 0 });
    const warmup = args.int("warmup", 0, { min: 0 });
    const times = new Float64Array(calls);
    if (mode === "async") {
      const api = ctx.qpp.import<QppSourceApi>("qpp_source", "^1");
      for (let i = 0; i < warmup; i++) await api.noop();
      const t0 = performance.now();
      for (let i = 0; i < calls; i++) {
        const t = performance.now();
        await api.noop();
        times[i] = performance.now() - t;
      }
      ctx.log(report(mode, times, performance.now() - t0));
    } else if (mode === "sync" || mode === "synccb") {
      const api = ctx.qpp.importSync<QppSourceApi>("qpp_source", "^1");
      const measure = () => {
        for (let i = 0; i < warmup; i++) api.noop();
        const t0 = performance.now();
        for (let i = 0; i < calls; i++) {
          const t = performance.now();
          api.noop();
          times[i] = performance.now() - t;
        }
        ctx.log(report(mode, times, performance.now() - t0));
      };
      if (mode === "sync") measure();
      else ctx.onVcpuInit(measure);
    } else if (mode !== "none") {
      throw new RangeError(
        `qpp_meter: mode must be async, sync, synccb or none, got "${mode}"`,
      );
    }
  },
}) as PluginDefinition;
