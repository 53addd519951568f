import assert from "node:assert/strict";
import { moduleImports } from "./module_imports.ts";

const specs = (text: string) =>
  moduleImports(text).imports.map((i) =>
    (i.typeOnly ? "type:" : "") + i.specifier
  );
const refused = (text: string) => moduleImports(text).refusals.length > 0;
/** Refused, or the dangerous specifier is among the imports the graph checks. */
const caught = (text: string) => {
  const r = moduleImports(text);
  return r.refusals.length > 0 ||
    r.imports.some((i) => !/^\.{1,2}\//.test(i.specifier));
};

Deno.test("moduleImports() finds every static import and re-export form", () => {
  assert.deepEqual(
    specs(`import "./a.ts";
import d, { b as c, "x y" as z } from './b.ts';
import * as ns from "./c.ts";
import type { T } from "./d.ts";
import { type U } from "./e.ts";
export * from "./f.ts";
export * as g from "./g.ts";
export { h } from "./h.ts";
export type { I } from "./i.ts";
import/**/ j /**/ from /**/ "./j.ts";
import type from "./k.ts";
export { local };
export const x = 1;`),
    [
      "./a.ts",
      "./b.ts",
      "./c.ts",
      "type:./d.ts",
      "./e.ts",
      "./f.ts",
      "./g.ts",
      "./h.ts",
      "type:./i.ts",
      "./j.ts",
      "./k.ts",
    ],
  );
});

Deno.test("moduleImports() ignores imports in comments, strings and member names", () => {
  assert.deepEqual(
    specs(`// import x from "./no.ts";
/** import { a } from "../runtime/plugin_args.ts"; */
const s = "import y from './no.ts'";
const t = \`import z from "./no.ts" \${1}\`;
ctx.qpp.import<Api>("syscalls", "^1");
ctx.qpp.import("syscalls", "^1");
const o = { import: 1, export: 2 };
import { ok } from "./yes.ts";`),
    ["./yes.ts"],
  );
});

Deno.test("moduleImports() refuses dynamic imports and import.meta anywhere", () => {
  for (
    const text of [
      `await import("node:fs");`,
      `const m = import ( "./x.ts" );`,
      `import/**/("x")`,
      `const u = import.meta.resolve("fs");`,
      `[...import("x")]`,
      `1.\nimport("fs")`,
      `const s = "import('fs')";`,
      `// import("fs") in a comment`,
      `type F = typeof import("node:fs");`,
    ]
  ) assert.ok(refused(text), text);
});

Deno.test("moduleImports() refuses non-declaration imports and module directives", () => {
  for (
    const text of [
      `import fs = require("fs");`,
      `// @ts-types="npm:@types/x"\nimport x from "./x.js";`,
      `/// <reference types="npm:@types/node" />`,
      `/** @jsxImportSource npm:preact */`,
      `const s = "unterminated`,
      "const t = `unterminated",
      `/* unterminated`,
    ]
  ) assert.ok(refused(text), text);
});

Deno.test("moduleImports() refuses dangerous specifiers hidden from the lexer", () => {
  // The lexer takes "/" after `if (x)` ... for a regex here and may lose
  // track; whatever it decides, a bare or node: import anywhere is refused.
  for (
    const text of [
      `if (x) /"/; import fs from "node:fs"; //"/`,
      `a = b\n/"/; export * from "fs"; //"/`,
      `class A<T> {}\n/"/; import x from "npm:left-pad"; //"/`,
      `const s = 'import x from "data:text/javascript,1"';`,
      `/* import x from "jsr:@std/fs" */`,
    ]
  ) assert.ok(caught(text), text);
  // ... while a relative one in a doc comment is fine: left unrewritten it
  // would not resolve from a blob: module anyway.
  assert.ok(!refused(`/** import { a } from "../runtime/plugin_args.ts"; */`));
});

Deno.test("moduleImports() reads regular expressions and division apart", () => {
  assert.deepEqual(
    specs(`const r = /"import('x')"/; // a regex holding quotes
const d = a / b / c;
if (ok) /'/.test(s);
const n = x! / 2;
import { z } from "./z.ts";`).filter((s) => s === "./z.ts"),
    ["./z.ts"],
  );
});
