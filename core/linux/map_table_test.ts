import assert from "node:assert/strict";
import { GuestMemory } from "../memory.ts";
import { PERM_R, PERM_W } from "../layout.ts";
import { MapTable } from "./map_table.ts";
import { testProc } from "./_test_util.ts";

const A = 0x100_0000, PG = 0x1000;

/** A forked child's memory: the parent's pages at [A, A+len) copied. */
function forkMemory(parent: GuestMemory, len: number): GuestMemory {
  const child = new GuestMemory();
  child.map(A, len, PERM_R | PERM_W);
  child.u8.set(parent.u8.subarray(A, A + len), A);
  return child;
}

Deno.test("MAP_SHARED|MAP_ANONYMOUS pages are shared with a forked child across park/unpark", () => {
  const pm = new GuestMemory();
  pm.map(A, 3 * PG, PERM_R | PERM_W);
  const parent = new MapTable(pm);
  parent.addSharedAnon(A, 3 * PG);
  pm.u8[A + 5] = 1;
  parent.park(); // fork: the parent stops, the child starts
  const cm = forkMemory(pm, 3 * PG);
  const child = parent.fork(cm);
  child.unpark();
  assert.equal(cm.u8[A + 5], 1);
  cm.u8[A + 5] = 2; // the child stores, then exits
  cm.u8[A + 2 * PG] = 3;
  child.close();
  parent.unpark(); // the parent's wait() returns
  assert.equal(pm.u8[A + 5], 2);
  assert.equal(pm.u8[A + 2 * PG], 3);
});

Deno.test("a partly unmapped shared region still shares its other pages", () => {
  const pm = new GuestMemory();
  pm.map(A, 3 * PG, PERM_R | PERM_W);
  const parent = new MapTable(pm);
  parent.addSharedAnon(A, 3 * PG);
  parent.remove(A + PG, PG); // munmap the middle page
  assert.equal(parent.all.length, 2);
  parent.park();
  const cm = forkMemory(pm, 3 * PG);
  const child = parent.fork(cm);
  child.unpark();
  cm.u8[A + 2 * PG + 9] = 9;
  cm.u8[A + PG + 9] = 8; // no longer shared: stays in the child
  child.park();
  parent.unpark();
  assert.equal(pm.u8[A + 2 * PG + 9], 9);
  assert.equal(pm.u8[A + PG + 9], 0);
});

Deno.test("private mappings are not shared with a forked child", () => {
  const pm = new GuestMemory();
  pm.map(A, PG, PERM_R | PERM_W);
  const parent = new MapTable(pm);
  parent.park();
  const cm = forkMemory(pm, PG);
  const child = parent.fork(cm);
  cm.u8[A] = 4;
  child.park();
  parent.unpark();
  assert.equal(pm.u8[A], 0);
});

Deno.test("a shared file mapping writes back only what changed, and never past EOF", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const path = `${dir}/f`;
    Deno.writeFileSync(path, new Uint8Array(PG + 10).fill(0x61));
    const p = testProc({
      mounts: [{ guest: "/d", host: Deno.realPathSync(dir), readOnly: false }],
      cwd: "/d",
    });
    p.str(0x20_0000, "/d/f");
    const fd = p.call("openat", -100, 0x20_0000, 2, 0);
    const at = p.call("mmap", 0, 2 * PG, 3, 1, fd, 0);
    assert.equal(p.mem.u8[at + PG + 9], 0x61);
    assert.equal(p.mem.u8[at + PG + 10], 0); // past EOF: zero
    // Someone else changes page 0 of the file; the guest only touched page 1.
    const f = Deno.openSync(path, { write: true });
    f.writeSync(new Uint8Array([0x7a]));
    f.close();
    p.mem.u8[at + PG] = 0x42;
    p.mem.u8[at + PG + 100] = 0x43; // past EOF: dropped
    assert.equal(p.call("msync", at, 2 * PG, 4), 0);
    const bytes = Deno.readFileSync(path);
    assert.equal(bytes.length, PG + 10);
    assert.equal(bytes[0], 0x7a); // page 0 was clean: not overwritten
    assert.equal(bytes[PG], 0x42);
    assert.equal(p.call("munmap", at, 2 * PG), 0);
    assert.equal(p.call("close", fd), 0);
    assert.equal(p.k.maps.all.length, 0);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
