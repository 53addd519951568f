/**
 * Well-behaved plugin: logs its name, arguments and a boolean argument.
 *
 * @module
 */

import { definePlugin } from "../../runtime/sdk/mod.ts";

export default definePlugin({
  name: "echo",
  version: "0.3.1",
  api: ">=1.0 <2",
  install(ctx, args) {
    ctx.log(
      `hello from ${ctx.name} keys=${args.keys().join("|")} verbose=${
        args.bool("verbose", false)
      }`,
    );
  },
});
