import assert from "node:assert/strict";
import {
  executedBlocks,
  OUR_MAX_BLOCK,
  qemuPieces,
} from "../plugins/_qemu_blocks.ts";

const insn = (vaddr: number, bytes: number[]) => ({
  vaddr,
  size: bytes.length,
  bytes: new Uint8Array(bytes),
});
const ADDI = [0x13, 0x05, 0x15, 0x00]; // addi a0,a0,1
const C_NOP = [0x01, 0x00]; // c.nop
const FRRM = [0x73, 0x26, 0x20, 0x00]; // frrm a2 (csrrs a2,frm,zero)
const BEQ = [0x63, 0x00, 0x00, 0x00]; // beq zero,zero,0

Deno.test("qemuPieces() ends QEMU's block after a CSR instruction", () => {
  const p = qemuPieces([
    insn(0x1000, ADDI),
    insn(0x1004, FRRM),
    insn(0x1008, ADDI),
  ]);
  assert.deepEqual(p.map((x) => [x.start, x.size]), [[0x1000, 8], [0x1008, 4]]);
});

Deno.test("qemuPieces() starts a block at a 2-byte instruction ending on the page boundary", () => {
  // QEMU compares the page of pc + len (exclusive end) for the last 3 bytes.
  const p = qemuPieces([insn(0x1ffa, ADDI), insn(0x1ffe, C_NOP)]);
  assert.deepEqual(p.map((x) => [x.start, x.size]), [[0x1ffa, 4], [0x1ffe, 2]]);
});

Deno.test("qemuPieces() starts a block at an instruction that crosses a page", () => {
  const p = qemuPieces([
    insn(0x1ff6, ADDI),
    insn(0x1ffa, ADDI),
    insn(0x1ffe, ADDI),
  ]);
  assert.deepEqual(p.map((x) => [x.start, x.size]), [[0x1ff6, 8], [0x1ffe, 4]]);
});

Deno.test("executedBlocks() joins a block cut at our length limit to its continuation", () => {
  const long = Array.from(
    { length: OUR_MAX_BLOCK },
    (_, i) => insn(0x1000 + 4 * i, ADDI),
  );
  const [a] = qemuPieces(long);
  assert.equal(a.open, true);
  const [b] = qemuPieces([insn(0x1100, ADDI), insn(0x1104, BEQ)]);
  a.count = 3;
  b.count = 3;
  assert.deepEqual(executedBlocks([a, b]), [{ start: 0x1000, size: 0x108 }]);
  // Entered once more on its own: QEMU has a block there too.
  b.count = 4;
  assert.deepEqual(executedBlocks([a, b]), [
    { start: 0x1000, size: 0x108 },
    { start: 0x1100, size: 8 },
  ]);
});

Deno.test("qemuPieces() leaves a full block closed when it ends in a branch", () => {
  const long = Array.from(
    { length: OUR_MAX_BLOCK },
    (_, i) => insn(0x1000 + 4 * i, i === OUR_MAX_BLOCK - 1 ? BEQ : ADDI),
  );
  assert.equal(qemuPieces(long)[0].open, false);
});
