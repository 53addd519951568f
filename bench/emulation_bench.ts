/**
 * Raw emulation speed on the compute guest, translator against the reference
 * interpreter. Both run the same short workload so `deno bench` prints their
 * ratio; a longer translator run prints guest instructions per second.
 *
 * @module
 */

import { runCompute } from "./_guest.ts";

const SHORT = 30; // iterations, ~2.5 M guest instructions

for (const engine of ["jit", "interp"] as const) {
  const iters = engine === "jit" ? 2000 : SHORT;
  const r = runCompute(engine, iters);
  const mips = r.instructions / r.ms / 1000;
  console.log(
    `${engine}: ${r.instructions} guest instructions in ${
      r.ms.toFixed(0)
    } ms = ` +
      `${mips.toFixed(1)} M instructions/s (compute.elf ${iters})`,
  );
}

Deno.bench({
  name: "translator",
  group: "compute.elf 30",
  baseline: true,
  n: 5,
  warmup: 1,
  fn() {
    runCompute("jit", SHORT);
  },
});

Deno.bench({
  name: "interpreter",
  group: "compute.elf 30",
  n: 3,
  warmup: 1,
  fn() {
    runCompute("interp", SHORT);
  },
});
