/**
 * Fuzzing plugin: from a sync exec callback registered read-only, sends the
 * host `calls=N` nested calls (default 100,000) of random and mutated
 * kinds and arguments, speaking the channel's protocol itself over the
 * shared memory it captured, and writes random words all over its board
 * between them. When done, it sends one undecodable message, which must
 * unload it. Logs `fuzz_wire: N calls, E refused` first.
 *
 * @module
 */

import { definePlugin } from "../../runtime/sdk/mod.ts";

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
let board: SharedArrayBuffer | undefined;
const RealDataView = DataView;
(globalThis as Record<string, unknown>).DataView = new Proxy(RealDataView, {
  construct(target, args) {
    if (args[0] instanceof SharedArrayBuffer) board ??= args[0];
    return Reflect.construct(target, args);
  },
});

/**
 * Nested call kinds (not "log": its text would land among insn's and
 * strace's lines), and kinds of the channel's union that are no nested
 * call. A kind outside the union does not decode and unloads the sender at
 * once (runtime/wire/channel_message_test.ts), so none is drawn here: the
 * run would end after a few calls.
 */
const KINDS = [
  "registers",
  "readreg",
  "writereg",
  "setpc",
  "readmem",
  "readstr",
  "writemem",
  "exec",
  "reply",
  "answer",
  "qpp",
];

export default definePlugin({
  name: "fuzz_wire",
  version: "1.0.0",
  api: "^1.0",
  install(ctx, args) {
    const total = args.int("calls", 100_000, { min: 1 });
    let seed = args.int("seed", 1) >>> 0 || 1;
    const rnd = () => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) / 2 ** 32;
    };
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
    const num = (): unknown =>
      pick([
        0,
        -1,
        1.5,
        2 ** 31,
        2 ** 53,
        -(2 ** 63),
        1e308,
        NaN,
        Math.floor(rnd() * 2 ** 32),
        Math.floor(rnd() * 4096),
        0x10000 + Math.floor(rnd() * 0x1000),
      ]);
    const value = (depth = 0): unknown => {
      switch (Math.floor(rnd() * (depth > 2 ? 4 : 7))) {
        case 0:
          return num();
        case 1:
          return pick([
            "a0",
            "pc",
            "x99",
            "",
            "1.5",
            "-1",
            "ff",
            "zz",
            "9".repeat(30),
          ]);
        case 2:
          return pick([null, true, false]);
        case 3:
          return String(num());
        case 4:
          return [value(depth + 1), value(depth + 1)];
        case 5:
          return { ret: value(depth + 1), skip: value(depth + 1) };
        default:
          return Array.from(
            { length: Math.floor(rnd() * 4) },
            () => value(depth + 1),
          );
      }
    };
    const enc = new TextEncoder();
    let sent = 0, refused = 0, done = false;
    /** One nested call, written the way the runtime's channel writes it. */
    const call = (ch: SharedArrayBuffer, kind: string, data: unknown) => {
      const ctl = new RealInt32Array(ch, 0, 16);
      const bytes = new Uint8Array(ch, 64);
      const { written } = enc.encodeInto(JSON.stringify([kind, data]), bytes);
      ctl[1] = written!;
      Atomics.store(ctl, 0, 3); // CALL
      Atomics.notify(ctl, 0);
      while (Atomics.load(ctl, 0) === 3) Atomics.wait(ctl, 0, 3, 100);
      const len = ctl[1];
      const answer = JSON.parse(
        new TextDecoder().decode(bytes.slice(0, len)),
      ) as [string, { error?: unknown }];
      if (answer[1]?.error) refused++;
      Atomics.store(ctl, 0, 5); // BUSY
    };
    const scribble = () => {
      if (!board) return;
      const w = new Uint32Array(board);
      for (let k = 0; k < 8; k++) {
        w[Math.floor(rnd() * w.length)] = Math.floor(rnd() * 2 ** 32);
      }
    };
    ctx.onTbTrans((tb) =>
      tb.onExec(() => {
        const ch = shared.find((b) => b.byteLength === (4 << 20) + 64);
        if (!ch || done) return;
        for (let k = 0; k < 200 && sent < total; k++, sent++) {
          const kind = pick(KINDS);
          call(ch, kind, value());
          scribble();
        }
        if (sent >= total) {
          done = true;
          ctx.log(`fuzz_wire: ${sent} calls, ${refused} refused\n`);
          // Last, a message that does not decode: the host unloads us.
          const ctl = new RealInt32Array(ch, 0, 16);
          new Uint8Array(ch, 64).set([0x7b, 0x7b, 0x7b]);
          ctl[1] = 3;
          Atomics.store(ctl, 0, 3);
          Atomics.notify(ctl, 0);
          while (Atomics.load(ctl, 0) === 3) Atomics.wait(ctl, 0, 3, 100);
        }
      }, { mode: "sync", access: "read" })
    );
  },
});
