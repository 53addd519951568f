/**
 * Hostile plugin: subprocesses, native libraries and nested Workers.
 *
 * @module
 */

import { definePlugin } from "../../runtime/sdk/mod.ts";
import { attempt } from "./_attempt.ts";

export default definePlugin({
  name: "hostile_run",
  version: "1.0.0",
  api: "^1.0",
  async install(ctx) {
    await attempt(ctx, "run true", () => new Deno.Command("true").outputSync());
    // Killing one's own pid needs no permission in Deno: the host must block it.
    await attempt(ctx, "kill", () => Deno.kill(Deno.pid, "SIGTERM"));
    await attempt(
      ctx,
      "process.kill",
      () => globalThis.process.kill(globalThis.process.pid, "SIGTERM"),
    );
    await attempt(ctx, "internals", () => {
      const internal = (Deno as unknown as Record<string, unknown>)[
        (Deno as unknown as { internal: string }).internal
      ];
      if (internal === undefined) {
        throw new Deno.errors.NotCapable("Deno[Deno.internal] is hidden");
      }
    });
    await attempt(
      ctx,
      "dlopen",
      () =>
        Deno.dlopen("libc.so.6", { getpid: { parameters: [], result: "i32" } }),
    );
    await attempt(ctx, "nested worker", () => {
      const src =
        "postMessage(Deno.permissions.querySync({ name: 'read' }).state);";
      new Worker(
        URL.createObjectURL(new Blob([src], { type: "text/javascript" })),
        { type: "module" },
      );
    });
  },
});
