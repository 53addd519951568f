/**
 * Pandeno against qemu-riscv64 on bare runs, measured side by side: the two
 * are run in turn, RUNS times each, and the medians compared. Both are
 * whole processes (start-up included), timed by wall clock and by CPU time
 * (user + system, read from `/proc/self/stat`-style rusage of the children:
 * on a shared machine CPU time is the steadier figure). The guest's output
 * must be the same under both.
 *
 * Usage:
 *   deno task bench:qemu [--runs N] [ITERATIONS]
 *   deno task bench:qemu [--runs N] -- PROGRAM [ARGS...]
 *
 * Without a program it runs the compute guest for ITERATIONS (default 3660,
 * about 300 M instructions). The speed ratio is qemu's time over Pandeno's:
 * 1.0 is qemu's pace, 0.5 half of it.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { COMPUTE } from "./_guest.ts";

const USAGE = "Usage: deno task bench:qemu [--runs N] [ITERATIONS]\n" +
  "       deno task bench:qemu [--runs N] -- PROGRAM [ARGS...]";

let runs = 5;
let guest = [fileURLToPath(COMPUTE), "3660"];
const args = [...Deno.args];
while (args.length > 0) {
  const a = args.shift()!;
  if (a === "--help" || a === "-h") {
    console.log(USAGE);
    Deno.exit(0);
  } else if (a === "--runs") {
    runs = Number(args.shift());
    if (!Number.isInteger(runs) || runs < 1) {
      console.error("--runs expects a positive whole number\n" + USAGE);
      Deno.exit(2);
    }
  } else if (a === "--") {
    if (args.length === 0) {
      console.error("no program after --\n" + USAGE);
      Deno.exit(2);
    }
    guest = args.splice(0);
  } else {
    guest = [fileURLToPath(COMPUTE), a];
  }
}

// The entry `deno task run` uses (it loads the plugin runtime only for --plugin).
const cli = fileURLToPath(new URL("../runtime/cli/cli.ts", import.meta.url));

/** One whole-process run: wall ms, CPU ms (children's rusage), output. */
interface Sample {
  wall: number;
  cpu: number;
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `cmd` under /usr/bin/time-like accounting (bash `times`). */
async function timed(cmd: string[]): Promise<Sample> {
  // bash's `times` prints the children's user and system CPU time.
  const script = `"$@" >"$OUT" 2>"$ERR"; s=$?; times >&2; exit $s`;
  const dir = await Deno.makeTempDir();
  const out = `${dir}/out`, err = `${dir}/err`;
  const t0 = performance.now();
  const r = await new Deno.Command("bash", {
    args: ["-c", script, "bash", ...cmd],
    env: { OUT: out, ERR: err },
    stdout: "null",
    stderr: "piped",
  }).output();
  const wall = performance.now() - t0;
  const times = new TextDecoder().decode(r.stderr).trim().split("\n").pop()!;
  const secs = [...times.matchAll(/(\d+)m([\d.]+)s/g)].map((m) =>
    Number(m[1]) * 60 + Number(m[2])
  );
  const sample = {
    wall,
    cpu: (secs[0] + secs[1]) * 1000,
    code: r.code,
    stdout: await Deno.readTextFile(out),
    stderr: await Deno.readTextFile(err),
  };
  await Deno.remove(dir, { recursive: true });
  return sample;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) >> 1] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

const pandenoCmd = [
  Deno.execPath(),
  "run",
  "--allow-all",
  "--no-check",
  cli,
  "--count-insns",
  ...guest,
];
const qemuCmd = ["qemu-riscv64", ...guest];
try {
  await new Deno.Command("qemu-riscv64", { args: ["--version"] }).output();
} catch {
  console.log("qemu-riscv64: not installed (apt-get install qemu-user)");
  Deno.exit(0);
}

console.log(`guest: ${guest.join(" ")}`);
console.log(`pandeno: ${pandenoCmd.join(" ")}`);
console.log(`qemu:    ${qemuCmd.join(" ")}`);
const p: Sample[] = [], q: Sample[] = [];
let insns = 0;
for (let k = 0; k < runs; k++) {
  const a = await timed(pandenoCmd);
  const b = await timed(qemuCmd);
  const m = a.stderr.match(/insns: (\d+)/);
  if (a.code !== b.code || !m) {
    console.error(
      `pandeno exited ${a.code}, qemu ${b.code}:\n${a.stderr}\n${b.stderr}`,
    );
    Deno.exit(1);
  }
  if (a.stdout !== b.stdout) {
    console.error("warning: qemu and pandeno printed different output");
  }
  insns = Number(m[1]);
  p.push(a);
  q.push(b);
  console.log(
    `run ${k + 1}: pandeno ${a.wall.toFixed(0)} ms (cpu ${
      a.cpu.toFixed(0)
    }), qemu ${b.wall.toFixed(0)} ms (cpu ${b.cpu.toFixed(0)})`,
  );
}
const pw = median(p.map((s) => s.wall)), qw = median(q.map((s) => s.wall));
const pc = median(p.map((s) => s.cpu)), qc = median(q.map((s) => s.cpu));
console.log(`instructions: ${insns}`);
console.log(
  `median wall: pandeno ${pw.toFixed(0)} ms, qemu ${qw.toFixed(0)} ms; ` +
    `speed ratio ${(qw / pw).toFixed(2)}x qemu`,
);
console.log(
  `median cpu:  pandeno ${pc.toFixed(0)} ms, qemu ${qc.toFixed(0)} ms; ` +
    `speed ratio ${(qc / pc).toFixed(2)}x qemu`,
);
