/**
 * Test plugin: logs one line of `bytes=N` bytes per executed instruction
 * (batched events), optionally busy-waiting `spin=US` microseconds per
 * event, or never returning from event number `hang=K`. A drain of one
 * ring half can then log far more than a channel message holds, or take
 * longer than the sync timeout while still advancing.
 *
 * @module
 */

import { definePlugin, type ExecEvent } from "../../runtime/sdk/mod.ts";

export default definePlugin({
  name: "chatty",
  version: "1.0.0",
  api: "^1.0",
  install(ctx, args) {
    const bytes = args.int("bytes", 16);
    const spin = args.int("spin", 0) / 1000;
    const hang = args.int("hang", -1);
    const line = "x".repeat(Math.max(bytes - 1, 0)) + "\n";
    let n = 0;
    const onExec = (_e: ExecEvent) => {
      if (n++ === hang) { for (;;); }
      if (spin > 0) {
        const until = performance.now() + spin;
        while (performance.now() < until);
      }
      ctx.log(line);
    };
    ctx.onTbTrans((tb) => {
      for (const insn of tb.insns) insn.onExec(onExec);
    });
    ctx.onAtExit(() => ctx.log(`chatty: ${n} events\n`));
  },
});
