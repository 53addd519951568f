/**
 * RV64I instruction cases (see `_cases.ts`). Words verified with
 * `riscv64-linux-gnu-as`/`objdump`.
 *
 * @module
 */

import { Exit } from "../exit.ts";
import { type Case, CODE, DATA, RO, UNMAPPED } from "./_cases.ts";

/**
 * The RV64I cases.
 *
 * @example
 * ```ts
 * import { CASES_RV64I } from "./_cases_rv64i.ts";
 * console.log(CASES_RV64I.length > 50); // true
 * ```
 */
export const CASES_RV64I: readonly Case[] = [
  {
    asm: "add",
    words: [
      0x00c58533, // add a0,a1,a2
    ],
    x: { a1: 5n, a2: -7n },
    expect: { x: { a0: -2n }, instret: 2 },
  },
  {
    asm: "add carry into high word",
    words: [
      0x00c58533, // add a0,a1,a2
    ],
    x: { a1: 0xffffffffn, a2: 1n },
    expect: { x: { a0: 0x100000000n } },
  },
  {
    asm: "add wraps at 64 bits",
    words: [
      0x00c58533, // add a0,a1,a2
    ],
    x: { a1: 0x7fffffffffffffffn, a2: 1n },
    expect: { x: { a0: -0x8000000000000000n } },
  },
  {
    asm: "sub borrow",
    words: [
      0x40c58533, // sub a0,a1,a2
    ],
    x: { a1: 0x100000000n, a2: 1n },
    expect: { x: { a0: 0xffffffffn } },
  },
  {
    asm: "sub wraps",
    words: [
      0x40c58533, // sub a0,a1,a2
    ],
    x: { a1: -0x8000000000000000n, a2: 1n },
    expect: { x: { a0: 0x7fffffffffffffffn } },
  },
  {
    asm: "x0 stays zero",
    words: [
      0x00500013, // addi zero,zero,5
      0x00000533, // add a0,zero,zero
    ],
    x: { a0: 9n },
    expect: { x: { zero: 0n, a0: 0n } },
  },
  {
    asm: "addi negative",
    words: [
      0x80058513, // addi a0,a1,-2048
    ],
    x: { a1: 0n },
    expect: { x: { a0: -2048n } },
  },
  {
    asm: "addi rd=rs1",
    words: [
      0x7ff50513, // addi a0,a0,2047
    ],
    x: { a0: -1n },
    expect: { x: { a0: 2046n } },
  },
  {
    asm: "slt/sltu signed vs unsigned",
    words: [
      0x00c5a533, // slt a0,a1,a2
      0x00c5b6b3, // sltu a3,a1,a2
      0x00b62733, // slt a4,a2,a1
      0x00b637b3, // sltu a5,a2,a1
    ],
    x: { a1: -1n, a2: 1n },
    expect: { x: { a0: 1n, a3: 0n, a4: 0n, a5: 1n } },
  },
  {
    asm: "slt equal high words",
    words: [
      0x00c5a533, // slt a0,a1,a2
      0x00c5b6b3, // sltu a3,a1,a2
    ],
    x: { a1: 0x1_0000_0001n, a2: 0x1_ffff_ffffn },
    expect: { x: { a0: 1n, a3: 1n } },
  },
  {
    asm: "slti/sltiu",
    words: [
      0xfff5a513, // slti a0,a1,-1
      0xfff5b613, // sltiu a2,a1,-1
      0x00103693, // sltiu a3,zero,1
    ],
    x: { a1: -2n },
    expect: { x: { a0: 1n, a2: 1n, a3: 1n } },
  },
  {
    asm: "xor/or/and",
    words: [
      0x00c5c533, // xor a0,a1,a2
      0x00c5e6b3, // or a3,a1,a2
      0x00c5f733, // and a4,a1,a2
    ],
    x: { a1: 0x0ff0_0000_f0f0_ff00n, a2: -0x0100_0000_0f0f_0101n },
    expect: {
      x: {
        a0: 0x0ff0_0000_f0f0_ff00n ^ -0x0100_0000_0f0f_0101n,
        a3: 0x0ff0_0000_f0f0_ff00n | -0x0100_0000_0f0f_0101n,
        a4: 0x0ff0_0000_f0f0_ff00n & -0x0100_0000_0f0f_0101n,
      },
    },
  },
  {
    asm: "xori -1 is not",
    words: [
      0xfff5c513, // xori a0,a1,-1
      0xff05e613, // ori a2,a1,-16
      0xff05f693, // andi a3,a1,-16
    ],
    x: { a1: 0x1234_5678_9abc_def1n },
    expect: {
      x: { a0: ~0x1234_5678_9abc_def1n, a2: -15n, a3: 0x1234_5678_9abc_def0n },
    },
  },
  {
    asm: "slli/srli/srai by 63",
    words: [
      0x03f59513, // slli a0,a1,63
      0x03f6d613, // srli a2,a3,63
      0x43f6d713, // srai a4,a3,63
    ],
    x: { a1: 3n, a3: 0x8000000000000000n },
    expect: { x: { a0: -0x8000000000000000n, a2: 1n, a4: -1n } },
  },
  {
    asm: "shifts by 0, 31, 32, 33",
    words: [
      0x00059513, // slli a0,a1,0
      0x02059613, // slli a2,a1,32
      0x0215d693, // srli a3,a1,33
      0x41f5d713, // srai a4,a1,31
      0x01f5d793, // srli a5,a1,31
    ],
    x: { a1: -0x1234_5678_9abc_def0n },
    expect: {
      x: {
        a0: -0x1234_5678_9abc_def0n,
        a2: BigInt.asIntN(64, -0x1234_5678_9abc_def0n << 32n),
        a3: BigInt.asUintN(64, -0x1234_5678_9abc_def0n) >> 33n,
        a4: -0x1234_5678_9abc_def0n >> 31n,
        a5: BigInt.asUintN(64, -0x1234_5678_9abc_def0n) >> 31n,
      },
    },
  },
  {
    asm: "sll/srl/sra use rs2 mod 64",
    words: [
      0x00c59533, // sll a0,a1,a2
      0x00c5d6b3, // srl a3,a1,a2
      0x40c5d733, // sra a4,a1,a2
    ],
    x: { a1: -0x100n, a2: 0x44n },
    expect: { x: { a0: -0x1000n, a3: 0x0fff_ffff_ffff_fff0n, a4: -0x10n } },
  },
  {
    asm: "addiw/addw sign-extend",
    words: [
      0x0015851b, // addiw a0,a1,1
      0x00b5863b, // addw a2,a1,a1
      0x40b006bb, // subw a3,zero,a1
    ],
    x: { a1: 0x1_7fff_ffffn },
    expect: { x: { a0: -0x8000_0000n, a2: -2n, a3: -0x7fff_ffffn } },
  },
  {
    asm: "slliw/srliw/sraiw by 31",
    words: [
      0x01f5951b, // slliw a0,a1,31
      0x01f6d61b, // srliw a2,a3,31
      0x41f6d71b, // sraiw a4,a3,31
      0x0006d79b, // srliw a5,a3,0
    ],
    x: { a1: 3n, a3: 0xffff_ffff_8000_0000n },
    expect: { x: { a0: -0x8000_0000n, a2: 1n, a4: -1n, a5: -0x8000_0000n } },
  },
  {
    asm: "sllw/srlw/sraw use rs2 mod 32",
    words: [
      0x00c5953b, // sllw a0,a1,a2
      0x00c5d6bb, // srlw a3,a1,a2
      0x40c5d73b, // sraw a4,a1,a2
    ],
    x: { a1: 0x5_8000_0010n, a2: 0x24n },
    expect: { x: { a0: 0x100n, a3: 0x0800_0001n, a4: -0x07ff_ffffn } },
  },
  {
    asm: "lui sign-extends",
    words: [
      0x80000537, // lui a0,0x80000
      0x7ffff5b7, // lui a1,0x7ffff
    ],
    expect: { x: { a0: -0x8000_0000n, a1: 0x7fff_f000n } },
  },
  {
    asm: "auipc",
    words: [
      0x00000517, // auipc a0,0
      0xfffff597, // auipc a1,0xfffff
    ],
    expect: { x: { a0: BigInt(CODE), a1: BigInt(CODE + 4 - 0x1000) } },
  },
  {
    asm: "jal links and jumps",
    words: [
      0x008000ef, // jal ra,.+8
      0x00100513, // addi a0,zero,1
      0x00200593, // addi a1,zero,2
    ],
    expect: { x: { ra: BigInt(CODE + 4), a0: 0n, a1: 2n } },
  },
  {
    asm: "jalr clears bit 0, rd=rs1",
    words: [
      0x00050567, // jalr a0,0(a0)
      0x00100593, // addi a1,zero,1
      0x00200613, // addi a2,zero,2
    ],
    x: { a0: BigInt(CODE + 9) },
    expect: { x: { a0: BigInt(CODE + 4), a1: 0n, a2: 2n } },
  },
  {
    asm: "jalr negative offset",
    words: [
      0x00c0006f, // jal zero,.+12
      0x00700593, // addi a1,zero,7
      0x00100073, // ebreak
      0xff8500e7, // jalr ra,-8(a0)
    ],
    x: { a0: BigInt(CODE + 12) },
    expect: {
      exit: Exit.EBREAK,
      pc: CODE + 8,
      x: { a1: 7n, ra: BigInt(CODE + 16) },
    },
  },
  {
    asm: "beq/bne taken and not",
    words: [
      0x00b50463, // beq a0,a1,.+8
      0x00100613, // addi a2,zero,1
      0x00b51463, // bne a0,a1,.+8
      0x00100693, // addi a3,zero,1
    ],
    x: { a0: 5n, a1: 5n },
    expect: { x: { a2: 0n, a3: 1n } },
  },
  {
    asm: "beq compares high words",
    words: [
      0x00b50463, // beq a0,a1,.+8
      0x00100613, // addi a2,zero,1
    ],
    x: { a0: 0x1_0000_0005n, a1: 5n },
    expect: { x: { a2: 1n } },
  },
  {
    asm: "blt/bge signed",
    words: [
      0x00b54463, // blt a0,a1,.+8
      0x00100613, // addi a2,zero,1
      0x00a5d463, // bge a1,a0,.+8
      0x00100693, // addi a3,zero,1
      0x00a55463, // bge a0,a0,.+8
      0x00100713, // addi a4,zero,1
    ],
    x: { a0: -1n, a1: 1n },
    expect: { x: { a2: 0n, a3: 0n, a4: 0n } },
  },
  {
    asm: "bltu/bgeu unsigned",
    words: [
      0x00b56463, // bltu a0,a1,.+8
      0x00100613, // addi a2,zero,1
      0x00a5f463, // bgeu a1,a0,.+8
      0x00100693, // addi a3,zero,1
    ],
    x: { a0: -1n, a1: 1n },
    expect: { x: { a2: 1n, a3: 1n } },
  },
  {
    asm: "backward branch loop",
    words: [
      0x00a00513, // addi a0,zero,10
      0x00358593, // addi a1,a1,3
      0xfff50513, // addi a0,a0,-1
      0xfe051ce3, // bne a0,zero,.-8
    ],
    expect: { x: { a1: 30n }, instret: 32 },
  },
  {
    asm: "loads sign and zero extend",
    words: [
      0x00078503, // lb a0,0(a5)
      0x0007c583, // lbu a1,0(a5)
      0x00079603, // lh a2,0(a5)
      0x0007d683, // lhu a3,0(a5)
      0x0007a703, // lw a4,0(a5)
      0x0007e803, // lwu a6,0(a5)
      0x0007b883, // ld a7,0(a5)
    ],
    x: { a5: BigInt(DATA) },
    mem: [{ addr: DATA, u64: 0x8765_4321_8fed_cb98n }],
    expect: {
      x: {
        a0: -0x68n,
        a1: 0x98n,
        a2: -0x3468n,
        a3: 0xcb98n,
        a4: -0x7012_3468n,
        a6: 0x8fed_cb98n,
        a7: -0x789a_bcde_7012_3468n,
      },
    },
  },
  {
    asm: "loads with negative offset",
    words: [
      0xff87b503, // ld a0,-8(a5)
      0xffc7a583, // lw a1,-4(a5)
    ],
    x: { a5: BigInt(DATA + 16) },
    mem: [{ addr: DATA + 8, u64: 0x7fff_ffff_0000_0001n }],
    expect: { x: { a0: 0x7fff_ffff_0000_0001n, a1: 0x7fff_ffffn } },
  },
  {
    asm: "stores of every width",
    words: [
      0x00b78023, // sb a1,0(a5)
      0x00b79123, // sh a1,2(a5)
      0x00b7a223, // sw a1,4(a5)
      0x00b7b423, // sd a1,8(a5)
    ],
    x: { a5: BigInt(DATA), a1: 0x1122_3344_5566_7788n },
    expect: {
      mem: [{
        addr: DATA,
        bytes: [0x88, 0, 0x88, 0x77, 0x88, 0x77, 0x66, 0x55],
      }, { addr: DATA + 8, u64: 0x1122_3344_5566_7788n }],
    },
  },
  {
    asm: "misaligned ld/sd",
    words: [
      0x00b7b1a3, // sd a1,3(a5)
      0x0037b503, // ld a0,3(a5)
      0x0057a603, // lw a2,5(a5)
    ],
    x: { a5: BigInt(DATA), a1: -0x0123_4567_89ab_cdefn },
    expect: {
      x: {
        a0: -0x0123_4567_89ab_cdefn,
        a2: BigInt.asIntN(
          32,
          BigInt.asUintN(64, -0x0123_4567_89ab_cdefn) >> 16n,
        ),
      },
    },
  },
  {
    asm: "page-straddling sd/ld",
    words: [
      0x00b7b023, // sd a1,0(a5)
      0x0007b503, // ld a0,0(a5)
      0x0037d603, // lhu a2,3(a5)
    ],
    x: { a5: BigInt(DATA + 0xffc), a1: 0x0102_0304_0506_0708n },
    expect: {
      x: { a0: 0x0102_0304_0506_0708n, a2: 0x0405n },
      mem: [{ addr: DATA + 0x1000, bytes: [4, 3, 2, 1] }],
    },
  },
  {
    asm: "load from unmapped page faults with the address",
    words: [
      0x00100513, // addi a0,zero,1
      0x0107b583, // ld a1,16(a5)
      0x00100613, // addi a2,zero,1
    ],
    x: { a5: BigInt(UNMAPPED), a1: 7n },
    expect: {
      exit: Exit.LOAD_FAULT,
      tval: BigInt(UNMAPPED + 16),
      pc: CODE + 4,
      instret: 2,
      x: { a0: 1n, a1: 7n, a2: 0n },
    },
  },
  {
    asm: "load straddling into unmapped page faults",
    words: [
      0x0007a503, // lw a0,0(a5)
    ],
    x: { a5: BigInt(RO + 0xffe) },
    expect: { exit: Exit.LOAD_FAULT, tval: BigInt(RO + 0xffe), pc: CODE },
  },
  {
    asm: "store to read-only page faults",
    words: [
      0x00b7a423, // sw a1,8(a5)
    ],
    x: { a5: BigInt(RO), a1: 5n },
    expect: {
      exit: Exit.STORE_FAULT,
      tval: BigInt(RO + 8),
      pc: CODE,
      instret: 1,
      mem: [{ addr: RO + 8, u64: 0n }],
    },
  },
  {
    asm: "load from read-only page works",
    words: [
      0x0007b503, // ld a0,0(a5)
    ],
    x: { a5: BigInt(RO) },
    mem: [{ addr: RO, u64: 42n }],
    expect: { x: { a0: 42n } },
  },
  {
    asm: "load from a negative address faults",
    words: [
      0x00078503, // lb a0,0(a5)
    ],
    x: { a5: -16n },
    expect: { exit: Exit.LOAD_FAULT, tval: -16n, pc: CODE },
  },
  {
    asm: "load from a huge address faults exactly",
    words: [
      0x00178503, // lb a0,1(a5)
    ],
    x: { a5: 0x1234_5678_0001_0000n },
    expect: { exit: Exit.LOAD_FAULT, tval: 0x1234_5678_0001_0001n },
  },
  {
    asm: "store straddling into unmapped page faults",
    words: [
      0x00b7b023, // sd a1,0(a5)
    ],
    x: { a5: BigInt(DATA + 0x1ffc) },
    expect: { exit: Exit.STORE_FAULT, tval: BigInt(DATA + 0x1ffc) },
  },
  {
    asm: "fetch from non-executable page faults, uncounted",
    words: [
      0x00078067, // jalr zero,0(a5)
    ],
    x: { a5: BigInt(DATA) },
    expect: {
      exit: Exit.FETCH_FAULT,
      tval: BigInt(DATA),
      pc: DATA,
      instret: 1,
    },
  },
  {
    asm: "fence is a no-op",
    words: [
      0x0330000f, // fence rw,rw
      0x8330000f, // fence.tso
      0x00100513, // addi a0,zero,1
    ],
    expect: { x: { a0: 1n } },
  },
  {
    asm: "ecall exits at its pc",
    words: [
      0x05d00893, // addi a7,zero,93
      0x00000073, // ecall
      0x00100513, // addi a0,zero,1
    ],
    expect: {
      exit: Exit.ECALL,
      pc: CODE + 4,
      tval: 0n,
      instret: 2,
      x: { a7: 93n, a0: 0n },
    },
  },
  {
    asm: "ebreak",
    words: [
      0x00100073, // ebreak
    ],
    expect: { exit: Exit.EBREAK, pc: CODE, instret: 1, tval: 0n },
  },
  {
    asm: "all-zero halfword is illegal",
    words: [
      0x0000, // .half 0
    ],
    expect: { exit: Exit.ILLEGAL, pc: CODE, tval: 0n, instret: 1 },
  },
  {
    asm: "all-ones word is illegal",
    words: [
      0xffffffff, // .word 0xffffffff
    ],
    expect: { exit: Exit.ILLEGAL, pc: CODE, tval: 0xffff_ffffn, instret: 1 },
  },
  {
    asm: "unknown opcode is illegal",
    words: [
      0x0000007f, // .word 0x0000007f
    ],
    expect: { exit: Exit.ILLEGAL, tval: 0x7fn },
  },
];
