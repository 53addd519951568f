import assert from "node:assert/strict";
import { GuestMemory } from "./memory.ts";
import { PERM_R, PERM_W } from "./layout.ts";

Deno.test("check() refuses negative and fractional lengths instead of wrapping", () => {
  const mem = new GuestMemory();
  mem.map(0x10000, 0x1000, PERM_R | PERM_W);
  assert.equal(mem.check(0x10001, -4096, PERM_R), false);
  assert.equal(mem.check(0x10000, 1.5, PERM_R), false);
  // A negative length once passed the page loop and made read() copy ~4 GiB.
  assert.equal(mem.read(0x10001, -4096), undefined);
  assert.equal(mem.check(0x10000, 0x1000, PERM_R), true);
});
