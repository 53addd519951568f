/**
 * Signalling NaNs in binary64 arithmetic, after warm-up: V8 may quiet a NaN
 * whenever optimized code moves a double, so an engine that lets a NaN's
 * bits travel as a JS number loses the invalid flag some of the time once
 * the hot path is optimized (issue 13, part 11). This loop runs each
 * operation hundreds of thousands of times, in both engines, so the
 * optimized code is the one checked.
 */

import { deepStrictEqual, equal } from "node:assert/strict";
import { Cpu } from "../core/cpu.ts";
import { Exit } from "../core/exit.ts";
import { Fpu } from "../core/fpu/fpu.ts";
import { Interpreter } from "../core/interp/interpreter.ts";
import { Translator } from "../core/jit/translator.ts";
import { PERM_R, PERM_X } from "../core/layout.ts";
import { GuestMemory } from "../core/memory.ts";

const CODE = 0x10000;

// Each block clears fflags, runs one binary64 operation with the signalling
// NaN in fa0, and counts a miss in its own register when NV stayed clear.
// s7 holds the canonical NaN, s8 fclass's "signalling NaN" bit (1 << 8).
const LOOP = [
  0x00101073, // loop: fsflags zero
  0x02b57053, //   fadd.d ft0,fa0,fa1
  0x001022f3, //   frflags t0
  0x0102f293, //   andi t0,t0,16
  0x00029363, //   bnez t0,1f
  0x0485, //       c.addi s1,1
  0xe2000353, // 1: fmv.x.d t1,ft0
  0x01730363, //   beq t1,s7,2f        (the result is the canonical NaN)
  0x0485, //       c.addi s1,1
  0xe2051353, // 2: fclass.d t1,fa0
  0x01830363, //   beq t1,s8,3f
  0x0905, //       c.addi s2,1
  0x00101073, // 3: fsflags zero
  0x2ab500d3, //   fmin.d ft1,fa0,fa1
  0x001022f3, //   frflags t0
  0x0102f293, //   andi t0,t0,16
  0x00029363, //   bnez t0,4f
  0x0985, //       c.addi s3,1
  0x00101073, // 4: fsflags zero
  0xa2a5a353, //   feq.d t1,fa1,fa0
  0x001022f3, //   frflags t0
  0x0102f293, //   andi t0,t0,16
  0x00029363, //   bnez t0,5f
  0x0a05, //       c.addi s4,1
  0x00101073, // 5: fsflags zero
  0x52b5f143, //   fmadd.d ft2,fa1,fa1,fa0
  0x001022f3, //   frflags t0
  0x0102f293, //   andi t0,t0,16
  0x00029363, //   bnez t0,6f
  0x0a85, //       c.addi s5,1
  0x00101073, // 6: fsflags zero
  0x401571d3, //   fcvt.s.d ft3,fa0
  0x001022f3, //   frflags t0
  0x0102f293, //   andi t0,t0,16
  0x00029363, //   bnez t0,7f
  0x0b05, //       c.addi s6,1
  0x157d, //     7: c.addi a0,-1
  0xfd35, //       c.bnez a0,loop
  0x9002, //       c.ebreak
];

/** Miss counts per operation after `iterations` rounds with `snan` in fa0. */
function misses(
  engine: "interpreter" | "translator",
  snan: bigint,
  iterations: number,
): Record<string, bigint> {
  const mem = new GuestMemory();
  mem.map(CODE, 0x1000, PERM_R | PERM_X);
  let pc = CODE;
  for (const w of LOOP) {
    if ((w & 3) === 3) {
      mem.view.setUint32(pc, w, true);
      pc += 4;
    } else {
      mem.view.setUint16(pc, w, true);
      pc += 2;
    }
  }
  const cpu = new Cpu(mem.memory.buffer);
  const fpu = new Fpu(new Int32Array(mem.memory.buffer), Cpu.FFLAGS_INDEX);
  cpu.x[10] = BigInt(iterations); // a0
  cpu.x[23] = 0x7ff8_0000_0000_0000n; // s7: canonical NaN
  cpu.x[24] = 1n << 8n; // s8: fclass "signalling NaN"
  cpu.fbits[10] = snan; // fa0
  cpu.fbits[11] = 0x3ff8_0000_0000_0000n; // fa1 = 1.5
  cpu.pc = CODE;
  let cause;
  if (engine === "interpreter") {
    const it = new Interpreter(mem, cpu, fpu);
    do cause = it.run(1 << 24); while (cause === Exit.BUDGET);
  } else {
    const t = new Translator(mem, cpu, fpu);
    do cause = t.run(); while (cause === Exit.BUDGET);
  }
  equal(cause, Exit.EBREAK);
  equal(cpu.x[10], 0n, "every iteration ran");
  return {
    "fadd.d": cpu.x[9],
    "fclass.d": cpu.x[18],
    "fmin.d": cpu.x[19],
    "feq.d": cpu.x[20],
    "fmadd.d": cpu.x[21],
    "fcvt.s.d": cpu.x[22],
  };
}

const NONE = {
  "fadd.d": 0n,
  "fclass.d": 0n,
  "fmin.d": 0n,
  "feq.d": 0n,
  "fmadd.d": 0n,
  "fcvt.s.d": 0n,
};

for (const engine of ["interpreter", "translator"] as const) {
  Deno.test(`${engine}: 200,000 warm binary64 operations on a signalling NaN all raise NV, and fclass.d always says signalling`, () => {
    // Payload in the low word only: the quiet bit and the high word's
    // fraction are all clear.
    deepStrictEqual(misses(engine, 0x7ff0_0000_0000_0001n, 200_000), NONE);
  });
  Deno.test(`${engine}: a negative signalling NaN with a high payload is never quieted either`, () => {
    deepStrictEqual(misses(engine, 0xfff4_0000_0000_0000n, 50_000), NONE);
  });
}
