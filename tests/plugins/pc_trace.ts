/**
 * Test plugin: a digest of every executed instruction's (pc, icount), from a
 * per-instruction exec callback in the mode given by `mode=batched|sync`.
 * Batched per-instruction events travel as one record per block run; sync
 * ones are exact host calls, so the two digests must agree.
 *
 * @module
 */

import { definePlugin } from "../../runtime/sdk.ts";

export default definePlugin({
  name: "pc_trace",
  version: "1.0.0",
  api: "^1.0",
  install(ctx, args) {
    const mode = args.string("mode", "batched") as "batched" | "sync";
    let n = 0, h = 0;
    ctx.onTbTrans((tb) => {
      for (const insn of tb.insns) {
        insn.onExec((e) => {
          n++;
          h = (Math.imul(h, 31) + e.pc + Math.imul(e.icount, 7)) | 0;
        }, { mode });
      }
    });
    ctx.onAtExit(() => ctx.log(`pc_trace: ${n} ${h >>> 0}\n`));
  },
});
