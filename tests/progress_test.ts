/**
 * The progress line, through a real terminal: `script` gives pandeno a pty
 * for stderr. It shows instructions, MIPS, time and plugins, is erased
 * before other output and at exit, and never appears when stderr is not a
 * terminal or with -q. Skipped with a notice when `script` is missing.
 */

import assert from "node:assert/strict";
import { guest, REPO, runPandeno } from "./_harness.ts";

function hasScript(): boolean {
  try {
    return new Deno.Command("script", {
      args: ["--version"],
      stdout: "null",
      stderr: "null",
    })
      .outputSync().success;
  } catch {
    return false;
  }
}
const SCRIPT = hasScript();
if (!SCRIPT) {
  console.log(
    "SKIP progress on a terminal: script(1) not installed (util-linux)",
  );
}

/** Runs pandeno under script(1): stderr is a pty, stdout goes to /dev/null. */
async function onTerminal(args: string[]): Promise<string> {
  const cmd = [
    Deno.execPath(),
    "run",
    "-A",
    "--unstable-worker-options",
    "--no-check",
    `${REPO}mod.ts`,
    ...args,
  ].map((a) => `'${a}'`).join(" ");
  const r = await new Deno.Command("script", {
    args: ["-qec", `${cmd} 2>&1 >/dev/null`, "/dev/null"],
    stdout: "piped",
    stderr: "null",
  }).output();
  return new TextDecoder().decode(r.stdout);
}

Deno.test({
  name:
    "on a terminal, a progress line shows and is erased before the plugin's output",
  ignore: !SCRIPT,
  async fn() {
    const tty = await onTerminal([
      "--plugin",
      "insn,inline=on",
      guest("compute"),
      // ~2.5 G instructions: longer than the 1 s before the first line, even
      // on a fast, idle machine (the default ~300 M now ends in well under 1 s).
      "30000",
    ]);
    const lines = tty.split("\r\x1b[K").filter((s) => s.startsWith("pandeno:"));
    assert.ok(lines.length > 0, JSON.stringify(tty.slice(0, 300)));
    assert.match(
      lines[0],
      /^pandeno: [\d.]+( [kMG])? insns {2}\d+ MIPS {2}[\d.]+ s {2}1 plugin$/,
    );
    // Erased before the plugin's output: the erase sequence precedes it.
    const erase = "\r" + String.fromCharCode(27) + "[K";
    assert.ok(tty.includes(erase + "insns: "), JSON.stringify(tty.slice(-200)));
  },
});

Deno.test({
  name: "with -q there is no progress line on a terminal",
  ignore: !SCRIPT,
  async fn() {
    const tty = await onTerminal(["-q", guest("compute")]);
    assert.ok(!tty.includes("MIPS"), JSON.stringify(tty));
  },
});

Deno.test("when stderr is not a terminal there is no progress line", async () => {
  const r = await runPandeno(["--plugin", "insn,inline=on", guest("compute")]);
  assert.equal(r.code, 0);
  assert.ok(!r.stderr.includes("MIPS") && !r.stderr.includes("\x1b"), r.stderr);
});
