/**
 * Pandeno: a Deno-native RISC-V (RV64GC) Linux user-mode emulator for
 * dynamic analysis, instrumented by TypeScript plugins that each run
 * sandboxed in their own Worker.
 *
 * From the command line (after `deno task install`):
 *
 * ```sh
 * pandeno --plugin insn ./prog.elf arg1 arg2
 * ```
 *
 * From a script, run with Pandeno's deno.json in effect
 * (`deno run --config PANDENO_DIR/deno.json --unstable-worker-options -A script.ts`),
 * so that plugins load sandboxed:
 *
 * @example
 * ```ts
 * import { run } from "./mod.ts";
 * const r = await run("tests/guests/bin/hello.elf", {
 *   plugins: ["insn", "strace"],
 * });
 * console.log(r.status, r.stdout.trim(), r.insns > 0); // 0 "Hello from RISC-V!" true
 * console.log(Object.keys(r.reports)); // ["insn", "strace"]
 * ```
 *
 * The machine itself is the `./machine` export (core/mod.ts), and what
 * plugins import is the `./sdk` export (runtime/sdk/mod.ts, mapped as
 * `pandeno/sdk`).
 *
 * @module
 */

export {
  run,
  type RunOptions,
  type RunPlugin,
  type RunResult,
} from "./runtime/run.ts";
export { VERSION } from "./runtime/cli/version.ts";

if (import.meta.main) {
  const { main } = await import("./runtime/cli/cli.ts");
  await main(Deno.args);
}
