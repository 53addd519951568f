/**
 * A plugin attacking the wire (tests/plugins/hostile_wire.ts) is unloaded
 * alone, with one line naming it and what was wrong: the emulator neither
 * throws nor traps nor hangs, the guest's stdout and exit status are those
 * of a run without it, and `insn` and `strace` loaded beside it report
 * exactly what they report without it.
 */

import assert from "node:assert/strict";
import { guest, REPO } from "./_harness.ts";

const HOSTILE = new URL("./plugins/hostile_wire.ts", import.meta.url).pathname;
const text = (b: Uint8Array) => new TextDecoder().decode(b);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI, killed after 120 s (a hang fails the test, not the suite). */
async function run(args: string[]): Promise<Run> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-all",
      "--unstable-worker-options",
      "--no-check",
      `${REPO}mod.ts`,
      ...args,
    ],
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(120_000),
  }).output();
  return {
    code: out.code,
    stdout: text(out.stdout),
    stderr: text(out.stderr),
  };
}

/**
 * The lines insn and strace print (everything not about the attacker), less
 * what differs between any two runs (the pid, random bytes).
 */
const others = (stderr: string) =>
  stderr.split("\n").filter((l) =>
    !l.includes("hostile_wire") &&
    !/^(set_tid_address|getrandom)\(|^x+$/.test(l)
  );

const baselines = new Map<string, Promise<Run>>();
function baseline(program: string[]): Promise<Run> {
  const key = program.join(" ");
  if (!baselines.has(key)) {
    baselines.set(
      key,
      run(["--plugin", "insn", "--plugin", "strace", ...program]),
    );
  }
  return baselines.get(key)!;
}

async function attack(
  name: string,
  program: string[],
  why: RegExp,
): Promise<void> {
  const alone = await baseline(program);
  assert.equal(alone.code, 0, alone.stderr);
  const r = await run([
    "--plugin-timeout",
    "500",
    "--plugin",
    `${HOSTILE},attack=${name}`,
    "--plugin",
    "insn",
    "--plugin",
    "strace",
    ...program,
  ]);
  assert.equal(r.code, alone.code, r.stderr);
  assert.equal(r.stdout, alone.stdout);
  const lines = r.stderr.split("\n").filter((l) => l.includes("hostile_wire"));
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0], /^pandeno: plugin "hostile_wire" unloaded: /);
  assert.match(lines[0], why);
  assert.deepEqual(others(r.stderr), others(alone.stderr));
}

const HELLO = [guest("hello")];
/** Enough blocks to fill a ring half (4 MiB) of block records. */
const COMPUTE = [guest("compute"), "40"];

Deno.test("a syscall filter returning ret 1.5 unloads its plugin", async () => {
  await attack("filter_ret", HELLO, /syscall filter returned ret 1\.5/);
});

Deno.test("a hand-made scoreboard entry with a huge offset unloads its plugin", async () => {
  await attack("score_offset", HELLO, /scoreboard offset 2147483648/);
});

Deno.test("an unknown onExecIf operator unloads its plugin", async () => {
  await attack("cond_op", HELLO, /condition operator xor/);
});

Deno.test("callback ids past the plugin's id space unload it, not the next plugin", async () => {
  await attack("ids", HELLO, /callback id \d+ is not the plugin's/);
});

Deno.test("a garbage reply length unloads its plugin", async () => {
  await attack("reply_garbage", HELLO, /length 2147483647 is out of range/);
});

Deno.test("bumping the channel's progress words does not stop the timeout", async () => {
  await attack("progress", HELLO, /did not return within 500 ms/);
});

Deno.test("logging forever in a callback does not stop the timeout", async () => {
  await attack("log_forever", HELLO, /did not return within 500 ms/);
});

Deno.test("an overwritten ring header changes nothing the host uses", async () => {
  // The header is the host's own now: the attacker is not even unloaded.
  const alone = await baseline(COMPUTE);
  const r = await run([
    "--plugin",
    `${HOSTILE},attack=ring_header`,
    "--plugin",
    "insn",
    "--plugin",
    "strace",
    ...COMPUTE,
  ]);
  assert.equal(r.code, alone.code, r.stderr);
  assert.equal(r.stdout, alone.stdout);
  assert.deepEqual(others(r.stderr), others(alone.stderr));
});

Deno.test("a channel left busy between requests unloads its plugin, not the host", async () => {
  const alone = await baseline(COMPUTE);
  const r = await run([
    "--plugin-timeout",
    "500",
    "--plugin",
    `${HOSTILE},attack=busy`,
    "--plugin",
    "insn",
    "--plugin",
    "strace",
    ...COMPUTE,
  ]);
  assert.equal(r.code, alone.code, r.stderr);
  assert.equal(r.stdout, alone.stdout);
  assert.deepEqual(others(r.stderr), others(alone.stderr));
  assert.doesNotMatch(r.stderr, /channel busy|Uncaught/);
});

Deno.test("a register write from a read-only callback is refused with a catchable error", async () => {
  const r = await run([
    "--plugin",
    `${HOSTILE},attack=write_readonly`,
    ...HELLO,
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stderr,
    /hostile_wire: refused: plugin "hostile_wire": writeRegister needs write access/,
  );
  assert.doesNotMatch(r.stderr, /write went through|unloaded/);
});

Deno.test("guest memory written from a translation hook is refused by the host", async () => {
  const r = await run([
    "--plugin",
    `${HOSTILE},attack=write_in_tb`,
    ...HELLO,
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stderr,
    /hostile_wire: refused: .*writeMemory needs write access/,
  );
  assert.doesNotMatch(r.stderr, /write went through|unloaded/);
});
