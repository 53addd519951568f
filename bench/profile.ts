/**
 * Where one guest run's time goes: start-up (Deno, module graph, machine and
 * wasm set-up, ELF loading, plugin loading), translation by phase, execution,
 * system calls and plugin delivery, with block counts, chaining rates and
 * jump-cache hit rates. The guest's own output goes where it normally does;
 * the profile goes to stderr.
 *
 * Usage: deno task bench:profile [--no-regions] [--plugin SPEC]... PROGRAM [ARGS...]
 *
 * `--no-regions` translates one block per function (as instrumented runs
 * do), to compare with regions.
 *
 * Counting code is emitted only in this profiled run (`enableProfile`);
 * ordinary runs carry none of it. Host-call timing adds a clock read per
 * plugin callback, so delivery figures with per-instruction callbacks are
 * upper bounds.
 *
 * @module
 */

const tScript = performance.now();
// CPU time of the whole process (all threads, V8's compiler threads too):
// steadier than wall time on a shared machine.
const { cpuUsage } = await import("node:process");
const cpu = () => {
  const u = cpuUsage();
  return (u.user + u.system) / 1000;
};
const cScript = cpu();
const { Machine } = await import("../core/machine.ts");
const tCore = performance.now(), cCore = cpu();

const specs: string[] = [];
let regions = true;
let i = 0;
for (; i < Deno.args.length; i++) {
  const a = Deno.args[i];
  if (a === "--no-regions") regions = false;
  else if (a === "--plugin" && i + 1 < Deno.args.length) {
    specs.push(Deno.args[++i]);
  } else if (a.startsWith("--plugin=")) specs.push(a.slice(9));
  else break;
}
const program = Deno.args[i];
if (!program || program === "--help" || program === "-h") {
  console.error(
    "Usage: deno task bench:profile [--no-regions] [--plugin SPEC]... PROGRAM [ARGS...]",
  );
  Deno.exit(program ? 0 : 2);
}
const hostPath = await Deno.realPath(program);
const elf = Deno.readFileSync(hostPath);

const t0 = performance.now(), c0 = cpu();
const machine = new Machine({
  argv: [program, ...Deno.args.slice(i + 1)],
  env: [],
  exe: { hostPath, guestPath: hostPath },
  mounts: [{ guest: Deno.cwd(), host: Deno.realPathSync("."), readOnly: true }],
  cwd: Deno.cwd(),
  quietEnosys: true,
});
const t1 = performance.now(), c1 = cpu();
machine.load(elf);
const t2 = performance.now(), c2 = cpu();
const translator = machine.translator!;
translator.regions = regions;
const prof = translator.enableProfile();

let tRuntime = t2, tPlugins = t2, cRuntime = c2, cPlugins = c2;
// deno-lint-ignore no-explicit-any
let plugins: any;
const hookTime = { ms: 0, calls: 0 };
if (specs.length > 0) {
  const { PluginManager } = await import("../runtime/host/plugin_manager.ts");
  tRuntime = performance.now();
  cRuntime = cpu();
  plugins = await PluginManager.load(specs, {
    cwd: Deno.cwd(),
    grants: [],
    symbols: [...machine.kernel.symbols].sort((a, b) => a.addr - b.addr),
    timeoutMs: 60_000,
    onError: "abort",
    out: (text: string) => void Deno.stderr.writeSync(enc.encode(text)),
    log: (line: string) => console.error(line),
  });
  plugins.attach(machine);
  tPlugins = performance.now();
  cPlugins = cpu();
  const hooks = machine.hooks as Record<string, unknown>;
  for (const [k, f] of Object.entries(hooks)) {
    if (typeof f !== "function") continue;
    hooks[k] = (...a: unknown[]) => {
      const s = performance.now();
      try {
        return f(...a);
      } finally {
        hookTime.ms += performance.now() - s;
        hookTime.calls++;
      }
    };
  }
}
const enc = new TextEncoder();

const sys = { ms: 0, calls: 0 };
const kernel = machine.kernel;
const syscall = kernel.syscall.bind(kernel);
kernel.syscall = () => {
  const s = performance.now();
  try {
    return syscall();
  } finally {
    sys.ms += performance.now() - s;
    sys.calls++;
  }
};

const tRun = performance.now(), cRun = cpu();
const result = machine.run();
const tRan = performance.now(), cRan = cpu();
plugins?.finish();
const tEnd = performance.now(), cEnd = cpu();

const t = prof.times, c = prof.counters(), st = translator.stats;
const translateMs = t.decodeMs + t.emitMs + t.compileMs + t.instantiateMs;
const deliveryMs = t.planMs + t.hookMs + hookTime.ms + (tEnd - tRan);
const runMs = tRan - tRun;
const execMs = runMs - translateMs - t.planMs - sys.ms - t.hookMs -
  hookTime.ms;
const direct = c.chained - c.unchained;
const transfers = c.dispatched + direct + c.internal;
const pct = (n: number, d: number) =>
  d > 0 ? `${(100 * n / d).toFixed(1)}%` : "-";
const ms = (x: number) => `${x.toFixed(1).padStart(9)} ms`;
const both = (wall: number, cpuMs: number) =>
  `${ms(wall)}  (cpu ${cpuMs.toFixed(1)} ms)`;
const line = (label: string, value: string, note = "") =>
  console.error(`${label.padEnd(34)}${value}${note ? "  " + note : ""}`);

console.error(`\nprofile of ${program} (status ${result.status})`);
console.error("-- start-up");
line("deno (+ node:process) until here", both(tScript, cScript));
line("core module graph", both(tCore - tScript, cCore - cScript));
line("machine (memory, dispatcher wasm)", both(t1 - t0, c1 - c0));
line("ELF load", both(t2 - t1, c2 - c1));
if (specs.length > 0) {
  line("runtime module graph", both(tRuntime - t2, cRuntime - c2));
  line(
    "plugin load (workers, install)",
    both(tPlugins - tRuntime, cPlugins - cRuntime),
  );
}
console.error("-- run (phases below: wall time)");
line("total run", both(runMs, cRan - cRun));
line("translation", ms(translateMs), `${st.blocks} blocks, ${st.insns} insns`);
line("  decode", ms(t.decodeMs));
line("  emit", ms(t.emitMs));
line("  compile (new Module)", ms(t.compileMs), `${t.modules} modules`);
line("  instantiate, install", ms(t.instantiateMs));
line("execution (rest)", ms(execMs));
line("system calls", ms(sys.ms), `${sys.calls} calls`);
line("plugin delivery", ms(deliveryMs));
line("  planning requests", ms(t.planMs), `${st.planned} planned ahead`);
line("  block/insn/mem callbacks", ms(t.hookMs), `${t.hookCalls} calls`);
line("  syscall/discon hooks", ms(hookTime.ms), `${hookTime.calls} calls`);
line("  final drain", both(tEnd - tRan, cEnd - cRan));
console.error("-- blocks");
line("instructions", String(result.instructions));
line(
  "M instructions/s (run)",
  (result.instructions / runMs / 1000).toFixed(1),
);
line("block transfers", String(transfers));
line(
  "  via dispatcher (jcache hit)",
  String(c.dispatched),
  pct(c.dispatched, transfers),
);
line("  chained (direct tail call)", String(direct), pct(direct, transfers));
line("  inside regions", String(c.internal), pct(c.internal, transfers));
line("  chain slot without block", String(c.unchained));
line("indirect jumps to dispatcher", String(c.dynamic));
line("  caught by inline check", String(c.inlineHits));
const looked = c.dispatched + c.inlineHits;
line(
  "jump-cache hit rate",
  pct(looked, looked + t.misses),
  `${t.misses} misses`,
);
line("blocks run in the interpreter", String(t.interpreted), "(cold code)");
line("whole process so far", both(performance.now(), cpu()));
Deno.exit(result.status);
