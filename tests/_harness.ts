/**
 * Runs guests under Pandeno (this repository's `mod.ts`) and under the
 * reference emulator `qemu-riscv64`, for the differential and end-to-end
 * tests in `tests/`.
 *
 * @example
 * ```ts ignore
 * import { guest, hasQemu, runPandeno, runQemu } from "./_harness.ts";
 * const ours = await runPandeno([guest("hello")]);
 * const theirs = hasQemu() ? await runQemu(guest("hello"), []) : undefined;
 * ```
 *
 * @module
 */

import { fileURLToPath } from "node:url";

/** The repository root, with a trailing slash. */
export const REPO: string = fileURLToPath(new URL("../", import.meta.url));

/** Where the prebuilt guests live, with a trailing slash. */
export const GUEST_DIR: string = `${REPO}tests/guests/bin/`;

/** The reference emulator's executable name. */
export const QEMU = "qemu-riscv64";

/**
 * The path of a prebuilt guest.
 *
 * @example
 * ```ts
 * import { guest } from "./_harness.ts";
 * console.log(guest("hello").endsWith("tests/guests/bin/hello.elf")); // true
 * ```
 */
export function guest(name: string): string {
  return `${GUEST_DIR}${name}.elf`;
}

/** Options shared by every runner. */
export interface RunOptions {
  /** Working directory of the emulator (and so of the guest). */
  cwd?: string;
  /** Extra host environment variables for the emulator process. */
  env?: Record<string, string>;
  /** Start the emulator with only `env`, not this process's environment. */
  clearEnv?: boolean;
  /** Bytes written to the guest's stdin, which is then closed. */
  stdin?: string;
}

/** Options for {@link runQemu}. */
export interface QemuOptions extends RunOptions {
  /** qemu options placed before the program, e.g. `["-E", "A=1", "-U", "HOME"]`. */
  qemuArgs?: string[];
}

/** What a finished run produced. */
export interface RunResult {
  /** Exit status: the guest's, or 128 + signal number if it died by a signal. */
  code: number;
  /** The guest's stdout, byte for byte. */
  stdout: Uint8Array;
  /** The emulator's and the guest's stderr, decoded as UTF-8. */
  stderr: string;
}

async function spawn(
  cmd: string,
  args: string[],
  opts: RunOptions = {},
): Promise<RunResult> {
  const child = new Deno.Command(cmd, {
    args,
    cwd: opts.cwd,
    env: opts.env,
    clearEnv: opts.clearEnv,
    stdin: opts.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (opts.stdin !== undefined) {
    const w = child.stdin.getWriter();
    await w.write(new TextEncoder().encode(opts.stdin));
    await w.close();
  }
  const out = await child.output();
  // Deno reports death by signal N as code 128 + N, like a shell.
  return {
    code: out.code,
    stdout: out.stdout,
    stderr: new TextDecoder().decode(out.stderr),
  };
}

/**
 * Runs Pandeno's CLI (`mod.ts [options] PROGRAM [ARGS...]`) in a fresh Deno
 * process, without type checking.
 *
 * @example
 * ```ts ignore
 * import { guest, runPandeno } from "./_harness.ts";
 * const r = await runPandeno(["--engine", "interp", guest("hello")]);
 * console.log(r.code, new TextDecoder().decode(r.stdout));
 * ```
 */
export function runPandeno(
  args: string[],
  opts: RunOptions = {},
): Promise<RunResult> {
  return spawn(Deno.execPath(), [
    "run",
    "--allow-all",
    "--unstable-worker-options",
    "--no-check",
    `${REPO}mod.ts`,
    ...args,
  ], opts);
}

let qemuPresent: boolean | undefined;

/**
 * Whether `qemu-riscv64` can be run on this machine (checked once).
 *
 * @example
 * ```ts
 * import { hasQemu } from "./_harness.ts";
 * console.log(typeof hasQemu()); // "boolean"
 * ```
 */
export function hasQemu(): boolean {
  if (qemuPresent === undefined) {
    try {
      qemuPresent = new Deno.Command(QEMU, {
        args: ["-version"],
        stdout: "null",
        stderr: "null",
      }).outputSync().success;
    } catch {
      qemuPresent = false;
    }
  }
  return qemuPresent;
}

/**
 * `sh` arguments that run `command` with RLIMIT_CORE 0: a guest that dies by
 * a signal makes qemu write a core file into the cwd otherwise, and Deno
 * cannot set rlimits itself. The shell would also export its own idea of
 * `PWD`, so the caller's `PWD` (or its absence) is put back exactly: the
 * guest's environment is the one the caller asked for.
 */
function noCoreDumps(opts: RunOptions, command: string[]): string[] {
  const pwd = opts.env?.PWD ??
    (opts.clearEnv ? undefined : Deno.env.get("PWD"));
  return [
    "-c",
    'ulimit -c 0; if [ "$1" = set ]; then PWD="$2"; export PWD; else unset PWD; fi; shift 2; exec "$@"',
    "sh",
    pwd === undefined ? "unset" : "set",
    pwd ?? "",
    ...command,
  ];
}

/**
 * Runs a guest under `qemu-riscv64` with core dumps disabled, or resolves to
 * `undefined` when qemu is not installed.
 *
 * @example
 * ```ts ignore
 * import { guest, runQemu } from "./_harness.ts";
 * const r = await runQemu(guest("argv_env"), ["x"], { qemuArgs: ["-U", "HOME"] });
 * ```
 */
export async function runQemu(
  elf: string,
  args: string[],
  opts: QemuOptions = {},
): Promise<RunResult | undefined> {
  if (!hasQemu()) return undefined;
  return await spawn(
    "/bin/sh",
    noCoreDumps(opts, [QEMU, ...(opts.qemuArgs ?? []), elf, ...args]),
    opts,
  );
}

/**
 * Counts the guest instructions qemu executes for one run, or resolves to
 * `undefined` when qemu is not installed.
 *
 * Debian's qemu-user ships no TCG plugins, so this runs
 * `qemu-riscv64 -singlestep -d exec,nochain -D /dev/stderr`: every translation
 * block holds one instruction and every executed block logs one line starting
 * with `Trace`, streamed from stderr and counted without storing it. An
 * instruction that faults is counted (its block started). Meant for guests of
 * up to some tens of millions of instructions that write nothing to stderr
 * (the log is ~75 bytes per instruction). Verified in
 * `tests/insn_count_test.ts` against a hand-counted guest and a second method.
 *
 * @example
 * ```ts ignore
 * import { guest, qemuInsnCount } from "./_harness.ts";
 * console.log(await qemuInsnCount(guest("count_loop"), [])); // 3011
 * ```
 */
export async function qemuInsnCount(
  elf: string,
  args: string[],
  opts: RunOptions = {},
): Promise<number | undefined> {
  if (!hasQemu()) return undefined;
  const child = new Deno.Command("/bin/sh", {
    args: noCoreDumps(opts, [
      QEMU,
      "-singlestep",
      "-d",
      "exec,nochain",
      "-D",
      "/dev/stderr",
      elf,
      ...args,
    ]),
    cwd: opts.cwd,
    env: opts.env,
    clearEnv: opts.clearEnv,
    stdin: "null",
    // A pipe, as for Pandeno: glibc probes a character device (/dev/null)
    // with an extra ioctl, which would change the count.
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const drained = child.stdout.pipeTo(new WritableStream());
  const T = 0x54; // "T" of "Trace"
  let count = 0;
  let atLineStart = true;
  for await (const chunk of child.stderr) {
    if (chunk.length === 0) continue;
    if (atLineStart && chunk[0] === T) count++;
    let nl = chunk.indexOf(10);
    while (nl !== -1) {
      if (nl + 1 < chunk.length) {
        if (chunk[nl + 1] === T) count++;
      }
      nl = chunk.indexOf(10, nl + 1);
    }
    atLineStart = chunk[chunk.length - 1] === 10;
  }
  const status = await child.status;
  await drained;
  if (count === 0) {
    throw new Error(
      `${QEMU} executed no instructions of ${elf} (status ${status.code})`,
    );
  }
  return count;
}

/**
 * Pandeno's own instruction count for one run: runs with `--count-insns` and
 * reads the `insns: N` line from stderr. Resolves to `undefined` when this
 * build of Pandeno does not know the flag yet.
 *
 * @example
 * ```ts ignore
 * import { guest, pandenoInsnCount } from "./_harness.ts";
 * console.log(await pandenoInsnCount(["--engine", "interp"], guest("hello"), []));
 * ```
 */
export async function pandenoInsnCount(
  options: string[],
  elf: string,
  args: string[],
  opts: RunOptions = {},
): Promise<{ count: number; result: RunResult } | undefined> {
  const result = await runPandeno(
    [...options, "--count-insns", elf, ...args],
    opts,
  );
  const m = /^insns: (\d+)$/m.exec(result.stderr);
  if (m) return { count: Number(m[1]), result };
  if (/unknown option|unrecognized option|count-insns/i.test(result.stderr)) {
    return undefined;
  }
  throw new Error(
    `pandeno --count-insns printed no "insns: N" line (status ${result.code}): ${
      result.stderr.slice(0, 500)
    }`,
  );
}

/**
 * A fresh temporary directory, removed by the returned function.
 *
 * @example
 * ```ts
 * import { tempDir } from "./_harness.ts";
 * const [dir, cleanup] = tempDir("example");
 * cleanup();
 * console.log(typeof dir); // "string"
 * ```
 */
export function tempDir(label: string): [string, () => void] {
  const dir = Deno.makeTempDirSync({ prefix: `pandeno_${label}_` });
  return [dir, () => Deno.removeSync(dir, { recursive: true })];
}

/**
 * The signal names for the exit statuses 128 + N that the tests check.
 *
 * @example
 * ```ts
 * import { SIGNAL_NAMES } from "./_harness.ts";
 * console.log(SIGNAL_NAMES[139 - 128]); // "SIGSEGV"
 * ```
 */
export const SIGNAL_NAMES: Readonly<Record<number, string>> = {
  4: "SIGILL",
  6: "SIGABRT",
  7: "SIGBUS",
  8: "SIGFPE",
  11: "SIGSEGV",
};
