/**
 * QEMU's translation blocks from ours. drcov records QEMU's blocks, and
 * QEMU 7.2's riscv translator (target/riscv/translate.c) cuts code
 * differently from Pandeno's:
 * - it ends a block after a CSR instruction (the CSR may change state that
 *   translation depends on); ours does not;
 * - it ends a block before an instruction that starts on another page, or
 *   that starts in the page's last 3 bytes and whose end (exclusive) is on
 *   another page: only a block's first instruction may cross a page;
 * - it allows 512 instructions in a block; ours stops at 64, and the next
 *   block starts where the cut was. Executions of a cut block fall through
 *   into that next block, so QEMU has a block there of its own only when it
 *   was also entered some other way (it ran more often than its cut
 *   predecessor).
 *
 * @module
 */

/** Guest pages are 4 KiB (RISC-V base pages; QEMU's TARGET_PAGE_SIZE). */
const PAGE_SIZE = 4096;
/** Our translator's longest block (core/jit/translator.ts MAX_BLOCK). */
export const OUR_MAX_BLOCK = 64;

/** A QEMU-shaped piece of one of our blocks. */
export interface QemuPiece {
  /** Address of its first instruction. */
  readonly start: number;
  /** Sum of its instructions' sizes. */
  size: number;
  /** Executions (shared by the pieces of one of our blocks). */
  count: number;
  /** Whether it is the first piece of our block. */
  readonly first: boolean;
  /** Whether our block was cut by length here, so QEMU's goes on. */
  open: boolean;
}

/** An instruction as the plugin API gives it. */
export interface PieceInsn {
  /** Address. */
  readonly vaddr: number;
  /** Length in bytes. */
  readonly size: number;
  /** Raw bytes. */
  readonly bytes: Uint8Array;
}

const page = (a: number) => Math.floor(a / PAGE_SIZE);

/** Zicsr: the SYSTEM opcode with funct3 != 0 (csrrw, frflags, rdcycle...). */
function isCsr(b: Uint8Array): boolean {
  return b.length === 4 && (b[0] & 0x7f) === 0x73 && ((b[1] >> 4) & 7) !== 0;
}

/** Whether an instruction transfers control (so a block ends at it anyway). */
function isControl(b: Uint8Array): boolean {
  if (b.length === 4) {
    const op = b[0] & 0x7f;
    return op === 0x63 || op === 0x6f || op === 0x67 || op === 0x73 ||
      (op === 0x0f && ((b[1] >> 4) & 7) === 1); // branch jal jalr system fence.i
  }
  const quadrant = b[0] & 3, funct3 = b[1] >> 5;
  if (quadrant === 1) return funct3 >= 5; // c.j, c.beqz, c.bnez
  // c.jr, c.jalr, c.ebreak: funct3 100 with rs2 = 0 (c.mv, c.add have rs2)
  return quadrant === 2 && funct3 === 4 && ((b[0] >> 2) & 0x1f) === 0;
}

/**
 * Cuts one of our blocks into QEMU's pieces.
 *
 * @example
 * ```ts
 * import { qemuPieces } from "./_qemu_blocks.ts";
 * const insn = (vaddr: number, bytes: number[]) => ({ vaddr, size: bytes.length, bytes: new Uint8Array(bytes) });
 * // frrm a2 (a CSR read) ends QEMU's block; addi goes on in the next one.
 * const p = qemuPieces([insn(0x10000, [0x73, 0x26, 0x20, 0x00]), insn(0x10004, [0x13, 0, 0, 0])]);
 * console.log(p.map((x) => [x.start.toString(16), x.size])); // [["10000", 4], ["10004", 4]]
 * ```
 */
export function qemuPieces(insns: readonly PieceInsn[]): QemuPiece[] {
  const pieces: QemuPiece[] = [];
  let cur: QemuPiece | undefined;
  let cutByCsr = false;
  for (const insn of insns) {
    const v = insn.vaddr;
    if (
      !cur || page(v) !== page(cur.start) ||
      (v % PAGE_SIZE > PAGE_SIZE - 4 && page(v + insn.size) !== page(cur.start))
    ) {
      cur = {
        start: v,
        size: 0,
        count: 0,
        first: pieces.length === 0,
        open: false,
      };
      pieces.push(cur);
    }
    cur.size += insn.size;
    cutByCsr = isCsr(insn.bytes);
    if (cutByCsr) cur = undefined;
  }
  const last = insns[insns.length - 1];
  const tail = pieces[pieces.length - 1];
  if (
    tail && insns.length === OUR_MAX_BLOCK && !cutByCsr &&
    !isControl(last.bytes) && page(tail.start + tail.size) === page(tail.start)
  ) {
    tail.open = true;
  }
  return pieces;
}

/**
 * QEMU's executed blocks, `{ start, size }`, in translation order, from the
 * pieces of every block we translated (in translation order, with counts).
 *
 * @example
 * ```ts
 * import { executedBlocks } from "./_qemu_blocks.ts";
 * const a = { start: 0x100, size: 256, count: 2, first: true, open: true };
 * const b = { start: 0x200, size: 8, count: 2, first: true, open: false };
 * console.log(executedBlocks([a, b])); // [{ start: 256, size: 264 }]
 * ```
 */
export function executedBlocks(
  pieces: readonly QemuPiece[],
): { start: number; size: number }[] {
  const firstAt = new Map<number, QemuPiece>();
  for (const p of pieces) if (p.first) firstAt.set(p.start, p);
  const next = (p: QemuPiece) =>
    p.open ? firstAt.get(p.start + p.size) : undefined;
  const fallIn = new Map<QemuPiece, number>();
  for (const p of pieces) {
    const n = next(p);
    if (n && n !== p) fallIn.set(n, (fallIn.get(n) ?? 0) + p.count);
  }
  const out: { start: number; size: number }[] = [];
  for (const p of pieces) {
    if (p.count - (fallIn.get(p) ?? 0) <= 0) continue;
    let size = p.size;
    const seen = new Set([p]);
    for (let n = next(p); n && !seen.has(n); n = next(n)) {
      seen.add(n);
      size += n.size;
    }
    out.push({ start: p.start, size });
  }
  return out;
}
