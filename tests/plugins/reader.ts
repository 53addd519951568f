/**
 * Well-behaved plugin that wants to read ./allowed.txt (relative to the
 * user's cwd). Args: `file=ABS`, `other=ABS` (a file it must not read).
 *
 * @module
 */

import { definePlugin } from "../../runtime/sdk/mod.ts";
import { attempt } from "./_attempt.ts";

export default definePlugin({
  name: "reader",
  version: "1.2.0",
  api: "^1.0",
  permissions: { read: ["./allowed.txt"] },
  async install(ctx, args) {
    await attempt(
      ctx,
      "read file",
      async () =>
        ctx.log(`content=${await Deno.readTextFile(args.string("file", ""))}`),
    );
    await attempt(
      ctx,
      "read other",
      () => Deno.readTextFile(args.string("other", "")),
    );
    await attempt(
      ctx,
      "write file",
      () => Deno.writeTextFile(args.string("file", ""), "changed"),
    );
  },
});
