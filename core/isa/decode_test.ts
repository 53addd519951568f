import { equal, ok } from "node:assert/strict";
import { decode, TABLES32 } from "./decode.ts";
import { disassemble, disassembleWord } from "./disasm.ts";
import { RVC } from "./rvc.ts";

/**
 * [pc, word, text] from `riscv64-linux-gnu-objdump -d -M no-aliases` on an
 * object assembled by `riscv64-linux-gnu-as -march=rv64gc` (targets rewritten
 * as absolute 0x addresses; objdump shows c.nop as "c.addi zero,0").
 */
const OBJDUMP: readonly [number, number, string][] = [
  [0x0, 0x12345537, "lui a0,0x12345"],
  [0x4, 0xfffff297, "auipc t0,0xfffff"],
  [0x8, 0x000000ef, "jal ra,0x8"],
  [0xc, 0xffc500e7, "jalr ra,-4(a0)"],
  [0x10, 0x00b50463, "beq a0,a1,0x18"],
  [0x14, 0xfeb51ce3, "bne a0,a1,0xc"],
  [0x18, 0x7eb54fe3, "blt a0,a1,0x1016"],
  [0x1c, 0x80b55063, "bge a0,a1,0xfffffffffffff01c"],
  [0x20, 0x00946863, "bltu s0,s1,0x30"],
  [0x24, 0x00947863, "bgeu s0,s1,0x34"],
  [0x28, 0xfff58503, "lb a0,-1(a1)"],
  [0x2c, 0x00259503, "lh a0,2(a1)"],
  [0x30, 0x8005a503, "lw a0,-2048(a1)"],
  [0x34, 0x7ff5b503, "ld a0,2047(a1)"],
  [0x38, 0x0005c503, "lbu a0,0(a1)"],
  [0x3c, 0x0005d503, "lhu a0,0(a1)"],
  [0x40, 0x0005e503, "lwu a0,0(a1)"],
  [0x44, 0xfea58fa3, "sb a0,-1(a1)"],
  [0x48, 0x00a59123, "sh a0,2(a1)"],
  [0x4c, 0x80a5a023, "sw a0,-2048(a1)"],
  [0x50, 0x7ea5bfa3, "sd a0,2047(a1)"],
  [0x54, 0xfff58513, "addi a0,a1,-1"],
  [0x58, 0x0055a513, "slti a0,a1,5"],
  [0x5c, 0xffb5b513, "sltiu a0,a1,-5"],
  [0x60, 0xfff5c513, "xori a0,a1,-1"],
  [0x64, 0x0035e513, "ori a0,a1,3"],
  [0x68, 0x0ff5f513, "andi a0,a1,255"],
  [0x6c, 0x03f59513, "slli a0,a1,0x3f"],
  [0x70, 0x0015d513, "srli a0,a1,0x1"],
  [0x74, 0x43f5d513, "srai a0,a1,0x3f"],
  [0x78, 0x00c58533, "add a0,a1,a2"],
  [0x7c, 0x40c58533, "sub a0,a1,a2"],
  [0x80, 0x00c59533, "sll a0,a1,a2"],
  [0x84, 0x00c5a533, "slt a0,a1,a2"],
  [0x88, 0x00c5b533, "sltu a0,a1,a2"],
  [0x8c, 0x00c5c533, "xor a0,a1,a2"],
  [0x90, 0x00c5d533, "srl a0,a1,a2"],
  [0x94, 0x40c5d533, "sra a0,a1,a2"],
  [0x98, 0x00c5e533, "or a0,a1,a2"],
  [0x9c, 0x00c5f533, "and a0,a1,a2"],
  [0xa0, 0xffd5851b, "addiw a0,a1,-3"],
  [0xa4, 0x01f5951b, "slliw a0,a1,0x1f"],
  [0xa8, 0x01f5d51b, "srliw a0,a1,0x1f"],
  [0xac, 0x41f5d51b, "sraiw a0,a1,0x1f"],
  [0xb0, 0x00c5853b, "addw a0,a1,a2"],
  [0xb4, 0x40c5853b, "subw a0,a1,a2"],
  [0xb8, 0x00c5953b, "sllw a0,a1,a2"],
  [0xbc, 0x00c5d53b, "srlw a0,a1,a2"],
  [0xc0, 0x40c5d53b, "sraw a0,a1,a2"],
  [0xc4, 0x0330000f, "fence rw,rw"],
  [0xc8, 0x00000073, "ecall"],
  [0xcc, 0x00100073, "ebreak"],
  [0xd0, 0x0000100f, "fence.i"],
  [0xd4, 0x00359573, "csrrw a0,fcsr,a1"],
  [0xd8, 0x0025a573, "csrrs a0,frm,a1"],
  [0xdc, 0x0015b573, "csrrc a0,fflags,a1"],
  [0xe0, 0xc02fd573, "csrrwi a0,instret,31"],
  [0xe4, 0xc010e573, "csrrsi a0,time,1"],
  [0xe8, 0x12317573, "csrrci a0,0x123,2"],
  [0xec, 0x02c58533, "mul a0,a1,a2"],
  [0xf0, 0x02c59533, "mulh a0,a1,a2"],
  [0xf4, 0x02c5a533, "mulhsu a0,a1,a2"],
  [0xf8, 0x02c5b533, "mulhu a0,a1,a2"],
  [0xfc, 0x02c5c533, "div a0,a1,a2"],
  [0x100, 0x02c5d533, "divu a0,a1,a2"],
  [0x104, 0x02c5e533, "rem a0,a1,a2"],
  [0x108, 0x02c5f533, "remu a0,a1,a2"],
  [0x10c, 0x02c5853b, "mulw a0,a1,a2"],
  [0x110, 0x02c5c53b, "divw a0,a1,a2"],
  [0x114, 0x02c5d53b, "divuw a0,a1,a2"],
  [0x118, 0x02c5e53b, "remw a0,a1,a2"],
  [0x11c, 0x02c5f53b, "remuw a0,a1,a2"],
  [0x120, 0x1005a52f, "lr.w a0,(a1)"],
  [0x124, 0x1405a52f, "lr.w.aq a0,(a1)"],
  [0x128, 0x18c5a52f, "sc.w a0,a2,(a1)"],
  [0x12c, 0x1e63a2af, "sc.w.aqrl t0,t1,(t2)"],
  [0x130, 0x08c5a52f, "amoswap.w a0,a2,(a1)"],
  [0x134, 0x0e63a2af, "amoswap.w.aqrl t0,t1,(t2)"],
  [0x138, 0x00c5a52f, "amoadd.w a0,a2,(a1)"],
  [0x13c, 0x0663a2af, "amoadd.w.aqrl t0,t1,(t2)"],
  [0x140, 0x20c5a52f, "amoxor.w a0,a2,(a1)"],
  [0x144, 0x2663a2af, "amoxor.w.aqrl t0,t1,(t2)"],
  [0x148, 0x60c5a52f, "amoand.w a0,a2,(a1)"],
  [0x14c, 0x6663a2af, "amoand.w.aqrl t0,t1,(t2)"],
  [0x150, 0x40c5a52f, "amoor.w a0,a2,(a1)"],
  [0x154, 0x4663a2af, "amoor.w.aqrl t0,t1,(t2)"],
  [0x158, 0x80c5a52f, "amomin.w a0,a2,(a1)"],
  [0x15c, 0x8663a2af, "amomin.w.aqrl t0,t1,(t2)"],
  [0x160, 0xa0c5a52f, "amomax.w a0,a2,(a1)"],
  [0x164, 0xa663a2af, "amomax.w.aqrl t0,t1,(t2)"],
  [0x168, 0xc0c5a52f, "amominu.w a0,a2,(a1)"],
  [0x16c, 0xc663a2af, "amominu.w.aqrl t0,t1,(t2)"],
  [0x170, 0xe0c5a52f, "amomaxu.w a0,a2,(a1)"],
  [0x174, 0xe663a2af, "amomaxu.w.aqrl t0,t1,(t2)"],
  [0x178, 0x1005b52f, "lr.d a0,(a1)"],
  [0x17c, 0x1405b52f, "lr.d.aq a0,(a1)"],
  [0x180, 0x18c5b52f, "sc.d a0,a2,(a1)"],
  [0x184, 0x1e63b2af, "sc.d.aqrl t0,t1,(t2)"],
  [0x188, 0x08c5b52f, "amoswap.d a0,a2,(a1)"],
  [0x18c, 0x0e63b2af, "amoswap.d.aqrl t0,t1,(t2)"],
  [0x190, 0x00c5b52f, "amoadd.d a0,a2,(a1)"],
  [0x194, 0x0663b2af, "amoadd.d.aqrl t0,t1,(t2)"],
  [0x198, 0x20c5b52f, "amoxor.d a0,a2,(a1)"],
  [0x19c, 0x2663b2af, "amoxor.d.aqrl t0,t1,(t2)"],
  [0x1a0, 0x60c5b52f, "amoand.d a0,a2,(a1)"],
  [0x1a4, 0x6663b2af, "amoand.d.aqrl t0,t1,(t2)"],
  [0x1a8, 0x40c5b52f, "amoor.d a0,a2,(a1)"],
  [0x1ac, 0x4663b2af, "amoor.d.aqrl t0,t1,(t2)"],
  [0x1b0, 0x80c5b52f, "amomin.d a0,a2,(a1)"],
  [0x1b4, 0x8663b2af, "amomin.d.aqrl t0,t1,(t2)"],
  [0x1b8, 0xa0c5b52f, "amomax.d a0,a2,(a1)"],
  [0x1bc, 0xa663b2af, "amomax.d.aqrl t0,t1,(t2)"],
  [0x1c0, 0xc0c5b52f, "amominu.d a0,a2,(a1)"],
  [0x1c4, 0xc663b2af, "amominu.d.aqrl t0,t1,(t2)"],
  [0x1c8, 0xe0c5b52f, "amomaxu.d a0,a2,(a1)"],
  [0x1cc, 0xe663b2af, "amomaxu.d.aqrl t0,t1,(t2)"],
  [0x1d0, 0x00852507, "flw fa0,8(a0)"],
  [0x1d4, 0xfeb12c27, "fsw fa1,-8(sp)"],
  [0x1d8, 0x68c5f543, "fmadd.s fa0,fa1,fa2,fa3"],
  [0x1dc, 0x18209047, "fmsub.s ft0,ft1,ft2,ft3,rtz"],
  [0x1e0, 0x9924844b, "fnmsub.s fs0,fs1,fs2,fs3,rne"],
  [0x1e4, 0xf9eece4f, "fnmadd.s ft8,ft9,ft10,ft11,rmm"],
  [0x1e8, 0x00c5f553, "fadd.s fa0,fa1,fa2"],
  [0x1ec, 0x08c5a553, "fsub.s fa0,fa1,fa2,rdn"],
  [0x1f0, 0x10c5b553, "fmul.s fa0,fa1,fa2,rup"],
  [0x1f4, 0x18c5f553, "fdiv.s fa0,fa1,fa2"],
  [0x1f8, 0x5805f553, "fsqrt.s fa0,fa1"],
  [0x1fc, 0x20c58553, "fsgnj.s fa0,fa1,fa2"],
  [0x200, 0x20c59553, "fsgnjn.s fa0,fa1,fa2"],
  [0x204, 0x20c5a553, "fsgnjx.s fa0,fa1,fa2"],
  [0x208, 0x28c58553, "fmin.s fa0,fa1,fa2"],
  [0x20c, 0x28c59553, "fmax.s fa0,fa1,fa2"],
  [0x210, 0xa0c5a553, "feq.s a0,fa1,fa2"],
  [0x214, 0xa0c59553, "flt.s a0,fa1,fa2"],
  [0x218, 0xa0c58553, "fle.s a0,fa1,fa2"],
  [0x21c, 0xe0059553, "fclass.s a0,fa1"],
  [0x220, 0xc0059553, "fcvt.w.s a0,fa1,rtz"],
  [0x224, 0xc015f553, "fcvt.wu.s a0,fa1"],
  [0x228, 0xc025f553, "fcvt.l.s a0,fa1"],
  [0x22c, 0xc035c553, "fcvt.lu.s a0,fa1,rmm"],
  [0x230, 0xd005f553, "fcvt.s.w fa0,a1"],
  [0x234, 0xd015f553, "fcvt.s.wu fa0,a1"],
  [0x238, 0xd0259553, "fcvt.s.l fa0,a1,rtz"],
  [0x23c, 0xd035f553, "fcvt.s.lu fa0,a1"],
  [0x240, 0xe0058553, "fmv.x.w a0,fa1"],
  [0x244, 0xf0058553, "fmv.w.x fa0,a1"],
  [0x248, 0x00853507, "fld fa0,8(a0)"],
  [0x24c, 0xfeb13c27, "fsd fa1,-8(sp)"],
  [0x250, 0x6ac5f543, "fmadd.d fa0,fa1,fa2,fa3"],
  [0x254, 0x1a209047, "fmsub.d ft0,ft1,ft2,ft3,rtz"],
  [0x258, 0x9b24844b, "fnmsub.d fs0,fs1,fs2,fs3,rne"],
  [0x25c, 0xfbeece4f, "fnmadd.d ft8,ft9,ft10,ft11,rmm"],
  [0x260, 0x02c5f553, "fadd.d fa0,fa1,fa2"],
  [0x264, 0x0ac5a553, "fsub.d fa0,fa1,fa2,rdn"],
  [0x268, 0x12c5b553, "fmul.d fa0,fa1,fa2,rup"],
  [0x26c, 0x1ac5f553, "fdiv.d fa0,fa1,fa2"],
  [0x270, 0x5a05f553, "fsqrt.d fa0,fa1"],
  [0x274, 0x22c58553, "fsgnj.d fa0,fa1,fa2"],
  [0x278, 0x22c59553, "fsgnjn.d fa0,fa1,fa2"],
  [0x27c, 0x22c5a553, "fsgnjx.d fa0,fa1,fa2"],
  [0x280, 0x2ac58553, "fmin.d fa0,fa1,fa2"],
  [0x284, 0x2ac59553, "fmax.d fa0,fa1,fa2"],
  [0x288, 0xa2c5a553, "feq.d a0,fa1,fa2"],
  [0x28c, 0xa2c59553, "flt.d a0,fa1,fa2"],
  [0x290, 0xa2c58553, "fle.d a0,fa1,fa2"],
  [0x294, 0xe2059553, "fclass.d a0,fa1"],
  [0x298, 0xc2059553, "fcvt.w.d a0,fa1,rtz"],
  [0x29c, 0xc215f553, "fcvt.wu.d a0,fa1"],
  [0x2a0, 0xc225f553, "fcvt.l.d a0,fa1"],
  [0x2a4, 0xc235c553, "fcvt.lu.d a0,fa1,rmm"],
  [0x2a8, 0xd2058553, "fcvt.d.w fa0,a1"],
  [0x2ac, 0xd2158553, "fcvt.d.wu fa0,a1"],
  [0x2b0, 0xd2259553, "fcvt.d.l fa0,a1,rtz"],
  [0x2b4, 0xd235f553, "fcvt.d.lu fa0,a1"],
  [0x2b8, 0xe2058553, "fmv.x.d a0,fa1"],
  [0x2bc, 0xf2058553, "fmv.d.x fa0,a1"],
  [0x2c0, 0x4015f553, "fcvt.s.d fa0,fa1"],
  [0x2c4, 0x42058553, "fcvt.d.s fa0,fa1"],
  [0x2c8, 0x1fe8, "c.addi4spn a0,sp,1020"],
  [0x2ca, 0x3de8, "c.fld fa0,248(a1)"],
  [0x2cc, 0x5de8, "c.lw a0,124(a1)"],
  [0x2ce, 0x7de8, "c.ld a0,248(a1)"],
  [0x2d0, 0xa408, "c.fsd fa0,8(s0)"],
  [0x2d2, 0xc0a8, "c.sw a0,64(s1)"],
  [0x2d4, 0xe31c, "c.sd a5,0(a4)"],
  [0x2d6, 0x0001, "c.nop"],
  [0x2d8, 0x1501, "c.addi a0,-32"],
  [0x2da, 0x257d, "c.addiw a0,31"],
  [0x2dc, 0x52fd, "c.li t0,-1"],
  [0x2de, 0x617d, "c.addi16sp sp,496"],
  [0x2e0, 0x7101, "c.addi16sp sp,-512"],
  [0x2e2, 0x7501, "c.lui a0,0xfffe0"],
  [0x2e4, 0x6d85, "c.lui s11,0x1"],
  [0x2e6, 0x917d, "c.srli a0,0x3f"],
  [0x2e8, 0x8585, "c.srai a1,0x1"],
  [0x2ea, 0x9a01, "c.andi a2,-32"],
  [0x2ec, 0x8d0d, "c.sub a0,a1"],
  [0x2ee, 0x8e35, "c.xor a2,a3"],
  [0x2f0, 0x8c45, "c.or s0,s1"],
  [0x2f2, 0x8f7d, "c.and a4,a5"],
  [0x2f4, 0x9d0d, "c.subw a0,a1"],
  [0x2f6, 0x9d2d, "c.addw a0,a1"],
  [0x2f8, 0xaffd, "c.j 0xaf6"],
  [0x2fa, 0xb001, "c.j 0xfffffffffffffafa"],
  [0x2fc, 0xcd7d, "c.beqz a0,0x3fa"],
  [0x2fe, 0xf081, "c.bnez s1,0x1fe"],
  [0x300, 0x1f86, "c.slli t6,0x21"],
  [0x302, 0x357e, "c.fldsp fa0,504(sp)"],
  [0x304, 0x50fe, "c.lwsp ra,252(sp)"],
  [0x306, 0x72fe, "c.ldsp t0,504(sp)"],
  [0x308, 0x8282, "c.jr t0"],
  [0x30a, 0x857e, "c.mv a0,t6"],
  [0x30c, 0x9002, "c.ebreak"],
  [0x30e, 0x9582, "c.jalr a1"],
  [0x310, 0x9426, "c.add s0,s1"],
  [0x312, 0xbfaa, "c.fsdsp fa0,504(sp)"],
  [0x314, 0xdf86, "c.swsp ra,252(sp)"],
  [0x316, 0xfffe, "c.sdsp t6,504(sp)"],
];

Deno.test("disassemble() matches objdump on every mnemonic of RV64GC", () => {
  for (const [pc, word, text] of OBJDUMP) {
    const d = decode(word);
    ok(d, `0x${word.toString(16)} (${text}) decodes`);
    equal(disassemble(d, pc), text);
  }
});

Deno.test("decode() covers every mnemonic in the objdump listing", () => {
  const seen = new Set(OBJDUMP.map(([, w]) => decode(w)!.name));
  for (const t of TABLES32) {
    for (const r of t) ok(seen.has(r.name), `${r.name} is in the listing`);
  }
  const cseen = new Set(OBJDUMP.map(([, w]) => decode(w)!.cname));
  for (const r of RVC) ok(cseen.has(r.name), `${r.name} is in the listing`);
});

Deno.test("decode() round-trips every 32-bit table row's match word to its name", () => {
  for (const t of TABLES32) {
    for (const r of t) equal(decode(r.match)?.name, r.name, r.name);
  }
});

Deno.test("decode(): 32-bit rows never overlap (no word matches two rows)", () => {
  const rows = TABLES32.flat();
  for (let i = 0; i < rows.length; i++) {
    for (let j = i + 1; j < rows.length; j++) {
      const a = rows[i], b = rows[j];
      const both = a.mask & b.mask;
      ok(((a.match ^ b.match) & both) !== 0, `${a.name} overlaps ${b.name}`);
    }
  }
});

Deno.test("decode(): every RVC row decodes some halfword, and overlapping RVC rows are nested", () => {
  const names = new Set<string>();
  for (let h = 0; h < 0x10000; h++) {
    if ((h & 3) === 3) continue;
    const d = decode(h);
    if (!d) continue;
    equal(d.size, 2);
    const row = RVC.find((r) => r.name === d.cname)!;
    equal(h & row.mask, row.match, `${d.cname} 0x${h.toString(16)}`);
    names.add(d.cname!);
  }
  for (const r of RVC) ok(names.has(r.name), r.name);
  for (const a of RVC) {
    for (const b of RVC) {
      if (a === b || ((a.match ^ b.match) & a.mask & b.mask) !== 0) continue;
      ok(
        (a.mask & b.mask) === a.mask || (a.mask & b.mask) === b.mask,
        `${a.name}/${b.name}`,
      );
      ok(a.mask !== b.mask, `${a.name} and ${b.name} are ambiguous`);
    }
  }
});

Deno.test("decode() rejects the all-zero and all-ones words and reserved RVC encodings", () => {
  for (
    const w of [
      0,
      0xffffffff,
      0x0004,
      0x6501,
      0x6001, // c.lui x0 with imm 0 (rd = x0 with imm != 0 is a HINT)
      0x6101,
      0x8002,
      0x4002,
      0x6002,
      0x2005,
      0x8000,
      0x9c41,
    ]
  ) {
    equal(decode(w), undefined, `0x${w.toString(16)}`);
  }
  equal(disassembleWord(0, 0), "(illegal)");
});

Deno.test("decode() takes every RVC HINT encoding (Unpriv. 16.7) as an instruction writing x0 or changing nothing", () => {
  const hints: [number, string][] = [
    [0x6005, "c.lui zero,0x1"], // c.lui x0,1
    [0x707d, "c.lui zero,0xfffff"], // c.lui x0,-1
    [0x0005, "c.addi zero,1"], // c.nop with imm 1
    [0x0501, "c.addi a0,0"], // c.addi a0,0
    [0x4015, "c.li zero,5"], // c.li x0,5
    [0x802a, "c.mv zero,a0"], // c.mv x0,a0
    [0x902a, "c.add zero,a0"], // c.add x0,a0
    [0x000e, "c.slli zero,0x3"], // c.slli x0,3
    [0x0502, "c.slli a0,0x0"], // c.slli64 a0
    [0x8101, "c.srli a0,0x0"], // c.srli64 a0
    [0x8501, "c.srai a0,0x0"], // c.srai64 a0
  ];
  for (const [h, text] of hints) {
    const d = decode(h);
    ok(d !== undefined, `0x${h.toString(16)} decodes`);
    equal(disassemble(d, 0), text);
    ok(d.rd === 0 || d.imm === 0, text);
  }
});

Deno.test("decode() extracts operands per format", () => {
  const b = decode(0x80b55063)!; // bge a0,a1,.-4096
  equal(b.imm, -4096);
  const u = decode(0x80000537)!; // lui a0,0x80000
  equal(u.imm, -0x80000000);
  const j = decode(0xf5fff0ef)!; // jal ra,.-162
  equal(j.imm, -162);
  const s = decode(0xfea52e27)!; // fsw fa0,-4(a0)
  equal([s.rs1, s.rs2, s.imm].join(), "10,10,-4");
  const sh = decode(0x03f59513)!; // slli a0,a1,63
  equal(sh.imm, 63);
  const ci = decode(0x7c02d573)!; // csrrwi a0,0x7c0,5
  equal([ci.csr, ci.imm, ci.rd].join(), "1984,5,10");
  const a = decode(0x1ac5b52f)!; // sc.d.rl a0,a2,(a1)
  equal([a.aq, a.rl, a.rs2].join(), "false,true,12");
  const r4 = decode(0x68c5b543)!; // fmadd.s fa0,fa1,fa2,fa3,rup
  equal([r4.rs3, r4.rm].join(), "13,3");
  const f = decode(0x0210000f)!; // fence r,w
  equal(f.imm, 0x21);
});

Deno.test("decode() never throws and is deterministic on random words", () => {
  let seed = 12345;
  for (let i = 0; i < 200_000; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) | 0;
    const w = seed >>> 0;
    equal(decode(w), decode(w));
  }
});
