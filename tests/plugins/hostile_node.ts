/**
 * Hostile plugin: the Node built-ins that Deno does not check against
 * permissions. `node:fs` on descriptors 0-2 would read and write the
 * guest's stdio, `node:worker_threads` would start an unsandboxed Worker,
 * `node:module`'s `require` and `process.getBuiltinModule` reach any
 * built-in by name, `node:vm` makes fresh globals.
 *
 * @module
 */

import { definePlugin } from "../../runtime/sdk/mod.ts";
import { attempt } from "./_attempt.ts";

const computed = (name: string) => import(["node", name].join(":"));

export default definePlugin({
  name: "hostile_node",
  version: "1.0.0",
  api: "^1.0",
  async install(ctx) {
    await attempt(ctx, "fs write stdout", async () => {
      const fs = await import("node:fs");
      fs.writeSync(1, "WRITTEN BY A PLUGIN\n");
    });
    await attempt(ctx, "fs read stdin", async () => {
      const fs = await computed("fs");
      fs.readFileSync(0);
    });
    await attempt(ctx, "fs/promises", () => import("node:fs/promises"));
    await attempt(ctx, "worker_threads", async () => {
      const wt = await import("node:worker_threads");
      new wt.Worker(`require("fs").writeSync(1, "FROM A WORKER\\n")`, {
        eval: true,
      });
    });
    await attempt(ctx, "createRequire", async () => {
      const { createRequire } = await import("node:module");
      createRequire(import.meta.url)("fs").writeSync(1, "REQUIRED\n");
    });
    await attempt(ctx, "getBuiltinModule", () => {
      const p = globalThis.process as unknown as {
        getBuiltinModule(n: string): { writeSync(fd: number, s: string): void };
      };
      p.getBuiltinModule("fs").writeSync(1, "BUILTIN\n");
    });
    await attempt(
      ctx,
      "process.binding",
      () =>
        (globalThis.process as unknown as { binding(n: string): unknown })
          .binding("fs"),
    );
    await attempt(ctx, "vm", () => computed("vm"));
    await attempt(ctx, "net", () => computed("net"));
    await attempt(ctx, "v8", () => computed("v8"));
  },
});
