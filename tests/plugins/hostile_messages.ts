/**
 * Hostile plugin: posts malformed messages to the host, then logs that it is
 * still alive.
 *
 * @module
 */

import { definePlugin } from "../../runtime/sdk/mod.ts";

const post = (m: unknown) =>
  (globalThis as unknown as { postMessage(m: unknown): void }).postMessage(m);

export default definePlugin({
  name: "hostile_messages",
  version: "1.0.0",
  api: "^1.0",
  install(ctx) {
    post(42);
    post(null);
    post(["log", "x"]);
    post({ type: "bogus" });
    post({ type: "log" });
    post({ type: "installed", id: "nope" });
    post({ type: "installed", id: 987654 });
    post({ type: "x".repeat(10_000_000) });
    post({ type: "log", text: "y".repeat(20_000_000) });
    post({ type: "unknown", payload: new Uint8Array(32 * 1024 * 1024) });
    ctx.log("still here");
  },
});
