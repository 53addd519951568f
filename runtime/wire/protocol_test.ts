import assert from "node:assert/strict";
import { decodeMessage, MAX_LOG_TEXT, PendingRequests } from "./protocol.ts";

Deno.test("decodeMessage() turns anything malformed into a protocol-error", () => {
  for (
    const bad of [42, null, "log", [1], { type: "nope" }, { type: "log" }, {
      type: "installed",
      id: -1,
    }]
  ) {
    assert.equal(
      decodeMessage(bad).type,
      "protocol-error",
      JSON.stringify(bad),
    );
  }
  const huge = decodeMessage({ type: "z".repeat(1_000_000) });
  assert.ok(huge.type === "protocol-error" && huge.reason.length < 100);
});

Deno.test("decodeMessage() cuts long log lines", () => {
  const m = decodeMessage({ type: "log", text: "a".repeat(MAX_LOG_TEXT + 10) });
  assert.ok(
    m.type === "log" && m.text.endsWith("[10 more characters dropped]"),
  );
});

Deno.test("PendingRequests matches replies by id and times out", async () => {
  const p = new PendingRequests();
  let sent = -1;
  const r = p.request((id) => sent = id, 1000);
  assert.equal(p.settle({ type: "installed", id: sent + 1 }), false);
  assert.equal(p.settle({ type: "installed", id: sent }), true);
  assert.deepEqual(await r, { type: "installed", id: sent });
  await assert.rejects(p.request(() => {}, 10), { name: "TimeoutError" });
});
