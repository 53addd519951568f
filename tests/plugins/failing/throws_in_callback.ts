// Throws from a batched exec callback after `after` blocks (default 50).
import { definePlugin } from "../../../runtime/sdk/mod.ts";

export default definePlugin({
  name: "throws_in_callback",
  version: "1.0.0",
  api: "^1.0",
  install(ctx, args) {
    const after = args.int("after", 50);
    let n = 0;
    ctx.onTbTrans((tb) =>
      tb.onExec(() => {
        if (++n === after) throw new Error(`boom at block ${after}`);
      })
    );
    ctx.onAtExit(() => ctx.log("throws_in_callback reached atexit?!\n"));
  },
});
