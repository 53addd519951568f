// A QPP provider for tests: counts system calls, exports functions and an
// on_syscall callback; `fail=N` makes it throw at the Nth system call;
// `ticks=N` emits on_tick, with the instruction's icount, from a batched
// exec callback every Nth instruction.
import { definePlugin, type ExecEvent } from "../../../runtime/sdk/mod.ts";

/** Functions the provider exports. */
export interface ProviderApi {
  add(a: number, b: number): number;
  count(): number;
  big(v: bigint): bigint;
  nothing(): void;
}

/** Callbacks the provider runs. */
export interface ProviderEvents {
  on_syscall: { name: string; n: number };
  on_tick: { icount: number };
}

export default definePlugin({
  name: "qprov",
  version: "1.2.0",
  api: "^1.0",
  install(ctx, args) {
    let n = 0;
    const fail = args.int("fail", 0);
    ctx.qpp.export<ProviderApi>({
      add: (a, b) => a + b,
      count: () => n,
      big: (v) => v * 2n,
      nothing: () => {},
    });
    const cb = ctx.qpp.callbacks<ProviderEvents>();
    ctx.onSyscall((e) => {
      n++;
      if (n === fail) throw new Error(`provider fails at syscall ${n}`);
      if (cb.wanted("on_syscall")) cb.run("on_syscall", { name: e.name, n });
    });
    const every = args.int("ticks", 0);
    if (every > 0) {
      let k = 0;
      // One function for every instruction: the drain's fastest path.
      const tick = (e: ExecEvent) => {
        if (++k % every === 0) cb.run("on_tick", { icount: e.icount });
      };
      ctx.onTbTrans((tb) => {
        for (const insn of tb.insns) insn.onExec(tick);
      });
    }
  },
});
