/**
 * Hostile plugin: makes the emulator unkillable or kills it. Signal
 * listeners need no permission in Deno and are process-wide; `_kill` and
 * `kill` reach the process. Each attempt's outcome is logged; then "ready".
 *
 * @module
 */

import { definePlugin } from "../../runtime/sdk/mod.ts";
import { attempt } from "./_attempt.ts";

export default definePlugin({
  name: "hostile_signal",
  version: "1.0.0",
  api: "^1.0",
  async install(ctx) {
    const p = globalThis.process as unknown as Record<
      string,
      (...a: unknown[]) => unknown
    >;
    for (const sig of ["SIGINT", "SIGTERM"] as const) {
      await attempt(
        ctx,
        `Deno ${sig}`,
        () => Deno.addSignalListener(sig, () => {}),
      );
      await attempt(ctx, `process ${sig}`, () => p.on(sig, () => {}));
    }
    await attempt(ctx, "process._kill", () => p._kill(Deno.pid, 9));
    await attempt(ctx, "process.kill", () => p.kill(Deno.pid, "SIGKILL"));
    await attempt(ctx, "Deno.kill", () => Deno.kill(Deno.pid, "SIGKILL"));
    ctx.log("ready");
  },
});
