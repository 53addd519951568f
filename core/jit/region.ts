/**
 * Regions: several guest blocks translated into one wasm function, so that
 * jumps between them stay inside wasm with the guest registers in locals.
 *
 * A region grows from the block where execution missed, along the edges
 * that stay inside a function: conditional branches (both ways), direct
 * jumps, and the return sites after calls and system calls. Calls
 * themselves leave the region (the callee gets its own). The blocks are
 * laid out by address inside one dispatch loop:
 *
 * ```text
 * loop $top
 *   block $B(n-1) ... block $B1 block $B0
 *     br_table $B0 ... $B(n-1) (next)
 *   end  B0's code   ;; falls through into B1 when that is its successor
 *   end  B1's code
 *   ...
 * end
 * ```
 *
 * A jump to a region block that is not the next one laid out sets `next`
 * and goes round the loop. Each block is also an entry: a tiny wrapper
 * `() -> i32` tail-calls the region with its index, and goes in the
 * function table and jump cache like any block, so chaining, the
 * dispatcher and invalidation work unchanged. Regions are for runs without
 * instrumentation; instrumented blocks are translated one by one.
 *
 * @module
 */

import { INSTRET_OFF } from "../layout.ts";
import { BlockBuilder, L_INSTRET, L_NEXT } from "./block_builder.ts";
import { blockCount, type DecodedBlock } from "./_emit_insns.ts";
import { Op } from "./wasm.ts";

/**
 * Most blocks in one region.
 *
 * @example
 * ```ts
 * import { MAX_REGION_BLOCKS } from "./region.ts";
 * console.log(MAX_REGION_BLOCKS > 1); // true
 * ```
 */
export const MAX_REGION_BLOCKS = 48;
/**
 * Most guest instructions in one region.
 *
 * @example
 * ```ts
 * import { MAX_REGION_INSNS } from "./region.ts";
 * console.log(MAX_REGION_INSNS > 64); // true
 * ```
 */
export const MAX_REGION_INSNS = 800;

/**
 * Where control may go after `g` without leaving its function: branch
 * targets and fall-throughs, direct-jump targets, and the return site after
 * a call or system call (not the callee).
 *
 * @example
 * ```ts
 * import { regionSuccessors } from "./region.ts";
 * import { decode } from "../isa/decode.ts";
 * const d = decode(0x00008067)!; // ret
 * console.log(regionSuccessors({ pc: 0x100, insns: [{ pc: 0x100, d }], illegal: undefined, end: 0x104 })); // []
 * ```
 */
export function regionSuccessors(g: DecodedBlock): number[] {
  if (g.illegal !== undefined) return [];
  const last = g.insns[g.insns.length - 1];
  if (!last) return [];
  const d = last.d;
  switch (d.name) {
    case "jal":
      return d.rd !== 0 ? [g.end] : [last.pc + d.imm];
    case "jalr":
      return d.rd !== 0 ? [g.end] : [];
    case "ecall":
      return [g.end];
    case "ebreak":
    case "fence.i":
      return [];
    case "beq":
    case "bne":
    case "blt":
    case "bge":
    case "bltu":
    case "bgeu":
      return [last.pc + d.imm, g.end];
  }
  return [g.end];
}

/**
 * Emits the body of a region function `(entry: i64) -> i32` for `blocks`
 * (sorted by pc). `setup` prepares each builder (chaining, profiling);
 * `emitBlock` writes one block's instructions. Two passes, like a single
 * block: the first finds the registers used and written.
 *
 * @example
 * ```ts ignore
 * const body = emitRegion(blocks, imports, setup, (b, g) => emitInsns(b, g, undefined, EMITTERS));
 * ```
 */
export function emitRegion(
  blocks: readonly DecodedBlock[],
  imports: BlockBuilder["imports"],
  setup: (b: BlockBuilder) => void,
  emitBlock: (b: BlockBuilder, g: DecodedBlock) => void,
): BlockBuilder {
  const index = new Map(blocks.map((g, k) => [g.pc, k]));
  const n = blocks.length;
  const pass = (writeback: number, used: number, into?: typeof imports) => {
    const b = new BlockBuilder(blocks[0].pc, 0, false, into);
    setup(b);
    b.writeback = writeback;
    b.used = used;
    b.regionTarget = (pc) => index.get(pc);
    b.regionSize = n;
    for (let k = 0; k < n; k++) b.op(Op.block, 0x40);
    b.get(L_NEXT).code.byte(Op.br_table).u32(n);
    for (let k = 0; k < n; k++) b.code.u32(k);
    b.code.u32(0);
    for (let k = 0; k < n; k++) {
      b.op(Op.end);
      const g = blocks[k];
      b.regionIndex = k;
      b.count = blockCount(g);
      b.ended = false;
      b.depth = 0;
      // A block that jumps to itself loops in place, without the dispatch.
      b.selfLoop = regionSuccessors(g).includes(g.pc) ? 1 : 0;
      if (b.selfLoop) b.op(Op.loop, 0x40);
      b.get(L_INSTRET).i64(b.count).op(Op.i64_add).set(L_INSTRET);
      emitBlock(b, g);
      if (b.selfLoop) b.op(Op.end);
    }
    return b;
  };
  const first = pass(0, 0);
  const b = pass(first.written, first.used, imports);
  const body = new BlockBuilder(blocks[0].pc, 0, false, imports);
  // Local 0 is the entry parameter; it is free scratch once read.
  body.get(0).op(Op.i32_wrap_i64).set(L_NEXT);
  body.stateLoad(Op.i64_load, INSTRET_OFF).set(L_INSTRET);
  for (let r = 1; r < 32; r++) {
    if (b.used & (1 << r)) body.i32(0).mem(Op.i64_load, 8 * r).set(r);
  }
  body.op(Op.block, 0x40, Op.loop, 0x40);
  body.code.append(b.code);
  body.op(Op.end, Op.unreachable, Op.end);
  body.writeback = b.writeback;
  body.chained = b.chained;
  body.regionEpilogue();
  return body;
}
