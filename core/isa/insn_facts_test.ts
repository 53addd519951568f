import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { decode, TABLES32 } from "./decode.ts";
import { abiName, fpName } from "./disasm.ts";
import { type InsnFacts, insnFacts } from "./insn_facts.ts";
import { RVC } from "./rvc.ts";
import { LINUX_SYSCALL_ABI } from "./syscall_abi.ts";
import type { Decoded, InsnSpec } from "./types.ts";

/** A small deterministic generator (xorshift32), so failures repeat. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return s >>> 0;
  };
}

/** Checks that `f` says what the base row `spec` says about decoded `d`. */
function wellFormed(f: InsnFacts, d: Decoded, spec: InsnSpec, pc: number) {
  const at = `[${f.disasm} @${pc.toString(16)}]`;
  equal(f.mnemonic, spec.name, at);
  equal(f.ext, spec.ext, at);
  equal(f.format, spec.format, at);
  equal(f.size, d.size, at);
  equal(f.next, pc + d.size, at);
  ok(
    f.disasm.startsWith(
      d.cname ?? (spec.format === "FENCE" ? "fence" : spec.name),
    ),
    at,
  );
  // Register operands: exactly the row's, with their ABI names.
  const regs = f.operands.filter((o) => o.kind === "reg");
  const fields = (["rd", "rs1", "rs2", "rs3"] as const).filter((k) =>
    spec.regs[k] !== undefined
  );
  deepStrictEqual(regs.map((o) => o.field), fields, at);
  for (const o of regs) {
    equal(o.file, spec.regs[o.field], at);
    equal(o.access, o.field === "rd" ? "write" : "read", at);
    ok(o.index >= 0 && o.index < 32, at);
    equal(o.name, o.file === "f" ? fpName(o.index) : abiName(o.index), at);
    equal(o.index, d[o.field], at);
  }
  // Control flow: the row's class, refined only for jumps.
  const allowed: Record<InsnSpec["flow"], readonly string[]> = {
    none: ["none"],
    branch: ["branch"],
    direct: ["call", "jump"],
    indirect: ["call", "return", "indirect"],
    syscall: ["syscall"],
    breakpoint: ["breakpoint"],
    "fence.i": ["fence.i"],
  };
  ok(allowed[spec.flow].includes(f.flow), `${at} flow ${f.flow}`);
  const pcRelative = spec.flow === "branch" || spec.flow === "direct";
  equal(f.target, pcRelative ? pc + d.imm : null, at);
  // Memory: the row's access, based on rs1.
  if (spec.mem === null) equal(f.mem, null, at);
  else {
    ok(f.mem !== null, at);
    deepStrictEqual(
      { ...f.mem, base: undefined, offset: undefined },
      { ...spec.mem, base: undefined, offset: undefined },
      at,
    );
    equal(f.mem.base.index, d.rs1, at);
    ok(f.mem.load || f.mem.store, at);
  }
  deepStrictEqual(f.syscall, spec.name === "ecall" ? LINUX_SYSCALL_ABI : null);
  // Plain data: it survives structuredClone and JSON unchanged.
  deepStrictEqual(structuredClone(f), f, at);
  deepStrictEqual(JSON.parse(JSON.stringify(f)), f, at);
}

Deno.test("insnFacts() agrees with its table row for every 32-bit row, on random operand bits", () => {
  const next = rng(0x5eed);
  let checked = 0;
  for (const table of TABLES32) {
    for (const row of table) {
      for (let k = 0; k < 60; k++) {
        const w = k === 0
          ? row.match
          : ((next() & ~row.mask) | row.match) >>> 0;
        const d = decode(w);
        if (d === undefined || d.name !== row.name) continue; // reserved rm etc.
        const pc = (next() & 0x7ffffffe) >>> 0;
        wellFormed(insnFacts(d, pc), d, row, pc);
        checked++;
      }
    }
  }
  ok(checked > 150 * 40, `only ${checked} words checked`);
});

Deno.test("insnFacts() of every RVC row names both mnemonics and follows the base row", () => {
  const next = rng(0xc0de);
  for (const row of RVC) {
    let seen = 0;
    for (let k = 0; k < 400; k++) {
      const h = ((next() & ~row.mask) | row.match) & 0xffff;
      const d = decode(h);
      if (d === undefined || d.cname !== row.name) continue; // reserved, or a more specific row
      const f = insnFacts(d, 0x10000);
      equal(f.compressed, row.name);
      equal(f.size, 2);
      wellFormed(f, d, d.spec, 0x10000);
      seen++;
    }
    ok(seen > 0, `${row.name}: no halfword checked`);
  }
});

/** Facts of the word at `pc`. */
const at = (pc: number, w: number) => insnFacts(decode(w)!, pc);
const pick = (f: InsnFacts) => [f.flow, f.target];

Deno.test("insnFacts() classifies jal by the link-register rule (Unpriv. 2.5.1)", () => {
  deepStrictEqual(pick(at(0x1000, 0x008000ef)), ["call", 0x1008]); // jal ra,.+8
  deepStrictEqual(pick(at(0x1004, 0xffdff06f)), ["jump", 0x1000]); // jal zero,.-4
  deepStrictEqual(pick(at(0x1008, 0x010002ef)), ["call", 0x1018]); // jal t0,.+16
  deepStrictEqual(pick(at(0x100c, 0x0100056f)), ["jump", 0x101c]); // jal a0,.+16
});

Deno.test("insnFacts() classifies jalr as call, return or indirect jump", () => {
  deepStrictEqual(pick(at(0x10, 0x000500e7)), ["call", null]); // jalr ra,0(a0)
  deepStrictEqual(pick(at(0x14, 0x00008067)), ["return", null]); // jalr zero,0(ra)
  deepStrictEqual(pick(at(0x18, 0x00428067)), ["return", null]); // jalr zero,4(t0)
  deepStrictEqual(pick(at(0x1c, 0x00078067)), ["indirect", null]); // jalr zero,0(a5)
  deepStrictEqual(pick(at(0x20, 0x00008567)), ["return", null]); // jalr a0,0(ra)
  deepStrictEqual(pick(at(0x24, 0x000082e7)), ["call", null]); // jalr t0,0(ra)
  const ops = at(0x18, 0x00428067).operands; // jalr zero,4(t0)
  deepStrictEqual(ops, [
    {
      kind: "reg",
      field: "rd",
      file: "x",
      access: "write",
      index: 0,
      name: "zero",
    },
    {
      kind: "reg",
      field: "rs1",
      file: "x",
      access: "read",
      index: 5,
      name: "t0",
    },
    { kind: "imm", role: "offset", value: 4 },
  ]);
});

Deno.test("insnFacts() gives branches their static target and fall-through", () => {
  const beq = at(0x28, 0x00b50863); // beq a0,a1,0x38
  deepStrictEqual([beq.flow, beq.target, beq.next], ["branch", 0x38, 0x2c]);
  equal(beq.disasm, "beq a0,a1,0x38");
  deepStrictEqual(pick(at(0x2c, 0xfe947ce3)), ["branch", 0x24]); // bgeu s0,s1,0x24
});

Deno.test("insnFacts() marks ecall with the Linux syscall registers, ebreak and fence.i", () => {
  const ecall = at(0x30, 0x00000073); // ecall
  equal(ecall.flow, "syscall");
  equal(ecall.syscall?.number.index, 17);
  equal(ecall.syscall?.number.name, "a7");
  deepStrictEqual(ecall.syscall?.args.map((r) => r.name), [
    "a0",
    "a1",
    "a2",
    "a3",
    "a4",
    "a5",
  ]);
  deepStrictEqual(ecall.syscall?.ret, { index: 10, name: "a0" });
  equal(at(0x34, 0x00100073).flow, "breakpoint"); // ebreak
  equal(at(0x7c, 0x9002).flow, "breakpoint"); // c.ebreak
  equal(at(0x38, 0x0000100f).flow, "fence.i"); // fence.i
  const fence = at(0x3c, 0x0310000f); // fence rw,w
  deepStrictEqual([fence.flow, fence.operands], [
    "none",
    [{ kind: "fence", pred: "rw", succ: "w" }],
  ]);
});

Deno.test("insnFacts() classifies compressed jumps and branches", () => {
  const cjr = at(0x70, 0x8082); // c.jr ra
  deepStrictEqual([cjr.mnemonic, cjr.compressed, cjr.flow], [
    "jalr",
    "c.jr",
    "return",
  ]);
  equal(at(0x72, 0x8782).flow, "indirect"); // c.jr a5
  const cjalr = at(0x74, 0x9782); // c.jalr a5
  deepStrictEqual([cjalr.flow, cjalr.next], ["call", 0x76]);
  deepStrictEqual(pick(at(0x76, 0xa019)), ["jump", 0x7c]); // c.j 0x7c
  deepStrictEqual(pick(at(0x78, 0xdd75)), ["branch", 0x74]); // c.beqz a0,0x74
  deepStrictEqual(pick(at(0x7a, 0xe481)), ["branch", 0x82]); // c.bnez s1,0x82
  equal(at(0x78, 0xdd75).disasm, "c.beqz a0,0x74");
});

Deno.test("insnFacts() describes memory accesses: width, sign extension, base and offset", () => {
  const mem = (w: number) => at(0x40, w).mem;
  deepStrictEqual(mem(0xffc12503), { // lw a0,-4(sp)
    load: true,
    store: false,
    width: 4,
    signed: true,
    base: { index: 2, name: "sp" },
    offset: -4,
  });
  deepStrictEqual(mem(0x00364583)?.signed, false); // lbu a1,3(a2)
  deepStrictEqual(mem(0x00a43827), { // fsd fa0,16(s0)
    load: false,
    store: true,
    width: 8,
    signed: false,
    base: { index: 8, name: "s0" },
    offset: 16,
  });
  const amo = at(0x4c, 0x06b6252f); // amoadd.w.aqrl a0,a1,(a2)
  deepStrictEqual([amo.mem?.load, amo.mem?.store, amo.mem?.offset], [
    true,
    true,
    0,
  ]);
  deepStrictEqual(amo.operands.at(-1), { kind: "order", aq: true, rl: true });
  deepStrictEqual([mem(0x18b632af)?.load, mem(0x18b632af)?.store], [
    false,
    true,
  ]); // sc.d t0,a1,(a2)
  deepStrictEqual(mem(0x1006a32f)?.signed, true); // lr.w t1,(a3)
  deepStrictEqual(mem(0x6462)?.base, { index: 2, name: "sp" }); // c.ldsp s0,24(sp)
  equal(mem(0x6505), null); // c.lui a0,0x1
  equal(at(0x40, 0x00a43827).operands[1].kind, "reg"); // fsd's data register...
  deepStrictEqual(at(0x40, 0x00a43827).operands[1], {
    kind: "reg",
    field: "rs2",
    file: "f",
    access: "read",
    index: 10,
    name: "fa0",
  });
});

Deno.test("insnFacts() says whether a CSR instruction reads and writes its CSR (Unpriv. 7.1)", () => {
  const csr = (w: number) => at(0x58, w).operands.find((o) => o.kind === "csr");
  deepStrictEqual(csr(0x001022f3), { // csrrs t0,fflags,zero
    kind: "csr",
    index: 1,
    name: "fflags",
    read: true,
    write: false,
  });
  deepStrictEqual(csr(0x00251073), { // csrrw zero,frm,a0
    kind: "csr",
    index: 2,
    name: "frm",
    read: false,
    write: true,
  });
  // csrrwi a0,fcsr,0: writes (even zero), reads since rd != x0.
  deepStrictEqual([csr(0x00305573)?.read, csr(0x00305573)?.write], [
    true,
    true,
  ]);
});

Deno.test("insnFacts() names FP registers and the rounding mode", () => {
  const fma = at(0x64, 0x6ac59543); // fmadd.d fa0,fa1,fa2,fa3,rtz
  deepStrictEqual(fma.operands.map((o) => o.kind === "reg" ? o.name : o.kind), [
    "fa0",
    "fa1",
    "fa2",
    "fa3",
    "rm",
  ]);
  deepStrictEqual(fma.operands.at(-1), { kind: "rm", value: 1, name: "rtz" });
  const cvt = at(0x68, 0xc2059553); // fcvt.w.d a0,fa1,rtz
  deepStrictEqual(
    cvt.operands.filter((o) => o.kind === "reg").map((o) => [o.file, o.name]),
    [["x", "a0"], ["f", "fa1"]],
  );
  deepStrictEqual(at(0x6c, 0x12345537).operands[1], { // lui a0,0x12345
    kind: "imm",
    role: "upper",
    value: 0x12345000,
  });
});

Deno.test("insnFacts() results cross structuredClone and a MessageChannel intact", async () => {
  const words = [
    0x008000ef, // jal ra,.+8
    0x8082, // c.jr ra
    0x00000073, // ecall
    0x06b6252f, // amoadd.w.aqrl a0,a1,(a2)
    0x001022f3, // csrrs t0,fflags,zero
    0x6ac59543, // fmadd.d fa0,fa1,fa2,fa3,rtz
    0x0310000f, // fence rw,w
  ];
  const facts = words.map((w, i) => at(0x10000 + 4 * i, w));
  deepStrictEqual(structuredClone(facts), facts);
  const { port1, port2 } = new MessageChannel();
  const got = new Promise<unknown>((resolve) => {
    port2.onmessage = (e) => resolve(e.data);
  });
  port1.postMessage(facts);
  deepStrictEqual(await got, facts);
  port1.close();
  port2.close();
});
