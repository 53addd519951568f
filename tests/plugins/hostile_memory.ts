/**
 * Hostile plugin: tries to take the emulator down through memory, from a
 * sync syscall callback. `mode=wasm` reserves WebAssembly memories in a
 * loop (unguarded, this aborts the whole process, exit 133, in seconds);
 * `mode=buffers` allocates and touches 64 MiB buffers; `mode=retain` keeps
 * 8 MiB of JS objects per callback over many short callbacks.
 *
 * @module
 */

import { definePlugin } from "../../runtime/sdk/mod.ts";

const kept: unknown[] = [];

export default definePlugin({
  name: "hostile_memory",
  version: "1.0.0",
  api: "^1.0",
  install(ctx, args) {
    const mode = args.string("mode", "wasm");
    ctx.onSyscall(() => {
      if (mode === "wasm") {
        for (;;) kept.push(new WebAssembly.Memory({ initial: 1, maximum: 1 }));
      } else if (mode === "buffers") {
        for (;;) kept.push(new Uint8Array(64 << 20).fill(1));
      } else {
        kept.push(Array.from({ length: 1 << 20 }, (_, i) => i + 0.5));
      }
    });
  },
});
