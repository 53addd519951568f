/**
 * `cache_by_function`: L1 data and instruction cache misses per guest
 * function, the QPP RFC's "cache misses per process" idea built on two
 * pieces: the cache model of `cache.ts` (`_cache_model.ts`, with the same
 * arguments and defaults, fed by its own batched memory and exec callbacks
 * exactly as `cache` feeds it, so its totals equal `cache`'s) and the
 * `callstack` provider, which says which function is running.
 *
 * Ordering: its own accesses and `callstack`'s `on_call`/`on_return`
 * events come from two workers, each in order but not in step. Both carry
 * instruction counts; `_attribution.ts` merges them, closing a bucket of
 * accesses after every instruction that can change the stack (decoded with
 * the same `_riscv_control.ts` rule `callstack` uses, so events fall on
 * bucket boundaries) and attributing it once the events up to it arrived.
 * (A sync `importSync(...).current()` per access would be exact only if
 * `callstack` ran in lock-step, and would cost a cross-worker call per
 * access.)
 *
 * Prints, at exit, the functions with most misses (`limit`, default 32)
 * and a total line, whose numbers equal `cache`'s `core 0` line:
 * ```text
 * function, data accesses, data misses, dmiss rate, insn accesses, insn misses, imiss rate
 * memset                         2625           151            5.7524%  7198           480            6.6685%
 * total                          ...
 * ```
 *
 * Arguments: `dcachesize`, `dassoc`, `dblksize`, `icachesize`, `iassoc`,
 * `iblksize`, `evict=lru|fifo|rand`, `limit`, as for `cache` (no L2, one
 * core).
 *
 * @module
 */

import { definePlugin, type PluginDefinition } from "../runtime/sdk/mod.ts";
import { choice, fixed, left, topBy } from "./_util.ts";
import {
  Cache,
  cacheConfigError,
  type EvictionPolicy,
  L1_ARGS,
  l1Geometry,
} from "./_cache_model.ts";
import { ABI_NAMES, changesStack, classify, target } from "./_riscv_control.ts";
import { Symbolizer } from "./_call_stack.ts";
import { Attribution, type FunctionCounts } from "./_attribution.ts";
import type { CallstackEvents } from "./callstack.ts";

export type { FunctionCounts } from "./_attribution.ts";

/**
 * One report line: `cache`'s columns (`%-14lu %-12lu %9.4lf%%  ...`)
 * after a function name in 30 columns.
 *
 * @example
 * ```ts
 * import { reportLine } from "./cache_by_function.ts";
 * const c = { fn: "main", dAccesses: 4, dMisses: 1, iAccesses: 10, iMisses: 2 };
 * console.log(reportLine(c).replace(/ +/g, " ")); // main 4 1 25.0000% 10 2 20.0000%
 * ```
 */
export function reportLine(c: FunctionCounts): string {
  const rate = (m: number, a: number) => a ? (m / a) * 100 : 0;
  return `${left(c.fn, 30)} ${left(c.dAccesses, 14)} ${left(c.dMisses, 12)} ${
    fixed(rate(c.dMisses, c.dAccesses), 9, 4)
  }%  ${left(c.iAccesses, 14)} ${left(c.iMisses, 12)} ${
    fixed(rate(c.iMisses, c.iAccesses), 9, 4)
  }%`;
}

/**
 * The `cache_by_function` plugin definition.
 *
 * @example
 * ```ts ignore
 * // deno task run --plugin cache_by_function,dcachesize=8192 ./tests/guests/bin/compute.elf 3
 * import cbf from "./cache_by_function.ts";
 * console.log(cbf.requires); // { callstack: "^1.0" }
 * ```
 */
export default definePlugin({
  name: "cache_by_function",
  version: "1.0.0",
  api: "^1.0",
  description: "cache misses per function (QPP consumer of callstack)",
  args: {
    ...L1_ARGS,
    limit: { type: "int", default: 32, min: 0, doc: "functions listed" },
  },
  requires: { callstack: "^1.0" },
  install(ctx, args) {
    const me = "cache_by_function";
    const int = (k: string, d: number) => args.int(k, d, { min: 1 });
    const policy = choice<EvictionPolicy>(me, args, "evict", [
      "lru",
      "fifo",
      "rand",
    ], "lru");
    const limit = args.int("limit", 32, { min: 0 });
    const build = (
      what: string,
      blksize: number,
      assoc: number,
      size: number,
    ) => {
      const err = cacheConfigError(blksize, assoc, size);
      if (err) {
        throw new RangeError(
          `plugin "${me}": ${what} cannot be constructed from given parameters: ${err}`,
        );
      }
      return new Cache({ blksize, assoc, cachesize: size, policy });
    };
    const l1 = l1Geometry(int);
    const dcache = build("dcache", l1.d.blksize, l1.d.assoc, l1.d.size);
    const icache = build("icache", l1.i.blksize, l1.i.assoc, l1.i.size);
    const sym = new Symbolizer(ctx.symbols());
    const attr = new Attribution();

    ctx.qpp.on<CallstackEvents, "on_call">(
      "callstack",
      "on_call",
      (e) => attr.event(e.icount, e.caller, e.fn),
    );
    ctx.qpp.on<CallstackEvents, "on_return">(
      "callstack",
      "on_return",
      (e) => attr.event(e.icount, e.left, e.fn),
    );

    ctx.onTbTrans((tb) => {
      for (const insn of tb.insns) {
        const addr = insn.vaddr;
        insn.onMem((e) => attr.data(dcache.access(e.addr)));
        const f = classify(insn.facts);
        if (!f) {
          insn.onExec(() => attr.fetch(icache.access(addr)));
        } else if (f.op === "jal") {
          const edge = changesStack(f, target(f, addr, 0n), sym.entries);
          insn.onExec((e) => {
            attr.fetch(icache.access(addr));
            if (edge) attr.boundary(e.icount);
          });
        } else {
          const reg = ABI_NAMES[f.rs1];
          insn.onExec((e) => {
            attr.fetch(icache.access(addr));
            const to = target(f, addr, f.rs1 === 0 ? 0n : e.reg(reg));
            if (changesStack(f, to, sym.entries)) attr.boundary(e.icount);
          }, f.rs1 === 0 ? undefined : { regs: [reg] });
        }
      }
    });

    ctx.onAtExit(() => {
      const all = attr.finish();
      const total: FunctionCounts = {
        fn: "total",
        dAccesses: 0,
        dMisses: 0,
        iAccesses: 0,
        iMisses: 0,
      };
      for (const c of all) {
        total.dAccesses += c.dAccesses;
        total.dMisses += c.dMisses;
        total.iAccesses += c.iAccesses;
        total.iMisses += c.iMisses;
      }
      let out = "function, data accesses, data misses, dmiss rate, " +
        "insn accesses, insn misses, imiss rate\n";
      for (const c of topBy(all, (c) => c.dMisses + c.iMisses, limit)) {
        out += reportLine(c) + "\n";
      }
      out += reportLine(total) + "\n";
      if (
        total.dAccesses !== dcache.accesses ||
        total.iAccesses !== icache.accesses
      ) {
        out += `warning: attributed ${total.dAccesses}/${total.iAccesses} of ` +
          `${dcache.accesses}/${icache.accesses} accesses\n`;
      }
      ctx.log(out);
    });
  },
}) as PluginDefinition;
