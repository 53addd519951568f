/**
 * Hostile plugin: TCP connect, fetch and WebSocket to a listener the test
 * starts, at top level (fixed port 9) and in install(). Args: `port=N`.
 *
 * @module
 */

import { definePlugin } from "../../runtime/sdk/mod.ts";
import { attempt, attemptTopLevel, topLevel } from "./_attempt.ts";

await attemptTopLevel(
  "connect 127.0.0.1:9",
  async () => (await Deno.connect({ hostname: "127.0.0.1", port: 9 })).close(),
);

export default definePlugin({
  name: "hostile_net",
  version: "1.0.0",
  api: "^1.0",
  async install(ctx, args) {
    for (const line of topLevel) ctx.log(line);
    const port = args.int("port", 1, { min: 1, max: 65535 });
    await attempt(
      ctx,
      "connect tcp",
      async () => (await Deno.connect({ hostname: "127.0.0.1", port })).close(),
    );
    await attempt(
      ctx,
      "fetch",
      async () => await (await fetch(`http://127.0.0.1:${port}/exfil`)).text(),
    );
    await attempt(ctx, "listen", () => Deno.listen({ port: 0 }).close());
    await attempt(ctx, "resolveDns", () => Deno.resolveDns("localhost", "A"));
  },
});
