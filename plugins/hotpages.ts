/**
 * Hottest pages, a port of QEMU 7.2's `contrib/plugins/hotpages.c`.
 * Prints, at exit:
 * ```text
 * Addr, RCPUs, Reads, WCPUs, Writes
 * 0x0000004000800000, 0x0001, 530, 0x0001, 499
 * ```
 * one row per page (address, bit mask of the vCPUs that read it, reads,
 * mask of writers, writes), at most 50 rows. Like QEMU, it prints no rows
 * when only one page was touched and never prints the last page of the
 * sorted list.
 *
 * Arguments:
 * - `sortby=reads|writes|address`: default is reads + writes; `address`
 *   sorts highest address first, as QEMU does.
 * - `pagesize=N`: bytes per page (default 4096).
 * - `io=on`: count only I/O accesses; user mode has none, so nothing.
 *
 * @module
 */

import { definePlugin, type PluginDefinition } from "../runtime/sdk/mod.ts";
import { choice, hex, topBy } from "./_util.ts";

/** Rows printed, as QEMU's `limit`. */
const LIMIT = 50;

interface Page {
  addr: number;
  rcpus: number;
  reads: number;
  wcpus: number;
  writes: number;
}

/**
 * The `hotpages` plugin definition.
 *
 * @example
 * ```ts ignore
 * // deno task run --plugin hotpages,sortby=writes ./tests/guests/bin/hello.elf
 * import hotpages from "./hotpages.ts";
 * console.log(hotpages.name); // "hotpages"
 * ```
 */
export default definePlugin({
  name: "hotpages",
  version: "1.0.0",
  api: "^1.0",
  description: "the most accessed memory pages (QEMU's hotpages)",
  args: {
    sortby: {
      type: "string",
      doc: "reads, writes or address (default: reads + writes)",
    },
    io: {
      type: "bool",
      default: false,
      doc: "count only I/O accesses (user mode has none)",
    },
    pagesize: { type: "int", default: 4096, min: 1, doc: "page size in bytes" },
  },
  install(ctx, args) {
    const sortby = args.has("sortby")
      ? choice(
        "hotpages",
        args,
        "sortby",
        ["reads", "writes", "address"],
        "reads",
      )
      : "rw";
    const io = args.bool("io", false);
    const pageSize = args.int("pagesize", 4096, { min: 1 });
    const pages = new Map<number, Page>();

    ctx.onTbTrans((tb) => {
      if (io) return; // no I/O memory in user mode
      for (const insn of tb.insns) {
        insn.onMem((e) => {
          const addr = e.addr - (e.addr % pageSize);
          let p = pages.get(addr);
          if (!p) {
            pages.set(
              addr,
              p = { addr, rcpus: 0, reads: 0, wcpus: 0, writes: 0 },
            );
          }
          if (e.isStore) {
            p.writes++;
            p.wcpus |= 1 << e.vcpu;
          } else {
            p.reads++;
            p.rcpus |= 1 << e.vcpu;
          }
        });
      }
    });

    ctx.onAtExit(() => {
      let out = "Addr, RCPUs, Reads, WCPUs, Writes\n";
      if (pages.size > 1) {
        const key = sortby === "reads"
          ? (p: Page) => p.reads
          : sortby === "writes"
          ? (p: Page) => p.writes
          : sortby === "address"
          ? (p: Page) => p.addr
          : (p: Page) => p.reads + p.writes;
        const sorted = topBy(pages.values(), key);
        for (const p of sorted.slice(0, Math.min(LIMIT, sorted.length - 1))) {
          out += `0x${hex(p.addr, 16)}, 0x${hex(p.rcpus, 4)}, ${p.reads}, 0x${
            hex(p.wcpus, 4)
          }, ${p.writes}\n`;
        }
      }
      ctx.log(out);
    });
  },
}) as PluginDefinition;
