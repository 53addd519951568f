/**
 * `pandeno new-plugin DIR`: a plugin folder that type-checks and has a
 * test, to start from.
 *
 * @module
 */

import { basename, join } from "node:path";
import { pathToFileURL } from "node:url";

const PLUGIN = (name: string) =>
  `/**
 * ${name}: counts the instructions and system calls of a guest.
 *
 * Run it: pandeno --plugin ./plugin.ts,verbose=on ./prog.elf
 *
 * @module
 */

import { definePlugin } from "pandeno/sdk";

export default definePlugin({
  name: "${name}",
  version: "0.1.0",
  api: "^1.0",
  description: "counts instructions and system calls",
  args: {
    verbose: { type: "bool", default: false, doc: "print each system call" },
  },
  install(ctx, args) {
    const verbose = args.bool("verbose");
    const board = ctx.scoreboard(1);
    const insns = board.entry(0);
    let syscalls = 0;
    ctx.onTbTrans((tb) => tb.inlineAdd(insns, tb.nInsns));
    ctx.onSyscall((e) => {
      syscalls++;
      if (verbose) ctx.log(\`\${e.name}\\n\`);
    });
    ctx.onAtExit(() => {
      const n = Number(board.sum(0)); // a report is JSON: no bigint
      ctx.log(\`${name}: \${n} instructions, \${syscalls} system calls\\n\`);
      ctx.report({ insns: n, syscalls });
    });
  },
});
`;

const TEST = (name: string, pandeno: string) =>
  `import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { run } from "${pandeno}mod.ts";

const HELLO = fileURLToPath(new URL("tests/guests/bin/hello.elf", "${pandeno}"));

Deno.test("${name} reports the instructions and system calls of hello", async () => {
  const r = await run(HELLO, {
    plugins: [{ spec: fileURLToPath(new URL("./plugin.ts", import.meta.url)) }],
  });
  assert.equal(r.status, 0);
  const report = r.reports["${name}"] as { insns: number; syscalls: number };
  assert.ok(report, r.log);
  assert.ok(report.insns > 1000, JSON.stringify(report));
  assert.ok(report.syscalls >= 3);
});
`;

const CONFIG = (pandeno: string) =>
  JSON.stringify(
    {
      tasks: {
        test:
          `deno test --no-check --config ${pandeno}deno.json --allow-all --unstable-worker-options plugin_test.ts`,
        check:
          `deno check --config ${pandeno}deno.json plugin.ts plugin_test.ts`,
      },
    },
    null,
    2,
  ) + "\n";

/**
 * Creates `dir` with `plugin.ts`, `plugin_test.ts` and a `deno.json` whose
 * `check` and `test` tasks use the Pandeno checkout at `project` (so the
 * SDK import and the sandbox's import map are in effect). Refuses a folder
 * that exists and is not empty. Returns what to do next.
 *
 * @example
 * ```ts ignore
 * console.log(newPlugin("/tmp/myplugin", "/src/pandeno/"));
 * ```
 */
export function newPlugin(dir: string, project: string): string {
  try {
    for (const _ of Deno.readDirSync(dir)) {
      throw new Error(`new-plugin: ${dir} exists and is not empty`);
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  const name = basename(dir).toLowerCase().replace(/[^a-z0-9_-]/g, "_")
    .replace(/^[^a-z]+/, "") || "my_plugin";
  const slash = project.endsWith("/") ? project : `${project}/`;
  const root = pathToFileURL(slash).href;
  Deno.mkdirSync(dir, { recursive: true });
  Deno.writeTextFileSync(join(dir, "plugin.ts"), PLUGIN(name));
  Deno.writeTextFileSync(join(dir, "plugin_test.ts"), TEST(name, root));
  Deno.writeTextFileSync(join(dir, "deno.json"), CONFIG(slash));
  return `created ${dir}: plugin.ts (plugin "${name}"), plugin_test.ts, deno.json
next: cd ${dir} && deno task check && deno task test
run it: pandeno --plugin ${join(dir, "plugin.ts")},verbose=on PROGRAM`;
}
