import assert from "node:assert/strict";
import { join } from "node:path";
import { crossings, KNOWN_CROSSINGS } from "./layering.ts";

/** A temp tree with the given files (path -> text). */
async function tree(files: Record<string, string>): Promise<string> {
  const root = await Deno.makeTempDir();
  for (const [path, text] of Object.entries(files)) {
    await Deno.mkdir(join(root, path, ".."), { recursive: true });
    await Deno.writeTextFile(join(root, path), text);
  }
  return root;
}

const CLEAN = {
  "core/mod.ts": `export const x = 1;\n`,
  "runtime/wire/protocol.ts": `export const y = 2;\n`,
  "runtime/host/set.ts":
    `import { y } from "../wire/protocol.ts";\nimport { x } from "../../core/mod.ts";\n`,
  "runtime/worker/run.ts": `import { y } from "../wire/protocol.ts";\n`,
  "runtime/sdk/mod.ts": `export const z = 3;\n`,
  "plugins/p.ts":
    `import { z } from "../runtime/sdk/mod.ts";\nimport "./_own.ts";\n/** import "../runtime/host/set.ts"; in a comment is fine */\n`,
  "plugins/_own.ts": `export {};\n`,
};

Deno.test("the layering check passes a tree whose imports go the right way", async () => {
  const root = await tree(CLEAN);
  try {
    assert.deepEqual(await crossings(root), []);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("the layering check fails on each crossing import added on purpose", async () => {
  const cases: [string, string, RegExp][] = [
    ["core/bad.ts", `import "../runtime/wire/protocol.ts";`, /core\//],
    ["runtime/host/bad.ts", `import "../worker/run.ts";`, /host\/ never/],
    [
      "runtime/worker/bad.ts",
      `export * from "../host/set.ts";`,
      /worker\/ never/,
    ],
    ["runtime/wire/bad.ts", `import("../host/set.ts");`, /neither side/],
    [
      "runtime/host/isa.ts",
      `import { d } from "../../core/isa/mod.ts";`,
      /decode/,
    ],
    [
      "runtime/worker/isa.ts",
      `import { decode, type Decoded } from "../../core/isa/decode.ts";`,
      /decode/,
    ],
    [
      "runtime/sdk/isa.ts",
      `export { disassembleWord } from "../../core/isa/disasm.ts";`,
      /decode/,
    ],
    [
      "plugins/bad.ts",
      `import { y } from "../runtime/wire/protocol.ts";`,
      /only the SDK/,
    ],
    ["plugins/node.ts", `import fs from "node:fs";`, /only the SDK/],
  ];
  for (const [path, text, rule] of cases) {
    const root = await tree({ ...CLEAN, [path]: text + "\n" });
    try {
      const found = await crossings(root);
      assert.equal(found.length, 1, `${path}: ${JSON.stringify(found)}`);
      assert.equal(found[0].from, path);
      assert.match(found[0].rule, rule);
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  }
});

Deno.test("the runtime may import ISA types and the syscall convention, which load no decoder", async () => {
  const root = await tree({
    ...CLEAN,
    "runtime/sdk/facts.ts":
      `export type { InsnFacts } from "../../core/isa/insn_facts.ts";\n` +
      `import type { Decoded } from "../../core/isa/types.ts";\n` +
      `export { LINUX_SYSCALL_ABI } from "../../core/isa/syscall_abi.ts";\n`,
  });
  try {
    assert.deepEqual(await crossings(root), []);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("the repository has no crossing imports, and no known exceptions left", async () => {
  const root = new URL("../", import.meta.url).pathname;
  const found = (await crossings(root)).map((c) => `${c.from} -> ${c.to}`);
  assert.deepEqual(found, []);
  assert.equal(KNOWN_CROSSINGS.size, 0);
});
