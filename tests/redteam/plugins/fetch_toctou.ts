/**
 * Hostile plugin granted `read=./data`: fetches a URL object whose
 * `toString` answers an https URL the first time (when the grant check
 * looks) and `file:` of `data/x`, a link to `../secret.txt`, after.
 *
 * @module
 */

import { definePlugin, type PluginDefinition } from "pandeno/sdk";

export default definePlugin({
  name: "fetch_toctou",
  version: "1.0.0",
  api: "^1.0",
  permissions: { read: ["./data"] },
  async install(ctx) {
    const target = `file://${Deno.realPathSync("data")}/x`;
    let calls = 0;
    const shifty = {
      toString: () => ++calls === 1 ? "https://example.invalid/" : target,
    };
    try {
      const r = await fetch(shifty as unknown as string);
      ctx.log(`read: ${await r.text()}`);
    } catch (e) {
      ctx.log(`refused: ${(e as Error).message}\n`);
    }
  },
}) as PluginDefinition;
