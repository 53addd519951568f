/**
 * Hottest blocks, a port of QEMU 7.2's `contrib/plugins/hotblocks.c`.
 * Prints, at exit:
 * ```text
 * collected 665 entries in the hash table
 * pc, tcount, icount, ecount
 * 0x000000000001c046, 1, 4, 126
 * ```
 * one row per block (start pc, times translated, instructions, times
 * executed), most executed first, at most 20 rows. Like QEMU, it never
 * prints the last block of the sorted list (so 2 blocks give 1 row).
 * Blocks are told apart by start pc and length (QEMU keys them by
 * `pc ^ length`, which can merge two blocks; this port does not).
 *
 * Arguments: `inline=on` counts with an inline scoreboard add per block
 * instead of a batched exec callback.
 *
 * @module
 */

import {
  definePlugin,
  type PluginDefinition,
  type ScoreboardEntry,
} from "../runtime/sdk/mod.ts";
import { hex, SlotAllocator, topBy } from "./_util.ts";

/** Rows printed, as QEMU's `limit`. */
const LIMIT = 20;

interface Block {
  pc: number;
  insns: number;
  trans: number;
  exec: number;
  slot?: ScoreboardEntry;
}

/**
 * The `hotblocks` plugin definition.
 *
 * @example
 * ```ts ignore
 * // deno task run --plugin hotblocks ./tests/guests/bin/hello.elf
 * import hotblocks from "./hotblocks.ts";
 * console.log(hotblocks.name); // "hotblocks"
 * ```
 */
export default definePlugin({
  name: "hotblocks",
  version: "1.0.0",
  api: "^1.0",
  description: "the most executed blocks (QEMU's hotblocks)",
  args: {
    inline: {
      type: "bool",
      default: false,
      doc: "count with inline scoreboard adds instead of callbacks",
    },
  },
  install(ctx, args) {
    const slots = args.bool("inline", false)
      ? new SlotAllocator(ctx)
      : undefined;
    const blocks = new Map<string, Block>();

    ctx.onTbTrans((tb) => {
      const key = `${tb.vaddr}:${tb.nInsns}`;
      let b = blocks.get(key);
      if (b) {
        b.trans++;
      } else {
        b = { pc: tb.vaddr, insns: tb.nInsns, trans: 1, exec: 0 };
        if (slots) b.slot = slots.next();
        blocks.set(key, b);
      }
      const block = b;
      if (block.slot) tb.inlineAdd(block.slot, 1);
      else tb.onExec(() => block.exec++);
    });

    ctx.onAtExit(() => {
      if (slots) {
        for (const b of blocks.values()) b.exec = slots.read(b.slot!);
      }
      let out = `collected ${blocks.size} entries in the hash table\n`;
      if (blocks.size) {
        out += "pc, tcount, icount, ecount\n";
        const sorted = topBy(blocks.values(), (b) => b.exec);
        for (const b of sorted.slice(0, Math.min(LIMIT, sorted.length - 1))) {
          out += `0x${hex(b.pc, 16)}, ${b.trans}, ${b.insns}, ${b.exec}\n`;
        }
      }
      ctx.log(out);
    });
  },
}) as PluginDefinition;
