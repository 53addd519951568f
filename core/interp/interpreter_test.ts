import { equal } from "node:assert/strict";
import { Cpu } from "../cpu.ts";
import { Exit } from "../exit.ts";
import { Fpu } from "../fpu/fpu.ts";
import { PERM_R, PERM_W, PERM_X } from "../layout.ts";
import { GuestMemory } from "../memory.ts";
import { type Case, type MakeEngine, runCase } from "../isa/_cases.ts";
import { CASES_FD } from "../isa/_cases_fd.ts";
import { CASES_RV64A } from "../isa/_cases_rv64a.ts";
import { CASES_RV64I } from "../isa/_cases_rv64i.ts";
import { CASES_RV64M } from "../isa/_cases_rv64m.ts";
import { CASES_RVC } from "../isa/_cases_rvc.ts";
import { CASES_ZICSR } from "../isa/_cases_zicsr.ts";
import { Interpreter } from "./interpreter.ts";

const interp: MakeEngine = (mem, cpu, fpu) => new Interpreter(mem, cpu, fpu);

function suite(ext: string, cases: readonly Case[]) {
  for (const c of cases) {
    Deno.test(`Interpreter ${ext}: ${c.asm}`, () => runCase(interp, c));
  }
}

suite("RV64I", CASES_RV64I);
suite("RV64M", CASES_RV64M);
suite("RV64A", CASES_RV64A);
suite("Zicsr", CASES_ZICSR);
suite("RVC", CASES_RVC);
suite("F/D", CASES_FD);

// ---- Engine behaviour beyond single instructions ----

const mem = new GuestMemory();

function fresh(): { cpu: Cpu; it: Interpreter } {
  mem.unmap(0x10000, 0x10000);
  mem.u8.fill(0, 0, 0x1000);
  const cpu = new Cpu(mem.memory.buffer);
  const fpu = new Fpu(new Int32Array(mem.memory.buffer), Cpu.FFLAGS_INDEX);
  return { cpu, it: new Interpreter(mem, cpu, fpu) };
}

Deno.test("Interpreter: a 32-bit instruction straddling into a non-executable page is a fetch fault at the second page, not counted", () => {
  const { cpu, it } = fresh();
  mem.map(0x10000, 0x1000, PERM_R | PERM_X);
  mem.map(0x11000, 0x1000, PERM_R);
  mem.view.setUint32(0x10ffe, 0x00a50533, true); // add a0,a0,a0
  cpu.pc = 0x10ffe;
  equal(it.run(10), Exit.FETCH_FAULT);
  equal(cpu.exitTval, 0x11000);
  equal(cpu.pc, 0x10ffe);
  equal(cpu.instret, 0);
});

Deno.test("Interpreter: a 32-bit instruction straddling two executable pages runs", () => {
  const { cpu, it } = fresh();
  mem.map(0x10000, 0x2000, PERM_R | PERM_X);
  mem.view.setUint32(0x10ffe, 0x00a50533, true); // add a0,a0,a0
  mem.view.setUint32(0x11002, 0x00100073, true); // ebreak
  cpu.pc = 0x10ffe;
  cpu.setX(10, 21);
  equal(it.run(10), Exit.EBREAK);
  equal(cpu.getX(10), 42);
});

Deno.test("Interpreter: run() stops with BUDGET after maxInsns, pc at the next instruction", () => {
  const { cpu, it } = fresh();
  mem.map(0x10000, 0x1000, PERM_R | PERM_X);
  mem.view.setUint32(0x10000, 0x0000006f, true); // jal zero,. (spin)
  cpu.pc = 0x10000;
  equal(it.run(1000), Exit.BUDGET);
  equal(cpu.instret, 1000);
  equal(cpu.pc, 0x10000);
  equal(it.step(), Exit.NONE);
  equal(cpu.instret, 1001);
});

Deno.test("Interpreter: self-modifying code executes the new word (memo is by word, not pc)", () => {
  const { cpu, it } = fresh();
  mem.map(0x10000, 0x1000, PERM_R | PERM_W | PERM_X);
  // sw a1,8(a5); fence.i; addi a0,zero,1 (overwritten with addi a0,zero,2)
  mem.view.setUint32(0x10000, 0x00b7a423, true);
  mem.view.setUint32(0x10004, 0x0000100f, true);
  mem.view.setUint32(0x10008, 0x00100513, true);
  mem.view.setUint32(0x1000c, 0x00100073, true);
  cpu.pc = 0x10008;
  equal(it.run(10), Exit.EBREAK); // warms the memo with addi a0,zero,1
  equal(cpu.getX(10), 1);
  cpu.pc = 0x10000;
  cpu.setX(15, 0x10000);
  cpu.setX(11, 0x00200513); // addi a0,zero,2
  equal(it.run(10), Exit.FENCE_I);
  equal(cpu.pc, 0x10008);
  equal(it.run(10), Exit.EBREAK);
  equal(cpu.getX(10), 2);
});

Deno.test("Interpreter: a store to a page marked PERM_CODE notifies the memory", () => {
  const { cpu, it } = fresh();
  mem.map(0x10000, 0x1000, PERM_R | PERM_X);
  mem.map(0x12000, 0x1000, PERM_R | PERM_W);
  mem.markCode(0x12);
  const seen: number[] = [];
  mem.onCodeChange = (p) => seen.push(p);
  mem.view.setUint32(0x10000, 0x00b7b023, true); // sd a1,0(a5)
  mem.view.setUint32(0x10004, 0x00100073, true); // ebreak
  cpu.pc = 0x10000;
  cpu.setX(15, 0x12000);
  equal(it.run(10), Exit.EBREAK);
  mem.onCodeChange = () => {};
  equal(seen.join(), "18");
});
