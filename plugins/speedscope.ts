/**
 * Writes a speedscope profile (https://www.speedscope.app, or
 * `npx speedscope FILE`): the instructions run in each function, per call
 * stack, as a "sampled" profile whose weights are guest instructions.
 * Calls are followed as the `callstack` plugin follows them.
 *
 * Arguments: `filename=FILE` (default `profile.speedscope.json`, in the
 * folder you ran pandeno from).
 *
 * @module
 */

import { definePlugin, type PluginDefinition } from "../runtime/sdk/mod.ts";
import { Profile } from "./_profile.ts";
import { speedscope } from "./_trace_format.ts";

/**
 * The `speedscope` plugin definition.
 *
 * @example
 * ```ts ignore
 * // pandeno --plugin speedscope ./tests/guests/bin/compute.elf
 * import plugin from "./speedscope.ts";
 * console.log(plugin.name); // "speedscope"
 * ```
 */
export default definePlugin({
  name: "speedscope",
  version: "1.0.0",
  api: "^1.0",
  description: "instructions per function as a speedscope profile",
  args: {
    filename: {
      type: "file",
      default: "profile.speedscope.json",
      doc: "where to write the speedscope JSON profile",
    },
  },
  install(ctx, args) {
    const filename = args.file("filename");
    const p = new Profile(ctx);
    let icount = 0;
    ctx.onTbTrans((tb) => tb.onExec((e) => icount = e.icount + tb.nInsns));
    ctx.onAtExit(() => {
      p.finish(icount);
      const program = ctx.binary().path;
      Deno.writeTextFileSync(filename, JSON.stringify(speedscope(p, program)));
      const self = p.selfByFrame();
      const top = self.map((n, f) => ({ fn: p.frames[f], insns: n }))
        .sort((a, b) => b.insns - a.insns).slice(0, 10);
      let text =
        `speedscope: ${p.total} instructions in ${p.frames.length} functions written to ${filename}\n`;
      for (const f of top.slice(0, 5)) {
        text += `  ${f.insns.toString().padStart(12)} ${f.fn}\n`;
      }
      ctx.log(text);
      ctx.report({ filename, insns: p.total, functions: top });
    });
  },
}) as PluginDefinition;
