/**
 * Shared set-up for the plugin benchmarks: load plugins into their Workers
 * the way the CLI does, attach them to an in-process machine running a
 * guest, and time the run (plugin loading excluded, final delivery of
 * pending events included).
 *
 * @module
 */

import { Machine } from "../core/machine.ts";
import { PluginManager } from "../runtime/host/plugin_manager.ts";
import { COMPUTE } from "./_guest.ts";

/** A guest prepared for a run, with its plugins loaded and attached. */
export interface PreparedRun {
  /** The machine, loaded and attached. */
  readonly machine: Machine;
  /** The plugins (undefined when none were asked for). */
  readonly plugins: PluginManager | undefined;
  /** Milliseconds spent loading the plugins (Worker start and install). */
  readonly loadMs: number;
  /** Plugin output so far (install logs, then output at exit). */
  readonly out: string[];
}

/** What a timed run produced. */
export interface TimedRun {
  /** Guest instructions executed. */
  readonly instructions: number;
  /** Milliseconds of `machine.run()` plus delivering what was pending at exit. */
  readonly ms: number;
  /** Milliseconds spent loading the plugins. */
  readonly loadMs: number;
  /** Guest exit status. */
  readonly status: number;
  /** Everything the plugins wrote (install logs and exit reports). */
  readonly out: string;
}

const quiet = {
  read: () => null,
  write: () => {},
  isTerminal: () => false,
};

/**
 * How much longer than on an idle machine limits may run: from
 * PANDENO_BENCH_SCALE, else the load average per core (at least 1), so a
 * benchmark on a busy 2-core machine is slow rather than failed.
 *
 * @example
 * ```ts ignore
 * console.log(TIMEOUT_SCALE >= 1); // true
 * ```
 */
export const TIMEOUT_SCALE: number = (() => {
  const fixed = Number(Deno.env.get("PANDENO_BENCH_SCALE"));
  if (Number.isFinite(fixed) && fixed >= 1) return fixed;
  const cores = navigator.hardwareConcurrency || 1;
  return Math.max(1, Math.ceil(Deno.loadavg()[0] / cores) * 2);
})();

/** Options of {@link prepare}. */
export interface PrepareOptions {
  /** Guest ELF (default: the compute guest). */
  readonly guest?: URL;
  /** Guest arguments after argv[0]. */
  readonly args?: readonly string[];
  /** Milliseconds a sync plugin callback may take (default 60 s). */
  readonly timeoutMs?: number;
  /**
   * Attach the plugins to the machine (default true). Attaching delivers
   * vCPU init, so a caller that times what plugins do then attaches itself.
   */
  readonly attach?: boolean;
}

/**
 * Builds a machine for `guest` and loads `specs` (in-tree names or paths,
 * with `,key=value` arguments) into it, as `runtime/cli/cli.ts` does.
 *
 * @example
 * ```ts ignore
 * const run = await prepare(["insn,inline=on"], { args: ["100"] });
 * const r = finishRun(run);
 * ```
 */
export async function prepare(
  specs: readonly string[],
  opts: PrepareOptions = {},
): Promise<PreparedRun> {
  const guest = opts.guest ?? COMPUTE;
  const elf = Deno.readFileSync(guest);
  const machine = new Machine({
    engine: "jit",
    argv: [guest.pathname, ...(opts.args ?? [])],
    env: [],
    exe: { hostPath: guest.pathname, guestPath: guest.pathname },
    mounts: [],
    cwd: "/",
    quietEnosys: true,
    stdio: quiet,
  });
  machine.load(elf);
  const out: string[] = [];
  let plugins: PluginManager | undefined;
  const t0 = performance.now();
  if (specs.length > 0) {
    const symbols = [...machine.kernel.symbols].sort((a, b) => a.addr - b.addr);
    plugins = await PluginManager.load(specs, {
      cwd: Deno.cwd(),
      grants: [],
      symbols,
      timeoutMs: (opts.timeoutMs ?? 60_000) * TIMEOUT_SCALE,
      // Loading and install() (where qpp_meter makes its thousands of
      // calls) get the same room; the host's default is 10 s.
      loadTimeoutMs: 60_000 * TIMEOUT_SCALE,
      onError: "abort",
      out: (text) => void out.push(text),
      log: (line) => void out.push(line + "\n"),
    });
    if (opts.attach ?? true) plugins.attach(machine);
  }
  return { machine, plugins, loadMs: performance.now() - t0, out };
}

/**
 * Runs a prepared guest to its end, delivers every pending plugin event,
 * stops the plugin Workers and returns the timing.
 *
 * @example
 * ```ts ignore
 * const r = finishRun(await prepare([], { args: ["100"] }));
 * console.log(r.instructions / r.ms / 1000, "M instructions/s");
 * ```
 */
export function finishRun(run: PreparedRun): TimedRun {
  const t0 = performance.now();
  const r = run.machine.run();
  run.plugins?.finish();
  const ms = performance.now() - t0;
  return {
    instructions: r.instructions,
    ms,
    loadMs: run.loadMs,
    status: r.status,
    out: run.out.join(""),
  };
}

/**
 * Loads `specs`, runs the compute guest for `iterations` and returns the
 * timing (plugin loading excluded).
 *
 * @example
 * ```ts ignore
 * const bare = await timedCompute([], 1000);
 * const insn = await timedCompute(["insn"], 1000);
 * console.log(insn.ms / bare.ms, "x");
 * ```
 */
export async function timedCompute(
  specs: readonly string[],
  iterations: number,
): Promise<TimedRun> {
  const run = await prepare(specs, { args: [String(iterations)] });
  const r = finishRun(run);
  if (r.status !== 0) {
    throw new Error(
      `compute.elf ${iterations} with ${
        specs.join(" ") || "no plugin"
      } exited with status ${r.status}:\n${r.out}`,
    );
  }
  return r;
}

/** The median of `xs` (which it sorts). */
export function median(xs: number[]): number {
  xs.sort((a, b) => a - b);
  const n = xs.length;
  return n === 0
    ? NaN
    : n % 2
    ? xs[(n - 1) >> 1]
    : (xs[n / 2 - 1] + xs[n / 2]) / 2;
}
