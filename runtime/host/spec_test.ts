import assert from "node:assert/strict";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parsePluginSpec } from "./spec.ts";

const dir = Deno.makeTempDirSync({ prefix: "pandeno_spec_" });
Deno.writeTextFileSync(join(dir, "mine.ts"), "");
Deno.mkdirSync(join(dir, "plugins"));
Deno.writeTextFileSync(join(dir, "plugins", "insn.ts"), "");
Deno.writeTextFileSync(join(dir, "plugins", "insn_test.ts"), "");
const opts = { cwd: dir, pluginDir: join(dir, "plugins") };

Deno.test("parsePluginSpec() resolves paths against cwd and splits arguments", () => {
  const s = parsePluginSpec("./mine.ts,out=report.json,verbose=on,quiet", opts);
  assert.equal(s.kind, "local");
  assert.equal(s.url, pathToFileURL(join(dir, "mine.ts")).href);
  assert.equal(s.label, "mine");
  assert.deepEqual(s.args, [["out", "report.json"], ["verbose", "on"], [
    "quiet",
    "on",
  ]]);
  assert.equal(
    parsePluginSpec(pathToFileURL(join(dir, "mine.ts")).href, opts).url,
    s.url,
  );
});

Deno.test("parsePluginSpec() resolves bare names in the plugin directory", () => {
  const s = parsePluginSpec("insn", opts);
  assert.equal(s.url, pathToFileURL(join(dir, "plugins", "insn.ts")).href);
  assert.throws(
    () => parsePluginSpec("cache", opts),
    /no in-tree plugin named "cache" \(available: insn\)/,
  );
});

Deno.test("parsePluginSpec() takes a sha256 pin from remote URLs", () => {
  const hex = "ab".repeat(32);
  const s = parsePluginSpec(
    `https://example.org/c.ts#sha256=${hex.toUpperCase()},x=1`,
    opts,
  );
  assert.deepEqual([s.kind, s.url, s.sha256, s.args], [
    "remote",
    "https://example.org/c.ts",
    hex,
    [["x", "1"]],
  ]);
  assert.throws(
    () => parsePluginSpec("https://example.org/c.ts#sha256=abc", opts),
    /not a pin/,
  );
});

Deno.test("parsePluginSpec() explains bad input", () => {
  assert.throws(() => parsePluginSpec("./missing.ts", opts), /does not exist/);
  assert.throws(() => parsePluginSpec(",x=1", opts), /missing the plugin/);
  assert.throws(
    () => parsePluginSpec("insn,=1", opts),
    /not a key=value argument/,
  );
  assert.throws(
    () => parsePluginSpec("ftp://h/x.ts", opts),
    /unsupported URL scheme/,
  );
});
