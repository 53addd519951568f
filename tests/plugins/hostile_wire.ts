/**
 * Hostile plugin: attacks the wire between its Worker and the host, one way
 * per run, chosen by `attack=NAME`. It reaches the shared memory it was
 * given the way any plugin can: by wrapping the typed-array constructors
 * before the runtime builds its views, so every SharedArrayBuffer the
 * runtime wraps is captured. Each attack must unload this plugin alone,
 * with one line, and leave the guest and the other plugins untouched.
 *
 * @module
 */

import { definePlugin, type ScoreboardEntry } from "../../runtime/sdk/mod.ts";

/** Every SharedArrayBuffer the runtime wrapped in an Int32Array, in order. */
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
/** The board: the one DataView the runtime makes over shared memory. */
let board: SharedArrayBuffer | undefined;
const RealDataView = DataView;
(globalThis as Record<string, unknown>).DataView = new Proxy(RealDataView, {
  construct(target, args) {
    if (args[0] instanceof SharedArrayBuffer) board ??= args[0];
    return Reflect.construct(target, args);
  },
});

/** The channel: the first buffer wrapped with a 64-byte control header. */
const channel = () =>
  shared.find((b) => b.byteLength > 1 << 20 && b !== board)!;

/** A nested call written the way the runtime's channel writes it. */
function nestedCall(ch: SharedArrayBuffer, kind: string, data: unknown) {
  const ctl = new RealInt32Array(ch, 0, 16);
  const bytes = new Uint8Array(ch, 64);
  const { written } = new TextEncoder().encodeInto(
    JSON.stringify([kind, data]),
    bytes,
  );
  ctl[1] = written!;
  Atomics.store(ctl, 0, 3); // CALL
  Atomics.notify(ctl, 0);
  while (Atomics.load(ctl, 0) === 3) Atomics.wait(ctl, 0, 3, 100);
  const answer = JSON.parse(
    new TextDecoder().decode(bytes.slice(0, ctl[1])),
  ) as [string, unknown];
  Atomics.store(ctl, 0, 5); // BUSY
  return answer[1];
}

export default definePlugin({
  name: "hostile_wire",
  version: "1.0.0",
  api: "^1.0",
  install(ctx, args) {
    const attack = args.string("attack", "none");
    let n = 0;
    switch (attack) {
      case "filter_ret":
        // A filter result the host cannot turn into a 64-bit value.
        ctx.onSyscallFilter(() => ({
          skip: true,
          ret: 1.5 as unknown as bigint,
        }));
        return;
      case "score_offset":
        // A hand-made scoreboard entry far outside the board.
        ctx.onTbTrans((tb) =>
          tb.inlineAdd({ offset: 2 ** 31 } as unknown as ScoreboardEntry, 1)
        );
        return;
      case "cond_op": {
        const sb = ctx.scoreboard(1);
        ctx.onTbTrans((tb) =>
          tb.onExecIf(
            { entry: sb.entry(0), op: "xor" as "eq", value: 0 },
            () => {},
          )
        );
        return;
      }
      case "ring_header":
        // Batched events, then the ring header overwritten from a callback:
        // head and limit huge, base past the end of the board.
        ctx.onTbTrans((tb) =>
          tb.onExec(() => {
            const hdr = new Uint32Array(board!, 0, 4);
            hdr[0] = 0x7fff_fff0;
            hdr[1] = 0xffff_ffff;
            hdr[2] = 0xffff_0000;
          })
        );
        return;
      case "busy": {
        // The channel's state word set to "busy" whenever the host left it
        // idle, from the worker's event loop.
        ctx.onTbTrans((tb) => tb.onExec(() => {}));
        setInterval(() => {
          const ctl = new RealInt32Array(channel(), 0, 16);
          if (Atomics.load(ctl, 0) === 0) Atomics.store(ctl, 0, 5);
        }, 1);
        return;
      }
      case "progress":
        // A sync callback that never returns but keeps bumping the words a
        // host might take for progress.
        ctx.onTbTrans((tb) =>
          tb.onExec(() => {
            const ctl = new RealInt32Array(channel(), 0, 16);
            for (;;) {
              Atomics.add(ctl, 3, 64);
              Atomics.add(ctl, 2, 1);
            }
          }, { mode: "sync" })
        );
        return;
      case "log_forever":
        // A batched callback that never returns but logs all the time: the
        // log chunks it sends while the host waits for its drain must not
        // count as progress.
        ctx.onTbTrans((tb) =>
          tb.onExec(() => {
            for (;;) ctx.log("x".repeat(1023) + "\n"); // lines fit log chunks
          })
        );
        return;
      case "ids": {
        // Callback ids past the host's id space in its plans (the reply
        // rewritten on its way out): packed, they would name the next
        // plugin's callbacks.
        ctx.onTbTrans((tb) => tb.onExec(() => {}, { mode: "sync" }));
        const stringify = JSON.stringify;
        JSON.stringify = ((v: unknown, ...rest: unknown[]) => {
          const r = Array.isArray(v) && v[0] === "reply"
            ? (v[1] as { r?: unknown }).r
            : undefined;
          if (Array.isArray(r)) {
            for (const plan of r) {
              for (const [, p] of plan.insns ?? []) {
                for (const c of p.calls ?? []) c.id += 1 << 20;
              }
              for (const c of plan.block?.calls ?? []) c.id += 1 << 20;
            }
          }
          return (stringify as (...a: unknown[]) => string)(v, ...rest);
        }) as typeof JSON.stringify;
        return;
      }
      case "write_readonly":
        // A register write from a callback registered read-only; the error
        // is caught and reported, and the plugin goes on.
        ctx.onTbTrans((tb) =>
          tb.onExec(() => {
            if (n++ > 0) return;
            try {
              ctx.writeRegister("a0", 7n);
              ctx.log("hostile_wire: write went through\n");
            } catch (e) {
              ctx.log(`hostile_wire: refused: ${(e as Error).message}\n`);
            }
          }, { mode: "sync", access: "read" })
        );
        return;
      case "write_in_tb":
        // Guest memory written from a translation hook, asked of the host
        // directly over the channel (past the runtime's own check).
        ctx.onTbTrans((tb) => {
          if (n++ > 0) return;
          const answer = nestedCall(channel(), "writemem", [
            tb.vaddr,
            "00000000",
          ]) as { error?: { message: string } };
          ctx.log(
            answer.error
              ? `hostile_wire: refused: ${answer.error.message}\n`
              : "hostile_wire: write went through\n",
          );
        });
        return;
      case "reply_garbage":
        // The reply length set past the buffer, then a bogus reply posted.
        ctx.onTbTrans((tb) =>
          tb.onExec(() => {
            const ctl = new RealInt32Array(channel(), 0, 16);
            ctl[1] = 0x7fff_ffff;
            Atomics.store(ctl, 0, 2);
            Atomics.notify(ctl, 0);
            for (;;) { /* the host has the "reply" */ }
          }, { mode: "sync" })
        );
        return;
    }
  },
});
