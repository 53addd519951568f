/**
 * How much each in-tree plugin slows the compute guest down, next to what
 * QEMU 7.2's own plugins cost QEMU (measured on CoreMark on this kind of
 * machine; see /work/shared/NOTES.md). Everything runs in this one process:
 * the guest bare, then under each plugin alone, in rounds, and the table
 * shows the median over the rounds.
 *
 * Usage: deno task bench:plugins [--runs N] [ITERATIONS]
 *
 * @module
 */

import { parseArgs } from "node:util";
import { median, timedCompute } from "./_plugin_run.ts";
import { INSNS_PER_ITERATION } from "./_guest.ts";

/** Iterations of the compute guest by default: ~300 M instructions. */
const DEFAULT_ITERATIONS = 3660;

const HELP = `Usage: deno task bench:plugins [--runs N] [ITERATIONS]

Runs tests/guests/bin/compute.elf ITERATIONS (default ${DEFAULT_ITERATIONS}, ~${
  INSNS_PER_ITERATION / 1000
} k guest
instructions each, so ~300 M) in-process, bare and under each in-tree plugin
alone (empty, insn, bb, mem, hotblocks, cache, with their inline variants),
N rounds (default 3), and prints per plugin: the median run time (plugin
loading excluded; delivering events pending at exit included), the slowdown
against the bare run, and QEMU 7.2's slowdown for its own plugin of the same
name (CoreMark, from NOTES.md).

A fixed cost (~40 ms per run here: ~110 planning requests to the plugin
Worker, one per group of up to 32 new blocks, ~0.37 ms each, most of it two
cross-core wake-ups) weighs on short runs: at 1000 iterations (~82 M) it is
a quarter of the bare run, and the inline counter shows ~1.3x for ~1.2x of
per-instruction cost. Callback plugins are bound by their Worker's JS (~1.5
ns an event for the insn callback, ~0.4 ns an instruction bare), so their
slowdown grows with run length toward that ratio: try 12000 (~1 G).`;

/** One row of the table. */
interface Row {
  /** How the row is labelled. */
  label: string;
  /** Plugin spec (none for the bare run). */
  spec?: string;
  /** QEMU 7.2's slowdown for the matching plugin, if measured. */
  qemu?: number;
}

/** QEMU 7.2 figures: NOTES.md, "The peer: QEMU 7.2 user mode on CoreMark". */
const ROWS: Row[] = [
  { label: "bare" },
  { label: "empty", spec: "empty", qemu: 1.01 },
  { label: "insn, inline counter", spec: "insn,inline=on", qemu: 2.10 },
  { label: "insn, callback per insn", spec: "insn", qemu: 6.27 },
  { label: "bb, inline", spec: "bb,inline=on", qemu: 1.55 },
  { label: "bb, callback per block", spec: "bb", qemu: 3.40 },
  { label: "mem, inline", spec: "mem,inline=on", qemu: 1.13 },
  { label: "mem, callback per access", spec: "mem,callback=on", qemu: 1.58 },
  { label: "hotblocks", spec: "hotblocks", qemu: 9.0 },
  { label: "hotblocks, inline", spec: "hotblocks,inline=on" },
  { label: "cache (L1 I+D model)", spec: "cache", qemu: 44 },
];

const flags = parseArgs({
  args: Deno.args,
  options: {
    help: { type: "boolean", short: "h" },
    runs: { type: "string", default: "3" },
  },
  allowPositionals: true,
});
if (flags.values.help) {
  console.log(HELP);
  Deno.exit(0);
}
const iterations = Number(
  flags.positionals[0] ?? String(DEFAULT_ITERATIONS),
);
const runs = Number(flags.values.runs);
if (!Number.isInteger(iterations) || iterations < 1) {
  console.error(
    `plugin_slowdown: ITERATIONS must be a positive integer, got "${
      flags.positionals[0]
    }" (see --help)`,
  );
  Deno.exit(2);
}
if (!Number.isInteger(runs) || runs < 1) {
  console.error(
    `plugin_slowdown: --runs must be a positive integer, got "${flags.values.runs}" (see --help)`,
  );
  Deno.exit(2);
}

// One untimed run warms up the host's own JIT for the emulator.
await timedCompute([], Math.min(iterations, 100));
const times = new Map<Row, number[]>(ROWS.map((r) => [r, []]));
let instructions = 0;
for (let round = 0; round < runs; round++) {
  for (const row of ROWS) {
    const r = await timedCompute(row.spec ? [row.spec] : [], iterations);
    times.get(row)!.push(r.ms);
    instructions = r.instructions;
  }
  console.error(`round ${round + 1}/${runs} done`);
}

const bare = median(times.get(ROWS[0])!);
console.log(
  `compute.elf ${iterations}: ${instructions} guest instructions, median of ${runs} run(s)`,
);
const head = `${"plugin".padEnd(26)} ${"time ms".padStart(8)} ${
  "M insn/s".padStart(9)
} ${"slowdown".padStart(9)} ${"QEMU 7.2".padStart(9)}`;
console.log(head);
console.log("-".repeat(head.length));
for (const row of ROWS) {
  const ms = median(times.get(row)!);
  console.log(
    `${row.label.padEnd(26)} ${ms.toFixed(0).padStart(8)} ${
      (instructions / ms / 1000).toFixed(0).padStart(9)
    } ${`${(ms / bare).toFixed(2)}x`.padStart(9)} ${
      (row.qemu === undefined ? "-" : `${row.qemu.toFixed(2)}x`).padStart(9)
    }`,
  );
}
