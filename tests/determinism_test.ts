/**
 * `--seed N` and `--icount-shift N` make runs repeat: a program whose work
 * depends on elapsed time, sleeps and random bytes (getrandom and
 * /dev/urandom) executes the same number of instructions every time.
 *
 * @module
 */

import assert from "node:assert/strict";
import { guest, runPandeno } from "./_harness.ts";

async function insns(args: string[]): Promise<number> {
  const r = await runPandeno([
    "--count-insns",
    ...args,
    guest("timeloop"),
  ]);
  assert.equal(r.code, 0, r.stderr);
  const m = /insns: (\d+)/.exec(r.stderr);
  assert.ok(m, r.stderr);
  return Number(m[1]);
}

for (const engine of ["jit", "interp"]) {
  Deno.test(`with --seed and --icount-shift two runs execute the same instructions (--engine ${engine})`, async () => {
    const args = ["--engine", engine, "--seed", "1", "--icount-shift", "4"];
    const a = await insns(args), b = await insns(args);
    assert.equal(a, b);
  });
}

Deno.test("different seeds change the random-dependent work", async () => {
  const a = await insns(["--seed", "1", "--icount-shift", "4"]);
  const b = await insns(["--seed", "2", "--icount-shift", "4"]);
  assert.notEqual(a, b);
});
