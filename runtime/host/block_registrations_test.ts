import assert from "node:assert/strict";
import { BlockRegistrations } from "./block_registrations.ts";

Deno.test("retranslating, dropping and flushing the same blocks 100,000 times keeps the host's table flat", () => {
  const r = new BlockRegistrations();
  for (let round = 0; round < 100_000; round++) {
    r.planned(0x1000, [[round % 7, 1]]);
    r.planned(0x2000, [[7 + (round % 5), 3]]);
    assert.equal(r.size, 2);
    if (round % 2) r.flushed();
    else {
      r.dropped(0x1000);
      r.dropped(0x2000);
    }
    assert.deepEqual(r.takeFreed().sort(), [0x1000, 0x2000]);
  }
  assert.equal(r.size, 0);
  assert.equal(r.ids, 0);
  assert.equal(r.hasFreed, false);
});

Deno.test("a sync callback's access is known while its block is planned, and forgotten once dropped", () => {
  const r = new BlockRegistrations();
  r.planned(0x1000, [[4, 3]]);
  assert.equal(r.access(4), 3);
  assert.equal(r.access(5), 0);
  r.dropped(0x1000);
  assert.equal(r.access(4), 0);
});
