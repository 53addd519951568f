/**
 * Writes a Chrome Trace Event Format file (open it in Perfetto or
 * chrome://tracing): one span per function call on vCPU 0's track, and
 * every system call as an instant event with its result. Time is counted in
 * guest instructions, written as microseconds. Calls are followed as the
 * `callstack` plugin follows them.
 *
 * Arguments: `filename=FILE` (default `trace.json`, in the folder you ran
 * pandeno from), `limit=N` events at most (default 1000000; past it the
 * open spans are closed and the trace says `truncated`).
 *
 * @module
 */

import { definePlugin, type PluginDefinition } from "../runtime/sdk/mod.ts";
import { Profile } from "./_profile.ts";
import { chromeTrace } from "./_trace_format.ts";

/**
 * The `trace` plugin definition.
 *
 * @example
 * ```ts ignore
 * // pandeno --plugin trace,filename=hello.trace.json ./tests/guests/bin/hello.elf
 * import trace from "./trace.ts";
 * console.log(trace.name); // "trace"
 * ```
 */
export default definePlugin({
  name: "trace",
  version: "1.0.0",
  api: "^1.0",
  description: "function spans and system calls as a Chrome trace for Perfetto",
  args: {
    filename: {
      type: "file",
      default: "trace.json",
      doc: "where to write the Chrome Trace Event JSON",
    },
    limit: {
      type: "int",
      default: 1_000_000,
      min: 1,
      doc: "most span and system call events to write",
    },
  },
  install(ctx, args) {
    const filename = args.file("filename");
    const p = new Profile(ctx, { timeline: args.int("limit") });
    let icount = 0;
    ctx.onTbTrans((tb) => tb.onExec((e) => icount = e.icount + tb.nInsns));
    ctx.onAtExit(() => {
      p.finish(icount);
      const program = ctx.binary().path;
      Deno.writeTextFileSync(filename, JSON.stringify(chromeTrace(p, program)));
      const spans = p.timeline.filter((e) => e.kind === "open").length;
      ctx.log(
        `trace: ${spans} spans, ${p.timeline.length - 2 * spans} system calls` +
          `${p.truncated ? " (truncated)" : ""} written to ${filename}\n`,
      );
      ctx.report({
        filename,
        spans,
        events: p.timeline.length,
        truncated: p.truncated,
      });
    });
  },
}) as PluginDefinition;
