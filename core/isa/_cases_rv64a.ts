/**
 * RV64A instruction cases (see `_cases.ts`). Words verified with
 * `riscv64-linux-gnu-as`/`objdump`.
 *
 * @module
 */

import { Exit } from "../exit.ts";
import { type Case, CODE, DATA, RO, UNMAPPED } from "./_cases.ts";

/**
 * The RV64A cases.
 *
 * @example
 * ```ts
 * import { CASES_RV64A } from "./_cases_rv64a.ts";
 * console.log(CASES_RV64A.length > 5); // true
 * ```
 */
export const CASES_RV64A: readonly Case[] = [
  {
    asm: "lr.w/sc.w success",
    words: [
      0x1007a52f, // lr.w a0,(a5)
      0x00150513, // addi a0,a0,1
      0x18a7a5af, // sc.w a1,a0,(a5)
      0x0007a603, // lw a2,0(a5)
    ],
    x: { a5: BigInt(DATA) },
    mem: [{ addr: DATA, u64: 0xffff_ffffn }],
    expect: { x: { a0: 0n, a1: 0n, a2: 0n } },
  },
  {
    asm: "lr.w sign-extends",
    words: [
      0x1007a52f, // lr.w a0,(a5)
    ],
    x: { a5: BigInt(DATA) },
    mem: [{ addr: DATA, u64: 0x8000_0000n }],
    expect: { x: { a0: -0x8000_0000n } },
  },
  {
    asm: "sc.w without reservation fails",
    words: [
      0x18a7a5af, // sc.w a1,a0,(a5)
    ],
    x: { a5: BigInt(DATA), a0: 5n },
    expect: { x: { a1: 1n }, mem: [{ addr: DATA, u64: 0n }] },
  },
  {
    asm: "sc.d to other address fails, and clears",
    words: [
      0x1007b52f, // lr.d a0,(a5)
      0x18a735af, // sc.d a1,a0,(a4)
      0x18a7b62f, // sc.d a2,a0,(a5)
    ],
    x: { a5: BigInt(DATA), a4: BigInt(DATA + 8) },
    mem: [{ addr: DATA, u64: 7n }],
    expect: { x: { a0: 7n, a1: 1n, a2: 1n } },
  },
  {
    asm: "lr.d/sc.d success",
    words: [
      0x1007b52f, // lr.d a0,(a5)
      0x18d7b5af, // sc.d a1,a3,(a5)
      0x0007b603, // ld a2,0(a5)
    ],
    x: { a5: BigInt(DATA), a3: -0x8000000000000000n },
    mem: [{ addr: DATA, u64: 7n }],
    expect: { x: { a0: 7n, a1: 0n, a2: -0x8000000000000000n } },
  },
  {
    asm: "misaligned lr.w",
    words: [
      0x1007a52f, // lr.w a0,(a5)
    ],
    x: { a5: BigInt(DATA + 2) },
    expect: {
      exit: Exit.MISALIGNED,
      tval: BigInt(DATA + 2),
      pc: CODE,
      instret: 1,
    },
  },
  {
    asm: "misaligned amoadd.d",
    words: [
      0x00b7b52f, // amoadd.d a0,a1,(a5)
    ],
    x: { a5: BigInt(DATA + 4) },
    expect: { exit: Exit.MISALIGNED, tval: BigInt(DATA + 4) },
  },
  {
    asm: "amo on read-only page is a store fault",
    words: [
      0x08b7a52f, // amoswap.w a0,a1,(a5)
    ],
    x: { a5: BigInt(RO) },
    expect: { exit: Exit.STORE_FAULT, tval: BigInt(RO) },
  },
  {
    asm: "lr on unmapped page is a load fault",
    words: [
      0x1007b52f, // lr.d a0,(a5)
    ],
    x: { a5: BigInt(UNMAPPED) },
    expect: { exit: Exit.LOAD_FAULT, tval: BigInt(UNMAPPED) },
  },
  {
    asm: "amoswap.w sign-extends old value",
    words: [
      0x08b7a52f, // amoswap.w a0,a1,(a5)
    ],
    x: { a5: BigInt(DATA), a1: 0x7fff_ffffn },
    mem: [{ addr: DATA, u64: 0x1234_5678_8000_0001n }],
    expect: {
      x: { a0: -0x7fff_ffffn },
      mem: [{ addr: DATA, u64: 0x1234_5678_0000_0000n | 0x7fff_ffffn }],
    },
  },
  {
    asm: "amoadd.w sign-extends old value",
    words: [
      0x00b7a52f, // amoadd.w a0,a1,(a5)
    ],
    x: { a5: BigInt(DATA), a1: -1n },
    mem: [{ addr: DATA, u64: 0x1234_5678_8000_0001n }],
    expect: {
      x: { a0: -0x7fff_ffffn },
      mem: [{ addr: DATA, u64: 0x1234_5678_0000_0000n | 0x8000_0000n }],
    },
  },
  {
    asm: "amoxor.w sign-extends old value",
    words: [
      0x20b7a52f, // amoxor.w a0,a1,(a5)
    ],
    x: { a5: BigInt(DATA), a1: -1n },
    mem: [{ addr: DATA, u64: 0x1234_5678_8000_0001n }],
    expect: {
      x: { a0: -0x7fff_ffffn },
      mem: [{ addr: DATA, u64: 0x1234_5678_0000_0000n | 0x7fff_fffen }],
    },
  },
  {
    asm: "amoand.w sign-extends old value",
    words: [
      0x60b7a52f, // amoand.w a0,a1,(a5)
    ],
    x: { a5: BigInt(DATA), a1: -1n },
    mem: [{ addr: DATA, u64: 0x1234_5678_8000_0001n }],
    expect: {
      x: { a0: -0x7fff_ffffn },
      mem: [{ addr: DATA, u64: 0x1234_5678_0000_0000n | 0x8000_0001n }],
    },
  },
  {
    asm: "amoor.w sign-extends old value",
    words: [
      0x40b7a52f, // amoor.w a0,a1,(a5)
    ],
    x: { a5: BigInt(DATA), a1: -1n },
    mem: [{ addr: DATA, u64: 0x1234_5678_8000_0001n }],
    expect: {
      x: { a0: -0x7fff_ffffn },
      mem: [{ addr: DATA, u64: 0x1234_5678_0000_0000n | 0xffff_ffffn }],
    },
  },
  {
    asm: "amomin.w sign-extends old value",
    words: [
      0x80b7a52f, // amomin.w a0,a1,(a5)
    ],
    x: { a5: BigInt(DATA), a1: -1n },
    mem: [{ addr: DATA, u64: 0x1234_5678_8000_0001n }],
    expect: {
      x: { a0: -0x7fff_ffffn },
      mem: [{ addr: DATA, u64: 0x1234_5678_0000_0000n | 0x8000_0001n }],
    },
  },
  {
    asm: "amomax.w sign-extends old value",
    words: [
      0xa0b7a52f, // amomax.w a0,a1,(a5)
    ],
    x: { a5: BigInt(DATA), a1: -1n },
    mem: [{ addr: DATA, u64: 0x1234_5678_8000_0001n }],
    expect: {
      x: { a0: -0x7fff_ffffn },
      mem: [{ addr: DATA, u64: 0x1234_5678_0000_0000n | 0xffff_ffffn }],
    },
  },
  {
    asm: "amominu.w sign-extends old value",
    words: [
      0xc0b7a52f, // amominu.w a0,a1,(a5)
    ],
    x: { a5: BigInt(DATA), a1: -1n },
    mem: [{ addr: DATA, u64: 0x1234_5678_8000_0001n }],
    expect: {
      x: { a0: -0x7fff_ffffn },
      mem: [{ addr: DATA, u64: 0x1234_5678_0000_0000n | 0x8000_0001n }],
    },
  },
  {
    asm: "amomaxu.w sign-extends old value",
    words: [
      0xe0b7a52f, // amomaxu.w a0,a1,(a5)
    ],
    x: { a5: BigInt(DATA), a1: -1n },
    mem: [{ addr: DATA, u64: 0x1234_5678_8000_0001n }],
    expect: {
      x: { a0: -0x7fff_ffffn },
      mem: [{ addr: DATA, u64: 0x1234_5678_0000_0000n | 0xffff_ffffn }],
    },
  },
  {
    asm: "amoswap.d",
    words: [
      0x08b7b52f, // amoswap.d a0,a1,(a5)
    ],
    x: { a5: BigInt(DATA + 8), a1: 5n },
    mem: [{ addr: DATA + 8, u64: -0x8000000000000000n + 1n }],
    expect: {
      x: { a0: -0x8000000000000000n + 1n },
      mem: [{ addr: DATA + 8, u64: 5n }],
    },
  },
  {
    asm: "amoadd.d",
    words: [
      0x00b7b52f, // amoadd.d a0,a1,(a5)
    ],
    x: { a5: BigInt(DATA + 8), a1: 5n },
    mem: [{ addr: DATA + 8, u64: -0x8000000000000000n + 1n }],
    expect: {
      x: { a0: -0x8000000000000000n + 1n },
      mem: [{ addr: DATA + 8, u64: -0x8000000000000000n + 6n }],
    },
  },
  {
    asm: "amoxor.d",
    words: [
      0x20b7b52f, // amoxor.d a0,a1,(a5)
    ],
    x: { a5: BigInt(DATA + 8), a1: -1n },
    mem: [{ addr: DATA + 8, u64: -0x8000000000000000n + 1n }],
    expect: {
      x: { a0: -0x8000000000000000n + 1n },
      mem: [{ addr: DATA + 8, u64: 0x7fff_ffff_ffff_fffen }],
    },
  },
  {
    asm: "amoand.d",
    words: [
      0x60b7b52f, // amoand.d a0,a1,(a5)
    ],
    x: { a5: BigInt(DATA + 8), a1: -2n },
    mem: [{ addr: DATA + 8, u64: -0x8000000000000000n + 1n }],
    expect: {
      x: { a0: -0x8000000000000000n + 1n },
      mem: [{ addr: DATA + 8, u64: -0x8000000000000000n }],
    },
  },
  {
    asm: "amoor.d",
    words: [
      0x40b7b52f, // amoor.d a0,a1,(a5)
    ],
    x: { a5: BigInt(DATA + 8), a1: 2n },
    mem: [{ addr: DATA + 8, u64: -0x8000000000000000n + 1n }],
    expect: {
      x: { a0: -0x8000000000000000n + 1n },
      mem: [{ addr: DATA + 8, u64: -0x8000000000000000n + 3n }],
    },
  },
  {
    asm: "amomin.d",
    words: [
      0x80b7b52f, // amomin.d a0,a1,(a5)
    ],
    x: { a5: BigInt(DATA + 8), a1: 5n },
    mem: [{ addr: DATA + 8, u64: -0x8000000000000000n + 1n }],
    expect: {
      x: { a0: -0x8000000000000000n + 1n },
      mem: [{ addr: DATA + 8, u64: -0x8000000000000000n + 1n }],
    },
  },
  {
    asm: "amomax.d",
    words: [
      0xa0b7b52f, // amomax.d a0,a1,(a5)
    ],
    x: { a5: BigInt(DATA + 8), a1: 5n },
    mem: [{ addr: DATA + 8, u64: -0x8000000000000000n + 1n }],
    expect: {
      x: { a0: -0x8000000000000000n + 1n },
      mem: [{ addr: DATA + 8, u64: 5n }],
    },
  },
  {
    asm: "amominu.d",
    words: [
      0xc0b7b52f, // amominu.d a0,a1,(a5)
    ],
    x: { a5: BigInt(DATA + 8), a1: 5n },
    mem: [{ addr: DATA + 8, u64: -0x8000000000000000n + 1n }],
    expect: {
      x: { a0: -0x8000000000000000n + 1n },
      mem: [{ addr: DATA + 8, u64: 5n }],
    },
  },
  {
    asm: "amomaxu.d",
    words: [
      0xe0b7b52f, // amomaxu.d a0,a1,(a5)
    ],
    x: { a5: BigInt(DATA + 8), a1: 5n },
    mem: [{ addr: DATA + 8, u64: -0x8000000000000000n + 1n }],
    expect: {
      x: { a0: -0x8000000000000000n + 1n },
      mem: [{ addr: DATA + 8, u64: -0x8000000000000000n + 1n }],
    },
  },
  {
    asm: "amo with rd = rs2",
    words: [
      0x00b7a5af, // amoadd.w a1,a1,(a5)
    ],
    x: { a5: BigInt(DATA), a1: 3n },
    mem: [{ addr: DATA, u64: 4n }],
    expect: { x: { a1: 4n }, mem: [{ addr: DATA, u64: 7n }] },
  },
];
