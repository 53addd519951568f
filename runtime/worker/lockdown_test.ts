import assert from "node:assert/strict";
import { inWorker, RECORDER } from "./_in_worker.ts";

const LOCKDOWN = new URL("./lockdown.ts", import.meta.url).href;

Deno.test("lockDown() closes signals, kills, exits and code from strings, and keeps the rest working", async () => {
  const { out, logs } = await inWorker(
    `import { lockDown } from ${JSON.stringify(LOCKDOWN)};
const logs = [];
lockDown({ post: (m) => logs.push(m.type + " " + m.via + " " + m.code), close: () => logs.push("close"),
  log: (t) => logs.push(t) });
${RECORDER}
await t("Deno.addSignalListener", () => Deno.addSignalListener("SIGINT", () => {}));
await t("process.on SIGINT", () => process.on("SIGINT", () => {}));
await t("process.once SIGTERM", () => process.once("SIGTERM", () => {}));
await t("process._kill", () => process._kill(Deno.pid, 9));
await t("process.kill", () => process.kill(Deno.pid, "SIGKILL"));
await t("Deno.kill", () => Deno.kill(Deno.pid, "SIGKILL"));
await t("process.abort", () => process.abort());
await t("Deno.exit", () => Deno.exit(3));
await t("process.reallyExit", () => process.reallyExit(4));
await t("eval", () => eval("1"));
await t("Function", () => Function("return 1")());
await t("function constructor", () => (function () {}).constructor("return 1")());
await t("async function constructor", () => (async function () {}).constructor("return 1"));
await t("setTimeout string", () => setTimeout("1"));
await t("process.binding", () => process.binding("fs"));
await t("process.getBuiltinModule", () => process.getBuiltinModule("fs"));
await t("Worker", () => new Worker("data:text/javascript,1"));
await t("internal", () => Deno[Deno.internal] === undefined);
await t("report", () => process.report === undefined);
await t("cwd", () => Deno.cwd() + process.cwd());
await t("execPath", () => Deno.execPath() + process.execPath + process.argv.join());
await t("console", () => console.log("to the log"));
await t("_rawDebug", () => process._rawDebug("raw"));
await t("process.on exit", () => typeof process.on("exit", () => {}));
await t("setTimeout function", () => typeof setTimeout(() => {}, 0));
await t("instanceof Function", () => (() => 1) instanceof Function);
postMessage({ out, logs });`,
    "none",
  ) as { out: Record<string, string>; logs: string[] };
  for (
    const k of [
      "Deno.addSignalListener",
      "process.on SIGINT",
      "process.once SIGTERM",
      "process._kill",
      "process.kill",
      "Deno.kill",
      "process.abort",
      "Deno.exit",
      "process.reallyExit",
      "eval",
      "Function",
      "function constructor",
      "async function constructor",
      "setTimeout string",
      "process.binding",
      "process.getBuiltinModule",
      "Worker",
    ]
  ) assert.match(out[k], /^refused NotCapable/, `${k}: ${out[k]}`);
  assert.equal(out.internal, "ok true");
  assert.equal(out.report, "ok true");
  assert.equal(out.cwd, "ok ..");
  assert.equal(out.execPath, "ok denodenodeno");
  assert.equal(out["process.on exit"], "ok object");
  assert.match(out["setTimeout function"], /^ok /);
  assert.equal(out["instanceof Function"], "ok true");
  assert.deepEqual(logs, [
    "exit Deno.exit 3",
    "exit process.reallyExit 4",
    "to the log\n",
    "raw\n",
  ]);
});
