/**
 * Block and instruction counter, a port of QEMU 7.2's `tests/plugin/bb.c`.
 * Prints `bb's: N, insns: M` at exit.
 *
 * Arguments:
 * - `inline=on`: two inline scoreboard adds per block (1 and the block's
 *   length) instead of a batched exec callback per block.
 * - `idle=on`: also report the running totals when the vCPU goes idle, as
 *   `Idling CPU0: bb's: N, insns: M` (callback counts may lag: they are
 *   delivered in batches).
 *
 * @module
 */

import { definePlugin, type PluginDefinition } from "../runtime/sdk/mod.ts";

/**
 * The `bb` plugin definition.
 *
 * @example
 * ```ts ignore
 * // deno task run --plugin bb ./tests/guests/bin/hello.elf
 * // stderr: bb's: 1623, insns: 7198
 * import bb from "./bb.ts";
 * console.log(bb.name); // "bb"
 * ```
 */
export default definePlugin({
  name: "bb",
  version: "1.0.0",
  api: "^1.0",
  description: "counts executed blocks and instructions (QEMU's bb)",
  args: {
    inline: {
      type: "bool",
      default: false,
      doc: "count with inline scoreboard adds instead of callbacks",
    },
    idle: {
      type: "bool",
      default: false,
      doc: "also print the running totals when the vCPU goes idle",
    },
  },
  install(ctx, args) {
    const inline = args.bool("inline", false);
    const idle = args.bool("idle", false);
    const board = inline ? ctx.scoreboard(2) : undefined;
    // Fields, not closure variables: no write barrier per event, and no
    // number allocated per event past 2^30 (README, batched delivery).
    const counts = { bbs: 0, insns: 0 };

    const totals = (): [number, number] =>
      board
        ? [Number(board.sum(0)), Number(board.sum(1))]
        : [counts.bbs, counts.insns];

    ctx.onTbTrans((tb) => {
      const n = tb.nInsns;
      if (board) {
        tb.inlineAdd(board.entry(0), 1);
        tb.inlineAdd(board.entry(1), n);
      } else {
        tb.onExec(() => {
          counts.bbs++;
          counts.insns += n;
        });
      }
    });

    if (idle) {
      ctx.onVcpuIdle((vcpu) => {
        const [b, i] = totals();
        if (b) ctx.log(`Idling CPU${vcpu}: bb's: ${b}, insns: ${i}\n`);
      });
    }

    ctx.onAtExit(() => {
      const [b, i] = totals();
      ctx.log(`bb's: ${b}, insns: ${i}\n`);
    });
  },
}) as PluginDefinition;
