/**
 * The plugin sandbox: hostile plugins loaded through `loadPlugin` with no
 * grants must be denied everything, and the host must survive them; granted
 * plugins get exactly what they asked for and were granted.
 *
 * Run: deno test --allow-all --unstable-worker-options tests/plugin_sandbox_test.ts
 *
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import type { LoadedPlugin } from "../runtime/host/load.ts";
import { PluginLoadError } from "../runtime/host/load_error.ts";
import {
  parseAllowPlugin,
  PluginPermissionError,
} from "../runtime/host/permissions.ts";
import { sha256Hex } from "../runtime/host/source.ts";
import type { ControlMessage } from "../runtime/wire/protocol.ts";
import {
  assertAllDenied,
  listeners,
  load,
  outcomes,
  PLUGINS,
  SDK_URL,
} from "./_sandbox.ts";

Deno.test("hostile_fs: reads and writes are denied at top level and in install()", async () => {
  const tmp = Deno.makeTempDirSync({ prefix: "pandeno_sandbox_" });
  Deno.writeTextFileSync(join(tmp, "secret.txt"), "secret");
  const { plugin, lines } = await load(`hostile_fs,tmp=${tmp}`);
  plugin.terminate();
  assertAllDenied(lines, [
    "top-level read /etc/hostname",
    "read /etc/hostname",
    "read secret",
    "stat secret",
    "readDir tmp",
    "write file",
    "open for write",
  ]);
  assert.deepEqual([...Deno.readDirSync(tmp)].map((e) => e.name), [
    "secret.txt",
  ]);
  Deno.removeSync(tmp, { recursive: true });
});

Deno.test("hostile_net: connect and fetch are denied and the listeners see nothing", async () => {
  const l = listeners();
  try {
    const { plugin, lines } = await load(`hostile_net,port=${l.tcpPort}`);
    plugin.terminate();
    assertAllDenied(lines, [
      "top-level connect 127.0.0.1:9",
      "connect tcp",
      "fetch",
      "listen",
      "resolveDns",
    ]);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(l.tcpHits(), 0);
  } finally {
    await l.close();
  }
});

Deno.test("hostile_env: env, sys and permission requests are denied; locks hold", async () => {
  const { plugin, lines } = await load("hostile_env");
  plugin.terminate();
  assertAllDenied(lines, [
    "env HOME",
    "env toObject",
    "process.env",
    "hostname",
    "permissions.request",
    "permissions.requestSync",
    "prototype request",
  ]);
  assert.match(
    outcomes(lines).get("restore Deno.exit") ?? "",
    /^denied: TypeError/,
  );
});

Deno.test("hostile_run: processes, signals, dlopen and nested workers are denied", async () => {
  const { plugin, lines } = await load("hostile_run");
  plugin.terminate();
  assertAllDenied(lines, [
    "run true",
    "kill",
    "process.kill",
    "internals",
    "dlopen",
    "nested worker",
  ]);
});

for (
  const [how, via] of [["deno-exit", "Deno.exit(3)"], [
    "process-exit",
    "process.exit(4)",
  ]]
) {
  Deno.test(`hostile_exit: ${via} in install() is a PluginLoadError, the host lives on`, async () => {
    const err = await load(`hostile_exit,how=${how}`).then(
      () => undefined,
      (e) => e,
    );
    assert.ok(err instanceof PluginLoadError, String(err));
    assert.match(
      err.message,
      new RegExp(
        `plugin "hostile_exit": it called ${via.replace(/[().]/g, "\\$&")}`,
      ),
    );
  });
}

Deno.test("hostile_exit: self.close() in install() is a PluginLoadError", async () => {
  const err = await load("hostile_exit,how=close").then(
    () => undefined,
    (e) => e,
  );
  assert.ok(err instanceof PluginLoadError, String(err));
  assert.match(err.message, /closed its worker/);
});

Deno.test("hostile_exit: an unhandled rejection after install() is a control error event", async () => {
  const { plugin } = await load("hostile_exit,how=throw-later");
  const events: ControlMessage[] = [];
  plugin.onControl((m) => events.push(m));
  await new Promise((r) => setTimeout(r, 200));
  plugin.terminate();
  assert.equal(events.length, 1);
  assert.equal(events[0].type, "error");
  assert.match(
    events[0].type === "error" ? events[0].error.message : "",
    /late failure/,
  );
});

Deno.test("hostile_messages: malformed messages become error events, not crashes", async () => {
  const { plugin, lines } = await load("hostile_messages");
  const control: ControlMessage[] = [];
  plugin.onControl((m) => control.push(m));
  plugin.terminate();
  assert.ok(lines.includes("[hostile_messages] still here"), lines.join("\n"));
  const bad = lines.filter((l) => l.includes("sent a bad message"));
  assert.ok(bad.length >= 5, lines.join("\n"));
  assert.ok(
    bad.every((l) => l.length < 300),
    "a warning echoed a huge payload",
  );
  const big = lines.find((l) => l.startsWith("[hostile_messages] yyyy"));
  assert.ok(big && big.length < 70_000 && /more characters dropped/.test(big));
});

Deno.test("a plugin granted read=<file> reads exactly that file, nothing else", async () => {
  const tmp = Deno.makeTempDirSync({ prefix: "pandeno_sandbox_" });
  const file = join(tmp, "allowed.txt");
  Deno.writeTextFileSync(file, "ok");
  Deno.writeTextFileSync(join(tmp, "other.txt"), "no");
  const grants = [parseAllowPlugin("reader:read=./allowed.txt", tmp)];
  const { plugin, lines } = await load(
    `${PLUGINS}/reader.ts,file=${file},other=${join(tmp, "other.txt")}`,
    {
      cwd: tmp,
      grants,
    },
  );
  plugin.terminate();
  assert.equal(plugin.name, "reader");
  assert.equal(plugin.version, "1.2.0");
  const got = outcomes(lines);
  assert.equal(got.get("read file"), "allowed");
  assert.ok(lines.includes("[reader] content=ok"));
  assert.match(got.get("read other") ?? "", /^denied: NotCapable/);
  assert.match(got.get("write file") ?? "", /^denied: NotCapable/);
  assert.equal(Deno.readTextFileSync(file), "ok");
  Deno.removeSync(tmp, { recursive: true });
});

Deno.test("a plugin wanting more than granted is refused with the exact flags", async () => {
  const err = await load("greedy", {
    grants: [parseAllowPlugin("greedy:env=HOME", PLUGINS)],
  })
    .then(() => undefined, (e) => e);
  assert.ok(err instanceof PluginPermissionError, String(err));
  assert.equal(
    err.message,
    'plugin "greedy" wants write access to ./out, which was not granted (add --allow-plugin greedy:write=./out)',
  );
  assert.deepEqual(err.flags, ["--allow-plugin greedy:write=./out"]);
});

Deno.test("a plugin wanting run is refused: the host has no run permission", async () => {
  const err = await load("wants_run").then(() => undefined, (e) => e);
  assert.ok(err instanceof PluginPermissionError);
  assert.match(
    err.message,
    /wants run access to gcc, which no plugin can be granted.*without --allow-run/,
  );
});

Deno.test("a plugin for another API version is refused", async () => {
  const err = await load("future_api").then(() => undefined, (e) => e);
  assert.ok(err instanceof PluginLoadError);
  assert.equal(err.stage, "api");
  assert.match(
    err.message,
    /^plugin "future_api": version 3.1.0 needs plugin API "\^2.0", but this pandeno implements 1.0.0/,
  );
});

Deno.test("a plugin throwing in install() gives a PluginLoadError naming it and the cause", async () => {
  const err = await load("throws").then(() => undefined, (e) => e);
  assert.ok(err instanceof PluginLoadError);
  assert.equal(err.stage, "install");
  assert.equal(
    err.message,
    'plugin "throws": install() threw: RangeError: cache size must be a power of two',
  );
});

Deno.test("syntax errors, missing default exports and endless loops are PluginLoadErrors", async () => {
  const tmp = Deno.makeTempDirSync({ prefix: "pandeno_sandbox_" });
  const write = (
    name: string,
    src: string,
  ) => (Deno.writeTextFileSync(join(tmp, name), src), join(tmp, name));
  const cases: [string, RegExp, number][] = [
    [
      write("broken.js", "export default {;"),
      /^plugin "broken": its module failed to import: .*SyntaxError/,
      15_000,
    ],
    [
      write("nodefault.js", "export const x = 1;"),
      /^plugin "nodefault": its module failed.*default export is not a plugin/,
      15_000,
    ],
    [
      write("loop.js", "while (true) {}"),
      /^plugin "loop": no answer within 2000 ms while importing/,
      2_000,
    ],
    [
      write(
        "badname.js",
        "export default { name: 'Bad', version: '1.0.0', api: '^1.0', install() {} };",
      ),
      /name "Bad" must match/,
      15_000,
    ],
  ];
  for (const [path, re, timeoutMs] of cases) {
    const err = await load(path, { timeoutMs }).then(() => undefined, (e) => e);
    assert.ok(err instanceof PluginLoadError, `${path}: ${err}`);
    assert.match(err.message, re);
  }
  Deno.removeSync(tmp, { recursive: true });
});

Deno.test("in-tree names resolve, and unknown names list what exists", async () => {
  const { plugin, lines } = await load("echo,verbose,out=r.json");
  plugin.terminate();
  assert.deepEqual(lines, [
    "[echo] hello from echo keys=verbose|out verbose=true",
  ]);
  await assert.rejects(
    () => load("nosuch"),
    /no in-tree plugin named "nosuch" \(available: .*echo.*\)/,
  );
});

Deno.test("remote plugins: fetched, pinned, served from blob:, never stale", async () => {
  let body = `import { definePlugin } from ${JSON.stringify(SDK_URL)};
export default definePlugin({ name: "remote", version: "1.0.0", api: "^1.0", install(ctx) { ctx.log("v1"); } });`;
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    () => new Response(body),
  );
  const url = `http://127.0.0.1:${server.addr.port}/remote.ts`;
  try {
    const h1 = await sha256Hex(new TextEncoder().encode(body));
    const a = await load(`${url}#sha256=${h1}`);
    a.plugin.terminate();
    assert.deepEqual(a.lines, ["[remote] v1"]);
    assert.equal(a.plugin.sha256, h1);

    body = body.replace('"v1"', '"v2"');
    const err = await load(`${url}#sha256=${h1}`).then(
      () => undefined,
      (e) => e,
    );
    assert.ok(err instanceof PluginLoadError);
    const h2 = await sha256Hex(new TextEncoder().encode(body));
    assert.match(
      err.message,
      new RegExp(`expected sha256=${h1}, got sha256=${h2}`),
    );

    // Nothing unpinned runs: the refusal names the pin to review and use.
    const unpinned = await load(url).then(() => undefined, (e) => e);
    assert.ok(unpinned instanceof PluginLoadError);
    assert.match(unpinned.message, new RegExp(`not pinned.*#sha256=${h2}`));
  } finally {
    await server.shutdown();
  }
});

Deno.test({
  name: "remote plugins import the SDK as pandeno/sdk",
  async fn() {
    const body = `import { definePlugin } from "pandeno/sdk";
export default definePlugin({ name: "bare", version: "1.0.0", api: "^1.0", install(ctx) { ctx.log("bare ok"); } });`;
    const server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen() {} },
      () => new Response(body),
    );
    try {
      const pin = await sha256Hex(new TextEncoder().encode(body));
      const { plugin, lines } = await load(
        `http://127.0.0.1:${server.addr.port}/bare.ts#sha256=${pin}`,
      );
      plugin.terminate();
      assert.ok(lines.includes("[bare] bare ok"));
    } finally {
      await server.shutdown();
    }
  },
});

Deno.test("a loaded plugin stays reachable: post() and onMessage() round-trip a control message", async () => {
  const { plugin } = await load("echo");
  const events: ControlMessage[] = [];
  plugin.onControl((m) => events.push(m));
  plugin.post({ type: "log", text: "not for workers" });
  await new Promise((r) => setTimeout(r, 100));
  plugin.terminate();
  assert.equal(events.length, 1);
  assert.match(
    events[0].type === "error" ? events[0].error.message : "",
    /unexpected "log" message/,
  );
  const _typed: LoadedPlugin = plugin;
});
