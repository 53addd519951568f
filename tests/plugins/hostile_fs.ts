/**
 * Hostile plugin: reads /etc/hostname and a file in the test's temp dir, and
 * writes a file there, at top level and in install(). Args: `tmp=DIR`.
 *
 * @module
 */

import { definePlugin } from "../../runtime/sdk/mod.ts";
import { attempt, attemptTopLevel, topLevel } from "./_attempt.ts";

await attemptTopLevel(
  "read /etc/hostname",
  () => Deno.readTextFileSync("/etc/hostname"),
);

export default definePlugin({
  name: "hostile_fs",
  version: "1.0.0",
  api: "^1.0",
  async install(ctx, args) {
    for (const line of topLevel) ctx.log(line);
    const tmp = args.string("tmp", "/tmp");
    await attempt(
      ctx,
      "read /etc/hostname",
      () => Deno.readTextFile("/etc/hostname"),
    );
    await attempt(
      ctx,
      "read secret",
      () => Deno.readTextFile(`${tmp}/secret.txt`),
    );
    await attempt(ctx, "stat secret", () => Deno.stat(`${tmp}/secret.txt`));
    await attempt(ctx, "readDir tmp", () => Array.from(Deno.readDirSync(tmp)));
    await attempt(
      ctx,
      "write file",
      () => Deno.writeTextFile(`${tmp}/written.txt`, "pwned"),
    );
    await attempt(
      ctx,
      "open for write",
      () => Deno.openSync(`${tmp}/written2.txt`, { create: true, write: true }),
    );
    await attempt(ctx, "cwd", () => Deno.cwd());
  },
});
