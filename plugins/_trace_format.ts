/**
 * Profiles as files other tools open: Chrome's Trace Event Format (Perfetto,
 * chrome://tracing) and speedscope's file format. Guest instructions are the
 * unit of time; in a Chrome trace one instruction is written as one
 * microsecond, the format's unit.
 *
 * @module
 */

import type { Profile } from "./_profile.ts";

/**
 * The profile's time line as a Chrome Trace Event Format object: a `B`/`E`
 * pair per function span on vCPU 0's track, an `i` (instant) event per
 * system call, and metadata naming the process and the track.
 *
 * @example
 * ```ts ignore
 * Deno.writeTextFileSync("trace.json", JSON.stringify(chromeTrace(p, "hello.elf")));
 * ```
 */
export function chromeTrace(p: Profile, program: string): unknown {
  const pid = 1, tid = 0;
  const events: Record<string, unknown>[] = [
    { name: "process_name", ph: "M", pid, tid, args: { name: program } },
    { name: "thread_name", ph: "M", pid, tid, args: { name: "vCPU 0" } },
  ];
  for (const e of p.timeline) {
    if (e.kind === "syscall") {
      events.push({
        name: e.name,
        cat: "syscall",
        ph: "i",
        s: "t",
        ts: e.at,
        pid,
        tid,
        ...(e.ret === undefined ? {} : { args: { ret: e.ret } }),
      });
    } else {
      events.push({
        name: p.frames[e.frame],
        cat: "function",
        ph: e.kind === "open" ? "B" : "E",
        ts: e.at,
        pid,
        tid,
      });
    }
  }
  return {
    traceEvents: events,
    displayTimeUnit: "ns",
    otherData: {
      producer: "pandeno trace plugin",
      clock: "guest instructions (1 instruction = 1 us)",
      truncated: p.truncated,
    },
  };
}

/**
 * The call tree as a speedscope "sampled" profile: one sample per distinct
 * stack, weighted by the instructions run in it.
 *
 * @example
 * ```ts ignore
 * Deno.writeTextFileSync("p.speedscope.json", JSON.stringify(speedscope(p, "hello.elf")));
 * ```
 */
export function speedscope(p: Profile, program: string): unknown {
  const samples: number[][] = [];
  const weights: number[] = [];
  p.nodes.forEach((n, i) => {
    if (n.self > 0) {
      samples.push(p.stackOf(i));
      weights.push(n.self);
    }
  });
  return {
    $schema: "https://www.speedscope.app/file-format-schema.json",
    shared: { frames: p.frames.map((name) => ({ name })) },
    profiles: [{
      type: "sampled",
      name: `${program} (guest instructions)`,
      unit: "none",
      startValue: 0,
      endValue: p.total,
      samples,
      weights,
    }],
    name: program,
    activeProfileIndex: 0,
    exporter: "pandeno speedscope plugin",
  };
}
