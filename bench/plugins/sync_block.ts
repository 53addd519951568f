/**
 * Bench-only plugin: a sync exec callback on every block that does nothing
 * but count. The vCPU waits for each call, so the run measures one
 * emulator -> plugin Worker round trip per executed block. Prints
 * `sync blocks: N` at exit. Takes no arguments.
 *
 * @module
 */

import { definePlugin, type PluginDefinition } from "../../runtime/sdk/mod.ts";

/**
 * The `sync_block` plugin definition.
 *
 * @example
 * ```ts ignore
 * // deno task run --plugin ./bench/plugins/sync_block.ts ./tests/guests/bin/hello.elf
 * // stderr: sync blocks: 1623
 * import syncBlock from "./sync_block.ts";
 * console.log(syncBlock.name); // "sync_block"
 * ```
 */
export default definePlugin({
  name: "sync_block",
  version: "1.0.0",
  api: "^1.0",
  install(ctx) {
    let blocks = 0;
    ctx.onTbTrans((tb) => {
      tb.onExec(() => void blocks++, { mode: "sync", access: "none" });
    });
    ctx.onAtExit(() => ctx.log(`sync blocks: ${blocks}\n`));
  },
}) as PluginDefinition;
