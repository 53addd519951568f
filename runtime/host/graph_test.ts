import assert from "node:assert/strict";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { pluginGraph } from "./graph.ts";
import { parsePluginLock, type PluginLock } from "./plugin_lock.ts";
import { pluginSource, sha256Hex } from "./source.ts";
import type { PluginSpec } from "./spec.ts";

const SDK_URL = new URL("../sdk/mod.ts", import.meta.url).href;

async function graphOf(
  spec: Omit<PluginSpec, "text" | "args">,
  opts: { lock?: PluginLock } = {},
) {
  return pluginGraph(
    await pluginSource({ ...spec, text: spec.url, args: [] }, opts),
    SDK_URL,
  );
}
const sdk = JSON.stringify(SDK_URL);

async function inDir(
  files: Record<string, string>,
  fn: (dir: string) => Promise<void>,
): Promise<void> {
  const root = await Deno.makeTempDir({ prefix: "pandeno_graph_" });
  const dir = join(root, "p");
  await Deno.mkdir(dir);
  for (const [name, text] of Object.entries(files)) {
    await Deno.mkdir(join(root, name, ".."), { recursive: true });
    await Deno.writeTextFile(join(root, name), text);
  }
  try {
    await fn(dir);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

const local = (dir: string, name = "main.ts") => ({
  label: "p",
  kind: "local" as const,
  url: pathToFileURL(join(dir, name)).href,
});

Deno.test("pluginGraph() serves own files and the SDK from blob: modules that run", () =>
  inDir({
    "p/main.ts":
      `import { definePlugin } from ${sdk};\nimport { two } from "./sub/two.ts";\n` +
      `import type { T } from "./types.ts";\nexport default { n: two(), d: typeof definePlugin };`,
    "p/sub/two.ts":
      `import { one } from "../one.js";\nexport const two = () => one + 1;`,
    "p/one.js": `export const one = 1;`,
  }, async (dir) => {
    const g = await graphOf(local(dir));
    try {
      assert.ok(g.url.startsWith("blob:"));
      assert.equal(g.modules.length, 3);
      const mod = await import(g.url);
      assert.deepEqual(mod.default, { n: 2, d: "function" });
    } finally {
      g.release();
    }
  }));

Deno.test("pluginGraph() refuses imports outside the allowlist before reading them", async () => {
  for (
    const spec of [
      "fs",
      "node:fs",
      "npm:left-pad",
      "jsr:@std/fs",
      "data:text/javascript,export default 1",
      "blob:null/x",
      "../outside.ts",
      "http://127.0.0.1:1/x.ts",
      "./data.json",
      "./comp.tsx",
    ]
  ) {
    await inDir({
      "p/main.ts": `import x from ${JSON.stringify(spec)};\nexport default x;`,
      "outside.ts": `export default 1;`,
      "p/data.json": `{}`,
      "p/comp.tsx": `export default 1;`,
    }, async (dir) => {
      await assert.rejects(
        graphOf(local(dir)),
        new RegExp(`imports "${spec.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}"`),
        spec,
      );
    });
  }
});

Deno.test("pluginGraph() refuses an own file that is a link out of the plugin's directory", () =>
  inDir({
    "p/main.ts": `import s from "./s.ts";\nexport default s;`,
    "secret.ts": `export default "TOP-SECRET";`,
  }, async (dir) => {
    await Deno.symlink(join(dir, "..", "secret.ts"), join(dir, "s.ts"));
    await assert.rejects(
      graphOf(local(dir)),
      /leads outside the plugin's directory/,
    );
  }));

Deno.test("pluginGraph() refuses import cycles with a way out", () =>
  inDir({
    "p/main.ts":
      `import { b } from "./b.ts";\nexport const a = 1;\nexport default b;`,
    "p/b.ts": `import { a } from "./main.ts";\nexport const b = () => a;`,
  }, async (dir) => {
    await assert.rejects(
      graphOf(local(dir)),
      /cycle \(.*main\.ts -> .*b\.ts -> .*main\.ts\)/,
    );
  }));

Deno.test("pluginGraph() runs a remote plugin only when every module is pinned", async () => {
  const files: Record<string, string> = {
    "/p/main.ts": `import { v } from "./util.ts";\nexport default v;`,
    "/p/util.ts": `export const v = "v1";`,
  };
  const seen: string[] = [];
  const other: string[] = [];
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    (r) => {
      const path = new URL(r.url).pathname;
      seen.push(path);
      return path in files
        ? new Response(files[path])
        : new Response("no", { status: 404 });
    },
  );
  const elsewhere = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    onListen() {},
  }, (r) => {
    other.push(r.url);
    return new Response("export default 1;");
  });
  const base = `http://127.0.0.1:${server.addr.port}`;
  const root = (sha256?: string) => ({
    label: "p",
    kind: "remote" as const,
    url: `${base}/p/main.ts`,
    sha256,
  });
  try {
    const h = async (p: string) =>
      await sha256Hex(new TextEncoder().encode(files[p]));
    // Unpinned: refused, with the lines to review and add.
    const e1 = await graphOf(root()).catch((e) => e);
    assert.match(e1.message, /2 of its modules are not pinned/);
    assert.match(e1.message, new RegExp(`#sha256=${await h("/p/main.ts")}`));
    assert.ok(
      e1.message.includes(`"${base}/p/util.ts": "${await h("/p/util.ts")}"`),
      e1.message,
    );
    // Pinned root and locked module: runs.
    const lock = parsePluginLock(
      JSON.stringify({
        version: 1,
        remote: { [`${base}/p/util.ts`]: await h("/p/util.ts") },
      }),
      "test.lock",
    );
    const g = await graphOf(root(await h("/p/main.ts")), { lock });
    assert.equal((await import(g.url)).default, "v1");
    g.release();
    // The server changes a module: never a stale copy, never the new one.
    files["/p/util.ts"] = `export const v = "v2";`;
    await assert.rejects(
      graphOf(root(await h("/p/main.ts")), { lock }),
      /util\.ts: expected sha256=.*the code changed on the server/,
    );
    // Another origin is refused before anything is fetched from it.
    files["/p/main.ts"] =
      `import x from "http://127.0.0.1:${elsewhere.addr.port}/x.ts";\nexport default x;`;
    await assert.rejects(
      graphOf(root()),
      /not of the plugin's own origin/,
    );
    assert.deepEqual(other, []);
  } finally {
    await server.shutdown();
    await elsewhere.shutdown();
  }
});
