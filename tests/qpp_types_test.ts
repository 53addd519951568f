// Compile-time checks of QPP's typing: each `@ts-expect-error` line below is
// a misuse that must NOT type-check. If a misuse ever compiled, `deno check`
// (and so `deno test` and `deno task check`) would fail with "Unused
// '@ts-expect-error' directive".
import assert from "node:assert/strict";
import type { PluginContext } from "../runtime/sdk/mod.ts";
import type { ProviderApi, ProviderEvents } from "./plugins/qpp/provider.ts";

function consumer(ctx: PluginContext): void {
  const p = ctx.qpp.import<ProviderApi>("qprov", "^1");
  const ps = ctx.qpp.importSync<ProviderApi>("qprov", "^1");

  // Right: async calls return Promises of the declared results.
  const sum: Promise<number> = p.add(1, 2);
  const n: number = ps.count();
  void sum, n;

  // @ts-expect-error: wrong argument type
  p.add("1", 2);
  // @ts-expect-error: missing argument
  ps.add(1);
  // @ts-expect-error: no such exported function
  p.subtract(1, 2);
  // @ts-expect-error: an async call's result is a Promise, not a number
  const wrong: number = p.count();
  void wrong;
  // @ts-expect-error: bigint function given a number
  ps.big(3);

  ctx.qpp.on<ProviderEvents, "on_syscall">("qprov", "on_syscall", (e) => {
    const name: string = e.name;
    void name;
    // @ts-expect-error: the payload has no field `pc`
    void e.pc;
    // @ts-expect-error: `n` is a number
    const s: string = e.n;
    void s;
  });
  // @ts-expect-error: no such event
  ctx.qpp.on<ProviderEvents, "on_exit">("qprov", "on_exit", () => {});
}

function provider(ctx: PluginContext): void {
  const cb = ctx.qpp.callbacks<ProviderEvents>();
  cb.run("on_syscall", { name: "write", n: 1 });
  // @ts-expect-error: payload of the wrong shape
  cb.run("on_syscall", { name: "write" });
  // @ts-expect-error: unknown event
  cb.run("on_sysexit", { name: "write", n: 1 });
}

Deno.test("QPP misuse fails to type-check (see the @ts-expect-error lines)", () => {
  assert.equal(typeof consumer, "function");
  assert.equal(typeof provider, "function");
});
