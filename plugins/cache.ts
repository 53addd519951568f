/**
 * L1 instruction and data cache simulation (with an optional unified L2),
 * a port of QEMU 7.2's `contrib/plugins/cache.c` built on
 * {@link Cache} from `_cache_model.ts`. Data accesses come from memory
 * callbacks, instruction fetches from exec callbacks, both batched. Prints,
 * at exit:
 * ```text
 * core #, data accesses, data misses, dmiss rate, insn accesses, insn misses, imiss rate
 * 0       2625           151            5.7524%  7198           480            6.6685%
 *
 * address, data misses, instruction
 * 0x1a2b4 (memset), 20, sd zero,0(a5)
 *
 * address, fetch misses, instruction
 * ...
 * ```
 * then the `limit` instructions with most L1 data misses, most fetch misses
 * (and most L2 misses when L2 is on), with symbol and disassembly.
 *
 * Arguments (QEMU's names and defaults): `dcachesize` (16384), `dassoc` (8),
 * `dblksize` (64), `icachesize`, `iassoc`, `iblksize` (the same),
 * `evict=lru|fifo|rand` (lru; rand is seeded, so runs repeat), `cores` (1:
 * vCPU n uses core n % cores), `limit` (32), and for L2 `l2=on`,
 * `l2cachesize` (2 MiB), `l2assoc` (16), `l2blksize` (64), any of which turns
 * L2 on.
 *
 * @module
 */

import { definePlugin, type PluginDefinition } from "../runtime/sdk/mod.ts";
import { choice, fixed, hex, left, topBy } from "./_util.ts";
import {
  Cache,
  cacheConfigError,
  type EvictionPolicy,
  L1_ARGS,
  l1Geometry,
} from "./_cache_model.ts";

interface InsnData {
  addr: number;
  disas: string;
  symbol: string | undefined;
  dmisses: number;
  imisses: number;
  l2misses: number;
}

/** printf("%-14lu %-12lu %9.4lf%%  %-14lu %-12lu %9.4lf%%") and the L2 part. */
function statsLine(
  d: Cache | number[],
  i: Cache | number[],
  l2?: number[],
): string {
  const [da, dm] = Array.isArray(d) ? d : [d.accesses, d.misses];
  const [ia, im] = Array.isArray(i) ? i : [i.accesses, i.misses];
  const rate = (m: number, a: number) => a ? (m / a) * 100 : 0;
  let s = `${left(da, 14)} ${left(dm, 12)} ${fixed(rate(dm, da), 9, 4)}%  ` +
    `${left(ia, 14)} ${left(im, 12)} ${fixed(rate(im, ia), 9, 4)}%`;
  if (l2 && l2[0] && l2[1]) {
    s += `  ${left(l2[0], 12)} ${left(l2[1], 11)} ${
      fixed(rate(l2[1], l2[0]), 10, 4)
    }%`;
  }
  return s + "\n";
}

/**
 * The `cache` plugin definition.
 *
 * @example
 * ```ts ignore
 * // deno task run --plugin cache,dcachesize=8192,evict=fifo ./tests/guests/bin/hello.elf
 * import cache from "./cache.ts";
 * console.log(cache.name); // "cache"
 * ```
 */
export default definePlugin({
  name: "cache",
  version: "1.0.0",
  api: "^1.0",
  description: "an L1 (and optional L2) cache model (QEMU's cache)",
  args: {
    ...L1_ARGS,
    cores: {
      type: "int",
      default: 1,
      min: 1,
      doc: "caches modelled; vCPU n uses core n % cores",
    },
    limit: {
      type: "int",
      default: 32,
      min: 0,
      doc: "instructions listed per table",
    },
    l2: {
      type: "bool",
      default: false,
      doc: "model an L2 cache (on when any l2* argument is given)",
    },
    l2cachesize: {
      type: "int",
      default: 2097152,
      min: 1,
      doc: "L2 size in bytes",
    },
    l2assoc: { type: "int", default: 16, min: 1, doc: "L2 associativity" },
    l2blksize: {
      type: "int",
      default: 64,
      min: 1,
      doc: "L2 block size in bytes",
    },
  },
  install(ctx, args) {
    const l2Keys = ["l2", "l2cachesize", "l2assoc", "l2blksize"];
    const int = (k: string, d: number) => args.int(k, d, { min: 1 });
    const policy = choice<EvictionPolicy>("cache", args, "evict", [
      "lru",
      "fifo",
      "rand",
    ], "lru");
    const limit = args.int("limit", 32, { min: 0 });
    const cores = int("cores", 1);
    const useL2 = args.bool("l2", l2Keys.slice(1).some((k) => args.has(k)));
    const build = (
      what: string,
      blksize: number,
      assoc: number,
      cachesize: number,
    ) => {
      const err = cacheConfigError(blksize, assoc, cachesize);
      if (err) {
        throw new RangeError(
          `plugin "cache": ${what} cannot be constructed from given parameters: ${err}`,
        );
      }
      return Array.from(
        { length: cores },
        () => new Cache({ blksize, assoc, cachesize, policy }),
      );
    };
    const l1 = l1Geometry(int);
    const l2blk = int("l2blksize", 64), l2assoc = int("l2assoc", 16);
    const dcaches = build("dcache", l1.d.blksize, l1.d.assoc, l1.d.size);
    const icaches = build("icache", l1.i.blksize, l1.i.assoc, l1.i.size);
    const l2caches = useL2
      ? build(
        "L2 cache",
        l2blk,
        l2assoc,
        int("l2cachesize", l2blk * l2assoc * 2048),
      )
      : undefined;
    const insns = new Map<number, InsnData>();

    ctx.onTbTrans((tb) => {
      for (const insn of tb.insns) {
        let data = insns.get(insn.vaddr);
        if (!data) {
          data = {
            addr: insn.vaddr,
            disas: insn.disas,
            symbol: insn.symbol,
            dmisses: 0,
            imisses: 0,
            l2misses: 0,
          };
          insns.set(insn.vaddr, data);
        }
        const d = data;
        insn.onMem((e) => {
          const core = e.vcpu % cores;
          if (dcaches[core].access(e.addr)) return;
          d.dmisses++;
          if (l2caches && !l2caches[core].access(e.addr)) d.l2misses++;
        });
        insn.onExec((e) => {
          const core = e.vcpu % cores;
          if (icaches[core].access(d.addr)) return;
          d.imisses++;
          if (l2caches && !l2caches[core].access(d.addr)) d.l2misses++;
        });
      }
    });

    ctx.onAtExit(() => {
      let rep =
        "core #, data accesses, data misses, dmiss rate, insn accesses, " +
        "insn misses, imiss rate";
      if (l2caches) rep += ", l2 accesses, l2 misses, l2 miss rate";
      rep += "\n";
      const l2Of = (c?: Cache) => c ? [c.accesses, c.misses] : [0, 0];
      for (let i = 0; i < cores; i++) {
        rep += left(i, 8) +
          statsLine(dcaches[i], icaches[i], l2Of(l2caches?.[i]));
      }
      if (cores > 1) {
        const sum = (cs: Cache[] | undefined) =>
          (cs ?? []).reduce((t, c) => [t[0] + c.accesses, t[1] + c.misses], [
            0,
            0,
          ]);
        rep += left("sum", 8) +
          statsLine(sum(dcaches), sum(icaches), sum(l2caches));
      }
      rep += "\n";
      const table = (title: string, key: (d: InsnData) => number) => {
        let s = `address, ${title}, instruction\n`;
        for (const d of topBy(insns.values(), key, limit)) {
          s += `0x${hex(d.addr)}${d.symbol ? ` (${d.symbol})` : ""}, ${
            key(d)
          }, ${d.disas}\n`;
        }
        return s;
      };
      rep += table("data misses", (d) => d.dmisses);
      rep += "\n" + table("fetch misses", (d) => d.imisses);
      if (l2caches) rep += "\n" + table("L2 misses", (d) => d.l2misses);
      ctx.log(rep);
    });
  },
}) as PluginDefinition;
