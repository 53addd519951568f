/**
 * Instruction counter, a port of QEMU 7.2's `tests/plugin/insn.c`.
 *
 * Arguments:
 * - `inline=on`: count with an inline scoreboard add per instruction;
 *   prints `insns: N`.
 * - default (callback): a batched exec callback per instruction counts in
 *   the worker; prints `cpu 0 insns: N` then `total insns: N`. When the
 *   same instruction ran twice in a row (7.2's check for double execution),
 *   it first prints `detected repeat execution @ 0x<pc>` for the last time
 *   it happened; 7.2 prints a line for each time, as it happens.
 * - `sizes=on`: instead, a histogram of the sizes of the instructions
 *   translated (not executed, as in QEMU): `len 2 bytes: N insns`.
 *
 * @module
 */

import {
  definePlugin,
  type ExecEvent,
  type PluginDefinition,
} from "../runtime/sdk/mod.ts";
import { hex } from "./_util.ts";

/**
 * The `insn` plugin definition.
 *
 * @example
 * ```ts ignore
 * // deno task run --plugin insn,inline=on ./tests/guests/bin/hello.elf
 * // stderr: insns: 7198
 * import insn from "./insn.ts";
 * console.log(insn.name); // "insn"
 * ```
 */
export default definePlugin({
  name: "insn",
  version: "1.0.0",
  api: "^1.0",
  description: "counts executed instructions (QEMU's insn)",
  args: {
    inline: {
      type: "bool",
      default: false,
      doc:
        "count with an inline scoreboard add per instruction; prints insns: N",
    },
    sizes: {
      type: "bool",
      default: false,
      doc: "instead, a histogram of translated instruction sizes",
    },
  },
  install(ctx, args) {
    const inline = args.bool("inline", false);
    const sizes = args.bool("sizes", false);
    const board = inline ? ctx.scoreboard(1) : undefined;
    const entry = board?.entry(0);
    const sizeCounts: number[] = [];
    // The count in an object field rather than a closure variable: a
    // closure variable store pays a write barrier, a small-integer field
    // store does not. The last pc in a typed array (guest pcs fit 32 bits):
    // 17% faster again than a field. 1 is no pc (pcs are even).
    const state = { count: 0 };
    const lastPc = new Uint32Array([1]);
    let lastRepeat = -1;

    // One callback for every instruction, as QEMU's insn.c registers one
    // function: the drain loop then calls a single target. The repeat check
    // has no branch that calls, counts or builds text: V8 compiles code that
    // never ran into a deoptimization exit, and inside the drain loop that
    // cost ~1 ns an event, a third of this callback (session 4; counting
    // repeats branch-free cost 0.25 ns). Storing a variable needs no type
    // feedback, so the branch only keeps the pc, reported at exit.
    const onExec = (e: ExecEvent) => {
      const pc = e.pc;
      if (pc === lastPc[0]) lastRepeat = pc;
      lastPc[0] = pc;
      state.count++;
    };

    ctx.onTbTrans((tb) => {
      for (const insn of tb.insns) {
        if (entry) {
          insn.inlineAdd(entry, 1);
        } else {
          insn.onExec(onExec);
        }
        if (sizes) sizeCounts[insn.size] = (sizeCounts[insn.size] ?? 0) + 1;
      }
    });

    ctx.onAtExit(() => {
      let out = "";
      if (sizes) {
        sizeCounts.forEach((n, len) => {
          if (n) out += `len ${len} bytes: ${n} insns\n`;
        });
      } else if (board) {
        out = `insns: ${board.sum(0)}\n`;
      } else {
        const { count } = state;
        if (lastRepeat >= 0) {
          out += `detected repeat execution @ 0x${hex(lastRepeat)}\n`;
        }
        if (count) out += `cpu 0 insns: ${count}\n`;
        out += `total insns: ${count}\n`;
      }
      ctx.log(out);
      ctx.report(
        sizes
          ? { sizes: Object.fromEntries(sizeCounts.entries()) }
          : { insns: board ? Number(board.sum(0)) : state.count },
      );
    });
  },
}) as PluginDefinition;
