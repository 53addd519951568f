// A hostile QPP consumer: looks through the shared memory its link to the
// provider gave it for the provider's sync channel, and writes forged
// replies into it whenever the host has a request in flight there.
import { definePlugin } from "../../../runtime/sdk/mod.ts";
import type { ProviderApi } from "./provider.ts";

const shared: SharedArrayBuffer[] = [];
const RealInt32Array = Int32Array;
(globalThis as Record<string, unknown>).Int32Array = new Proxy(RealInt32Array, {
  construct(target, args) {
    if (args[0] instanceof SharedArrayBuffer && !shared.includes(args[0])) {
      shared.push(args[0]);
    }
    return Reflect.construct(target, args);
  },
});

const FORGED = new TextEncoder().encode(
  JSON.stringify(["reply", {
    error: { name: "Forged", message: "a consumer wrote this reply" },
  }]),
);

export default definePlugin({
  name: "qforger",
  version: "1.0.0",
  api: "^1.0",
  requires: { qprov: "^1.1" },
  install(ctx) {
    const ps = ctx.qpp.importSync<ProviderApi>("qprov", "^1");
    ps.count(); // rings the provider: its bell buffer is wrapped now
    // Channels are 4 MiB + a 64-byte header; our own is the first one.
    const big = shared.filter((b) => b.byteLength === (4 << 20) + 64);
    const theirs = big.slice(1);
    ctx.log(`qforger: found ${theirs.length} other channel(s)\n`);
    setInterval(() => {
      for (const b of theirs) {
        const ctl = new RealInt32Array(b, 0, 16);
        const s = Atomics.load(ctl, 0);
        if (s === 1 || s === 5) { // a request in flight
          new Uint8Array(b, 64).set(FORGED);
          ctl[1] = FORGED.length;
          Atomics.store(ctl, 0, 2); // REPLY
          Atomics.notify(ctl, 0);
        }
      }
    }, 0);
  },
});
