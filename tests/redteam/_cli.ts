/**
 * Runs Pandeno through its real entry (`mod.ts`, with the permissions of
 * `deno task run`) for the red-team tests, with a wall-clock limit.
 *
 * @module
 */

const ROOT = new URL("../../", import.meta.url);

/** What a red-team run printed and how it ended. */
export interface RunResult {
  /** Exit status (or -1 when it was killed at the limit). */
  code: number;
  /** Guest stdout. */
  stdout: string;
  /** Pandeno's stderr: plugin output and diagnostics. */
  stderr: string;
}

/**
 * Runs `deno task run`'s command line with `args`, in `cwd`, killing it
 * after `limitMs`.
 *
 * @example
 * ```ts ignore
 * const r = await runPandeno(["--plugin", "insn", "tests/guests/bin/hello.elf"]);
 * console.log(r.code, r.stdout);
 * ```
 */
export async function runPandeno(
  args: string[],
  opts: { cwd?: string; limitMs?: number } = {},
): Promise<RunResult> {
  const cmd = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--no-prompt",
      "--unstable-worker-options",
      "--allow-read",
      "--allow-write",
      "--allow-env",
      "--allow-sys",
      "--allow-net",
      "--allow-import",
      new URL("mod.ts", ROOT).pathname,
      ...args,
    ],
    cwd: opts.cwd ?? ROOT.pathname,
    stdout: "piped",
    stderr: "piped",
    stdin: "null",
  });
  const child = cmd.spawn();
  const timer = setTimeout(() => {
    try {
      child.kill("SIGKILL");
    } catch {
      // already gone
    }
  }, opts.limitMs ?? 60_000);
  const out = await child.output();
  clearTimeout(timer);
  const dec = new TextDecoder();
  return {
    code: out.signal ? -1 : out.code,
    stdout: dec.decode(out.stdout),
    stderr: dec.decode(out.stderr),
  };
}

/** Path of a guest binary committed under tests/guests/bin. */
export function guest(name: string): string {
  return new URL(`tests/guests/bin/${name}`, ROOT).pathname;
}

/** Path of a hostile plugin under tests/redteam/plugins. */
export function plugin(name: string): string {
  return new URL(`tests/redteam/plugins/${name}`, ROOT).pathname;
}

/**
 * Throws with `msg` (and the run's stderr) when `ok` is false.
 *
 * @example
 * ```ts ignore
 * check(r.code === 0, "exit status", r);
 * ```
 */
export function check(ok: boolean, msg: string, r?: RunResult): void {
  if (!ok) {
    throw new Error(`${msg}${r ? `\n--- stderr ---\n${r.stderr}` : ""}`);
  }
}
