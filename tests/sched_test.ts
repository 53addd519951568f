/**
 * Threads, processes, blocking I/O and timers: guests that use them run
 * under qemu-riscv64 (the reference) and under Pandeno with each engine;
 * stdout and exit status must match. Output is made deterministic by the
 * guests themselves (they print only what every correct interleaving
 * gives), so these tests check semantics, not one schedule.
 *
 * @module
 */

import assert from "node:assert/strict";
import { guest, hasQemu, runPandeno, runQemu } from "./_harness.ts";

const QEMU_OK = hasQemu();
if (!QEMU_OK) {
  console.warn(
    "SKIP sched: qemu-riscv64 not installed (apt-get install qemu-user)",
  );
}

/** One guest compared with qemu. */
interface Case {
  /** Guest name in tests/guests/bin/. */
  name: string;
  /** Guest arguments. */
  args?: string[];
  /** Expected exit status. */
  status?: number;
  /** Extra Pandeno options. */
  options?: string[];
  /** Bytes for stdin. */
  stdin?: string;
}

const CASES: Case[] = [
  { name: "threads" },
  { name: "threads", options: ["--quantum", "97"] },
];

const text = (b: Uint8Array) => new TextDecoder().decode(b);

for (const c of CASES) {
  for (const engine of ["jit", "interp"]) {
    const label = [c.name, ...(c.args ?? []), ...(c.options ?? [])].join(" ");
    Deno.test({
      name: `--engine ${engine} runs ${label} like qemu-riscv64`,
      ignore: !QEMU_OK,
      async fn() {
        const q = await runQemu(guest(c.name), c.args ?? [], {
          stdin: c.stdin,
        });
        assert.ok(q, "qemu-riscv64 vanished");
        assert.equal(q.code, c.status ?? 0, q.stderr);
        const p = await runPandeno([
          "--engine",
          engine,
          ...(c.options ?? []),
          guest(c.name),
          ...(c.args ?? []),
        ], { stdin: c.stdin });
        assert.equal(text(p.stdout), text(q.stdout), p.stderr);
        assert.equal(p.code, q.code, p.stderr);
      },
    });
  }
}
