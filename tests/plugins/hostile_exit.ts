/**
 * Hostile plugin: ends itself. Arg `how=` one of deno-exit (default),
 * process-exit, close, throw-later (an unhandled rejection after install).
 *
 * @module
 */

import { definePlugin } from "../../runtime/sdk/mod.ts";

export default definePlugin({
  name: "hostile_exit",
  version: "1.0.0",
  api: "^1.0",
  install(ctx, args) {
    const how = args.string("how", "deno-exit");
    ctx.log(`exiting via ${how}`);
    if (how === "deno-exit") Deno.exit(3);
    if (how === "process-exit") globalThis.process.exit(4);
    if (how === "close") (globalThis as unknown as { close(): void }).close();
    if (how === "throw-later") {
      setTimeout(() => Promise.reject(new Error("late failure")), 10);
    }
  },
});
