/**
 * RV64M instruction cases (see `_cases.ts`). Words verified with
 * `riscv64-linux-gnu-as`/`objdump`.
 *
 * @module
 */

import type { Case } from "./_cases.ts";

/**
 * The RV64M cases.
 *
 * @example
 * ```ts
 * import { CASES_RV64M } from "./_cases_rv64m.ts";
 * console.log(CASES_RV64M.length > 5); // true
 * ```
 */
export const CASES_RV64M: readonly Case[] = [
  {
    asm: "mul low 64 bits",
    words: [
      0x02c58533, // mul a0,a1,a2
      0x02b586b3, // mul a3,a1,a1
    ],
    x: { a1: 0x1234_5678_9abc_def0n, a2: -3n },
    expect: {
      x: {
        a0: BigInt.asIntN(64, 0x1234_5678_9abc_def0n * -3n),
        a3: BigInt.asIntN(64, 0x1234_5678_9abc_def0n ** 2n),
      },
    },
  },
  {
    asm: "mul of 32-bit halves with carries",
    words: [
      0x02c58533, // mul a0,a1,a2
    ],
    x: { a1: 0xffff_ffffn, a2: 0xffff_ffffn },
    expect: { x: { a0: 0xffff_fffe_0000_0001n } },
  },
  {
    asm: "mulh/mulhsu/mulhu",
    words: [
      0x02c59533, // mulh a0,a1,a2
      0x02c5a6b3, // mulhsu a3,a1,a2
      0x02c5b733, // mulhu a4,a1,a2
    ],
    x: { a1: -2n, a2: -3n },
    expect: { x: { a0: 0n, a3: -2n, a4: -5n } },
  },
  {
    asm: "mulh of MIN*MIN",
    words: [
      0x02b59533, // mulh a0,a1,a1
      0x02b5b633, // mulhu a2,a1,a1
    ],
    x: { a1: -0x8000000000000000n },
    expect: { x: { a0: 0x4000_0000_0000_0000n, a2: 0x4000_0000_0000_0000n } },
  },
  {
    asm: "div/rem signed truncate",
    words: [
      0x02c5c533, // div a0,a1,a2
      0x02c5e6b3, // rem a3,a1,a2
      0x02c5d733, // divu a4,a1,a2
      0x02c5f7b3, // remu a5,a1,a2
    ],
    x: { a1: -7n, a2: 2n },
    expect: { x: { a0: -3n, a3: -1n, a4: 0x7fff_ffff_ffff_fffcn, a5: 1n } },
  },
  {
    asm: "div by zero",
    words: [
      0x0205c533, // div a0,a1,zero
      0x0205d633, // divu a2,a1,zero
      0x0205e6b3, // rem a3,a1,zero
      0x0205f733, // remu a4,a1,zero
    ],
    x: { a1: -7n },
    expect: { x: { a0: -1n, a2: -1n, a3: -7n, a4: -7n } },
  },
  {
    asm: "div overflow MIN/-1",
    words: [
      0x02c5c533, // div a0,a1,a2
      0x02c5e6b3, // rem a3,a1,a2
    ],
    x: { a1: -0x8000000000000000n, a2: -1n },
    expect: { x: { a0: -0x8000000000000000n, a3: 0n } },
  },
  {
    asm: "div 64-bit operands",
    words: [
      0x02c5c533, // div a0,a1,a2
      0x02c5f6b3, // remu a3,a1,a2
    ],
    x: { a1: 0x7fff_ffff_ffff_ffffn, a2: 0x1_0000_0000n },
    expect: { x: { a0: 0x7fff_ffffn, a3: 0xffff_ffffn } },
  },
  {
    asm: "small div -1 fast path falls back",
    words: [
      0x02c5c533, // div a0,a1,a2
    ],
    x: { a1: -0x8000_0000n, a2: -1n },
    expect: { x: { a0: 0x8000_0000n } },
  },
  {
    asm: "mulw sign-extends low 32 bits",
    words: [
      0x02c5853b, // mulw a0,a1,a2
    ],
    x: { a1: 0x1_0001_0000n, a2: 0x8000n },
    expect: { x: { a0: -0x8000_0000n } },
  },
  {
    asm: "divw/remw edge cases",
    words: [
      0x02c5c53b, // divw a0,a1,a2
      0x02c5e6bb, // remw a3,a1,a2
      0x0205c73b, // divw a4,a1,zero
      0x0205e7bb, // remw a5,a1,zero
    ],
    x: { a1: 0xffff_ffff_8000_0000n, a2: -1n },
    expect: { x: { a0: -0x8000_0000n, a3: 0n, a4: -1n, a5: -0x8000_0000n } },
  },
  {
    asm: "divuw/remuw",
    words: [
      0x02c5d53b, // divuw a0,a1,a2
      0x02c5f6bb, // remuw a3,a1,a2
      0x0205d73b, // divuw a4,a1,zero
      0x0205f7bb, // remuw a5,a1,zero
    ],
    x: { a1: 0xffff_fffen, a2: 5n },
    expect: { x: { a0: 0x3333_3332n, a3: 4n, a4: -1n, a5: -2n } },
  },
  {
    asm: "divw ignores upper bits",
    words: [
      0x02c5c53b, // divw a0,a1,a2
    ],
    x: { a1: 0x5_0000_0064n, a2: 0x7_ffff_fff6n },
    expect: { x: { a0: -10n } },
  },
];
