/**
 * Block coverage in drcov format version 2, a port of QEMU 7.2's
 * `contrib/plugins/drcov.c`: the file Lighthouse, bncov and Ghidra's
 * coverage plugins read. Every translated block that ran once or more is
 * one record `{ start, size, module 0 }`, in translation order, cut as
 * QEMU cuts blocks (`_qemu_blocks.ts`); the module
 * table has the program's one row: its lowest executable segment address,
 * the end of the executable segments' file contents, the entry point and
 * the program path as given, as QEMU writes them.
 *
 * Arguments: `filename=FILE` (default `file.drcov.trace`, as QEMU's),
 * relative to the folder you ran pandeno from. The plugin is granted
 * write access to that one file.
 *
 * @module
 */

import { definePlugin, type PluginDefinition } from "../runtime/sdk/mod.ts";
import { encodeDrcov } from "./_drcov_format.ts";
import { executedBlocks, type QemuPiece, qemuPieces } from "./_qemu_blocks.ts";

/**
 * The `drcov` plugin definition.
 *
 * @example
 * ```ts ignore
 * // pandeno --plugin drcov,filename=hello.drcov ./tests/guests/bin/hello.elf
 * import drcov from "./drcov.ts";
 * console.log(drcov.name); // "drcov"
 * ```
 */
export default definePlugin({
  name: "drcov",
  version: "1.0.0",
  api: "^1.0",
  description:
    "block coverage in drcov format for Lighthouse, bncov, Ghidra (QEMU's drcov)",
  args: {
    filename: {
      type: "file",
      default: "file.drcov.trace",
      doc: "where to write the coverage (drcov version 2)",
    },
  },
  install(ctx, args) {
    const filename = args.file("filename");
    const pieces: QemuPiece[] = [];
    ctx.onTbTrans((tb) => {
      // QEMU's blocks, which drcov records, are cut differently from ours.
      const mine = qemuPieces(tb.insns);
      pieces.push(...mine);
      tb.onExec(() => {
        for (const p of mine) p.count++;
      });
    });
    ctx.onAtExit(() => {
      const bin = ctx.binary();
      const ran = executedBlocks(pieces).map((b) => ({ ...b, module: 0 }));
      const module = {
        id: 0,
        base: bin.startCode,
        end: bin.endCode,
        entry: bin.entryCode,
        path: bin.path,
      };
      Deno.writeFileSync(filename, encodeDrcov([module], ran));
      // A report is at most 1 MiB of JSON: past 20000 blocks, the count.
      ctx.report({
        filename,
        modules: [module],
        blocks: ran.length <= 20_000
          ? ran.map(({ start, size }) => ({ start, size }))
          : ran.length,
      });
    });
  },
}) as PluginDefinition;
