/**
 * RV64C instruction cases (see `_cases.ts`). Words verified with
 * `riscv64-linux-gnu-as`/`objdump`.
 *
 * @module
 */

import { Exit } from "../exit.ts";
import { type Case, CODE, DATA } from "./_cases.ts";

/**
 * The RV64C cases.
 *
 * @example
 * ```ts
 * import { CASES_RVC } from "./_cases_rvc.ts";
 * console.log(CASES_RVC.length > 5); // true
 * ```
 */
export const CASES_RVC: readonly Case[] = [
  {
    asm: "c.addi/c.li/c.mv/c.add",
    words: [
      0x556d, // c.li a0,-5
      0x0505, // c.addi a0,1
      0x85aa, // c.mv a1,a0
      0x95aa, // c.add a1,a0
    ],
    expect: { x: { a0: -4n, a1: -8n }, instret: 5 },
  },
  {
    asm: "c.lui sign-extends",
    words: [
      0x7501, // c.lui a0,0xfffe0
      0x65fd, // c.lui a1,0x1f
    ],
    expect: { x: { a0: -0x20000n, a1: 0x1f000n } },
  },
  {
    asm: "c.addi16sp/c.addi4spn",
    words: [
      0x7101, // c.addi16sp sp,-512
      0x1fe8, // c.addi4spn a0,sp,1020
    ],
    x: { sp: 0x2000n },
    expect: { x: { sp: 0x1e00n, a0: 0x1e00n + 1020n } },
  },
  {
    asm: "c.addiw/c.subw/c.addw sign-extend",
    words: [
      0x2505, // c.addiw a0,1
      0x9d91, // c.subw a1,a2
      0x9eb9, // c.addw a3,a4
    ],
    x: { a0: 0x7fff_ffffn, a1: 0n, a2: 1n, a3: 0x1_0000_0000n, a4: 5n },
    expect: { x: { a0: -0x8000_0000n, a1: -1n, a3: 5n } },
  },
  {
    asm: "c.srli/c.srai/c.slli/c.andi",
    words: [
      0x917d, // c.srli a0,63
      0x8591, // c.srai a1,4
      0x1606, // c.slli a2,33
      0x9ac1, // c.andi a3,-16
    ],
    x: { a0: -1n, a1: -256n, a2: 3n, a3: 0xffn },
    expect: { x: { a0: 1n, a1: -16n, a2: 0x6_0000_0000n, a3: 0xf0n } },
  },
  {
    asm: "c.sub/c.xor/c.or/c.and",
    words: [
      0x8d0d, // c.sub a0,a1
      0x8e2d, // c.xor a2,a1
      0x8ecd, // c.or a3,a1
      0x8f6d, // c.and a4,a1
    ],
    x: { a0: 10n, a1: 12n, a2: 5n, a3: 1n, a4: 7n },
    expect: { x: { a0: -2n, a2: 9n, a3: 13n, a4: 4n } },
  },
  {
    asm: "c.lw/c.sw/c.ld/c.sd",
    words: [
      0xc3cc, // c.sw a1,4(a5)
      0x43c8, // c.lw a0,4(a5)
      0xe78c, // c.sd a1,8(a5)
      0x6790, // c.ld a2,8(a5)
    ],
    x: { a5: BigInt(DATA), a1: -0x1234_5678_9abcn },
    expect: {
      x: { a0: BigInt.asIntN(32, -0x1234_5678_9abcn), a2: -0x1234_5678_9abcn },
    },
  },
  {
    asm: "c.lwsp/c.swsp/c.ldsp/c.sdsp",
    words: [
      0xdf86, // c.swsp ra,252(sp)
      0x557e, // c.lwsp a0,252(sp)
      0xff86, // c.sdsp ra,504(sp)
      0x75fe, // c.ldsp a1,504(sp)
    ],
    x: { sp: BigInt(DATA), ra: 0x8000_0000n },
    expect: { x: { a0: -0x8000_0000n, a1: 0x8000_0000n } },
  },
  {
    asm: "c.fsd/c.fld/c.fsdsp/c.fldsp raw bits",
    words: [
      0xa788, // c.fsd fa0,8(a5)
      0x278c, // c.fld fa1,8(a5)
      0xa82a, // c.fsdsp fa0,16(sp)
      0x2642, // c.fldsp fa2,16(sp)
    ],
    x: { a5: BigInt(DATA), sp: BigInt(DATA) },
    f: { fa0: 0x7ff4_0000_0000_0001n },
    expect: { f: { fa1: 0x7ff4_0000_0000_0001n, fa2: 0x7ff4_0000_0000_0001n } },
  },
  {
    asm: "c.j forward",
    words: [
      0xa011, // c.j .+4
      0x4505, // c.li a0,1
      0x4589, // c.li a1,2
    ],
    expect: { x: { a0: 0n, a1: 2n } },
  },
  {
    asm: "c.beqz/c.bnez",
    words: [
      0xc111, // c.beqz a0,.+4
      0x4605, // c.li a2,1
      0xe111, // c.bnez a0,.+4
      0x4685, // c.li a3,1
    ],
    expect: { x: { a2: 0n, a3: 1n } },
  },
  {
    asm: "c.jalr links pc+2, c.jr returns",
    words: [
      0x9782, // c.jalr a5
      0x4525, // c.li a0,9
      0xa019, // c.j .+6
      0x459d, // c.li a1,7
      0x8082, // c.jr ra
    ],
    x: { a5: BigInt(CODE + 6) },
    expect: { x: { ra: BigInt(CODE + 2), a0: 9n, a1: 7n } },
  },
  {
    asm: "c.nop",
    words: [
      0x0001, // c.nop
    ],
    expect: { instret: 2 },
  },
  {
    asm: "c.ebreak",
    words: [
      0x9002, // c.ebreak
    ],
    expect: { exit: Exit.EBREAK, pc: CODE, instret: 1 },
  },
  {
    asm: "c.addi4spn with zero imm is illegal",
    words: [
      0x0004, // .half 0x0004
    ],
    expect: { exit: Exit.ILLEGAL, tval: 0x0004n, pc: CODE },
  },
  {
    asm: "c.lui with imm 0 is illegal",
    words: [
      0x6501, // .half 0x6501
    ],
    expect: { exit: Exit.ILLEGAL, tval: 0x6501n },
  },
  {
    asm: "c.lui x0 with imm 0 is illegal",
    words: [
      0x6001, // .half 0x6001
    ],
    expect: { exit: Exit.ILLEGAL, tval: 0x6001n },
  },
  {
    // HINTs (Unpriv. 16.7): legal encodings that change no state here.
    asm: "RVC HINTs run as no-ops",
    words: [
      0x6005, // c.lui x0,1
      0x707d, // c.lui x0,0xfffff
      0x0005, // c.nop 1 (c.addi x0,1)
      0x0501, // c.addi a0,0
      0x4015, // c.li x0,5
      0x802a, // c.mv x0,a0
      0x902a, // c.add x0,a0
      0x000e, // c.slli x0,3
      0x0502, // c.slli64 a0
      0x8101, // c.srli64 a0
      0x8501, // c.srai64 a0
    ],
    x: { a0: -7n, s0: 0x8000_0000_0000_0001n },
    expect: {
      x: { zero: 0n, a0: -7n, s0: 0x8000_0000_0000_0001n },
      instret: 12,
    },
  },
  {
    asm: "c.addi16sp with imm 0 is illegal",
    words: [
      0x6101, // .half 0x6101
    ],
    expect: { exit: Exit.ILLEGAL, tval: 0x6101n },
  },
  {
    asm: "c.jr with rs1=0 is illegal",
    words: [
      0x8002, // .half 0x8002
    ],
    expect: { exit: Exit.ILLEGAL, tval: 0x8002n },
  },
  {
    asm: "c.lwsp with rd=0 is illegal",
    words: [
      0x4002, // .half 0x4002
    ],
    expect: { exit: Exit.ILLEGAL, tval: 0x4002n },
  },
  {
    asm: "c.ldsp with rd=0 is illegal",
    words: [
      0x6002, // .half 0x6002
    ],
    expect: { exit: Exit.ILLEGAL, tval: 0x6002n },
  },
  {
    asm: "c.addiw with rd=0 is illegal",
    words: [
      0x2005, // .half 0x2005
    ],
    expect: { exit: Exit.ILLEGAL, tval: 0x2005n },
  },
  {
    asm: "quadrant 0 funct3 100 is illegal",
    words: [
      0x8000, // .half 0x8000
    ],
    expect: { exit: Exit.ILLEGAL, tval: 0x8000n },
  },
  {
    asm: "reserved c.subw group encoding is illegal",
    words: [
      0x9c41, // .half 0x9c41
    ],
    expect: { exit: Exit.ILLEGAL, tval: 0x9c41n },
  },
];
