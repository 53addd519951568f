/**
 * Shared set-up for benchmarks: run a guest in-process with its output
 * discarded, and report guest instructions per second.
 *
 * @module
 */

import { type EngineName, Machine } from "../core/machine.ts";

/** Path of the compute-heavy benchmark guest. */
export const COMPUTE = new URL(
  "../tests/guests/bin/compute.elf",
  import.meta.url,
);

/** Guest instructions in one `compute.elf` iteration (measured, approximate). */
export const INSNS_PER_ITERATION = 82_000;

const quiet = {
  read: () => null,
  write: () => {},
  isTerminal: () => false,
};

/**
 * Runs `compute.elf ITERATIONS` in-process and returns what it executed.
 *
 * @example
 * ```ts ignore
 * const { instructions, ms } = runCompute("jit", 100);
 * ```
 */
export function runCompute(
  engine: EngineName,
  iterations: number,
): { instructions: number; ms: number; status: number } {
  const elf = Deno.readFileSync(COMPUTE);
  const m = new Machine({
    engine,
    argv: ["compute.elf", String(iterations)],
    env: [],
    exe: { hostPath: COMPUTE.pathname, guestPath: COMPUTE.pathname },
    mounts: [],
    cwd: "/",
    quietEnosys: true,
    stdio: quiet,
  });
  m.load(elf);
  const t0 = performance.now();
  const r = m.run();
  return {
    instructions: r.instructions,
    ms: performance.now() - t0,
    status: r.status,
  };
}
