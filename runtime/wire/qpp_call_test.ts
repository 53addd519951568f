import assert from "node:assert/strict";
import { Channel } from "./channel.ts";
import { createQppChannel, qppCall, qppChannel, qppServe } from "./qpp_call.ts";
import { QppUnavailableError } from "../sdk/qpp_api.ts";

Deno.test("a QPP call is a Channel request served by serveOne, values kept", () => {
  const buf = createQppChannel(), bell = new SharedArrayBuffer(4);
  const caller = qppChannel(buf, bell), callee = qppChannel(buf, bell);
  caller.send({
    kind: "qpp",
    data: { fn: "f", args: [1n, new Uint8Array([7])] },
  });
  let seen: unknown;
  assert.equal(qppServe(callee, (req) => (seen = req, 2n ** 70n)), true);
  assert.deepEqual(seen, { fn: "f", args: [1n, new Uint8Array([7])] });
  assert.deepEqual(caller.wait(100).data, { ok: 2n ** 70n });
  assert.equal(qppServe(callee, () => 0), false);
});

Deno.test("a callee's throw reaches the caller as an error reply", () => {
  const buf = createQppChannel(), bell = new SharedArrayBuffer(4);
  const caller = qppChannel(buf, bell), callee = qppChannel(buf, bell);
  caller.send({ kind: "qpp", data: {} });
  qppServe(callee, () => {
    throw new RangeError("nope");
  });
  const r = caller.wait(100);
  assert.deepEqual(r, {
    kind: "error",
    data: { name: "RangeError", message: "nope" },
  });
});

Deno.test("a closed QPP channel fails calls with QppUnavailableError", () => {
  const buf = createQppChannel();
  Channel.close(buf);
  assert.throws(
    () => qppCall(qppChannel(buf, new SharedArrayBuffer(4)), {}, "prov"),
    QppUnavailableError,
  );
});
