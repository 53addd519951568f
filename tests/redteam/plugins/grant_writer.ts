/**
 * An honest plugin in the README's pattern: granted `write=./grant`, it
 * writes its report to `grant/report.txt` at exit.
 *
 * @module
 */

import { definePlugin, type PluginDefinition } from "pandeno/sdk";

export default definePlugin({
  name: "grant_writer",
  version: "1.0.0",
  api: "^1.0",
  permissions: { write: ["./grant"] },
  install(ctx) {
    ctx.onAtExit(() => {
      try {
        Deno.writeTextFileSync("grant/report.txt", "report\n");
        ctx.log("wrote the report\n");
      } catch (e) {
        ctx.log(`refused: ${(e as Error).message}\n`);
      }
    });
  },
}) as PluginDefinition;
