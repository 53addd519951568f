import assert from "node:assert/strict";
import { Cpu } from "../cpu.ts";
import { Exit } from "../exit.ts";
import { Fpu } from "../fpu/fpu.ts";
import { PERM_R, PERM_X, PROFILE_OFF } from "../layout.ts";
import { GuestMemory } from "../memory.ts";
import { Translator } from "./translator.ts";

const CODE = 0x10000;
// a0 = 0; a1 = 10; do { call f } while (--a1); ecall.  f: a0++; ret
const CALLS_F_TEN_TIMES = [
  0x00000513, //  0: li a0, 0
  0x00a00593, //  4: li a1, 10
  0x010000ef, //  8: loop: jal ra, f
  0xfff58593, //  c: addi a1, a1, -1
  0xfe059ce3, // 10: bnez a1, loop
  0x00000073, // 14: ecall
  0x00150513, // 18: f: addi a0, a0, 1
  0x00008067, // 1c: ret
];

function setup(words: number[]) {
  const mem = new GuestMemory();
  const cpu = new Cpu(mem.memory.buffer);
  const fpu = new Fpu(new Int32Array(mem.memory.buffer), Cpu.FFLAGS_INDEX);
  mem.map(CODE, 0x1000, PERM_R | PERM_X);
  words.forEach((w, i) => mem.view.setUint32(CODE + 4 * i, w >>> 0, true));
  cpu.pc = CODE;
  const t = new Translator(mem, cpu, fpu);
  t.hotAfter = 0; // translate on first run: these tests are about translations
  return { mem, cpu, t };
}

Deno.test("a profiled run counts every return, and misses each block at most once", () => {
  const { cpu, t } = setup(CALLS_F_TEN_TIMES);
  const p = t.enableProfile();
  assert.equal(t.run(), Exit.ECALL);
  assert.equal(cpu.getX(10), 10);
  const c = p.counters();
  assert.equal(c.dynamic + c.inlineHits, 10, "each ret is one indirect jump");
  assert.ok(c.dispatched + c.chained + c.internal > 0);
  assert.ok(p.times.misses >= 1 && p.times.misses <= t.stats.blocks);
  assert.ok(p.times.modules > 0 && p.times.modules <= t.stats.blocks);
});

Deno.test("an unprofiled run emits no counting code", () => {
  const { mem, cpu, t } = setup(CALLS_F_TEN_TIMES);
  assert.equal(t.run(), Exit.ECALL);
  assert.equal(cpu.getX(10), 10);
  const words = new BigInt64Array(mem.memory.buffer, PROFILE_OFF, 6);
  assert.deepEqual([...words], [0n, 0n, 0n, 0n, 0n, 0n]);
  assert.equal(t.profile, undefined);
});

Deno.test("cold blocks run in the interpreter and hot ones get translated, counting exactly", () => {
  for (const hotAfter of [0, 3, 100]) {
    const { cpu, t } = setup(CALLS_F_TEN_TIMES);
    t.hotAfter = hotAfter;
    assert.equal(t.run(), Exit.ECALL);
    assert.equal(cpu.getX(10), 10, `a0 with hotAfter ${hotAfter}`);
    // li, li; 10 x (jal, addi, ret, addi, bnez); ecall
    assert.equal(
      cpu.instret,
      2 + 10 * 5 + 1,
      `instret with hotAfter ${hotAfter}`,
    );
    if (hotAfter === 100) assert.equal(t.stats.blocks, 0, "nothing got hot");
    else assert.ok(t.stats.blocks > 0, "the loop got translated");
  }
});

Deno.test("a block that loops on itself counts every iteration, in a region or alone", () => {
  for (const regions of [true, false]) {
    const { cpu, t } = setup([
      0x00000513, //  0: li a0, 0
      0x06400593, //  4: li a1, 100
      0x00250513, //  8: loop: addi a0, a0, 2
      0xfff58593, //  c: addi a1, a1, -1
      0xfe059ce3, // 10: bnez a1, loop
      0x00000073, // 14: ecall
    ]);
    t.regions = regions;
    const p = t.enableProfile();
    assert.equal(t.run(), Exit.ECALL);
    assert.equal(cpu.getX(10), 200);
    assert.equal(cpu.instret, 2 + 100 * 3 + 1);
    if (regions) assert.equal(p.counters().internal, 100, "99 loops + 1 exit");
  }
});
