/**
 * `callstack`: a QPP provider that follows the guest's call stack from
 * executed instructions, and tells other plugins (`cache_by_function`)
 * about every call and return.
 *
 * How: at translation, each `jal`/`jalr` (and `c.j`/`c.jr`/`c.jalr`) is
 * decoded from its raw bytes and classified by the link-register rule
 * (`_riscv_control.ts`): rd = ra/t0 is a call, `jalr` with rs1 = ra/t0 and
 * another rd is a return, anything else a jump. Only those instructions get
 * a batched exec callback; for `jalr` it captures rs1 (`regs: [rs1]`),
 * recorded before the instruction runs, so the target `(rs1 + imm) & ~1`
 * is exact even when rd = rs1. A `jal` jump gets a callback only if its
 * static target is a function entry. At run time:
 * - a call pushes a frame expecting pc + size;
 * - a plain jump to a function entry is a tail call: it replaces the top
 *   frame (keeping its return address);
 * - a return pops the top frame if it expected the target; otherwise it
 *   unwinds to the newest older frame that expected it, or to the newest
 *   frame whose function contains it (a `longjmp` lands after `setjmp`'s
 *   call site); otherwise ("unmatched", e.g. a signal handler returning to
 *   the trampoline) the stack is left alone;
 * - depth is bounded (`maxdepth`, default 10000): the oldest frames go.
 *
 * Exports ({@link CallstackApi}) `current()` (innermost first) and
 * `depth()`. Runs ({@link CallstackEvents}) `on_call` and `on_return` for
 * every executed call, tail call and return (unmatched ones included, with
 * the stack unchanged), in execution order, each with its `icount`. At exit
 * it prints one summary line and the stack:
 * ```text
 * callstack: 1283 calls, 1275 returns, 9 tail calls, 0 unwinds, 5 unmatched, max depth 11, depth at exit 4
 *   at _exit
 *   at main
 * ```
 *
 * @module
 */

import { definePlugin, type PluginDefinition } from "../runtime/sdk/mod.ts";
import { ABI_NAMES, changesStack, classify, target } from "./_riscv_control.ts";
import { CallStack, Symbolizer } from "./_call_stack.ts";

/**
 * The functions `callstack` exports.
 *
 * @example
 * ```ts ignore
 * const cs = ctx.qpp.importSync<CallstackApi>("callstack", "^1");
 * ctx.onAtExit(() => ctx.log(`${cs.depth()} ${cs.current()[0]?.fn}\n`));
 * ```
 */
export interface CallstackApi {
  /** The frames, innermost first: function name and entry address. */
  current(): { fn: string; addr: number }[];
  /** Calls active above the root frame. */
  depth(): number;
}

/**
 * The callbacks `callstack` runs. `fn` is the function running after the
 * event; `caller` (calls) / `left` (returns) the one running before.
 *
 * @example
 * ```ts ignore
 * ctx.qpp.on<CallstackEvents, "on_call">("callstack", "on_call", (e) => {
 *   if (e.fn === "malloc") ctx.log(`malloc from ${e.caller} at depth ${e.depth}\n`);
 * });
 * ```
 */
export interface CallstackEvents {
  /** A call (or, with `tail`, a tail call) was executed. */
  on_call: {
    from: number;
    to: number;
    fn: string;
    caller: string;
    depth: number;
    icount: number;
    tail: boolean;
  };
  /** A return was executed; `popped` frames went (0: unmatched). */
  on_return: {
    from: number;
    to: number;
    fn: string;
    left: string;
    depth: number;
    icount: number;
    popped: number;
  };
}

/**
 * The `callstack` plugin definition.
 *
 * @example
 * ```ts ignore
 * // deno task run --plugin callstack ./tests/guests/bin/compute.elf 3
 * import callstack from "./callstack.ts";
 * console.log(callstack.name); // callstack
 * ```
 */
export default definePlugin({
  name: "callstack",
  version: "1.0.0",
  api: "^1.0",
  description:
    "follows the guest's call stack; a QPP provider of calls and returns",
  args: {
    maxdepth: {
      type: "int",
      default: 10_000,
      min: 1,
      doc: "deepest stack kept (the oldest frames go)",
    },
  },
  install(ctx, args) {
    const sym = new Symbolizer(ctx.symbols());
    const stack = new CallStack(sym, args.int("maxdepth", 10_000, { min: 1 }));
    const events = ctx.qpp.callbacks<CallstackEvents>();
    const n = { calls: 0, returns: 0, tails: 0, unwinds: 0, unmatched: 0 };

    ctx.qpp.export<CallstackApi>({
      current: () => stack.frames().map(({ fn, addr }) => ({ fn, addr })),
      depth: () => stack.depth(),
    });

    const onCall = (from: number, to: number, size: number, icount: number) => {
      const caller = stack.top().fn;
      stack.call(from, to, from + size);
      n.calls++;
      if (events.wanted("on_call")) {
        const fn = stack.top().fn, depth = stack.depth();
        events.run("on_call", {
          from,
          to,
          fn,
          caller,
          depth,
          icount,
          tail: false,
        });
      }
    };
    const onTail = (from: number, to: number, icount: number) => {
      const caller = stack.top().fn;
      stack.tail(from, to);
      n.tails++;
      if (events.wanted("on_call")) {
        const fn = stack.top().fn, depth = stack.depth();
        events.run("on_call", {
          from,
          to,
          fn,
          caller,
          depth,
          icount,
          tail: true,
        });
      }
    };
    const onReturn = (from: number, to: number, icount: number) => {
      const left = stack.top().fn;
      const r = stack.ret(from, to);
      n.returns++;
      if (r.how === "unwind") n.unwinds++;
      if (r.how === "unmatched") n.unmatched++;
      if (events.wanted("on_return")) {
        events.run("on_return", {
          from,
          to,
          fn: stack.top().fn,
          left,
          depth: stack.depth(),
          icount,
          popped: r.popped,
        });
      }
    };

    ctx.onTbTrans((tb) => {
      for (const insn of tb.insns) {
        const f = classify(insn.bytes);
        if (!f) continue;
        if (f.op === "jal") {
          const to = target(f, insn.vaddr, 0n);
          if (f.kind === "call") {
            insn.onExec((e) => onCall(e.pc, to, f.size, e.icount));
          } else if (changesStack(f, to, sym.entries)) {
            insn.onExec((e) => onTail(e.pc, to, e.icount));
          }
          continue;
        }
        const reg = ABI_NAMES[f.rs1];
        insn.onExec((e) => {
          const to = target(f, e.pc, f.rs1 === 0 ? 0n : e.reg(reg));
          if (f.kind === "call") onCall(e.pc, to, f.size, e.icount);
          else if (f.kind === "return") onReturn(e.pc, to, e.icount);
          else if (changesStack(f, to, sym.entries)) onTail(e.pc, to, e.icount);
        }, f.rs1 === 0 ? undefined : { regs: [reg] });
      }
    });

    ctx.onAtExit(() => {
      let out = `callstack: ${n.calls} calls, ${n.returns} returns, ` +
        `${n.tails} tail calls, ${n.unwinds} unwinds, ${n.unmatched} unmatched, ` +
        `max depth ${stack.maxDepth}, depth at exit ${stack.depth()}\n`;
      for (const f of stack.frames().slice(0, 16)) out += `  at ${f.fn}\n`;
      ctx.log(out);
    });
  },
}) as PluginDefinition;
