/**
 * Writes a self-contained HTML report (one file, no network): the hottest
 * functions (instructions run in each, calls followed as `callstack`
 * follows them), the hottest blocks, the system calls made and how many
 * failed, and the coverage of every function that ran (bytes of its code
 * executed, of its symbol size).
 *
 * Arguments: `filename=FILE` (default `report.html`, in the folder you ran
 * pandeno from), `blocks=N` hottest blocks listed (default 25).
 *
 * @module
 */

import { definePlugin, type PluginDefinition } from "../runtime/sdk/mod.ts";
import { Profile } from "./_profile.ts";
import { type ReportData, reportHtml } from "./_report_html.ts";
import { topBy } from "./_util.ts";

/** Bytes of [addr, addr + size) covered by the union of `ranges`. */
function coveredBytes(
  addr: number,
  size: number,
  ranges: readonly [number, number][],
): number {
  let covered = 0, upTo = addr;
  for (const [s, e] of ranges) {
    const lo = Math.max(s, upTo), hi = Math.min(e, addr + size);
    if (hi > lo) {
      covered += hi - lo;
      upTo = hi;
    }
  }
  return covered;
}

/**
 * The `report` plugin definition.
 *
 * @example
 * ```ts ignore
 * // pandeno --plugin report,filename=hello.html ./tests/guests/bin/hello.elf
 * import report from "./report.ts";
 * console.log(report.name); // "report"
 * ```
 */
export default definePlugin({
  name: "report",
  version: "1.0.0",
  api: "^1.0",
  description:
    "a self-contained HTML report: hot functions and blocks, coverage, system calls",
  args: {
    filename: {
      type: "file",
      default: "report.html",
      doc: "where to write the HTML report",
    },
    blocks: {
      type: "int",
      default: 25,
      min: 1,
      doc: "how many of the hottest blocks to list",
    },
  },
  install(ctx, args) {
    const filename = args.file("filename");
    const nBlocks = args.int("blocks");
    const p = new Profile(ctx, { blocks: true });
    ctx.onAtExit(() => {
      let insns = 0;
      for (const b of p.blocks.values()) insns += b.insns * b.count;
      p.finish(insns);
      const ran = [...p.blocks.values()].filter((b) => b.count > 0)
        .map((b) => [b.start, b.start + b.size] as [number, number])
        .sort((a, b) => a[0] - b[0]);
      const self = p.selfByFrame();
      const selfOf = new Map(p.frames.map((f, i) => [f, self[i]]));
      const functions: ReportData["functions"] = [];
      let neverRan = 0;
      for (const s of ctx.symbols()) {
        if (s.size === 0) continue;
        const covered = coveredBytes(s.addr, s.size, ran);
        if (covered === 0) {
          neverRan++;
          continue;
        }
        functions.push({
          name: s.name,
          addr: s.addr,
          size: s.size,
          covered,
          self: selfOf.get(s.name) ?? 0,
        });
      }
      const data: ReportData = {
        program: ctx.binary().path,
        insns,
        functions,
        neverRan,
        hotBlocks: topBy(p.blocks.values(), (b) => b.count)
          .slice(0, nBlocks)
          .map((b) => ({ ...b, fn: p.sym.name(b.start) })),
        syscalls: topBy(
          [...p.syscalls].map(([name, s]) => ({ name, ...s })),
          (s) => s.count,
        ),
      };
      Deno.writeTextFileSync(filename, reportHtml(data));
      ctx.report({ filename, ...data });
      ctx.log(
        `report: ${functions.length} functions ran, ${neverRan} never ran; written to ${filename}\n`,
      );
    });
  },
}) as PluginDefinition;
