/**
 * Memory access counter, a port of QEMU 7.2's `tests/plugin/mem.c`.
 *
 * Arguments (as in QEMU, nothing is counted unless one of the first two is
 * on, and then the report is empty):
 * - `inline=on`: an inline scoreboard add per access; prints
 *   `inline mem accesses: N`.
 * - `callback=on`: a batched memory callback; prints
 *   `callback mem accesses: N`.
 * - `track=r|w|rw` (QEMU's name; `rw=` is accepted as an alias): which
 *   accesses to count, default both. QEMU 7.2 itself ignores `track=w` (it
 *   counts every access); this port counts only stores.
 * - `haddr=on`: also print `io accesses: N`. User mode has no I/O memory,
 *   so N is always 0, as in QEMU's user mode.
 *
 * @module
 */

import { definePlugin, type PluginDefinition } from "../runtime/sdk/mod.ts";
import { choice } from "./_util.ts";

/**
 * The `mem` plugin definition.
 *
 * @example
 * ```ts ignore
 * // deno task run --plugin mem,inline=on,callback=on ./tests/guests/bin/hello.elf
 * // stderr: inline mem accesses: 2625
 * //         callback mem accesses: 2625
 * import mem from "./mem.ts";
 * console.log(mem.name); // "mem"
 * ```
 */
export default definePlugin({
  name: "mem",
  version: "1.0.0",
  api: "^1.0",
  description: "counts memory accesses (QEMU's mem)",
  args: {
    inline: {
      type: "bool",
      default: false,
      doc: "count with inline scoreboard adds",
    },
    callback: {
      type: "bool",
      default: false,
      doc: "count with a callback per access",
    },
    track: {
      type: "choice",
      choices: ["r", "w", "rw"],
      default: "rw",
      doc: "which accesses to count",
    },
    rw: {
      type: "choice",
      choices: ["r", "w", "rw"],
      default: "rw",
      doc: "which accesses to count (older name of track)",
    },
    haddr: {
      type: "bool",
      default: false,
      doc: "also count host addresses (identical here)",
    },
  },
  install(ctx, args) {
    const inline = args.bool("inline", false);
    const callback = args.bool("callback", false);
    const haddr = args.bool("haddr", false);
    const modes = ["r", "w", "rw"] as const;
    const when = args.has("track")
      ? choice("mem", args, "track", modes, "rw")
      : choice("mem", args, "rw", modes, "rw");
    const board = inline ? ctx.scoreboard(1) : undefined;
    const entry = board?.entry(0);
    // A field, not a closure variable: no write barrier per event, and no
    // number allocated per event past 2^30 (README, batched delivery).
    const counts = { cb: 0 };
    const ioCount = 0; // user mode: no I/O regions

    // One callback for every access site, as QEMU's mem.c registers one.
    const onMem = () => void counts.cb++;

    ctx.onTbTrans((tb) => {
      for (const insn of tb.insns) {
        if (entry) insn.inlineMemAdd(entry, 1, when);
        if (callback) insn.onMem(onMem, { when });
      }
    });

    ctx.onAtExit(() => {
      let out = "";
      if (board) out += `inline mem accesses: ${board.sum(0)}\n`;
      if (callback) out += `callback mem accesses: ${counts.cb}\n`;
      if (haddr) out += `io accesses: ${ioCount}\n`;
      ctx.log(out);
    });
  },
}) as PluginDefinition;
