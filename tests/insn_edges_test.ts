/**
 * Instruction-level corner cases (issue 13, part 11) through a whole guest,
 * `insn_edges.c`, under both engines: signalling NaNs after warm-up, RVC
 * HINTs, and si_addr of fault addresses at or above 2^53. The expected
 * output is Linux's; qemu-riscv64 7.2 agrees on everything except si_addr
 * of an address beyond its guest address space, which it reports as 0
 * (Linux reports the faulting address: sigaction(2), `si_addr`).
 *
 * @module
 */

import assert from "node:assert/strict";
import { guest, hasQemu, runPandeno, runQemu } from "./_harness.ts";

const EXPECTED = [
  "snan 7ff0000000000001 x300000: misses fadd.d 0 fclass.d 0 feq.d 0 fcvt.s.d 0 fmin.d 0",
  "snan fff4000000000000 x50000: misses fadd.d 0 fclass.d 0 feq.d 0 fcvt.s.d 0 fmin.d 0",
  "hints ran: a0=-7 s0=5",
  "load from 0x20000000000001: si_addr 0x20000000000001",
  "load from 0x123456789abcdef: si_addr 0x123456789abcdef",
  "load from 0xfffffffffffffff1: si_addr 0xfffffffffffffff1",
  "load from 0x8: si_addr 0x8",
];

/** Lines where qemu 7.2 differs from Linux (si_addr 0 beyond its address space). */
const QEMU_DIFFERS = new Set([3, 4]);

const lines = (b: Uint8Array) =>
  new TextDecoder().decode(b).trimEnd().split("\n");

for (const engine of ["jit", "interp"]) {
  Deno.test(`insn_edges (${engine}): signalling NaNs, RVC HINTs and high si_addr as on Linux`, async () => {
    const r = await runPandeno(["--engine", engine, guest("insn_edges")]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), EXPECTED);
  });
}

Deno.test("insn_edges: qemu-riscv64 prints the same, except si_addr beyond its address space", async () => {
  if (!hasQemu()) {
    console.warn("SKIP insn_edges vs qemu: qemu-riscv64 not installed");
    return;
  }
  const q = (await runQemu(guest("insn_edges"), []))!;
  assert.equal(q.code, 0);
  const got = lines(q.stdout);
  assert.equal(got.length, EXPECTED.length);
  EXPECTED.forEach((line, i) => {
    if (QEMU_DIFFERS.has(i)) assert.match(got[i], / si_addr 0$/);
    else assert.equal(got[i], line);
  });
});
