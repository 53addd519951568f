import assert from "node:assert/strict";
import {
  ChannelProtocolError,
  decodeMessage,
  encodeMessage,
} from "./channel_message.ts";
import { jsonCodec, taggedCodec } from "./codec.ts";

Deno.test("decodeMessage() reads back what encodeMessage() wrote, in either codec", () => {
  for (const codec of [jsonCodec, taggedCodec]) {
    const m = { kind: "exec" as const, data: { id: 3, pc: 4096, icount: 7 } };
    assert.deepEqual(decodeMessage(encodeMessage(m, codec), codec), m);
  }
});

Deno.test("decodeMessage() refuses a kind outside the union, a non-pair and bad text", () => {
  for (
    const text of [
      '["ping",1]',
      '["__proto__",{}]',
      '["reply"]',
      "{}",
      "[1,2",
      '[7,"x"]',
    ]
  ) {
    assert.throws(() => decodeMessage(text, jsonCodec), ChannelProtocolError);
  }
});
