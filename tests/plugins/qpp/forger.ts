// A hostile QPP consumer: looks through the shared memory its link to the
// provider gave it for the provider's sync channel, and writes forged
// replies into it whenever the host has a request in flight there.
import { definePlugin } from "../../../runtime/sdk/mod.ts";
import type { ProviderApi } from "./provider.ts";

/**
 * Every SharedArrayBuffer the runtime passes to Atomics, in order: how any
 * plugin can reach the shared memory it was given (typed-array
 * constructors are locked; Atomics is not).
 */
const shared: SharedArrayBuffer[] = [];
const atomics = Atomics as unknown as Record<
  string,
  (...a: unknown[]) => unknown
>;
for (const key of ["load", "store", "add", "wait", "notify"]) {
  const real = atomics[key];
  atomics[key] = (...a: unknown[]) => {
    const b = (a[0] as { buffer?: unknown } | undefined)?.buffer;
    if (b instanceof SharedArrayBuffer && !shared.includes(b)) shared.push(b);
    return real.apply(Atomics, a);
  };
}
const RealInt32Array = Int32Array;

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
    // Channels are 4 MiB + a 64-byte header. Our own is not in use yet
    // (it serves after install), so any seen so far is someone else's.
    const theirs = shared.filter((b) => b.byteLength === (4 << 20) + 64);
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
