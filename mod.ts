/**
 * Pandeno: a Deno-native RISC-V (RV64GC) Linux user-mode emulator for
 * dynamic analysis.
 *
 * Run a program from the command line:
 *
 * ```sh
 * deno task run ./prog.elf arg1 arg2
 * ```
 *
 * Or embed the machine:
 *
 * @example
 * ```ts ignore
 * import { Machine } from "./mod.ts";
 * const m = new Machine({
 *   argv: ["hello.elf"], env: [], cwd: Deno.cwd(), mounts: [],
 *   exe: { hostPath: "hello.elf", guestPath: "hello.elf" },
 * });
 * m.load(Deno.readFileSync("tests/guests/bin/hello.elf"));
 * console.log(m.run().status);
 * ```
 *
 * @module
 */

export * from "./core/mod.ts";
export * from "./runtime/mod.ts";

if (import.meta.main) {
  const { main } = await import("./runtime/cli/cli.ts");
  await main(Deno.args);
}
