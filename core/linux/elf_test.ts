import assert from "node:assert/strict";
import { testProc } from "./_test_util.ts";
import { PERM_R, PERM_W, PERM_X } from "../layout.ts";
import { PIE_BASE } from "./elf.ts";
import { HWCAP_RV64GC, STACK_TOP } from "./stack.ts";

interface ElfSpec {
  type?: number;
  machine?: number;
  /** PT_INTERP path (none: a static executable). */
  interp?: string;
}

/**
 * A minimal static ELF64: text (R|X) at 0x10000 holding the headers and
 * `_start` (li a0,7; li a7,93; ecall), data (R|W) at 0x11000 with 8 file
 * bytes and 0x2000 bytes of bss, and a symtab with `_start`.
 */
function buildElf(spec: ElfSpec = {}): Uint8Array {
  const b = new Uint8Array(0x1200);
  const v = new DataView(b.buffer);
  b.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
  v.setUint16(16, spec.type ?? 2, true);
  v.setUint16(18, spec.machine ?? 243, true);
  v.setUint32(20, 1, true);
  v.setBigUint64(24, 0x10100n, true); // e_entry
  v.setBigUint64(32, 64n, true); // e_phoff
  v.setBigUint64(40, 0x1100n, true); // e_shoff
  v.setUint16(52, 64, true);
  v.setUint16(54, 56, true);
  const phnum = spec.interp !== undefined ? 3 : 2;
  v.setUint16(56, phnum, true);
  v.setUint16(58, 64, true);
  v.setUint16(60, 3, true);
  const ph = (
    i: number,
    type: number,
    flags: number,
    off: number,
    va: number,
    filesz: number,
    memsz: number,
  ) => {
    const o = 64 + 56 * i;
    v.setUint32(o, type, true);
    v.setUint32(o + 4, flags, true);
    v.setBigUint64(o + 8, BigInt(off), true);
    v.setBigUint64(o + 16, BigInt(va), true);
    v.setBigUint64(o + 24, BigInt(va), true);
    v.setBigUint64(o + 32, BigInt(filesz), true);
    v.setBigUint64(o + 40, BigInt(memsz), true);
    v.setBigUint64(o + 48, 0x1000n, true);
  };
  ph(0, 1, 5, 0, 0x10000, 0x10c, 0x10c); // PT_LOAD R|X
  ph(1, 1, 6, 0x1000, 0x11000, 8, 0x2000); // PT_LOAD R|W with bss
  if (spec.interp !== undefined) {
    const path = new TextEncoder().encode(spec.interp + "\0");
    b.set(path, 0x200);
    ph(2, 3, 4, 0x200, 0x10200, path.length, path.length);
  }
  // _start: li a0,7 ; li a7,93 ; ecall
  new Uint32Array(b.buffer, 0x100, 3).set([0x00700513, 0x05d00893, 0x00000073]);
  b.set([1, 2, 3, 4, 5, 6, 7, 8], 0x1000);
  // .strtab at 0x1040: "\0_start\0"; .symtab at 0x1060: null + _start (FUNC)
  b.set(new TextEncoder().encode("\0_start\0"), 0x1040);
  v.setUint32(0x1078, 1, true);
  b[0x1078 + 4] = 0x12; // STB_GLOBAL | STT_FUNC
  v.setUint16(0x1078 + 6, 1, true);
  v.setBigUint64(0x1078 + 8, 0x10100n, true);
  v.setBigUint64(0x1078 + 16, 12n, true);
  const sh = (
    i: number,
    type: number,
    off: number,
    size: number,
    link: number,
  ) => {
    const o = 0x1100 + 64 * i;
    v.setUint32(o + 4, type, true);
    v.setBigUint64(o + 24, BigInt(off), true);
    v.setBigUint64(o + 32, BigInt(size), true);
    v.setUint32(o + 40, link, true);
    v.setBigUint64(o + 56, type === 2 ? 24n : 0n, true);
  };
  sh(1, 2, 0x1060, 48, 2); // SHT_SYMTAB, strings in section 2
  sh(2, 3, 0x1040, 8, 0); // SHT_STRTAB
  return b;
}

Deno.test("load() maps segments with their permissions, zeroes bss and sets pc, sp and brk", () => {
  const p = testProc({ argv: ["/bin/t", "arg1"], env: ["A=1", "B=2"] });
  p.k.load(buildElf());
  assert.equal(p.cpu.pc, 0x10100);
  assert.equal(p.mem.readU32(0x10100), 0x00700513);
  assert.ok(p.mem.check(0x10000, 0x1000, PERM_R | PERM_X));
  assert.equal(p.mem.check(0x10000, 1, PERM_W), false);
  assert.ok(p.mem.check(0x11000, 0x2000, PERM_R | PERM_W));
  assert.equal(p.mem.readU64(0x11000), 0x0807060504030201);
  assert.equal(p.mem.readU64(0x11008), 0);
  assert.equal(p.k.brk, 0x13000);
  assert.deepEqual(p.k.symbols, [{ name: "_start", addr: 0x10100, size: 12 }]);
  assert.equal(p.call("brk", 0), 0x13000);
});

Deno.test("the initial stack holds argc, argv, envp and the auxiliary vector", () => {
  const p = testProc({ argv: ["/bin/t", "arg1"], env: ["A=1", "B=2"] });
  p.k.load(buildElf());
  const sp = p.cpu.getXU(2);
  assert.equal(sp % 16, 0);
  assert.ok(sp < STACK_TOP && sp > STACK_TOP - 8 * 1024 * 1024);
  const word = (i: number) => p.mem.readU64(sp + 8 * i)!;
  assert.equal(word(0), 2);
  assert.equal(p.mem.readCString(word(1)), "/bin/t");
  assert.equal(p.mem.readCString(word(2)), "arg1");
  assert.equal(word(3), 0);
  assert.equal(p.mem.readCString(word(4)), "A=1");
  assert.equal(p.mem.readCString(word(5)), "B=2");
  assert.equal(word(6), 0);
  const aux = new Map<number, number>();
  for (let i = 7; word(i) !== 0; i += 2) aux.set(word(i), word(i + 1));
  assert.equal(aux.get(3), 0x10040); // AT_PHDR
  assert.equal(aux.get(4), 56); // AT_PHENT
  assert.equal(aux.get(5), 2); // AT_PHNUM
  assert.equal(aux.get(6), 4096); // AT_PAGESZ
  assert.equal(aux.get(9), 0x10100); // AT_ENTRY
  assert.equal(aux.get(16), HWCAP_RV64GC);
  assert.equal(HWCAP_RV64GC, 0x112d);
  assert.equal(aux.get(17), 100); // AT_CLKTCK
  assert.equal(aux.get(23), 0); // AT_SECURE
  assert.ok(p.mem.check(aux.get(25)!, 16, PERM_R)); // AT_RANDOM
  assert.equal(p.mem.readCString(aux.get(31)!), "/bin/t"); // AT_EXECFN
});

Deno.test("the stack strings lie where qemu-riscv64 puts them, argv[0] and env[0] lowest", () => {
  // qemu 7.2 (linux-user/elfload.c): from one pointer below the top, the
  // file name, then env and argv, each copied last string first. Guest
  // code whose path depends on string alignment then counts the same.
  const p = testProc({ argv: ["/bin/t", "x", "yy"], env: ["A=1", "BB=22"] });
  p.k.load(buildElf());
  const sp = p.cpu.getXU(2);
  const word = (i: number) => p.mem.readU64(sp + 8 * i)!;
  const aux = new Map<number, number>();
  for (let i = 8; word(i) !== 0; i += 2) aux.set(word(i), word(i + 1));
  const execfn = aux.get(31)!;
  assert.equal(execfn, STACK_TOP - 8 - "/bin/t\0".length);
  assert.deepEqual(
    [word(1), word(2), word(3), word(5), word(6)].map((a) => STACK_TOP - a),
    [37, 30, 28, 25, 21],
  );
});

Deno.test("static-pie images load at PIE_BASE", () => {
  const p = testProc();
  p.k.load(buildElf({ type: 3 }));
  assert.equal(p.cpu.pc, PIE_BASE + 0x10100);
  assert.equal(p.k.symbols[0].addr, PIE_BASE + 0x10100);
});

Deno.test("a dynamic program gets its interpreter from the -L prefix, with AT_BASE and AT_ENTRY set", () => {
  const dir = Deno.makeTempDirSync();
  try {
    Deno.mkdirSync(`${dir}/lib`);
    Deno.writeFileSync(`${dir}/lib/ld.so`, buildElf({ type: 3 }));
    const p = testProc({ ldPrefix: Deno.realPathSync(dir) });
    p.k.load(buildElf({ interp: "/lib/ld.so" }));
    const sp = p.cpu.getXU(2);
    const word = (i: number) => p.mem.readU64(sp + 8 * i)!;
    const aux = new Map<number, number>();
    for (let i = 4; word(i) !== 0; i += 2) aux.set(word(i), word(i + 1));
    const base = aux.get(7)!; // AT_BASE
    assert.ok(base >= 0x13000 && base % 0x1000 === 0);
    assert.equal(p.cpu.pc, base + 0x10100); // the interpreter runs first
    assert.equal(aux.get(9), 0x10100); // AT_ENTRY: the program's own entry
    assert.equal(aux.get(3), 0x10040); // AT_PHDR: the program's headers
    assert.equal(aux.get(5), 3);
    assert.equal(p.mem.readU32(base + 0x10100), 0x00700513);
    assert.equal(p.mem.readU32(0x10100), 0x00700513);
    assert.equal(p.k.brk, 0x13000); // the program's break, not ld.so's
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("load() refuses dynamic, foreign and corrupt ELF files with a clear message", () => {
  assert.throws(
    () => testProc().k.load(buildElf({ interp: "/lib/ld.so" })),
    /interpreter \/lib\/ld.so was not found: pass -L/,
  );
  const dir = Deno.makeTempDirSync();
  try {
    // An interpreter that is itself dynamic (or not ET_DYN) is refused.
    Deno.writeFileSync(`${dir}/ld.so`, buildElf({ interp: "/ld.so" }));
    assert.throws(
      () =>
        testProc({ ldPrefix: Deno.realPathSync(dir) }).k.load(
          buildElf({ interp: "/ld.so" }),
        ),
      /not a shared object/,
    );
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
  assert.throws(
    () => testProc().k.load(buildElf({ machine: 62 })),
    /not RISC-V/,
  );
  assert.throws(() => testProc().k.load(buildElf({ type: 1 })), TypeError);
  assert.throws(
    () => testProc().k.load(new TextEncoder().encode("#!/bin/sh\n")),
    /not an ELF/,
  );
  assert.throws(
    () => testProc().k.load(buildElf().subarray(0, 100)),
    /truncated/,
  );
});
