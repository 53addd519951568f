/**
 * RV64F and RV64D instruction cases (see `_cases.ts`). Words verified with
 * `riscv64-linux-gnu-as`/`objdump`.
 *
 * @module
 */

import { Exit } from "../exit.ts";
import { type Case, d64, DATA, s32 } from "./_cases.ts";

/** Canonical NaNs (Unpriv. 20.3). */
const QNAN_S = 0xffff_ffff_7fc0_0000n;
const QNAN_D = 0x7ff8_0000_0000_0000n;

/**
 * The F and D cases.
 *
 * @example
 * ```ts
 * import { CASES_FD } from "./_cases_fd.ts";
 * console.log(CASES_FD.length > 10); // true
 * ```
 */
export const CASES_FD: readonly Case[] = [
  {
    asm: "fadd.d/fsub.d/fmul.d/fdiv.d",
    words: [
      0x02c5f553, // fadd.d fa0,fa1,fa2
      0x0ac5f6d3, // fsub.d fa3,fa1,fa2
      0x12c5f753, // fmul.d fa4,fa1,fa2
      0x1ac5f7d3, // fdiv.d fa5,fa1,fa2
    ],
    f: { fa1: d64(1.5), fa2: d64(0.25) },
    expect: {
      f: { fa0: d64(1.75), fa3: d64(1.25), fa4: d64(0.375), fa5: d64(6) },
      fflags: 0,
    },
  },
  {
    asm: "fdiv.d by zero sets DZ",
    words: [
      0x1ac5f553, // fdiv.d fa0,fa1,fa2
      0x00102573, // csrrs a0,fflags,zero
    ],
    f: { fa1: d64(1), fa2: d64(0) },
    expect: { f: { fa0: d64(Infinity) }, x: { a0: 8n }, fflags: 8 },
  },
  {
    asm: "fadd.d inexact sets NX",
    words: [
      0x02c5f553, // fadd.d fa0,fa1,fa2
    ],
    f: { fa1: d64(1), fa2: d64(2 ** -60) },
    expect: { f: { fa0: d64(1) }, fflags: 1 },
  },
  {
    asm: "rounding mode from the rm field (rup)",
    words: [
      0x02c5b553, // fadd.d fa0,fa1,fa2,rup
    ],
    f: { fa1: d64(1), fa2: d64(2 ** -60) },
    expect: { f: { fa0: d64(1 + 2 ** -52) }, fflags: 1 },
  },
  {
    asm: "dynamic rounding mode from frm (set by csrrwi)",
    words: [
      0x0021d073, // csrrwi zero,frm,3
      0x02c5f553, // fadd.d fa0,fa1,fa2
    ],
    f: { fa1: d64(1), fa2: d64(2 ** -60) },
    expect: { f: { fa0: d64(1 + 2 ** -52) }, frm: 3 },
  },
  {
    asm: "dynamic rm with frm=5 is illegal",
    words: [
      0x0022d073, // csrrwi zero,frm,5
      0x02c5f553, // fadd.d fa0,fa1,fa2
    ],
    f: { fa1: d64(1), fa2: d64(2) },
    expect: { exit: Exit.ILLEGAL, tval: 0x02c5f553n, instret: 2 },
  },
  {
    asm: "static rm 5 is illegal",
    words: [
      0x02c5d553, // .word 0x02c5d553
    ],
    expect: { exit: Exit.ILLEGAL, tval: 0x02c5d553n },
  },
  {
    asm: "fsqrt.d of -1 is NaN with NV",
    words: [
      0x5a05f553, // fsqrt.d fa0,fa1
    ],
    f: { fa1: d64(-1) },
    expect: { f: { fa0: QNAN_D }, fflags: 16 },
  },
  {
    asm: "fmadd.d/fnmsub.d",
    words: [
      0x6ac5f543, // fmadd.d fa0,fa1,fa2,fa3
      0x6ac5f74b, // fnmsub.d fa4,fa1,fa2,fa3
      0x6ac5f7c7, // fmsub.d fa5,fa1,fa2,fa3
      0x6ac5f84f, // fnmadd.d fa6,fa1,fa2,fa3
    ],
    f: { fa1: d64(2), fa2: d64(3), fa3: d64(1) },
    expect: { f: { fa0: d64(7), fa4: d64(-5), fa5: d64(5), fa6: d64(-7) } },
  },
  {
    asm: "fmin.d/fmax.d with one NaN return the number",
    words: [
      0x2ac58553, // fmin.d fa0,fa1,fa2
      0x2ab616d3, // fmax.d fa3,fa2,fa1
    ],
    f: { fa1: QNAN_D, fa2: d64(3) },
    expect: { f: { fa0: d64(3), fa3: d64(3) }, fflags: 0 },
  },
  {
    asm: "fmin.d/fmax.d order -0 below +0",
    words: [
      0x2ac58553, // fmin.d fa0,fa1,fa2
      0x2ac596d3, // fmax.d fa3,fa1,fa2
    ],
    f: { fa1: d64(0), fa2: d64(-0) },
    expect: { f: { fa0: d64(-0), fa3: d64(0) } },
  },
  {
    asm: "fmin.d with signaling NaN sets NV",
    words: [
      0x2ac58553, // fmin.d fa0,fa1,fa2
    ],
    f: { fa1: 0x7ff4_0000_0000_0000n, fa2: d64(1) },
    expect: { f: { fa0: d64(1) }, fflags: 16 },
  },
  // A signaling NaN's quiet bit is judged from the register's bits (a JS
  // number may lose it): tests/fp_signaling_nan_test.ts runs these warm.
  {
    asm: "fadd.d with a signaling NaN (payload in the low word) sets NV",
    words: [
      0x02c58553, // fadd.d fa0,fa1,fa2,rne
    ],
    f: { fa1: 0x7ff0_0000_0000_0001n, fa2: d64(1) },
    expect: { f: { fa0: QNAN_D }, fflags: 16 },
  },
  {
    asm: "feq.d with a signaling NaN sets NV",
    words: [
      0xa2c5a553, // feq.d a0,fa1,fa2
    ],
    x: { a0: 5n },
    f: { fa1: d64(1), fa2: 0xfff4_0000_0000_0000n },
    expect: { x: { a0: 0n }, fflags: 16 },
  },
  {
    asm: "fcvt.s.d of a signaling NaN is the canonical single NaN with NV",
    words: [
      0x4015f553, // fcvt.s.d fa0,fa1
    ],
    f: { fa1: 0x7ff0_0000_0000_0001n },
    expect: { f: { fa0: QNAN_S }, fflags: 16 },
  },
  {
    asm:
      "fsqrt.d reads only rs1: a signaling NaN in f0 (its rs2 field) is not an operand",
    words: [
      0x5a05f553, // fsqrt.d fa0,fa1
    ],
    f: { ft0: 0x7ff0_0000_0000_0001n, fa1: d64(4) },
    expect: { f: { fa0: d64(2) }, fflags: 0 },
  },
  {
    asm:
      "an illegal rounding mode leaves NV clear even with a signaling operand",
    words: [
      0x0022d073, // csrrwi zero,frm,5
      0x02c5f553, // fadd.d fa0,fa1,fa2
    ],
    f: { fa1: 0x7ff0_0000_0000_0001n, fa2: d64(2) },
    expect: { exit: Exit.ILLEGAL, instret: 2, fflags: 0 },
  },
  {
    asm: "feq/flt/fle.d",
    words: [
      0xa2c5a553, // feq.d a0,fa1,fa2
      0xa2c595d3, // flt.d a1,fa1,fa2
      0xa2c60653, // fle.d a2,fa2,fa2
      0xa2d5a6d3, // feq.d a3,fa1,fa3
      0xa2d59753, // flt.d a4,fa1,fa3
    ],
    f: { fa1: d64(1), fa2: d64(2), fa3: QNAN_D },
    expect: { x: { a0: 0n, a1: 1n, a2: 1n, a3: 0n, a4: 0n }, fflags: 16 },
  },
  {
    asm: "fclass.d",
    words: [
      0xe2059553, // fclass.d a0,fa1
      0xe20615d3, // fclass.d a1,fa2
      0xe2069653, // fclass.d a2,fa3
    ],
    f: { fa1: d64(-Infinity), fa2: d64(-0), fa3: QNAN_D },
    expect: { x: { a0: 1n, a1: 8n, a2: 0x200n } },
  },
  {
    asm: "fclass.d of signaling NaNs",
    words: [
      0xe2059553, // fclass.d a0,fa1
      0xe20615d3, // fclass.d a1,fa2
    ],
    f: { fa1: 0xfff0_0000_0000_0001n, fa2: 0x7ff4_0000_0000_0000n },
    expect: { x: { a0: 0x100n, a1: 0x100n }, fflags: 0 },
  },
  {
    asm: "fsgnj.d/fsgnjn.d/fsgnjx.d move raw bits",
    words: [
      0x22c58553, // fsgnj.d fa0,fa1,fa2
      0x22b596d3, // fsgnjn.d fa3,fa1,fa1
      0x22c62753, // fsgnjx.d fa4,fa2,fa2
    ],
    f: { fa1: 0x7ff4_0000_0000_0001n, fa2: d64(-2) },
    expect: {
      f: {
        fa0: 0xfff4_0000_0000_0001n,
        fa3: 0xfff4_0000_0000_0001n,
        fa4: d64(2),
      },
    },
  },
  {
    asm: "fmv.x.d/fmv.d.x raw",
    words: [
      0xe2058553, // fmv.x.d a0,fa1
      0xf2058653, // fmv.d.x fa2,a1
    ],
    x: { a1: -1n },
    f: { fa1: 0x7ff4_0000_0000_0001n },
    expect: { x: { a0: 0x7ff4_0000_0000_0001n }, f: { fa2: -1n } },
  },
  {
    asm: "fld/fsd raw, page-straddling",
    words: [
      0x00b7b027, // fsd fa1,0(a5)
      0x0007b607, // fld fa2,0(a5)
    ],
    x: { a5: BigInt(DATA + 0xffc) },
    f: { fa1: 0x7ff4_0000_0000_0001n },
    expect: { f: { fa2: 0x7ff4_0000_0000_0001n } },
  },
  {
    asm: "fcvt.w.d rtz and saturation",
    words: [
      0xc2059553, // fcvt.w.d a0,fa1,rtz
      0xc20615d3, // fcvt.w.d a1,fa2,rtz
      0xc2169653, // fcvt.wu.d a2,fa3,rtz
    ],
    f: { fa1: d64(-2.5), fa2: d64(1e10), fa3: d64(3e9) },
    expect: { x: { a0: -2n, a1: 0x7fff_ffffn, a2: -0x4d2f_a200n }, fflags: 17 },
  },
  {
    asm: "fcvt.l.d/fcvt.lu.d",
    words: [
      0xc2259553, // fcvt.l.d a0,fa1,rtz
      0xc22615d3, // fcvt.l.d a1,fa2,rtz
      0xc2369653, // fcvt.lu.d a2,fa3,rtz
      0xc23596d3, // fcvt.lu.d a3,fa1,rtz
    ],
    f: { fa1: d64(-(2 ** 62)), fa2: d64(2 ** 70), fa3: d64(2 ** 63) },
    expect: {
      x: {
        a0: -(2n ** 62n),
        a1: 0x7fff_ffff_ffff_ffffn,
        a2: -0x8000_0000_0000_0000n,
        a3: 0n,
      },
      fflags: 16,
    },
  },
  {
    asm: "fcvt.d.w/wu/l/lu",
    words: [
      0xd2058553, // fcvt.d.w fa0,a1
      0xd21585d3, // fcvt.d.wu fa1,a1
      0xd2267653, // fcvt.d.l fa2,a2
      0xd23676d3, // fcvt.d.lu fa3,a2
    ],
    x: { a1: -1n, a2: -2n },
    expect: {
      f: {
        fa0: d64(-1),
        fa1: d64(4294967295),
        fa2: d64(-2),
        fa3: d64(2 ** 64),
      },
      fflags: 1,
    },
  },
  {
    asm: "fcvt.s.d/fcvt.d.s",
    words: [
      0x4015f553, // fcvt.s.d fa0,fa1
      0x42050653, // fcvt.d.s fa2,fa0
    ],
    f: { fa1: d64(0.1) },
    expect: { f: { fa0: s32(0.1), fa2: d64(Math.fround(0.1)) }, fflags: 1 },
  },
  {
    asm: "fadd.s NaN-boxes its result",
    words: [
      0x00c5f553, // fadd.s fa0,fa1,fa2
    ],
    f: { fa1: s32(1.5), fa2: s32(2) },
    expect: { f: { fa0: s32(3.5) } },
  },
  {
    asm: "improperly boxed single reads as canonical NaN",
    words: [
      0x00c5f553, // fadd.s fa0,fa1,fa2
      0x20b586d3, // fsgnj.s fa3,fa1,fa1
    ],
    f: { fa1: 0x0000_0000_3fc0_0000n, fa2: s32(2) },
    expect: { f: { fa0: QNAN_S, fa3: QNAN_S } },
  },
  {
    asm: "flw boxes, fsw stores raw low bits",
    words: [
      0x0007a507, // flw fa0,0(a5)
      0x00b7a227, // fsw fa1,4(a5)
    ],
    x: { a5: BigInt(DATA) },
    mem: [{ addr: DATA, bytes: [1, 0, 0xa0, 0x7f] }],
    f: { fa1: 0x1234_5678_7fa0_0001n },
    expect: {
      f: { fa0: 0xffff_ffff_7fa0_0001n },
      mem: [{ addr: DATA + 4, bytes: [1, 0, 0xa0, 0x7f] }],
    },
  },
  {
    asm: "fmv.x.w sign-extends raw bits, fmv.w.x boxes",
    words: [
      0xe0058553, // fmv.x.w a0,fa1
      0xf0058653, // fmv.w.x fa2,a1
    ],
    x: { a1: 0x1234_5678_8000_0001n },
    f: { fa1: 0x0000_0000_bf80_0000n },
    expect: { x: { a0: -0x4080_0000n }, f: { fa2: 0xffff_ffff_8000_0001n } },
  },
  {
    asm: "fmul.s/fdiv.s/fsqrt.s/fmadd.s",
    words: [
      0x10c5f553, // fmul.s fa0,fa1,fa2
      0x18c5f6d3, // fdiv.s fa3,fa1,fa2
      0x58067753, // fsqrt.s fa4,fa2
      0x58c5f7c3, // fmadd.s fa5,fa1,fa2,fa1
    ],
    f: { fa1: s32(3), fa2: s32(4) },
    expect: { f: { fa0: s32(12), fa3: s32(0.75), fa4: s32(2), fa5: s32(15) } },
  },
  {
    asm: "fmin.s/fmax.s on NaN and -0",
    words: [
      0x28c58553, // fmin.s fa0,fa1,fa2
      0x28e616d3, // fmax.s fa3,fa2,fa4
      0x28d687d3, // fmin.s fa5,fa3,fa3
    ],
    f: { fa1: QNAN_S, fa2: s32(-0), fa4: s32(0) },
    expect: { f: { fa0: s32(-0), fa3: s32(0) } },
  },
  {
    asm: "feq.s/flt.s/fle.s/fclass.s",
    words: [
      0xa0b5a553, // feq.s a0,fa1,fa1
      0xa0c595d3, // flt.s a1,fa1,fa2
      0xa0b60653, // fle.s a2,fa2,fa1
      0xe00616d3, // fclass.s a3,fa2
    ],
    f: { fa1: s32(1), fa2: s32(Infinity) },
    expect: { x: { a0: 1n, a1: 1n, a2: 0n, a3: 0x80n } },
  },
  {
    asm: "fcvt.w.s/fcvt.l.s/fcvt.lu.s",
    words: [
      0xc0059553, // fcvt.w.s a0,fa1,rtz
      0xc025f5d3, // fcvt.l.s a1,fa1
      0xc0359653, // fcvt.lu.s a2,fa1,rtz
    ],
    f: { fa1: s32(-1.5) },
    expect: { x: { a0: -1n, a1: -2n, a2: 0n }, fflags: 17 },
  },
  {
    asm: "fcvt.s.w/wu/l/lu",
    words: [
      0xd005f553, // fcvt.s.w fa0,a1
      0xd015f5d3, // fcvt.s.wu fa1,a1
      0xd0267653, // fcvt.s.l fa2,a2
      0xd03676d3, // fcvt.s.lu fa3,a2
    ],
    x: { a1: -1n, a2: 3n },
    expect: {
      f: { fa0: s32(-1), fa1: s32(4294967296), fa2: s32(3), fa3: s32(3) },
      fflags: 1,
    },
  },
  {
    asm: "fsgnjn.s/fsgnjx.s",
    words: [
      0x20c59553, // fsgnjn.s fa0,fa1,fa2
      0x20c5a6d3, // fsgnjx.s fa3,fa1,fa2
    ],
    f: { fa1: s32(2), fa2: s32(-1) },
    expect: { f: { fa0: s32(2), fa3: s32(-2) } },
  },
  {
    asm: "fcsr write, rounding via frm for singles",
    words: [
      0x00305073, // csrrwi zero,fcsr,0
      0x00215073, // csrrwi zero,frm,2
      0x18c5f553, // fdiv.s fa0,fa1,fa2
      0x00302573, // csrrs a0,fcsr,zero
    ],
    f: { fa1: s32(1), fa2: s32(3) },
    expect: { f: { fa0: 0xffff_ffff_3eaa_aaaan }, x: { a0: 0x41n } },
  },
];
