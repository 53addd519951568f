// Loops forever in a sync exec callback.
import { definePlugin } from "../../../runtime/sdk/mod.ts";

export default definePlugin({
  name: "hangs_sync",
  version: "1.0.0",
  api: "^1.0",
  install(ctx) {
    ctx.onTbTrans((tb) =>
      tb.onExec(() => {
        for (;;) { /* never returns */ }
      }, { mode: "sync" })
    );
  },
});
