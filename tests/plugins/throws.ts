/**
 * Plugin whose install() throws, after validating its arguments.
 *
 * @module
 */

import { definePlugin } from "../../runtime/sdk/mod.ts";

export default definePlugin({
  name: "throws",
  version: "1.0.0",
  api: "^1.0",
  install(ctx, args) {
    args.bool("verbose", false);
    ctx.log("about to throw");
    throw new RangeError("cache size must be a power of two");
  },
});
