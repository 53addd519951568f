/**
 * Emits a decoded block's instructions into a builder, with their
 * instrumentation points; shared by single blocks and regions.
 *
 * @module
 */

import { Exit } from "../exit.ts";
import type { BlockBuilder, BlockInsn } from "./block_builder.ts";
import type { EmitFn } from "./emit_int.ts";
import type { BlockPlan } from "./instrument.ts";

/**
 * A decoded block, ready to emit.
 *
 * @example
 * ```ts
 * import type { DecodedBlock } from "./_emit_insns.ts";
 * const empty: DecodedBlock = { pc: 0x1000, insns: [], illegal: undefined, end: 0x1000 };
 * console.log(empty.end - empty.pc); // 0
 * ```
 */
export interface DecodedBlock {
  /** Guest pc of its first instruction. */
  readonly pc: number;
  /** Its instructions. */
  readonly insns: BlockInsn[];
  /** Raw bits of an illegal instruction ending the block, if any. */
  readonly illegal: number | undefined;
  /** pc after the last instruction. */
  readonly end: number;
}

/**
 * Instructions a block counts: its own, plus an illegal one ending it.
 *
 * @example
 * ```ts
 * import { blockCount } from "./_emit_insns.ts";
 * console.log(blockCount({ pc: 0x1000, insns: [], illegal: 0, end: 0x1000 })); // 1
 * ```
 */
export function blockCount(g: DecodedBlock): number {
  return g.insns.length + (g.illegal !== undefined ? 1 : 0);
}

/**
 * Emits `g`'s instructions and how it ends (jump to the next pc, or the
 * illegal instruction's exit) into `b`.
 *
 * @example
 * ```ts
 * import { emitInsns } from "./_emit_insns.ts";
 * import { BlockBuilder } from "./block_builder.ts";
 * import { EMITTERS } from "./translator.ts";
 * import { decode } from "../isa/decode.ts";
 * const b = new BlockBuilder(0x1000, 1, false);
 * const insns = [{ pc: 0x1000, d: decode(0x00000073)! }]; // ecall
 * emitInsns(b, { pc: 0x1000, insns, illegal: undefined, end: 0x1004 }, undefined, EMITTERS);
 * console.log(b.ended); // true
 * ```
 */
export function emitInsns(
  b: BlockBuilder,
  g: DecodedBlock,
  plan: BlockPlan | undefined,
  emitters: Readonly<Record<string, EmitFn>>,
): void {
  const { insns, illegal, end } = g;
  b.index = 0;
  b.pc = g.pc;
  if (plan?.block) b.point(plan.block);
  for (let i = 0; i < insns.length && !b.ended; i++) {
    b.index = i;
    b.pc = insns[i].pc;
    b.next = insns[i].pc + insns[i].d.size;
    b.raw = insns[i].d.raw;
    const at = plan?.insns?.get(i);
    if (at) b.point(at);
    b.memPlans = plan?.mem?.get(i);
    const fn = emitters[insns[i].d.name];
    if (!fn) {
      b.exitAt(Exit.ILLEGAL, () => b.i64(insns[i].d.raw >>> 0));
      b.ended = true;
      break;
    }
    fn(b, insns[i].d);
  }
  if (b.ended) return;
  if (illegal !== undefined) {
    b.index = insns.length;
    b.pc = b.next = end;
    b.exitAt(Exit.ILLEGAL, () => b.i64(illegal));
  } else {
    b.jumpTo(end);
  }
}
