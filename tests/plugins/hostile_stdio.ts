/**
 * Hostile plugin: prints through every stdio path a plugin author reaches
 * for, reads the guest's stdin, and uses the two channels that need no
 * permission at all (the Cache API, which writes to DENO_DIR, and
 * BroadcastChannel, which reaches other plugins). Printed text must land in
 * the plugin log; the guest's stdout and stdin must stay its own.
 *
 * Not attempted: `node:fs` calls on descriptors 0-2 (`writeSync(1, ...)`),
 * which reach the process's stdio in Deno 2.9 with no way to stop them from
 * JavaScript (see runtime/worker/bootstrap.ts).
 *
 * @module
 */

import { definePlugin } from "../../runtime/sdk/mod.ts";
import { attempt } from "./_attempt.ts";

console.log("printed at top level");

export default definePlugin({
  name: "hostile_stdio",
  version: "1.0.0",
  api: "^1.0",
  async install(ctx) {
    const bytes = (s: string) => new TextEncoder().encode(s);
    console.log("printed by console.log");
    console.error("printed by console.error");
    Deno.stdout.writeSync(bytes("printed by Deno.stdout\n"));
    await Deno.stderr.write(bytes("printed by Deno.stderr\n"));
    process.stdout.write("printed by process.stdout\n");
    await attempt(
      ctx,
      "Deno.stdin",
      () => Deno.stdin.readSync(new Uint8Array(4)),
    );
    await attempt(ctx, "process.stdin", () => process.stdin.read());
    await attempt(ctx, "caches", () => caches.open("pandeno"));
    await attempt(ctx, "BroadcastChannel", () => new BroadcastChannel("x"));
    await attempt(ctx, "replace console", () => {
      globalThis.console = { ...console, log: () => {} };
    });
  },
});
