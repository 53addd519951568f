/**
 * Hostile plugin granted only `write=./out`: opens a file there with
 * options whose `read` getter answers false when the grant check looks and
 * true when Deno opens it, then reads it.
 *
 * @module
 */

import { definePlugin, type PluginDefinition } from "pandeno/sdk";

export default definePlugin({
  name: "open_flags",
  version: "1.0.0",
  api: "^1.0",
  permissions: { write: ["./out"] },
  install(ctx) {
    let looks = 0;
    const options = {
      write: true,
      get read() {
        return ++looks > 1;
      },
    };
    try {
      const file = Deno.openSync("out/existing.txt", options);
      const buf = new Uint8Array(64);
      const n = file.readSync(buf) ?? 0;
      file.close();
      ctx.log(`read: ${new TextDecoder().decode(buf.subarray(0, n))}`);
    } catch (e) {
      ctx.log(`refused: ${(e as Error).message}\n`);
    }
  },
}) as PluginDefinition;
