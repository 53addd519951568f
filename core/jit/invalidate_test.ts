import assert from "node:assert/strict";
import { Cpu } from "../cpu.ts";
import { Exit } from "../exit.ts";
import { Fpu } from "../fpu/fpu.ts";
import { PERM_R, PERM_W, PERM_X } from "../layout.ts";
import { GuestMemory } from "../memory.ts";
import { Translator } from "./translator.ts";

const CODE = 0x10000;

function setup(words: number[], prot = PERM_R | PERM_W | PERM_X) {
  const mem = new GuestMemory();
  const cpu = new Cpu(mem.memory.buffer);
  const fpu = new Fpu(new Int32Array(mem.memory.buffer), Cpu.FFLAGS_INDEX);
  mem.map(CODE, 0x1000, prot);
  words.forEach((w, i) => mem.view.setUint32(CODE + 4 * i, w >>> 0, true));
  cpu.pc = CODE;
  const t = new Translator(mem, cpu, fpu);
  t.hotAfter = 0; // translate on first run: these tests are about translations
  return { mem, cpu, t };
}

Deno.test("translated code sees a guest store that rewrites a translated instruction", () => {
  // `target` runs once (a0 = 1); the guest then stores `li a0,2` over its
  // first instruction and calls it again: the new instruction must run.
  const { cpu, t } = setup([
    0x01c000ef, //  0: jal ra, target
    0x00000317, //  4: auipc t1, 0
    0x002003b7, //  8: lui t2, 0x200
    0x51338393, //  c: addi t2, t2, 0x513    t2 = 0x00200513 = li a0,2
    0x00732c23, // 10: sw t2, 24(t1)         overwrite target's first word
    0x008000ef, // 14: jal ra, target
    0x00000073, // 18: ecall
    0x00100513, // 1c: target: li a0, 1
    0x00008067, // 20: ret
  ]);
  assert.equal(t.run(), Exit.ECALL);
  assert.equal(cpu.getX(10), 2, "the rewritten instruction ran");
  assert.ok(t.stats.invalidated >= 1, "a block was invalidated");
});

Deno.test("munmap of translated code makes the next run fault", () => {
  const { mem, cpu, t } = setup([
    0x00100513, // li a0, 1
    0x00000073, // ecall
  ]);
  assert.equal(t.run(), Exit.ECALL);
  mem.unmap(CODE, 0x1000);
  cpu.pc = CODE;
  assert.equal(t.run(), Exit.FETCH_FAULT);
  assert.equal(cpu.exitTval, CODE);
});

Deno.test("mprotect dropping X makes translated code fault on its next run", () => {
  const { mem, cpu, t } = setup([
    0x00100513, // li a0, 1
    0x00000073, // ecall
  ]);
  assert.equal(t.run(), Exit.ECALL);
  assert.ok(mem.protect(CODE, 0x1000, PERM_R));
  cpu.pc = CODE;
  assert.equal(t.run(), Exit.FETCH_FAULT);
});

Deno.test("fence.i leaves the block with pc past it and flush() drops all blocks", () => {
  const { cpu, t } = setup([
    0x0000100f, // fence.i
    0x00000073, // ecall
  ]);
  assert.equal(t.run(), Exit.FENCE_I);
  assert.equal(cpu.pc, CODE + 4);
  t.flush();
  assert.equal(t.run(), Exit.ECALL);
  assert.equal(t.stats.flushes, 1);
});
