import assert from "node:assert/strict";
import { FutexTable } from "./futex_table.ts";
import { GuestMemory } from "../memory.ts";

Deno.test("futex wake takes waiters in arrival order, up to the count", () => {
  const mem = new GuestMemory();
  const f = new FutexTable();
  const ws = [1, 2, 3].map(() => f.enqueue(mem, 0x10000, -1));
  assert.equal(f.wake(mem, 0x10000, 2, -1), 2);
  assert.deepEqual(ws.map((w) => w.woken), [true, true, false]);
  assert.equal(f.count(mem, 0x10000), 1);
});

Deno.test("futex wake with a bitset wakes only waiters whose bitset meets it", () => {
  const mem = new GuestMemory();
  const f = new FutexTable();
  const a = f.enqueue(mem, 0x10000, 0b01);
  const b = f.enqueue(mem, 0x10000, 0b10);
  assert.equal(f.wake(mem, 0x10000, 10, 0b10), 1);
  assert.equal(a.woken, false);
  assert.equal(b.woken, true);
});

Deno.test("futex requeue wakes some and moves the rest to the other address", () => {
  const mem = new GuestMemory();
  const f = new FutexTable();
  const ws = [1, 2, 3, 4].map(() => f.enqueue(mem, 0x10000, -1));
  assert.equal(f.requeue(mem, 0x10000, 0x20000, 1, 2), 3);
  assert.equal(f.count(mem, 0x10000), 1);
  assert.equal(f.count(mem, 0x20000), 2);
  assert.equal(ws[1].addr, 0x20000);
  assert.equal(f.wake(mem, 0x20000, 5, -1), 2);
  assert.equal(ws[2].woken, true);
});

Deno.test("futex queues of different address spaces never mix", () => {
  const a = new GuestMemory(), b = new GuestMemory();
  const f = new FutexTable();
  const w = f.enqueue(a, 0x10000, -1);
  assert.equal(f.wake(b, 0x10000, 1, -1), 0);
  f.remove(a, w);
  assert.equal(f.wake(a, 0x10000, 1, -1), 0);
});
