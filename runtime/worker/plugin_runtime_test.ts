import assert from "node:assert/strict";
import { PluginRuntime } from "./plugin_runtime.ts";
import { PluginArgs } from "../sdk/plugin_args.ts";
import { packBlock } from "../wire/block.ts";
import type { ChannelMessage } from "../wire/channel.ts";

Deno.test("retranslating and freeing the same blocks 100,000 times keeps the worker's tables flat", () => {
  const rt = new PluginRuntime("flat", new PluginArgs("flat", []), undefined);
  rt.ctx.onTbTrans((tb) => {
    for (const insn of tb.insns) insn.onExec(() => {});
    tb.onExec(() => {}, { mode: "sync" });
    tb.insn(0).onMem(() => {});
  });
  const handle = (m: ChannelMessage) =>
    (rt as unknown as { handle(m: ChannelMessage): unknown }).handle(m);
  const blocks = [0x10000, 0x10100].map((pc) =>
    packBlock(pc, [
      { pc, bytes: new Uint8Array([0x13, 0x05, 0x10, 0x00]) }, // li a0, 1
      { pc: pc + 4, bytes: new Uint8Array([0x05, 0x45]) }, // c.li a0, 1
    ])
  );
  let first: ReturnType<typeof sizes> | undefined;
  const sizes = () => rt.tableSizes;
  for (let round = 0; round < 100_000; round++) {
    const plans = handle({
      kind: "tb",
      data: { blocks, free: round > 0 ? [0x10000, 0x10100] : undefined },
    }) as unknown[];
    assert.equal(plans.length, 2);
    if (round === 0) first = { ...sizes() };
  }
  assert.ok(first!.handlers > 0);
  assert.deepEqual(sizes(), first);
});
