/**
 * QPP between two plugin Workers: call round trips (async and sync) and
 * callback fan-out throughput to 1, 2 and 4 consumers, with the bench-only
 * plugins in `bench/plugins/` (`qpp_source` provides, `qpp_meter` and
 * `qpp_sink_N` consume).
 *
 * The round trip is timed inside the consumer's Worker, one
 * `performance.now()` pair per call, and the medians are printed at module
 * load against the targets (async <= 100 us, sync <= 5 us). The `Deno.bench`
 * groups wrap whole batches, with a no-call baseline:
 * - async: loading provider and consumer, whose install awaits 1000 calls
 *   (an async call needs the consumer's event loop free, which during a run
 *   it is only between host requests); per call = (time - baseline) / 1000;
 * - sync: the vCPU-init callback making 10000 sync calls while the vCPU
 *   waits; per call = (time - baseline) / 10000;
 * - fan-out: the provider runs 51200 `tick` callbacks at vCPU init, and the
 *   run ends when every consumer has handled them all.
 *
 * @module
 */

import { prepare } from "./_plugin_run.ts";

const plugin = (file: string) =>
  new URL(`./plugins/${file}`, import.meta.url).pathname;
const SOURCE = plugin("qpp_source.ts");
const METER = plugin("qpp_meter.ts");
const sink = (i: number) => plugin(`qpp_sink_${i}.ts`);

/** Events per consumer in a fan-out run (100 full batches of 512). */
const FANOUT_EVENTS = 51_200;
/** Async calls per Deno.bench batch. */
const ASYNC_BATCH = 1000;
/** Sync calls per Deno.bench batch. */
const SYNC_BATCH = 10_000;

interface MeterReport {
  mode: string;
  calls: number;
  median_us: number;
  p10_us: number;
  p90_us: number;
  p99_us: number;
  mean_us: number;
  total_ms: number;
}

/** The JSON objects after `tag ` at the start of lines of `out`. */
function reports<T>(out: string, tag: string): T[] {
  const re = new RegExp(`(?:^|\\] )${tag} (\\{.*\\})$`, "gm");
  return [...out.matchAll(re)].map((m) => JSON.parse(m[1]) as T);
}

/** Runs the meter in `mode` once and returns its report. */
async function meter(
  mode: string,
  calls: number,
  warmup: number,
): Promise<MeterReport> {
  const run = await prepare([
    SOURCE,
    `${METER},mode=${mode},calls=${calls},warmup=${warmup}`,
  ], { args: ["1"] });
  run.plugins!.finish();
  const r = reports<MeterReport>(run.out.join(""), "qpp_meter");
  if (r.length !== 1) {
    throw new Error(`qpp_meter ${mode} did not report:\n${run.out.join("")}`);
  }
  return r[0];
}

/** Runs a fan-out to `consumers` sinks; events/s from the Workers' clocks. */
async function fanout(consumers: number) {
  const specs = [`${SOURCE},events=${FANOUT_EVENTS}`];
  for (let i = 1; i <= consumers; i++) {
    specs.push(`${sink(i)},events=${FANOUT_EVENTS}`);
  }
  const run = await prepare(specs, { args: ["1"], attach: false });
  const t0 = performance.now();
  run.plugins!.attach(run.machine);
  run.plugins!.finish();
  const hostMs = performance.now() - t0;
  const out = run.out.join("");
  const [src] = reports<{ start: number; produced: number }>(
    out,
    "qpp_source",
  );
  const sinks = reports<{ received: number; end: number }>(out, "qpp_sink");
  if (
    !src || sinks.length !== consumers ||
    sinks.some((s) => s.received !== FANOUT_EVENTS)
  ) {
    throw new Error(`fan-out to ${consumers} went wrong:\n${out}`);
  }
  const ms = Math.max(...sinks.map((s) => s.end)) - src.start;
  return {
    consumers,
    ms,
    produceMs: src.produced - src.start,
    hostMs,
    delivered: (FANOUT_EVENTS * consumers) / ms * 1000,
    perConsumer: FANOUT_EVENTS / ms * 1000,
  };
}

// ---- summary, measured inside the Workers ----

// A group that fails is reported, and the others still run: one slow
// meter on a loaded machine must not cost the whole benchmark.
const failed = (what: string, e: unknown) =>
  `  ${what}: FAILED (${(e as Error).message.split("\n")[0]})`;
const meters: [string, string, number, number, number][] = [
  ["async (in install)", "async", 5000, 200, 100],
  ["sync (in install)", "sync", 20000, 500, 5],
  ["sync (in a sync vCPU callback)", "synccb", 20000, 500, 5],
];
const us = (v: number) => v.toFixed(2).padStart(8);
const lines = [
  "QPP round trip to a no-op function, timed per call in the consumer's Worker (us):",
  `  ${"call".padEnd(32)} ${"calls".padStart(6)} ${"median".padStart(8)} ${
    "p10".padStart(8)
  } ${"p90".padStart(8)} ${"p99".padStart(8)} ${"mean".padStart(8)}  target`,
];
for (const [label, mode, calls, warmup, target] of meters) {
  let r: MeterReport;
  try {
    r = await meter(mode, calls, warmup);
  } catch (e) {
    lines.push(failed(label, e));
    continue;
  }
  lines.push(
    `  ${label.padEnd(32)} ${String(r.calls).padStart(6)} ${us(r.median_us)} ${
      us(r.p10_us)
    } ${us(r.p90_us)} ${us(r.p99_us)} ${us(r.mean_us)}  ` +
      `median <= ${target} us: ${r.median_us <= target ? "met" : "MISSED"}`,
  );
}
lines.push(
  `QPP callback fan-out, ${FANOUT_EVENTS} batched events per consumer (Worker clocks):`,
);
for (const c of [1, 2, 4]) {
  let f: Awaited<ReturnType<typeof fanout>>;
  try {
    f = await fanout(c);
  } catch (e) {
    lines.push(failed(`${c} consumer(s)`, e));
    continue;
  }
  lines.push(
    `  ${c} consumer(s): ${f.ms.toFixed(1)} ms (provider busy ${
      f.produceMs.toFixed(1)
    } ms, host saw ${f.hostMs.toFixed(1)} ms): ` +
      `${(f.delivered / 1e6).toFixed(2)} M events/s delivered, ${
        (f.perConsumer / 1e6).toFixed(2)
      } M/s per consumer`,
  );
}
console.log(lines.join("\n"));

// ---- Deno.bench groups ----

Deno.bench({
  name: "load provider + consumer, no calls",
  group: "qpp async round trip",
  baseline: true,
  n: 5,
  warmup: 1,
  async fn() {
    (await prepare([SOURCE, `${METER},mode=none`], { args: ["1"] })).plugins!
      .finish();
  },
});

Deno.bench({
  name: `same + ${ASYNC_BATCH} async calls`,
  group: "qpp async round trip",
  n: 5,
  warmup: 1,
  async fn() {
    const run = await prepare([
      SOURCE,
      `${METER},mode=async,calls=${ASYNC_BATCH}`,
    ], { args: ["1"] });
    run.plugins!.finish();
  },
});

for (const calls of [0, SYNC_BATCH]) {
  Deno.bench({
    name: calls ? `vCPU init + ${calls} sync calls` : "vCPU init, no calls",
    group: "qpp sync round trip",
    baseline: calls === 0,
    n: 10,
    warmup: 1,
    async fn(t) {
      const run = await prepare([
        SOURCE,
        `${METER},mode=synccb,calls=${calls}`,
      ], { args: ["1"], attach: false });
      t.start();
      run.plugins!.attach(run.machine);
      t.end();
      run.plugins!.finish();
    },
  });
}

for (const consumers of [1, 2, 4]) {
  Deno.bench({
    name: `${FANOUT_EVENTS} events to ${consumers} consumer(s)`,
    group: "qpp callback fan-out",
    baseline: consumers === 1,
    n: 5,
    warmup: 1,
    async fn(t) {
      const specs = [`${SOURCE},events=${FANOUT_EVENTS}`];
      for (let i = 1; i <= consumers; i++) {
        specs.push(`${sink(i)},events=${FANOUT_EVENTS}`);
      }
      const run = await prepare(specs, { args: ["1"], attach: false });
      t.start();
      run.plugins!.attach(run.machine);
      run.plugins!.finish();
      t.end();
    },
  });
}
