/**
 * Plugin that wants write access to ./out and env HOME.
 *
 * @module
 */

import { definePlugin } from "../../runtime/sdk/mod.ts";

export default definePlugin({
  name: "greedy",
  version: "1.0.0",
  api: "^1.0",
  permissions: { write: ["./out"], env: ["HOME"] },
  install(ctx) {
    ctx.log(`HOME=${Deno.env.get("HOME")}`);
    Deno.mkdirSync("./out", { recursive: true });
  },
});
