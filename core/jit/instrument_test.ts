import assert from "node:assert/strict";
import { Machine } from "../machine.ts";
import { Cpu } from "../cpu.ts";
import { Exit } from "../exit.ts";
import { Fpu } from "../fpu/fpu.ts";
import { PERM_R, PERM_W, PERM_X } from "../layout.ts";
import { GuestMemory } from "../memory.ts";
import type { BlockView, Instrumenter, PointPlan } from "./instrument.ts";
import { MEM_INFO } from "./instrument.ts";
import { Translator } from "./translator.ts";

const quiet = { read: () => null, write: () => {}, isTerminal: () => false };

function countLoop(): Machine {
  const path = new URL("../../tests/guests/bin/count_loop.elf", import.meta.url)
    .pathname;
  const m = new Machine({
    argv: [path],
    env: [],
    exe: { hostPath: path, guestPath: path },
    mounts: [],
    cwd: "/",
    stdio: quiet,
  });
  m.load(Deno.readFileSync(path));
  return m;
}

function board(): WebAssembly.Memory {
  return new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
}

/** An instrumenter asking the same thing at every instruction. */
function everyInsn(
  boards: WebAssembly.Memory[],
  at: PointPlan,
): Instrumenter & {
  blocks: BlockView[];
} {
  const blocks: BlockView[] = [];
  return {
    boards,
    blocks,
    plan(b) {
      blocks.push(b);
      return { insns: new Map(b.insns.map((_, i) => [i, at])) };
    },
    exec: () => 0,
    mem: () => {},
    ringFull: () => {},
  };
}

Deno.test("an inline add before every instruction counts exactly what ran", () => {
  const m = countLoop();
  const sb = board();
  const inst = everyInsn([sb], {
    inline: [{ op: "add", board: 0, offset: 8, value: 1 }],
  });
  m.translator!.instrument(inst);
  assert.equal(m.run().status, 42);
  const counted = new BigInt64Array(sb.buffer)[1];
  assert.equal(counted, 3011n);
  assert.equal(m.cpu.instret, 3011);
  // The instrumenter saw every instruction with its bytes and decoding.
  const first = inst.blocks[0].insns[0];
  assert.equal(first.decoded.name, "addi"); // c.li a0, 1
  assert.equal(first.size, 2);
  assert.deepEqual([...first.bytes], [0x05, 0x45]);
});

Deno.test("a conditional inline store fires only when its condition holds", () => {
  const m = countLoop();
  const sb = board();
  m.translator!.instrument(everyInsn([sb], {
    inline: [
      { op: "add", board: 0, offset: 0, value: 1 },
      // Record the count once it passes 2000, and only then.
      {
        op: "store",
        board: 0,
        offset: 8,
        value: 77,
        cond: { offset: 0, cmp: "gt", value: 2000 },
      },
    ],
  }));
  m.run();
  const v = new BigInt64Array(sb.buffer);
  assert.equal(v[0], 3011n);
  assert.equal(v[1], 77n);
});

Deno.test("block calls see each block's pc and the instruction count before it", () => {
  const m = countLoop();
  const seen: [number, number][] = [];
  m.translator!.instrument({
    boards: [],
    plan: () => ({ block: { calls: [{ id: 7, regs: "none" }] } }),
    exec(id, pc, icount) {
      assert.equal(id, 7);
      seen.push([pc, icount]);
      return 0;
    },
    mem: () => {},
    ringFull: () => {},
  });
  m.run();
  assert.equal(seen[0][1], 0, "first block starts at instruction 0");
  // The first of the 1000 iterations runs at the end of the block that sets
  // up the loop; the loop's own block then runs 999 times.
  const loopPc = seen[2][0];
  assert.equal(seen.filter(([pc]) => pc === loopPc).length, 999);
  const counts = seen.map(([, n]) => n);
  assert.deepEqual(counts, [...counts].sort((a, b) => a - b));
});

Deno.test("an exec call with regs=rw can redirect the vCPU", () => {
  const m = countLoop();
  let redirected = false;
  m.translator!.instrument({
    boards: [],
    plan: (b) =>
      b.insns[0].decoded.name === "addi" && !redirected
        ? { insns: new Map([[0, { calls: [{ id: 1, regs: "rw" }] }]]) }
        : undefined,
    exec() {
      if (redirected) return 0;
      redirected = true;
      // Skip straight to `li a0,42; li a7,93; ecall` (the last 3 insns).
      m.cpu.setX(5, 1); // t0 = 1 so nothing loops
      return 0;
    },
    mem: () => {},
    ringFull: () => {},
  });
  assert.equal(m.run().status, 42);
});

Deno.test("memory hooks report address, size, direction and value", () => {
  const mem = new GuestMemory();
  const cpu = new Cpu(mem.memory.buffer);
  const fpu = new Fpu(new Int32Array(mem.memory.buffer), Cpu.FFLAGS_INDEX);
  mem.map(0x10000, 0x1000, PERM_R | PERM_X);
  mem.map(0x20000, 0x1000, PERM_R | PERM_W);
  [
    0x00020537, // lui a0, 0x20
    0xfff00593, // li a1, -1
    0x00b52223, // sw a1, 4(a0)
    0x00451603, // lh a2, 4(a0)
    0x00000073, // ecall
  ].forEach((w, i) => mem.view.setUint32(0x10000 + 4 * i, w >>> 0, true));
  cpu.pc = 0x10000;
  const t = new Translator(mem, cpu, fpu);
  const events: number[][] = [];
  t.instrument({
    boards: [],
    plan: (b) => ({
      mem: new Map(
        b.insns.map((_, i) => [i, [{ id: 3, when: "rw" as const }]]),
      ),
    }),
    exec: () => 0,
    mem: (id, pc, lo, hi, info, vlo, vhi) =>
      void events.push([id, pc, lo, hi, info, vlo, vhi]),
    ringFull: () => {},
  });
  assert.equal(t.run(), Exit.ECALL);
  assert.deepEqual(events, [
    [3, 0x10008, 0x20004, 0, 4 | MEM_INFO.STORE, -1, -1],
    [3, 0x1000c, 0x20004, 0, 2 | MEM_INFO.SIGNED, -1, -1],
  ]);
  assert.equal(cpu.getX(12), -1);
});

Deno.test("without an instrumenter, translated blocks import no hooks", () => {
  const m = countLoop();
  m.run();
  assert.equal(m.cpu.instret, 3011);
});

Deno.test("record ops batch events into a ring and call ringFull when it fills", () => {
  const m = countLoop();
  const sb = board();
  const hdr = new Uint32Array(sb.buffer, 0, 4);
  const CAP = 100, BASE = 64, SIZE = 16;
  hdr.set([0, CAP * SIZE, BASE, 0]);
  const pcs: number[] = [];
  const counts: number[] = [];
  const drain = () => {
    const v = new DataView(sb.buffer);
    for (let i = 0; i < hdr[0] / SIZE; i++) {
      pcs.push(v.getUint32(BASE + i * SIZE, true));
      counts.push(Number(v.getBigUint64(BASE + i * SIZE + 8, true)));
    }
    hdr[0] = 0;
  };
  let fulls = 0;
  m.translator!.instrument({
    boards: [sb],
    plan: (b) => ({
      insns: new Map(b.insns.map((_, i) => [i, {
        inline: [{
          op: "record" as const,
          board: 0,
          ring: 0,
          size: SIZE,
          fields: [
            { offset: 0, width: 4 as const, src: "pc" as const },
            { offset: 8, width: 8 as const, src: "icount" as const },
          ],
        }],
      }])),
    }),
    exec: () => 0,
    mem: () => {},
    ringFull: (boardIndex, ring) => {
      assert.equal(boardIndex, 0);
      assert.equal(ring, 0);
      fulls++;
      drain();
    },
  });
  assert.equal(m.run().status, 42);
  drain();
  assert.equal(pcs.length, 3011, "one record per executed instruction");
  assert.equal(fulls, 30);
  assert.deepEqual(counts, Array.from({ length: 3011 }, (_, i) => i));
});

Deno.test("deferred inline adds are exact when a block leaves early on a fault", () => {
  const mem = new GuestMemory();
  const cpu = new Cpu(mem.memory.buffer);
  const fpu = new Fpu(new Int32Array(mem.memory.buffer), Cpu.FFLAGS_INDEX);
  mem.map(0x10000, 0x1000, PERM_R | PERM_X);
  const words = [
    0x00100513, // li a0, 1
    0x00200593, // li a1, 2
    0x00003603, // ld a2, 0(zero): faults, nothing is mapped at 0
    0x00300693, // li a3, 3
    0x00000073, // ecall
  ];
  words.forEach((w, i) => mem.view.setUint32(0x10000 + 4 * i, w, true));
  cpu.pc = 0x10000;
  const t = new Translator(mem, cpu, fpu);
  const sb = board();
  t.instrument(everyInsn([sb], {
    inline: [{ op: "add", board: 0, offset: 0, value: 1 }],
  }));
  assert.equal(t.run(), Exit.LOAD_FAULT);
  // The faulting load's point ran (as in QEMU: callbacks come first); the
  // instructions after it did not.
  assert.equal(new BigInt64Array(sb.buffer)[0], 3n);
  assert.equal(cpu.pc, 0x10008);
});

/** An instrumenter that plans nothing and records each group's size. */
function groupRecorder(planning?: boolean) {
  const groups: number[] = [];
  const inst: Instrumenter = {
    boards: [],
    planning,
    plan: () => undefined,
    planMany(bs) {
      groups.push(bs.length);
      return bs.map(() => undefined);
    },
    exec: () => 0,
    mem: () => {},
    ringFull: () => {},
  };
  return { inst, groups };
}

Deno.test("translating ahead plans reachable blocks in one group", () => {
  const m = countLoop();
  const { inst, groups } = groupRecorder();
  m.translator!.instrument(inst);
  assert.equal(m.run().status, 42);
  assert.ok(groups.some((n) => n > 1), `groups: ${groups}`);
  assert.ok(groups.every((n) => n <= m.translator!.lookahead));
  // Fewer requests than blocks translated.
  assert.ok(groups.length < m.translator!.stats.blocks);
});

Deno.test("an instrumenter that plans nothing gets one block at a time, none ahead", () => {
  const m = countLoop();
  const { inst, groups } = groupRecorder(false);
  m.translator!.instrument(inst);
  assert.equal(m.run().status, 42);
  assert.ok(groups.every((n) => n === 1), `groups: ${groups}`);
  assert.equal(m.translator!.stats.planned, 0);
});

Deno.test("a block planned ahead is planned again if its code changed before it ran", () => {
  const mem = new GuestMemory();
  const cpu = new Cpu(mem.memory.buffer);
  const fpu = new Fpu(new Int32Array(mem.memory.buffer), Cpu.FFLAGS_INDEX);
  mem.map(0x10000, 0x1000, PERM_R | PERM_X);
  const put = (at: number, words: number[]) =>
    words.forEach((w, k) => mem.view.setUint32(at + 4 * k, w, true));
  put(0x10000, [0x00000593, 0x00000073]); // li a1, 0; ecall
  // The return site of the ecall, planned ahead: li a0, 1; addi a0, a0, 1 x2; ecall
  put(0x10008, [0x00100513, 0x00150513, 0x00150513, 0x00000073]);
  const b = board();
  const inst = everyInsn([b], {
    inline: [{ op: "add", board: 0, offset: 0, value: 1n }],
  });
  const t = new Translator(mem, cpu, fpu);
  t.instrument(inst);
  cpu.pc = 0x10000;
  assert.equal(t.run(), Exit.ECALL);
  assert.ok(inst.blocks.some((v) => v.pc === 0x10008), "planned ahead");
  const planned = inst.blocks.length;
  put(0x10008, [0x00700513, 0x00000073]); // li a0, 7; ecall
  cpu.pc = 0x10008;
  assert.equal(t.run(), Exit.ECALL);
  assert.equal(cpu.getX(10), 7);
  // Planned again, from the new code.
  const again = inst.blocks.slice(planned).find((v) => v.pc === 0x10008);
  assert.equal(again?.insns.length, 2);
  // li a1 + ecall, then li a0 + ecall: the old plan's 4 adds never ran.
  assert.equal(new BigInt64Array(b.buffer)[0], 4n);
});
