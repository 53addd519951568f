import assert from "node:assert/strict";
import { guest, runPandeno } from "./_harness.ts";

const plugin = (name: string) =>
  new URL(`./plugins/failing/${name}.ts`, import.meta.url).pathname;
const hello = guest("hello");
const text = (b: Uint8Array) => new TextDecoder().decode(b);

Deno.test("a plugin that throws in a callback is unloaded; the guest and the other plugins finish", async () => {
  const r = await runPandeno([
    "--plugin",
    plugin("throws_in_callback"),
    "--plugin",
    "insn,inline=on",
    hello,
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(text(r.stdout), "Hello from RISC-V!\n");
  const lines = r.stderr.split("\n").filter((l) =>
    l.includes("throws_in_callback")
  );
  assert.deepEqual(lines, [
    'pandeno: plugin "throws_in_callback" unloaded: it threw Error: boom at block 50',
  ]);
  assert.match(r.stderr, /^insns: \d+$/m, "insn still reported its count");
});

Deno.test("a plugin that loops forever in a sync callback is unloaded after its timeout", async () => {
  const r = await runPandeno([
    "--plugin-timeout",
    "300",
    "--plugin",
    plugin("hangs_sync"),
    "--plugin",
    "bb",
    hello,
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(text(r.stdout), "Hello from RISC-V!\n");
  assert.match(
    r.stderr,
    /plugin "hangs_sync" unloaded: its exec callback did not return within 300 ms/,
  );
  assert.match(r.stderr, /bb's: \d+, insns: \d+/, "bb still reported");
});

Deno.test("--plugin-error=abort stops the run with status 3 and says why", async () => {
  const r = await runPandeno([
    "--plugin-error",
    "abort",
    "--plugin",
    plugin("throws_in_callback"),
    hello,
  ]);
  assert.equal(r.code, 3, r.stderr);
  assert.match(
    r.stderr,
    /plugin "throws_in_callback" failed: it threw Error: boom at block 50; stopping \(--plugin-error=abort\)/,
  );
  assert.doesNotMatch(r.stderr, /^\s+at /m, "no stack trace");
});

Deno.test("a hostile plugin loaded through the CLI touches nothing and the guest output is unchanged", async () => {
  const dir = Deno.makeTempDirSync();
  try {
    Deno.writeTextFileSync(`${dir}/secret.txt`, "secret");
    const spec = `${
      new URL("./plugins/hostile_fs.ts", import.meta.url).pathname
    },tmp=${dir}`;
    const r = await runPandeno(["--plugin", spec, hello]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(text(r.stdout), "Hello from RISC-V!\n");
    // Every attempt was denied, except Deno.cwd(), which Deno allows in a
    // worker without read permission (it reveals the path, nothing else).
    const allowed = r.stderr.split("\n").filter((l) => l.endsWith(": allowed"));
    assert.deepEqual(allowed, ["[hostile_fs] cwd: allowed"]);
    assert.match(r.stderr, /read secret: denied: NotCapable/);
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), [
      "secret.txt",
    ]);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("a plugin wanting a permission the user did not grant is refused with the flag to grant it", async () => {
  const r = await runPandeno([
    "--plugin",
    new URL("./plugins/greedy.ts", import.meta.url).pathname,
    hello,
  ]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /--allow-plugin greedy:/);
  assert.equal(r.stdout.length, 0);
});

Deno.test("plugin printing goes to the plugin log; the guest keeps its stdout and stdin, even from node built-ins", async () => {
  const input = "guest input, not the plugin's\n";
  const r = await runPandeno([
    "--plugin",
    new URL("./plugins/hostile_stdio.ts", import.meta.url).pathname,
    "--plugin",
    new URL("./plugins/hostile_node.ts", import.meta.url).pathname,
    guest("echo_stdin"),
  ], { stdin: input });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(text(r.stdout), `${input}${input.length} bytes\n`);
  const lines = r.stderr.split("\n").filter((l) =>
    l.startsWith("[hostile_stdio]")
  );
  for (
    const via of [
      "at top level",
      "by console.log",
      "by console.error",
      "by Deno.stdout",
      "by Deno.stderr",
      "by process.stdout",
    ]
  ) {
    assert.equal(
      lines.filter((l) => l === `[hostile_stdio] printed ${via}`).length,
      1,
      `"printed ${via}" once in the plugin log:\n${r.stderr}`,
    );
  }
  assert.deepEqual(lines.filter((l) => l.endsWith(": allowed")), []);
  for (const what of ["Deno.stdin", "process.stdin", "BroadcastChannel"]) {
    assert.ok(
      lines.some((l) =>
        l.startsWith(`[hostile_stdio] ${what}: denied: NotCapable`)
      ),
      `${what} denied:\n${r.stderr}`,
    );
  }
  assert.ok(lines.some((l) => l.startsWith("[hostile_stdio] caches: denied")));
  assert.ok(
    lines.some((l) => l.startsWith("[hostile_stdio] replace console: denied")),
  );
  const node = r.stderr.split("\n").filter((l) =>
    l.startsWith("[hostile_node]")
  );
  assert.equal(node.length, 7, r.stderr);
  for (const l of node) assert.match(l, /: denied: NotCapable: /);
});

Deno.test("without Pandeno's deno.json plugins still get only the SDK: the host serves their code", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-all",
      "--unstable-worker-options",
      "--no-check",
      "--no-config",
      new URL("../mod.ts", import.meta.url).pathname,
      "--plugin",
      new URL("./plugins/hostile_node.ts", import.meta.url).pathname,
      hello,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0, text(out.stderr));
  const node = text(out.stderr).split("\n").filter((l) =>
    l.startsWith("[hostile_node]")
  );
  assert.equal(node.length, 7, text(out.stderr));
  for (const l of node) assert.match(l, /: denied: NotCapable: /);
});
