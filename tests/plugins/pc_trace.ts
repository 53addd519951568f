/**
 * Test plugin: a digest of every executed instruction's (pc, icount), from a
 * per-instruction exec callback in the mode given by `mode=batched|sync`.
 * Batched per-instruction events travel as one record per block run; sync
 * ones are exact host calls, so the two digests must agree. With `one=on`,
 * one function serves every instruction (the drain's fastest path); without,
 * each instruction gets a closure of its own.
 *
 * @module
 */

import { definePlugin, type ExecEvent } from "../../runtime/sdk/mod.ts";

export default definePlugin({
  name: "pc_trace",
  version: "1.0.0",
  api: "^1.0",
  install(ctx, args) {
    const mode = args.string("mode", "batched") as "batched" | "sync";
    const one = args.bool("one", false);
    let n = 0, h = 0;
    const see = (e: ExecEvent) => {
      n++;
      h = (Math.imul(h, 31) + e.pc + Math.imul(e.icount, 7)) | 0;
    };
    ctx.onTbTrans((tb) => {
      for (const insn of tb.insns) {
        insn.onExec(one ? see : (e) => see(e), { mode });
      }
    });
    ctx.onAtExit(() => ctx.log(`pc_trace: ${n} ${h >>> 0}\n`));
  },
});
