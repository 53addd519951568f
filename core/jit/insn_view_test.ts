import assert from "node:assert/strict";
import { Cpu } from "../cpu.ts";
import { Exit } from "../exit.ts";
import { Fpu } from "../fpu/fpu.ts";
import type { InsnFacts } from "../isa/insn_facts.ts";
import { PERM_R, PERM_X } from "../layout.ts";
import { GuestMemory } from "../memory.ts";
import type { BlockView } from "./instrument.ts";
import { Translator } from "./translator.ts";

/** Runs `words` at 0x10000 under an instrumenter that keeps every view. */
function translate(words: readonly number[]): BlockView[] {
  const mem = new GuestMemory();
  const cpu = new Cpu(mem.memory.buffer);
  const fpu = new Fpu(new Int32Array(mem.memory.buffer), Cpu.FFLAGS_INDEX);
  mem.map(0x10000, 0x1000, PERM_R | PERM_X);
  let pc = 0x10000;
  for (const w of words) {
    if ((w & 3) === 3) {
      mem.view.setUint32(pc, w >>> 0, true);
      pc += 4;
    } else {
      mem.view.setUint16(pc, w, true);
      pc += 2;
    }
  }
  cpu.pc = 0x10000;
  const t = new Translator(mem, cpu, fpu);
  const seen: BlockView[] = [];
  t.instrument({
    boards: [],
    plan: (b) => void seen.push(b),
    exec: () => 0,
    mem: () => {},
    ringFull: () => {},
  });
  assert.equal(t.run(), Exit.ECALL);
  return seen;
}

Deno.test("InsnView.facts: blocks end where the table row's control flow says, and the facts say why", () => {
  const blocks = translate([
    0x00100513, // 10000: addi a0,zero,1
    0x008000ef, // 10004: jal ra,0x1000c
    0x00000073, // 10008: ecall
    0x00a50593, // 1000c: addi a1,a0,10
    0x00058463, // 10010: beq a1,zero,0x10018 (not taken)
    0x8082, //     10014: c.jr ra
  ]);
  const facts = (b: BlockView): InsnFacts[] => b.insns.map((i) => i.facts);
  const first = blocks.find((b) => b.pc === 0x10000)!;
  assert.deepEqual(
    facts(first).map((f) => [f.disasm, f.flow, f.target]),
    [["addi a0,zero,1", "none", null], ["jal ra,0x1000c", "call", 0x1000c]],
  );
  const callee = blocks.find((b) => b.pc === 0x1000c)!;
  assert.deepEqual(facts(callee).map((f) => f.flow), ["none", "branch"]);
  const ret = blocks.find((b) => b.pc === 0x10014)!;
  assert.deepEqual(
    facts(ret).map((f) => [f.mnemonic, f.compressed, f.flow]),
    [["jalr", "c.jr", "return"]],
  );
  // Every block's last instruction is its only control transfer.
  for (const b of blocks) {
    const fs = facts(b);
    assert.ok(fs.slice(0, -1).every((f) => f.flow === "none"));
  }
  // The same object on every read: computed once.
  assert.equal(first.insns[1].facts, first.insns[1].facts);
});
