/**
 * Zicsr/Zifencei instruction cases (see `_cases.ts`). Words verified with
 * `riscv64-linux-gnu-as`/`objdump`.
 *
 * @module
 */

import { Exit } from "../exit.ts";
import { type Case, CODE } from "./_cases.ts";

/**
 * The Zicsr/Zifencei cases.
 *
 * @example
 * ```ts
 * import { CASES_ZICSR } from "./_cases_zicsr.ts";
 * console.log(CASES_ZICSR.length > 5); // true
 * ```
 */
export const CASES_ZICSR: readonly Case[] = [
  {
    asm: "csrrw fcsr, then read fflags/frm",
    words: [
      0x00359573, // csrrw a0,fcsr,a1
      0x00102673, // csrrs a2,fflags,zero
      0x002026f3, // csrrs a3,frm,zero
    ],
    x: { a1: 0xe5n },
    fflags: 3,
    expect: { x: { a0: 3n, a2: 5n, a3: 7n }, fflags: 5, frm: 7 },
  },
  {
    asm: "csrrs/csrrc set and clear bits",
    words: [
      0x0015a573, // csrrs a0,fflags,a1
      0x0016b673, // csrrc a2,fflags,a3
    ],
    x: { a1: 0x11n, a3: 0x1n },
    fflags: 2,
    expect: { x: { a0: 2n, a2: 0x13n }, fflags: 0x12 },
  },
  {
    asm: "csrrwi/csrrsi/csrrci",
    words: [
      0x0021d573, // csrrwi a0,frm,3
      0x001265f3, // csrrsi a1,fflags,4
      0x00127673, // csrrci a2,fflags,4
    ],
    expect: { x: { a0: 0n, a1: 0n, a2: 4n }, frm: 3, fflags: 0 },
  },
  {
    asm: "fflags write masks to 5 bits",
    words: [
      0x00159073, // csrrw zero,fflags,a1
      0x00302573, // csrrs a0,fcsr,zero
    ],
    x: { a1: -1n },
    expect: { x: { a0: 0x1fn }, fflags: 0x1f },
  },
  {
    asm: "rdinstret/rdcycle count earlier instructions",
    words: [
      0x00100513, // addi a0,zero,1
      0xc02025f3, // csrrs a1,instret,zero
      0xc0002673, // csrrs a2,cycle,zero
    ],
    expect: { x: { a1: 1n, a2: 2n } },
  },
  {
    asm: "rdtime reads",
    words: [
      0xc0102573, // csrrs a0,time,zero
    ],
    expect: { exit: Exit.EBREAK, pc: CODE + 4 },
  },
  {
    asm: "csrrs with rs1=zero on read-only CSR is legal",
    words: [
      0xc0002573, // csrrs a0,cycle,zero
      0xc02065f3, // csrrsi a1,instret,0
    ],
    expect: { x: { a0: 0n, a1: 1n } },
  },
  {
    asm: "write to instret is illegal",
    words: [
      0xc0251073, // csrrw zero,instret,a0
    ],
    expect: { exit: Exit.ILLEGAL, tval: 0xc0251073n, pc: CODE, instret: 1 },
  },
  {
    asm: "csrrs with rs1!=0 on cycle is illegal",
    words: [
      0xc005a573, // csrrs a0,cycle,a1
    ],
    x: { a0: 5n },
    expect: { exit: Exit.ILLEGAL, x: { a0: 5n } },
  },
  {
    asm: "unknown CSR is illegal",
    words: [
      0x7c002573, // csrrs a0,0x7c0,zero
    ],
    expect: { exit: Exit.ILLEGAL, tval: 0x7c002573n },
  },
  {
    asm: "fence.i exits past itself",
    words: [
      0x00100513, // addi a0,zero,1
      0x0000100f, // fence.i
      0x00200513, // addi a0,zero,2
    ],
    expect: {
      exit: Exit.FENCE_I,
      pc: CODE + 8,
      tval: 0n,
      instret: 2,
      x: { a0: 1n },
    },
  },
];
