// A QPP consumer for tests: calls the provider async and sync, listens to
// its callbacks, and reports at exit (or when the provider disappears);
// `die=N` listens synchronously and throws from its own hook at syscall N.
import { definePlugin, QppDeadlockError } from "../../../runtime/sdk/mod.ts";
import type { ProviderApi, ProviderEvents } from "./provider.ts";

export default definePlugin({
  name: "qcons",
  version: "1.0.0",
  api: "^1.0",
  requires: { qprov: "^1.1" },
  async install(ctx, args) {
    const p = ctx.qpp.import<ProviderApi>("qprov", "^1");
    const ps = ctx.qpp.importSync<ProviderApi>("qprov", "^1");
    ctx.log(
      `async add ${await p.add(2, 3)} sync add ${ps.add(4, 5)} big ${
        ps.big(1n << 62n)
      } nothing ${await p.nothing()}\n`,
    );
    const seen: { n: number; icount: number; seq: number }[] = [];
    ctx.qpp.on<ProviderEvents, "on_syscall">(
      "qprov",
      "on_syscall",
      (e, meta) => {
        seen.push({ n: e.n, icount: meta.icount, seq: meta.seq });
      },
    );
    // QPP stamps an event with the icount of the instruction whose
    // callback emitted it: the provider's on_tick says which that was.
    let ticks = 0, stampedOff = 0;
    ctx.qpp.on<ProviderEvents, "on_tick">("qprov", "on_tick", (e, meta) => {
      ticks++;
      if (e.icount !== meta.icount) stampedOff++;
    });
    ctx.qpp.onUnavailable("qprov", (why) => {
      ctx.log(`provider gone: ${why}\n`);
      p.count().then(
        () => ctx.log("late call succeeded?!\n"),
        (e) => ctx.log(`late call rejected: ${(e as Error).name}\n`),
      );
    });
    const die = args.int("die", 0);
    if (die > 0) {
      // Listens synchronously, then fails on its own at the die-th call.
      let calls = 0;
      ctx.qpp.on<ProviderEvents, "on_syscall">("qprov", "on_syscall", () => {
      }, { mode: "sync" });
      ctx.onSyscall(() => {
        if (++calls === die) throw new Error(`consumer dies at syscall ${die}`);
      });
    }
    if (args.bool("cycle", false)) {
      // A sync callback that calls back into the provider synchronously.
      ctx.qpp.on<ProviderEvents, "on_syscall">("qprov", "on_syscall", () => {
        try {
          ps.count();
          ctx.log("cycle allowed?!\n");
        } catch (e) {
          if (
            e instanceof QppDeadlockError ||
            (e as Error).name === "QppDeadlockError"
          ) {
            ctx.log(`cycle refused: ${(e as Error).message}\n`);
          } else throw e;
        }
      }, { mode: "sync" });
    }
    ctx.onAtExit(() => {
      const ordered = seen.every((s, i) =>
        i === 0 || (s.icount >= seen[i - 1].icount && s.seq > seen[i - 1].seq)
      );
      ctx.log(`events ${seen.length} ordered ${ordered} count ${ps.count()}\n`);
      ctx.log(`ticks ${ticks} stamped off ${stampedOff}\n`);
    });
  },
});
