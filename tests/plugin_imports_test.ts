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
import { listeners, load, outcomes, SDK_URL } from "./_sandbox.ts";

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

Deno.test("hostile_import: computed dynamic imports of files and URLs are denied", () =>
  inLayout(async ({ root }) => {
    const target = join(root, "mod.js");
    Deno.writeTextFileSync(target, "export const secret = 1;");
    const l = listeners();
    try {
      const { plugin, lines } = await load(
        `hostile_import,target=${
          pathToFileURL(target).href
        },port=${l.httpPort}`,
      );
      plugin.terminate();
      const got = outcomes(lines);
      assert.match(
        got.get("import local") ?? "",
        /^denied: .*Requires read access/,
      );
      assert.match(
        got.get("import remote") ?? "",
        /^denied: .*Requires import access/,
      );
      assert.deepEqual(l.httpHits, []);
    } finally {
      await l.close();
    }
  }));

Deno.test("a literal static import of a JSON file outside the plugin is refused, unread", () =>
  inLayout(async ({ secret, plugin }) => {
    const err = await refusal(plugin(
      "leak",
      `import s from ${JSON.stringify(secret)} with { type: "json" };`,
      `ctx.log(JSON.stringify(s));`,
    ));
    assert.match(
      err.message,
      new RegExp(
        `^plugin "leak": it imports ${secret}, which is not its own code`,
      ),
    );
    assert.match(err.message, /ask for read access in the manifest/);
  }));

Deno.test("a literal static import of a local URL is refused before any request", () =>
  inLayout(async ({ plugin }) => {
    const l = listeners();
    try {
      const err = await refusal(plugin(
        "phone_home",
        `import "http://127.0.0.1:${l.httpPort}/static.js";`,
      ));
      assert.match(
        err.message,
        new RegExp(
          `it imports from 127.0.0.1:${l.httpPort}, which is not where`,
        ),
      );
      assert.deepEqual(l.httpHits, []);
    } finally {
      await l.close();
    }
  }));

Deno.test("literal dynamic imports of a file and a URL are denied inside install()", () =>
  inLayout(async ({ secret, plugin }) => {
    const l = listeners();
    const attempt = (what: string, spec: string) =>
      `try { const m = await import(${spec}); ctx.log("${what}: allowed " + JSON.stringify(m)); }
       catch (e) { ctx.log("${what}: denied: " + e); }`;
    try {
      const { plugin: p, lines } = await load(plugin(
        "dyn",
        "",
        attempt(
          "json",
          `${JSON.stringify(secret)}, { with: { type: "json" } }`,
        ) +
          attempt("url", JSON.stringify(`http://127.0.0.1:${l.httpPort}/d.js`)),
      ));
      p.terminate();
      const got = outcomes(lines);
      assert.match(got.get("json") ?? "", /^denied: .*Requires read access/);
      assert.match(got.get("url") ?? "", /^denied: .*Requires import access/);
      assert.ok(!lines.join("\n").includes(SECRET));
      assert.deepEqual(l.httpHits, []);
    } finally {
      await l.close();
    }
  }));

Deno.test("a plugin's own files load: helpers in its directory tree, static and dynamic", () =>
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
      `import { helper } from './lib/helper.ts';`,
      "const { late } = await import(`./late.ts`); ctx.log(`sum ${helper + late}`);",
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
    for (const spec of ["../outside.ts", "./inside.ts"]) {
      const err = await refusal(
        plugin("reach", `import { token } from "${spec}";`, "ctx.log(token);"),
      );
      assert.match(err.message, /which is not its own code/, spec);
    }
  }));

Deno.test("a plugin importing node:fs (which reaches the guest's stdio) is refused by name", () =>
  inLayout(async ({ plugin }) => {
    const err = await refusal(
      plugin(
        "fd",
        `import { writeSync } from "node:fs";`,
        `writeSync(1, "x");`,
      ),
    );
    assert.match(
      err.message,
      /^plugin "fd": it imports node:fs, which is not available to plugins/,
    );
  }));
