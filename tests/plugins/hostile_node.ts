/**
 * Hostile plugin: reaching the Node built-ins (which Deno does not check
 * against permissions: `node:fs` on descriptors 0-2 would read and write the
 * guest's stdio) without an import statement, since every import of one is
 * refused at load (runtime/host/graph.ts): by name through `process`, or by
 * compiling a dynamic import from a string, which the source check cannot see.
 *
 * @module
 */

import { definePlugin } from "../../runtime/sdk/mod.ts";
import { attempt } from "./_attempt.ts";

/** A dynamic import of `node:NAME`, spelled so that no source scan sees it. */
const dyn = ["imp", "ort"].join("");
const viaEval = (name: string) => `${dyn}("node:${name}")`;

export default definePlugin({
  name: "hostile_node",
  version: "1.0.0",
  api: "^1.0",
  async install(ctx) {
    const p = globalThis.process as unknown as Record<
      string,
      (n: string) => { writeSync(fd: number, s: string): void }
    >;
    await attempt(ctx, "getBuiltinModule", () => {
      p.getBuiltinModule("fs").writeSync(1, "BUILTIN\n");
    });
    await attempt(ctx, "process.binding", () => p.binding("fs"));
    await attempt(ctx, "eval", () => (0, eval)(viaEval("fs")));
    await attempt(ctx, "Function", () => Function(`return ${viaEval("fs")}`)());
    await attempt(
      ctx,
      "AsyncFunction",
      () => (async () => {}).constructor(`return await ${viaEval("fs")}`)(),
    );
    await attempt(
      ctx,
      "GeneratorFunction",
      () => (function* () {}).constructor(`yield ${viaEval("fs")}`)().next(),
    );
    await attempt(
      ctx,
      "setTimeout string",
      () => setTimeout(`${viaEval("fs")}` as unknown as () => void, 0),
    );
  },
});
