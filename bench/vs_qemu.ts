/**
 * Runs the compute guest under qemu-riscv64 and under Pandeno's translator in
 * one go and prints both speeds and their ratio (guest instructions per
 * second of wall-clock time, process start included for both).
 *
 * Usage: deno task bench:qemu [ITERATIONS]
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { COMPUTE } from "./_guest.ts";

const iterations = Deno.args[0] ?? "3660";
if (Deno.args.includes("--help") || Deno.args.includes("-h")) {
  console.log(
    "Usage: deno task bench:qemu [ITERATIONS]  (default 3660, ~300 M instructions)",
  );
  Deno.exit(0);
}
const elf = fileURLToPath(COMPUTE);
const mod = fileURLToPath(new URL("../mod.ts", import.meta.url));

async function timed(cmd: string, args: string[]) {
  const t0 = performance.now();
  const out = await new Deno.Command(cmd, {
    args,
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  return {
    ms: performance.now() - t0,
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  };
}

const pandeno = await timed(Deno.execPath(), [
  "run",
  "--allow-all",
  "--no-check",
  mod,
  "--count-insns",
  "--stats",
  elf,
  iterations,
]);
const m = pandeno.stderr.match(/insns: (\d+)/);
if (pandeno.code !== 0 || !m) {
  console.error(`pandeno failed (status ${pandeno.code}):\n${pandeno.stderr}`);
  Deno.exit(1);
}
const insns = Number(m[1]);
const rate = (ms: number) => (insns / ms / 1000).toFixed(1);
console.log(`guest: compute.elf ${iterations} (${insns} instructions)`);
console.log(
  `pandeno (jit):  ${pandeno.ms.toFixed(0)} ms  ${
    rate(pandeno.ms)
  } M instructions/s`,
);
const inner = pandeno.stderr.match(/\(([\d.]+) M\/s\)/);
if (inner) {
  console.log(
    `  (excluding start-up and loading: ${inner[1]} M instructions/s)`,
  );
}

let qemu;
try {
  qemu = await timed("qemu-riscv64", [elf, iterations]);
} catch {
  console.log(
    "qemu-riscv64: not installed (apt-get install qemu-user); no ratio",
  );
  Deno.exit(0);
}
if (qemu.stdout !== pandeno.stdout) {
  console.error("warning: qemu and pandeno printed different output!");
}
console.log(
  `qemu-riscv64:   ${qemu.ms.toFixed(0)} ms  ${rate(qemu.ms)} M instructions/s`,
);
console.log(
  `ratio: pandeno takes ${(pandeno.ms / qemu.ms).toFixed(2)}x qemu's time`,
);
