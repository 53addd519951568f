import assert from "node:assert/strict";
import { inWorker, RECORDER } from "./_in_worker.ts";

const BUDGET = new URL("./memory_budget.ts", import.meta.url).href;

const run = (body: string) =>
  inWorker(
    `import { installMemoryBudget } from ${JSON.stringify(BUDGET)};
const reports = [];
const budget = installMemoryBudget({ bytes: 64 << 20, onExceeded: (m) => reports.push(m), sampleMs: 0 });
${RECORDER}
${body}
postMessage({ out, reports, charged: budget.charged() });`,
    "none",
  ) as Promise<
    { out: Record<string, string>; reports: string[]; charged: number }
  >;

Deno.test("memory budget: WebAssembly memories need a maximum and are charged it", async () => {
  const { out, reports } = await run(`
await t("no maximum", () => new WebAssembly.Memory({ initial: 1 }));
await t("small", () => new WebAssembly.Memory({ initial: 1, maximum: 16 }).buffer.byteLength);
const keep = [];
await t("loop", () => { for (;;) keep.push(new WebAssembly.Memory({ initial: 1, maximum: 1 })); });
await t("after", () => new ArrayBuffer(8));`);
  assert.match(out["no maximum"], /must declare a maximum/);
  assert.equal(out.small, "ok 65536");
  assert.match(
    out.loop,
    /^refused BudgetExceeded: memory budget of 64 MiB exceeded \(more than 16 WebAssembly memories\)/,
  );
  assert.match(out.after, /^refused BudgetExceeded/);
  assert.equal(reports.length, 1);
});

Deno.test("memory budget: a module's own memory is charged its declared maximum", async () => {
  // (module (memory 1)): no maximum, so 4 GiB.
  const { out } = await run(`
const bin = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 5, 3, 1, 0, 1]);
await t("instance", () => new WebAssembly.Instance(new WebAssembly.Module(bin)));
await t("async", async () => (await WebAssembly.instantiate(bin)).instance);`);
  assert.match(
    out.instance,
    /^refused BudgetExceeded: .*WebAssembly memory of 4096 MiB/,
  );
  assert.match(out.async, /^refused BudgetExceeded/);
});

Deno.test("memory budget: species and constructor routes are charged too", async () => {
  for (
    const body of [
      "new (new Uint8Array(1).constructor)(1 << 30)",
      "new Uint8Array(40 << 20).slice().length",
      "new ArrayBuffer(40 << 20).slice(0).byteLength",
      "new ArrayBuffer(8, { maxByteLength: 1 << 30 })",
      "new Uint8Array(40 << 20).map((x) => x).length",
    ]
  ) {
    const { out, reports } = await run(`await t("x", () => ${body});`);
    assert.match(out.x, /^refused BudgetExceeded/, body);
    assert.equal(reports.length, 1);
  }
});

Deno.test("memory budget: buffers and typed arrays are charged before they allocate", async () => {
  const { out, charged } = await run(`
await t("small", () => new Uint8Array(1024).length);
await t("view", () => new Uint32Array(new SharedArrayBuffer(64), 0, 4).length);
await t("huge", () => new Float64Array(1 << 27));
await t("ctor", () => new (new Uint8Array(1).constructor)(1 << 30));
await t("slice", () => { const a = new Uint8Array(40 << 20); return a.slice().length + new Uint8Array(40 << 20).length; });`);
  assert.equal(out.small, "ok 1024");
  assert.equal(out.view, "ok 4");
  assert.match(out.huge, /^refused BudgetExceeded: .*Float64Array of 1024 MiB/);
  assert.match(out.ctor, /^refused BudgetExceeded/);
  assert.match(out.slice, /^refused BudgetExceeded/);
  assert.ok(charged < 64 << 20);
});
