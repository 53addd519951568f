import assert from "node:assert/strict";
import { guest, runPandeno } from "./_harness.ts";

const PROV = new URL("./plugins/qpp/provider.ts", import.meta.url).pathname;
const CONS = new URL("./plugins/qpp/consumer.ts", import.meta.url).pathname;
const HELLO = guest("hello");

/** Runs hello with the provider (given `args`) loaded before the consumer. */
function withProvider(args: string) {
  return runPandeno(["--plugin", `${PROV},${args}`, "--plugin", CONS, HELLO]);
}

Deno.test("QPP: consumer given before its provider loads, calls it and receives every callback in order", async () => {
  const r = await runPandeno(["--plugin", CONS, "--plugin", PROV, HELLO]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(new TextDecoder().decode(r.stdout), "Hello from RISC-V!\n");
  assert.match(
    r.stderr,
    /async add 5 sync add 9 big 9223372036854775808 nothing undefined/,
  );
  const m = /events (\d+) ordered (\w+) count (\d+)/.exec(r.stderr);
  assert.ok(m, r.stderr);
  assert.equal(m[2], "true");
  assert.equal(m[1], m[3], "every system call reached the consumer");
  assert.ok(Number(m[1]) >= 10);
});

Deno.test("QPP: an event emitted from a batched exec callback carries that instruction's icount", async () => {
  const r = await withProvider("ticks=7");
  assert.equal(r.code, 0, r.stderr);
  const m = /ticks (\d+) stamped off (\d+)/.exec(r.stderr);
  assert.ok(m, r.stderr);
  assert.ok(Number(m[1]) > 500, r.stderr); // hello runs ~7 K instructions
  assert.equal(m[2], "0", "meta.icount is the emitting event's icount");
});

Deno.test("QPP: a provider that crashes is unloaded; its consumer is told and its calls reject", async () => {
  const r = await withProvider("fail=5");
  assert.equal(r.code, 0, r.stderr);
  assert.equal(new TextDecoder().decode(r.stdout), "Hello from RISC-V!\n");
  assert.match(
    r.stderr,
    /plugin "qprov" unloaded: it threw Error: provider fails at syscall 5/,
  );
  assert.match(r.stderr, /provider gone: /);
  assert.match(r.stderr, /late call rejected: QppUnavailableError/);
});

Deno.test("QPP: a consumer that is unloaded misses its sync callbacks; its provider goes on", async () => {
  const r = await runPandeno([
    "--plugin",
    PROV,
    "--plugin",
    `${CONS},die=3`,
    HELLO,
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(new TextDecoder().decode(r.stdout), "Hello from RISC-V!\n");
  assert.match(
    r.stderr,
    /plugin "qcons" unloaded: .*consumer dies at syscall 3/,
  );
  assert.doesNotMatch(r.stderr, /plugin "qprov" unloaded/);
});

Deno.test("QPP: a cycle of sync calls is refused with QppDeadlockError", async () => {
  const r = await runPandeno([
    "--plugin",
    PROV,
    "--plugin",
    `${CONS},cycle=on`,
    HELLO,
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stderr,
    /cycle refused: sync QPP call would deadlock: qprov -> qcons -> qprov/,
  );
  assert.doesNotMatch(r.stderr, /cycle allowed/);
});

async function refused(args: string[], message: RegExp) {
  const r = await runPandeno([...args, HELLO]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, message);
  assert.doesNotMatch(r.stderr, /^\s+at /m, "no stack trace");
  assert.equal(r.stdout.length, 0, "the guest did not run");
}

Deno.test("QPP: a missing dependency is refused, naming both plugins", async () => {
  await refused(
    ["--plugin", CONS],
    /plugin "qcons" 1\.0\.0 requires qprov \^1\.1, which is not loaded/,
  );
});

Deno.test("QPP: a version mismatch is refused, naming both versions", async () => {
  const dir = Deno.makeTempDirSync();
  const old = `${dir}/qprov_old.ts`;
  Deno.writeTextFileSync(
    old,
    Deno.readTextFileSync(PROV).replace('version: "1.2.0"', 'version: "1.0.5"')
      .replace(
        '"../../../runtime/sdk/mod.ts"',
        JSON.stringify(
          new URL("../runtime/sdk/mod.ts", import.meta.url).pathname,
        ),
      ),
  );
  try {
    await refused(
      ["--plugin", old, "--plugin", CONS],
      /requires qprov \^1\.1, but qprov 1\.0\.5 is loaded/,
    );
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("QPP: a dependency cycle and duplicate names are refused", async () => {
  const dir = Deno.makeTempDirSync();
  const sdk = JSON.stringify(
    new URL("../runtime/sdk/mod.ts", import.meta.url).pathname,
  );
  const plugin = (name: string, dep: string) =>
    `import { definePlugin } from ${sdk};\nexport default definePlugin({ name: "${name}", version: "1.0.0", api: "^1.0", requires: { ${dep}: "^1" }, install() {} });\n`;
  Deno.writeTextFileSync(`${dir}/a.ts`, plugin("cyca", "cycb"));
  Deno.writeTextFileSync(`${dir}/b.ts`, plugin("cycb", "cyca"));
  try {
    await refused(
      ["--plugin", `${dir}/a.ts`, "--plugin", `${dir}/b.ts`],
      /cycle: cyca 1\.0\.0 -> cycb 1\.0\.0 -> cyca 1\.0\.0/,
    );
    await refused(
      ["--plugin", "insn", "--plugin", "insn"],
      /two plugins are named "insn"/,
    );
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
