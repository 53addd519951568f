/**
 * The `pandeno` command line: parse options, set up the guest's view of the
 * host (environment, mapped directories), run the program, and exit with its
 * status.
 *
 * @module
 */

import { type EngineName, Machine } from "../../core/machine.ts";
import { userEnv } from "./guest_env.ts";
import { parseAllowPlugin } from "../host/permissions.ts";
import { openPluginLog } from "../host/log_file.ts";
import { readPluginLock } from "../host/plugin_lock.ts";
import { DEFAULT_PLUGIN_MEMORY_MB } from "../host/spawn.ts";
// Loaded only when --plugin is given: a bare run skips the plugin runtime.
import type { PluginManager } from "../host/plugin_manager.ts";
import type { Mount } from "../../core/linux/mod.ts";
import { dirname, isAbsolute, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Parsed command line. */
export interface CliOptions {
  /** Engine to run guest code with. */
  engine: EngineName;
  /** Instructions per turn when several vCPUs share the host. */
  quantum?: number;
  /** Environment variables to set (`-E`). */
  set: [string, string][];
  /** Environment variables to unset (`-U`). */
  unset: string[];
  /** Map the working directory read-only. */
  readOnly: boolean;
  /** Extra mappings (`--map HOST[:GUEST][:ro]`). */
  maps: { host: string; guest?: string; readOnly: boolean }[];
  /** Do not map the working directory at all. */
  noCwd: boolean;
  /** `-L DIR`: the interpreter prefix (overrides `QEMU_LD_PREFIX`). */
  ldPrefix?: string;
  /** Silence reports of unsupported system calls. */
  quietEnosys: boolean;
  /** Print `insns: N` to stderr at exit. */
  countInsns: boolean;
  /** Print translator statistics to stderr at exit. */
  stats: boolean;
  /** Plugin specs (`--plugin SPEC[,k=v...]`), in order. */
  plugins: string[];
  /** Plugin grants (`--allow-plugin NAME:KIND[=VALUE]`). */
  allowPlugin: string[];
  /** File for plugin output (`-D FILE`); stderr when absent. */
  logFile?: string;
  /** What a failing plugin does: unload it (default) or abort the run. */
  pluginError: "unload" | "abort";
  /** Milliseconds a sync plugin callback may take. */
  pluginTimeout: number;
  /** Memory budget per plugin in MiB (`--plugin-memory`). */
  pluginMemory: number;
  /** Lock file pinning remote plugins' modules (`--plugin-lock`). */
  pluginLock?: string;
  /** Seed for the guest's randomness (`--seed N`, as qemu's `-seed`). */
  seed?: bigint;
  /** Virtual clock: 2^N ns per instruction (`--icount-shift N`). */
  icountShift?: number;
  /** uname's nodename (`--hostname NAME`). */
  hostname?: string;
  /** Show help and exit. */
  help: boolean;
  /** Guest program path, as given. */
  program?: string;
  /** Guest arguments after the program. */
  args: string[];
}

/** A command-line mistake: reported with a hint, exit status 2. */
export class UsageError extends Error {
  /** Always "UsageError". */
  override name = "UsageError";
}

/** The text of `--help`. */
export const HELP =
  `pandeno: run a RISC-V (RV64GC) Linux program, optionally instrumented.

Usage: deno task run [options] PROGRAM [ARGS...]

PROGRAM is a riscv64 Linux ELF: static, static-pie, or dynamically linked
(then give its sysroot with -L or QEMU_LD_PREFIX). Its stdout and stderr are
the program's own; pandeno exits with the program's exit status, or
128+N if signal N killed it (SIGSEGV 139, SIGILL 132, SIGFPE 136).

Options (they must come before PROGRAM; everything after it goes to the guest):
  -E VAR=VALUE        set VAR in the guest environment (repeatable; like qemu -E)
  -U VAR              remove VAR from the guest environment (repeatable; qemu -U)
  --engine jit|interp execution engine: the translator (default) or the
                      single-stepping reference interpreter
  --quantum N         instructions a guest thread or process runs before the
                      next one gets its turn (default 100000); the vCPUs take
                      turns deterministically on one host thread
  --ro                map the working directory read-only (default read-write)
  --map HOST[:GUEST][:ro]
                      also let the guest see host directory HOST at guest path
                      GUEST (default: the same path); ":ro" makes it read-only
  --no-cwd            do not map the working directory
  -L DIR              look absolute guest paths up under host DIR first,
                      read-only (the ELF interpreter and its libraries, as
                      qemu -L; default: $QEMU_LD_PREFIX)
  --quiet-enosys      do not report system calls pandeno does not implement
  --count-insns       print "insns: N" (guest instructions executed) to stderr
  --seed N            fix the guest's randomness (AT_RANDOM, getrandom,
                      /dev/urandom); AT_RANDOM equals qemu-riscv64 -seed N's
  --icount-shift N    virtual clock: guest time advances 2^N ns per
                      instruction and sleeps do not wait (repeatable runs)
  --hostname NAME     uname's nodename (default "pandeno")
  --stats             print translator statistics to stderr at exit
  -h, --help          show this help

Plugins (each runs in its own sandboxed Worker):
  --plugin SPEC[,KEY=VALUE...]
                      load a plugin: an in-tree name (insn, bb, mem, hotblocks,
                      hotpages, howvec, syscall, execlog, cache, empty), a path,
                      a file: URL or an http(s): URL (pin it with
                      #sha256=<hex>); KEY=VALUE pairs are its arguments
  --allow-plugin NAME:KIND[=VALUE]
                      grant plugin NAME a permission its manifest asks for:
                      read=PATH, write=PATH, net=HOST[:PORT], env=VAR, sys;
                      without VALUE, all of that kind. Nothing is granted
                      by default.
  -D FILE             write plugin output to FILE instead of stderr
  --plugin-error unload|abort
                      a plugin that throws, hangs or crashes is unloaded and
                      the run goes on (default), or the run stops (status 3)
  --plugin-timeout MS how long a sync plugin callback, or a drain of batched
                      events that stops advancing, may take (default 5000)
  --plugin-memory MB  memory budget of each plugin: JS heap, buffers and
                      WebAssembly memories (default 512); a plugin over it
                      is unloaded
  --plugin-lock FILE  pins (SHA-256) of remote plugins' modules, reviewed by
                      you; a remote module without a pin does not run (the
                      refusal prints the lines to add). See SECURITY.md.

The guest sees the host file system only through mapped directories; any other
path gives ENOENT. The guest's working directory is the one you ran the command
from. The guest gets the host environment, changed by -E and -U; what npx and
deno task add to it (npm_* variables, INIT_CWD, npm's PATH entries, ...) is
removed first: the guest sees your shell's environment, as qemu-riscv64 does.

Examples:
  deno task run ./hello.elf
  deno task run -E LANG=C -U HOME ./prog.elf --its-own-flag
  deno task run --ro --map /data:/mnt/data:ro ./prog.elf /mnt/data/input
  deno task run --plugin insn ./prog.elf
  deno task run -D plugins.log --plugin hotblocks --plugin mem,inline=on ./prog.elf
`;

/**
 * Parses pandeno's arguments. Options stop at the first non-option (the
 * program) or at `--`.
 *
 * @example
 * ```ts
 * import { parseCli } from "./cli.ts";
 * const o = parseCli(["-E", "A=1", "./prog.elf", "-v"]);
 * console.log(o.program, o.args, o.set); // "./prog.elf" ["-v"] [["A","1"]]
 * ```
 */
export function parseCli(argv: string[]): CliOptions {
  const o: CliOptions = {
    engine: "jit",
    set: [],
    unset: [],
    readOnly: false,
    maps: [],
    noCwd: false,
    quietEnosys: false,
    countInsns: false,
    stats: false,
    plugins: [],
    allowPlugin: [],
    pluginError: "unload",
    pluginTimeout: 5000,
    pluginMemory: DEFAULT_PLUGIN_MEMORY_MB,
    help: false,
    args: [],
  };
  let i = 0;
  const value = (flag: string) => {
    if (i + 1 >= argv.length) throw new UsageError(`${flag} needs a value`);
    return argv[++i];
  };
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--") {
      i++;
      break;
    }
    if (!a.startsWith("-") || a === "-") break;
    const eq = a.startsWith("--") ? a.indexOf("=") : -1;
    const flag = eq > 0 ? a.slice(0, eq) : a;
    const inline = eq > 0 ? a.slice(eq + 1) : undefined;
    const val = () => inline ?? value(flag);
    switch (flag) {
      case "-h":
      case "--help":
        o.help = true;
        break;
      case "-E": // comma-separated, as qemu's envlist_parse_set
        for (const v of val().split(",")) {
          const k = v.indexOf("=");
          if (k <= 0) throw new UsageError(`-E expects VAR=VALUE, got "${v}"`);
          o.set.push([v.slice(0, k), v.slice(k + 1)]);
        }
        break;
      case "-U":
        o.unset.push(...val().split(","));
        break;
      case "--engine": {
        const v = val();
        if (v !== "jit" && v !== "interp") {
          throw new UsageError(
            `--engine must be "jit" or "interp", got "${v}"`,
          );
        }
        o.engine = v;
        break;
      }
      case "--quantum": {
        const v = val();
        const n = Number(v);
        if (!/^[0-9]+$/.test(v) || !Number.isSafeInteger(n) || n < 1) {
          throw new UsageError(
            `--quantum expects a positive number of instructions, got "${v}"`,
          );
        }
        o.quantum = n;
        break;
      }
      case "--ro":
        o.readOnly = true;
        break;
      case "--no-cwd":
        o.noCwd = true;
        break;
      case "-L":
        o.ldPrefix = val();
        break;
      case "--map": {
        const v = val();
        let parts = v.split(":");
        let readOnly = false;
        if (parts.length > 1 && parts[parts.length - 1] === "ro") {
          readOnly = true;
          parts = parts.slice(0, -1);
        }
        if (parts.length > 2 || parts[0] === "") {
          throw new UsageError(`--map expects HOST[:GUEST][:ro], got "${v}"`);
        }
        o.maps.push({ host: parts[0], guest: parts[1], readOnly });
        break;
      }
      case "--quiet-enosys":
        o.quietEnosys = true;
        break;
      case "--seed": { // qemu parses it with parse_uint_full(..., 0)
        const v = val();
        if (!/^(0x[0-9a-f]+|0[0-7]*|[1-9][0-9]*)$/i.test(v)) {
          throw new UsageError(
            `--seed expects an unsigned integer, got "${v}"`,
          );
        }
        o.seed = BigInt.asUintN(
          64,
          BigInt(/^0[0-7]+$/.test(v) ? "0o" + v.slice(1) : v),
        );
        break;
      }
      case "--icount-shift": {
        const v = val();
        if (!/^([0-9]|[12][0-9]|30)$/.test(v)) {
          throw new UsageError(`--icount-shift expects 0 to 30, got "${v}"`);
        }
        o.icountShift = Number(v);
        break;
      }
      case "--hostname":
        o.hostname = val().slice(0, 64);
        break;
      case "--count-insns":
        o.countInsns = true;
        break;
      case "--stats":
        o.stats = true;
        break;
      case "--plugin":
        o.plugins.push(val());
        break;
      case "--allow-plugin":
        o.allowPlugin.push(val());
        break;
      case "-D":
        o.logFile = val();
        break;
      case "--plugin-error": {
        const v = val();
        if (v !== "unload" && v !== "abort") {
          throw new UsageError(
            `--plugin-error must be "unload" or "abort", got "${v}"`,
          );
        }
        o.pluginError = v;
        break;
      }
      case "--plugin-timeout": {
        const v = Number(val());
        if (!Number.isFinite(v) || v <= 0) {
          throw new UsageError(
            "--plugin-timeout expects a positive number of milliseconds",
          );
        }
        o.pluginTimeout = v;
        break;
      }
      case "--plugin-memory": {
        const v = Number(val());
        if (!Number.isInteger(v) || v < 16 || v > 65536) {
          throw new UsageError(
            "--plugin-memory expects a whole number of MiB from 16 to 65536",
          );
        }
        o.pluginMemory = v;
        break;
      }
      case "--plugin-lock":
        o.pluginLock = val();
        break;
      default:
        throw new UsageError(`unknown option "${a}"`);
    }
  }
  o.program = argv[i];
  o.args = argv.slice(i + 1);
  return o;
}

/**
 * The directory the user ran the command from. Under `deno task` the process
 * runs in the project folder and the user's directory is `INIT_CWD`.
 */
export function userCwd(): string {
  const cwd = Deno.cwd();
  const init = Deno.env.get("INIT_CWD");
  const project = dirname(dirname(fileURLToPath(import.meta.url)));
  return init && cwd === project ? init : cwd;
}

function die(msg: string, status: number): never {
  console.error(`pandeno: ${msg}`);
  Deno.exit(status);
}

/**
 * Runs the CLI with `argv` and exits the process with the guest's status.
 *
 * @example
 * ```ts ignore
 * import { main } from "./cli.ts";
 * await main(["./hello.elf"]);
 * ```
 */
export async function main(argv: string[]): Promise<void> {
  let o: CliOptions;
  try {
    o = parseCli(argv);
  } catch (e) {
    if (e instanceof UsageError) die(`${e.message} (see --help)`, 2);
    throw e;
  }
  if (o.help) {
    console.log(HELP);
    return;
  }
  if (!o.program) die("no program given (see --help)", 2);

  const cwd = userCwd();
  const hostPath = isAbsolute(o.program) ? o.program : resolve(cwd, o.program);
  let elf: Uint8Array;
  try {
    elf = Deno.readFileSync(hostPath);
  } catch (e) {
    die(`cannot read program ${o.program}: ${(e as Error).message}`, 1);
  }

  const env = userEnv(Deno.env.toObject());
  for (const k of o.unset) delete env[k];
  for (const [k, v] of o.set) env[k] = v;

  const mounts: Mount[] = [];
  if (!o.noCwd) {
    let host: string;
    try {
      host = Deno.realPathSync(cwd);
    } catch (e) {
      die(
        `cannot map the working directory ${cwd} (${(e as Error).message}); ` +
          "run from an existing directory or pass --no-cwd",
        2,
      );
    }
    mounts.push({ guest: cwd, host, readOnly: o.readOnly });
  }
  for (const m of o.maps) {
    const host = resolve(cwd, m.host);
    let real: string;
    try {
      real = Deno.realPathSync(host);
    } catch {
      die(`--map: host directory ${m.host} does not exist`, 2);
    }
    const guest = m.guest ?? host;
    if (!isAbsolute(guest)) {
      die(`--map: guest path "${guest}" must be absolute`, 2);
    }
    mounts.push({ guest: resolve(guest), host: real, readOnly: m.readOnly });
  }

  const machine = new Machine({
    engine: o.engine,
    quantum: o.quantum,
    argv: [o.program, ...o.args],
    env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
    exe: { hostPath, guestPath: hostPath },
    mounts,
    cwd,
    quietEnosys: o.quietEnosys,
    seed: o.seed,
    icountShift: o.icountShift,
    hostname: o.hostname,
    ldPrefix: ldPrefix(o.ldPrefix ?? Deno.env.get("QEMU_LD_PREFIX"), cwd),
  });
  try {
    machine.load(elf);
  } catch (e) {
    if (e instanceof RangeError || e instanceof TypeError) {
      die(`cannot run ${o.program}: ${e.message}`, 1);
    }
    throw e;
  }

  const plugins = o.plugins.length > 0
    ? await loadPlugins(o, cwd, machine)
    : undefined;
  const t0 = performance.now();
  let result;
  try {
    result = machine.run();
    plugins?.finish();
  } catch (e) {
    if (plugins && (e as Error).name === "PluginAbortError") {
      plugins?.finish(true);
      die(`${(e as Error).message}; stopping (--plugin-error=abort)`, 3);
    }
    throw e;
  }
  const ms = performance.now() - t0;
  if (o.countInsns) console.error(`insns: ${result.instructions}`);
  if (o.stats) {
    const mips = result.instructions / ms / 1000;
    console.error(
      `pandeno: ${result.instructions} instructions in ${ms.toFixed(1)} ms ` +
        `(${mips.toFixed(1)} M/s)`,
    );
    if (machine.translator) {
      console.error(
        `pandeno: translator ${JSON.stringify(machine.translator.stats)}`,
      );
    }
  }
  Deno.exit(result.status);
}

/** Loads `--plugin`s and attaches them to `machine`; exits with a message on failure. */
async function loadPlugins(
  o: CliOptions,
  cwd: string,
  machine: Machine,
): Promise<PluginManager> {
  let out: (text: string) => void;
  if (o.logFile) {
    let file: Deno.FsFile;
    try {
      // Never through a link the guest may have planted (SECURITY.md).
      file = openPluginLog(o.logFile, cwd);
    } catch (e) {
      die(`-D ${o.logFile}: ${(e as Error).message}`, 2);
    }
    const enc = new TextEncoder();
    out = (text) => void file.writeSync(enc.encode(text));
  } else {
    const enc = new TextEncoder();
    out = (text) => void Deno.stderr.writeSync(enc.encode(text));
  }
  try {
    const grants = o.allowPlugin.map((g) => parseAllowPlugin(g, cwd));
    const lock = o.pluginLock === undefined
      ? undefined
      : await readPluginLock(resolve(cwd, o.pluginLock));
    const symbols = [...machine.kernel.symbols].sort((a, b) => a.addr - b.addr);
    const { PluginManager } = await import("../host/plugin_manager.ts");
    const pm = await PluginManager.load(o.plugins, {
      cwd,
      grants,
      symbols,
      timeoutMs: o.pluginTimeout,
      memoryMb: o.pluginMemory,
      lock,
      onError: o.pluginError,
      out,
      log: (line) => console.error(line),
    });
    pm.attach(machine);
    return pm;
  } catch (e) {
    const err = e as Error;
    if (
      [
        "PluginLoadError",
        "PluginPermissionError",
        "PluginDependencyError",
        "TypeError",
        "RangeError",
      ]
        .includes(err.name)
    ) {
      die(
        err.message.startsWith("plugin")
          ? err.message
          : `plugin: ${err.message}`,
        2,
      );
    }
    throw e;
  }
}

/**
 * The `-L` prefix as qemu's init_paths takes it: relative to the working
 * directory, nothing for "" or "/", and nothing when it does not exist
 * (qemu then finds no file under it).
 */
function ldPrefix(dir: string | undefined, cwd: string): string | undefined {
  if (dir === undefined || dir === "" || dir === "/") return undefined;
  try {
    return Deno.realPathSync(resolve(cwd, dir));
  } catch {
    return undefined;
  }
}

if (import.meta.main) await main(Deno.args);
