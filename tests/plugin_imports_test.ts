/**
 * What a plugin may import. Its own code files and the SDK load; anything
 * else (a file outside its directory, a JSON file, a URL) is refused before
 * it is read or fetched, whether the specifier is computed or literal.
 * Literal imports matter most: Deno loads them with the host's rights unless
 * the plugin itself is imported through a computed specifier (deno issue
 * 29503), which is what runtime/host/load.ts does.
 *
 * Run: deno test --allow-all --unstable-worker-options tests/plugin_imports_test.ts
 *
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { PluginLoadError } from "../runtime/host/load_error.ts";
import { listeners, load, outcomes, PLUGINS, SDK_URL } from "./_sandbox.ts";

const SECRET = "TOP-SECRET-7f3a";

/** A temp dir holding `secret.json` (outside any plugin dir) and `plugin/`. */
interface Layout {
  root: string;
  dir: string;
  secret: string;
  /** Writes `plugin/NAME.ts` from {@link pluginText}; returns its path. */
  plugin(name: string, head: string, body?: string): string;
}

/** Runs `fn` in a fresh {@link Layout}, removed afterwards. */
async function inLayout(fn: (l: Layout) => Promise<void>): Promise<void> {
  const root = Deno.makeTempDirSync({ prefix: "pandeno_imports_" });
  const dir = join(root, "plugin");
  Deno.mkdirSync(dir);
  const secret = join(root, "secret.json");
  Deno.writeTextFileSync(secret, JSON.stringify({ secret: SECRET }));
  const plugin = (name: string, head: string, body = "") => {
    const path = join(dir, `${name}.ts`);
    Deno.writeTextFileSync(path, pluginText(name, head, body));
    return path;
  };
  try {
    await fn({ root, dir, secret, plugin });
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
}

/** A plugin module: `head` at top level, `body` inside install(ctx). */
function pluginText(name: string, head: string, body = ""): string {
  return `import { definePlugin } from ${JSON.stringify(SDK_URL)};
${head}
export default definePlugin({ name: ${
    JSON.stringify(name)
  }, version: "1.0.0", api: "^1.0",
  async install(ctx) { ${body} } });
`;
}

async function refusal(path: string): Promise<PluginLoadError> {
  const err = await load(path).then(
    ({ plugin }) => {
      plugin.terminate();
      return undefined;
    },
    (e) => e,
  );
  assert.ok(err instanceof PluginLoadError, `not refused: ${err}`);
  assert.doesNotMatch(err.message, new RegExp(SECRET));
  return err;
}

Deno.test("hostile_import: dynamic imports are refused at load, before anything is read or fetched", () =>
  inLayout(async ({ root }) => {
    const target = join(root, "mod.js");
    Deno.writeTextFileSync(target, "export const secret = 1;");
    const l = listeners();
    try {
      const err = await refusal(join(PLUGINS, "hostile_import.ts"));
      assert.match(err.message, /dynamic import\(\) is not allowed in plugins/);
      assert.deepEqual(l.httpHits, []);
    } finally {
      await l.close();
    }
  }));

/** Every specifier class a plugin may not import, with a literal import of it. */
function forbidden(root: string, port: number): [string, string][] {
  return [
    ["bare built-in", `import fs from "fs";`],
    ["bare built-in, subpath", `import { readFile } from "fs/promises";`],
    ["node:", `import { writeSync } from "node:fs";`],
    ["node: worker_threads", `import { Worker } from "node:worker_threads";`],
    ["node: process", `import process from "node:process";`],
    ["npm:", `import pad from "npm:left-pad@1.3.0";`],
    ["jsr:", `import * as fs from "jsr:@std/fs";`],
    ["data:", `import x from "data:text/javascript,export default 1";`],
    [
      "blob:",
      `import x from "blob:null/00000000-0000-0000-0000-000000000000";`,
    ],
    ["other origin", `import "http://127.0.0.1:${port}/static.js";`],
    [
      "file outside",
      `import s from ${
        JSON.stringify(join(root, "secret.json"))
      } with { type: "json" };`,
    ],
    [
      "file: URL outside",
      `import ${JSON.stringify(pathToFileURL(join(root, "mod.js")).href)};`,
    ],
    ["re-export of a built-in", `export * from "node:fs";`],
    ["re-export, bare", `export { readFileSync } from "fs";`],
    ["dynamic", `const m = await import("./own.ts");`],
    ["computed", `const m = await import(["node", "fs"].join(":"));`],
    ["import.meta.resolve", `const u = import.meta.resolve("fs");`],
    ["require", `import fs = require("fs");`],
    [
      "types directive",
      `// @ts-types="npm:@types/node"\nimport x from "./own.ts";`,
    ],
    ["hidden from the lexer", `if (x) /"/; import fs from "node:fs"; //"/`],
  ];
}

Deno.test("every specifier outside the allowlist is refused by name, unread and unfetched", () =>
  inLayout(async ({ root, dir, plugin }) => {
    Deno.writeTextFileSync(join(root, "mod.js"), "export default 1;");
    Deno.writeTextFileSync(join(dir, "own.ts"), "export default 1;");
    const l = listeners();
    try {
      for (const [what, head] of forbidden(root, l.httpPort)) {
        const err = await refusal(plugin("bad", head));
        assert.match(
          err.message,
          /may import only the SDK|not allowed in plugins|not available to plugins|not a static import|directive/,
          `${what}: ${err.message}`,
        );
      }
      assert.deepEqual(l.httpHits, []);
    } finally {
      await l.close();
    }
  }));

Deno.test("the rule holds wherever the plugin file lives, inside the checkout too", async () => {
  // A file inside Pandeno's own tree once got the host's import map scope.
  const repo = new URL("../", import.meta.url).pathname;
  const dir = Deno.makeTempDirSync({
    dir: join(repo, "runtime"),
    prefix: ".hostile_",
  });
  try {
    const path = join(dir, "inside.ts");
    Deno.writeTextFileSync(
      path,
      pluginText(
        "inside",
        `import { writeSync } from "node:fs";`,
        `writeSync(1, "x");`,
      ),
    );
    const err = await refusal(path);
    assert.match(
      err.message,
      /imports "node:fs": not a module a plugin may import/,
    );
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("a plugin's own files load: static helpers in its directory tree", () =>
  inLayout(async ({ dir, plugin }) => {
    Deno.mkdirSync(join(dir, "lib"));
    Deno.writeTextFileSync(
      join(dir, "lib", "helper.ts"),
      `import { base } from "../base.js";\nexport const helper = base + 1;\n`,
    );
    Deno.writeTextFileSync(join(dir, "base.js"), "export const base = 41;\n");
    Deno.writeTextFileSync(join(dir, "late.ts"), "export const late = 7;\n");
    const { plugin: p, lines } = await load(plugin(
      "multi",
      `import { helper } from './lib/helper.ts';\nimport { late } from "./late.ts";\nimport type { PluginArgs } from "pandeno/sdk";`,
      "ctx.log(`sum ${helper + late}`);",
    ));
    p.terminate();
    assert.deepEqual(lines, ["[multi] sum 49"]);
  }));

Deno.test("code outside the plugin's directory is not its own, even through a symlink", () =>
  inLayout(async ({ root, dir, plugin }) => {
    Deno.writeTextFileSync(
      join(root, "outside.ts"),
      `export const token = "${SECRET}";\n`,
    );
    Deno.symlinkSync(join(root, "outside.ts"), join(dir, "inside.ts"));
    const outside = await refusal(
      plugin(
        "reach",
        `import { token } from "../outside.ts";`,
        "ctx.log(token);",
      ),
    );
    assert.match(outside.message, /outside the plugin's directory/);
    const linked = await refusal(
      plugin(
        "reach",
        `import { token } from "./inside.ts";`,
        "ctx.log(token);",
      ),
    );
    assert.match(linked.message, /leads outside the plugin's directory/);
  }));

Deno.test("the plugin's Worker cannot read its own files: code is served from memory", () =>
  inLayout(async ({ dir, plugin }) => {
    const path = plugin(
      "selfread",
      "",
      `try { Deno.readTextFileSync(${
        JSON.stringify(join(dir, "selfread.ts"))
      }); ctx.log("read: allowed"); }
       catch (e) { ctx.log("read: denied: " + e.name); }`,
    );
    const { plugin: p, lines } = await load(path);
    p.terminate();
    assert.deepEqual(outcomes(lines).get("read"), "denied: NotCapable");
  }));
