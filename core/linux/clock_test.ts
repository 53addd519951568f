import assert from "node:assert/strict";
import { SCRATCH, testProc } from "./_test_util.ts";

Deno.test("the virtual clock counts instructions and sleeps advance it without waiting", () => {
  const p = testProc({ icountShift: 3 });
  p.cpu.instret = 1000;
  assert.equal(p.call("clock_gettime", 2, SCRATCH), 0); // CPUTIME: 1000 << 3 ns
  assert.deepEqual([p.mem.readU64(SCRATCH), p.mem.readU64(SCRATCH + 8)], [
    0,
    8000,
  ]);
  p.call("clock_gettime", 1, SCRATCH);
  const before = p.mem.readU64(SCRATCH)! * 1e9 + p.mem.readU64(SCRATCH + 8)!;
  p.mem.write(SCRATCH + 32, new Uint8Array(16));
  p.mem.view.setBigInt64(SCRATCH + 32, 3600n, true); // one hour
  const t0 = performance.now();
  assert.equal(p.call("nanosleep", SCRATCH + 32, 0), 0);
  assert.ok(performance.now() - t0 < 1000);
  p.call("clock_gettime", 1, SCRATCH);
  const after = p.mem.readU64(SCRATCH)! * 1e9 + p.mem.readU64(SCRATCH + 8)!;
  assert.equal(after - before, 3600e9);
});

Deno.test("a completed nanosleep leaves rem as it was", () => {
  const p = testProc({ icountShift: 0 });
  p.mem.write(SCRATCH, new Uint8Array(16)); // req: 0 s 0 ns
  p.mem.view.setBigInt64(SCRATCH + 16, 7n, true);
  p.mem.view.setBigInt64(SCRATCH + 24, 7n, true);
  assert.equal(p.call("nanosleep", SCRATCH, SCRATCH + 16), 0);
  assert.deepEqual([p.mem.readU64(SCRATCH + 16), p.mem.readU64(SCRATCH + 24)], [
    7,
    7,
  ]);
});

Deno.test("the host's CPU-time clock does not count time spent sleeping", () => {
  const p = testProc();
  p.call("clock_gettime", 2, SCRATCH);
  const a = p.mem.readU64(SCRATCH)! * 1e9 + p.mem.readU64(SCRATCH + 8)!;
  p.mem.write(SCRATCH + 32, new Uint8Array(16));
  p.mem.view.setBigInt64(SCRATCH + 40, 300_000_000n, true); // 0.3 s
  p.call("nanosleep", SCRATCH + 32, 0);
  p.call("clock_gettime", 2, SCRATCH);
  const b = p.mem.readU64(SCRATCH)! * 1e9 + p.mem.readU64(SCRATCH + 8)!;
  assert.ok(b - a < 150e6, `${b - a} ns of CPU time over a 0.3 s sleep`);
});
