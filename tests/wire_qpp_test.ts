import assert from "node:assert/strict";
import { guest, runPandeno } from "./_harness.ts";

const PROV = new URL("./plugins/qpp/provider.ts", import.meta.url).pathname;
const FORGER = new URL("./plugins/qpp/forger.ts", import.meta.url).pathname;

Deno.test("QPP: a consumer cannot reach its provider's channel to forge its replies", async () => {
  const r = await runPandeno([
    "--plugin",
    PROV,
    "--plugin",
    FORGER,
    guest("hello"),
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(new TextDecoder().decode(r.stdout), "Hello from RISC-V!\n");
  assert.match(r.stderr, /qforger: found 0 other channel\(s\)/);
  assert.doesNotMatch(r.stderr, /Forged|unloaded/);
});

Deno.test("QPP: the log names the plugin each dependency resolved to", async () => {
  const r = await runPandeno([
    "--plugin",
    PROV,
    "--plugin",
    FORGER,
    guest("hello"),
  ]);
  assert.match(
    r.stderr,
    /^pandeno: plugin "qforger" requires qprov \^1\.1: using qprov 1\.2\.0 from path .*tests\/plugins\/qpp\/provider\.ts$/m,
  );
  const strace = await runPandeno(["--plugin", "strace", guest("hello")]);
  assert.match(
    strace.stderr,
    /^pandeno: plugin "strace" requires syscalls \^1\.2: using syscalls [\d.]+ from the in-tree plugin syscalls$/m,
  );
});
