/**
 * What each event delivery mode costs per guest instruction, on the compute
 * guest, as a ratio to the `empty` plugin (which only registers a
 * translation callback, like QEMU's `tests/tcg/plugins/empty.c`):
 *
 * - inline: scoreboard adds compiled into the block (`insn,inline=on`, one
 *   per instruction; `mem,inline=on`, one per memory access);
 * - batched: a record per event into the plugin's ring, drained by its
 *   Worker (`insn`: one exec event per instruction; `mem,callback=on`: one
 *   event per memory access);
 * - sync: the vCPU waits for a callback on every executed block
 *   (`bench/plugins/sync_block.ts`). A round trip per block is so much
 *   dearer that this group runs far fewer iterations.
 *
 * Plugin loading (Worker start, install) is outside the timed region; the
 * delivery of events still pending at exit is inside. At module load it
 * prints each mode's overhead over `empty` in ns per guest instruction (and
 * per event), medians of three runs.
 *
 * @module
 */

import { median, prepare, timedCompute } from "./_plugin_run.ts";
import { INSNS_PER_ITERATION } from "./_guest.ts";

/**
 * Iterations of compute.elf for the inline modes (~300 M instructions):
 * their overhead is a fraction of a ns per instruction, so the fixed cost
 * of translating (~150 ms with a plugin) must be small beside the run.
 */
const INLINE_ITERATIONS = 3660;
/** Iterations for the batched modes (~82 M instructions). */
const ITERATIONS = 1000;
/** Iterations for the sync mode (~0.8 M instructions, ~130 k blocks). */
const SYNC_ITERATIONS = 10;
const SYNC_BLOCK = new URL("./plugins/sync_block.ts", import.meta.url).pathname;

interface Mode {
  /** Delivery mode (the bench group). */
  group: "inline" | "batched" | "sync";
  /** Bench name. */
  name: string;
  /** The plugin spec. */
  spec: string;
  /** compute.elf iterations. */
  iterations: number;
  /** What one event is, and how to count events from the plugin's report. */
  event: string;
  events: (out: string) => number;
}

const count = (re: RegExp) => (out: string) => Number(out.match(re)?.[1]);

const MODES: Mode[] = [
  {
    group: "inline",
    name: "insn,inline=on",
    spec: "insn,inline=on",
    iterations: INLINE_ITERATIONS,
    event: "instruction",
    events: count(/insns: (\d+)/),
  },
  {
    group: "inline",
    name: "mem,inline=on",
    spec: "mem,inline=on",
    iterations: INLINE_ITERATIONS,
    event: "memory access",
    events: count(/inline mem accesses: (\d+)/),
  },
  {
    group: "batched",
    name: "insn (exec event per instruction)",
    spec: "insn",
    iterations: ITERATIONS,
    event: "instruction",
    events: count(/total insns: (\d+)/),
  },
  {
    group: "batched",
    name: "mem,callback=on (event per access)",
    spec: "mem,callback=on",
    iterations: ITERATIONS,
    event: "memory access",
    events: count(/callback mem accesses: (\d+)/),
  },
  {
    group: "sync",
    name: "sync_block (sync callback per block)",
    spec: SYNC_BLOCK,
    iterations: SYNC_ITERATIONS,
    event: "block",
    events: count(/sync blocks: (\d+)/),
  },
];

// ---- summary: ns per instruction over empty ----

const RUNS = 3;
const emptyMs = new Map<number, number>();
for (const iterations of new Set(MODES.map((m) => m.iterations))) {
  await timedCompute(["empty"], iterations); // warm the host JIT
  const ms = [];
  for (let i = 0; i < RUNS; i++) {
    ms.push((await timedCompute(["empty"], iterations)).ms);
  }
  emptyMs.set(iterations, median(ms));
}
const lines = [
  `delivery overhead over the empty plugin, compute.elf (~${INSNS_PER_ITERATION} instructions per iteration), median of ${RUNS} runs:`,
  `  ${"mode".padEnd(46)} ${"iters".padStart(5)} ${"ms".padStart(7)} ${
    "x empty".padStart(7)
  } ${"ns/insn".padStart(8)} ${"ns/event".padStart(9)}`,
];
for (const iterations of emptyMs.keys()) {
  lines.push(
    `  ${"empty".padEnd(46)} ${String(iterations).padStart(5)} ${
      emptyMs.get(iterations)!.toFixed(0).padStart(7)
    } ${"1.00".padStart(7)}`,
  );
}
for (const m of MODES) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    runs.push(await timedCompute([m.spec], m.iterations));
  }
  const ms = median(runs.map((r) => r.ms));
  const base = emptyMs.get(m.iterations)!;
  const insns = runs[0].instructions;
  const events = m.events(runs[0].out);
  const extraNs = (ms - base) * 1e6;
  lines.push(
    `  ${`${m.group}: ${m.name}`.padEnd(46)} ${
      String(m.iterations).padStart(5)
    } ${ms.toFixed(0).padStart(7)} ${(ms / base).toFixed(2).padStart(7)} ${
      (extraNs / insns).toFixed(2).padStart(8)
    } ${
      (extraNs / events).toFixed(2).padStart(9)
    }  (${events} ${m.event} events)`,
  );
}
console.log(lines.join("\n"));

// ---- Deno.bench: one group per delivery mode, empty as the baseline ----

function benchRun(
  group: string,
  name: string,
  spec: string,
  iterations: number,
  baseline = false,
): void {
  Deno.bench({
    name,
    group: `${group} (compute.elf ${iterations})`,
    baseline,
    n: 5,
    warmup: 1,
    async fn(t) {
      const run = await prepare([spec], { args: [String(iterations)] });
      t.start();
      run.machine.run();
      run.plugins!.finish();
      t.end();
    },
  });
}

for (const group of ["inline", "batched", "sync"] as const) {
  const modes = MODES.filter((m) => m.group === group);
  benchRun(group, "empty", "empty", modes[0].iterations, true);
  for (const m of modes) benchRun(group, m.name, m.spec, m.iterations);
}
