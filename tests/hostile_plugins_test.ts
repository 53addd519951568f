/**
 * The hostile plugin suite, end to end through the command line, checked
 * the way issue 12 says it will be: the secret is never read, nothing is
 * written outside grants, a loopback listener and a fake package registry
 * are never reached, the emulator stops within 10 s of SIGINT, the guest's
 * stdout and exit status are what they are without the attacker, and
 * another plugin's results are unchanged.
 *
 * Run: deno test --allow-all --unstable-worker-options tests/hostile_plugins_test.ts
 *
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { guest, REPO, runPandeno, tempDir } from "./_harness.ts";
import { listeners } from "./_sandbox.ts";

const PLUGINS = new URL("./plugins/", import.meta.url).pathname;
const hello = guest("hello");
const text = (b: Uint8Array) => new TextDecoder().decode(b);
const SECRET = "TOP-SECRET-c0ffee";

/** The guest's output and insn's count with no attacker, for comparison. */
const baseline = runPandeno(["--plugin", "insn", hello]);

for (const mode of ["wasm", "buffers"]) {
  Deno.test(`hostile_memory mode=${mode}: unloaded with one line naming the budget; guest and insn unchanged`, async () => {
    const base = await baseline;
    const r = await runPandeno([
      "--plugin-memory",
      "64",
      "--plugin",
      `${PLUGINS}hostile_memory.ts,mode=${mode}`,
      "--plugin",
      "insn",
      hello,
    ]);
    assert.equal(r.code, base.code, r.stderr);
    assert.equal(text(r.stdout), text(base.stdout));
    const lines = r.stderr.trim().split("\n");
    const insn = (s: string) => s.split("\n").filter((l) => /insns/.test(l));
    assert.deepEqual(insn(r.stderr), insn(base.stderr));
    const unloaded = lines.filter((l) => l.includes("hostile_memory"));
    assert.equal(unloaded.length, 1, r.stderr);
    assert.match(
      unloaded[0],
      /^pandeno: plugin "hostile_memory" unloaded: .*memory budget of 64 MiB exceeded/,
    );
  });
}

Deno.test("hostile_signal: signal listeners and kills are refused; SIGINT stops the emulator within 10 s", async () => {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-all",
      "--unstable-worker-options",
      "--no-check",
      `${REPO}mod.ts`,
      "--plugin",
      `${PLUGINS}hostile_signal.ts`,
      guest("echo_stdin"), // waits on a stdin nobody writes
    ],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let err = "";
  while (!err.includes("[hostile_signal] ready")) {
    const { value, done } = await reader.read();
    if (done) break;
    err += value;
  }
  const sent = performance.now();
  child.kill("SIGINT");
  const killer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  const status = await child.status;
  clearTimeout(killer);
  const took = performance.now() - sent;
  (async () => {
    for (;;) if ((await reader.read()).done) break;
  })();
  await child.stdout.cancel();
  await child.stdin.close().catch(() => {});
  assert.ok(took < 10_000, `still running ${took} ms after SIGINT`);
  assert.equal(status.signal, "SIGINT", `ended by ${status.signal}`);
  const denied = err.split("\n").filter((l) => / denied: NotCapable/.test(l));
  assert.equal(denied.length, 7, err);
  assert.doesNotMatch(err, /: allowed/);
});

Deno.test("hostile_files: links the guest planted in ./data and ./out lead nowhere; -D refuses a planted log", async () => {
  const [dir, cleanup] = tempDir("planted");
  try {
    Deno.mkdirSync(join(dir, "data"));
    Deno.mkdirSync(join(dir, "out"));
    Deno.writeTextFileSync(join(dir, "secret"), SECRET);
    Deno.writeTextFileSync(join(dir, "victim"), "victim");
    Deno.writeTextFileSync(join(dir, "data", "input.txt"), "honest data");
    Deno.symlinkSync("../secret", join(dir, "data", "link.txt"));
    Deno.symlinkSync("../victim", join(dir, "out", "report.json"));
    const r = await runPandeno([
      "--plugin",
      `${PLUGINS}hostile_files.ts`,
      "--allow-plugin",
      "hostile_files:read=./data",
      "--allow-plugin",
      "hostile_files:write=./out",
      hello,
    ], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /content input.txt: honest data/);
    assert.match(r.stderr, /read link.txt: denied: NotCapable: .*resolves to/);
    assert.match(r.stderr, /write report: denied: NotCapable: .*resolves to/);
    assert.doesNotMatch(r.stderr, new RegExp(SECRET));
    assert.equal(Deno.readTextFileSync(join(dir, "victim")), "victim");

    Deno.symlinkSync(join(dir, "victim"), join(dir, "plugins.log"));
    const d = await runPandeno(
      ["-D", "plugins.log", "--plugin", "insn", hello],
      { cwd: dir },
    );
    assert.equal(d.code, 2, d.stderr);
    assert.match(d.stderr, /-D plugins.log: it is a symbolic link/);
    assert.equal(Deno.readTextFileSync(join(dir, "victim")), "victim");
  } finally {
    cleanup();
  }
});

Deno.test("imports: npm:, node: and URLs are refused; the registry and the listener see nothing; nothing is written", async () => {
  const [dir, cleanup] = tempDir("npm");
  const denoDir = Deno.makeTempDirSync({ prefix: "pandeno_denodir_" });
  const registryHits: string[] = [];
  const registry = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    (req) => {
      registryHits.push(req.url);
      return new Response("{}", { status: 404 });
    },
  );
  const l = listeners();
  const before = [...Deno.readDirSync(REPO)].map((e) => e.name).sort();
  try {
    const sdk = JSON.stringify(`${REPO}runtime/sdk/mod.ts`);
    const cases: Record<string, string> = {
      npm: `import pad from "npm:left-pad@1.3.0";`,
      bare: `import fs from "fs";`,
      node: `import { writeSync } from "node:fs";`,
      url: `import "http://127.0.0.1:${l.httpPort}/x.js";`,
    };
    for (const [name, line] of Object.entries(cases)) {
      const path = join(dir, `${name}.ts`);
      Deno.writeTextFileSync(
        path,
        `import { definePlugin } from ${sdk};\n${line}\nexport default definePlugin({ name: "${name}", version: "1.0.0", api: "^1.0", install() {} });\n`,
      );
      const r = await runPandeno(["--plugin", path, hello], {
        cwd: dir,
        env: {
          NPM_CONFIG_REGISTRY: `http://127.0.0.1:${registry.addr.port}/`,
          DENO_DIR: denoDir,
        },
      });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /may import only the SDK/, name);
      assert.equal(r.stdout.length, 0);
    }
    assert.deepEqual(registryHits, []);
    assert.deepEqual(l.httpHits, []);
    assert.equal(l.tcpHits(), 0);
    assert.deepEqual(
      [...Deno.readDirSync(dir)].map((e) => e.name).sort(),
      Object.keys(cases).map((n) => `${n}.ts`).sort(),
      "nothing written in the working directory (no deno.lock)",
    );
    assert.deepEqual(
      [...Deno.readDirSync(REPO)].map((e) => e.name).sort(),
      before,
      "nothing written in the project",
    );
    // Deno fills DENO_DIR with its own caches on any run; no package lands.
    const found: string[] = [];
    const walk = (d: string) => {
      for (const e of Deno.readDirSync(d)) {
        if (e.name.includes("left-pad")) found.push(join(d, e.name));
        if (e.isDirectory) walk(join(d, e.name));
      }
    };
    walk(denoDir);
    assert.deepEqual(found, []);
  } finally {
    await registry.shutdown();
    await l.close();
    Deno.removeSync(denoDir, { recursive: true });
    cleanup();
  }
});
