/**
 * The command line's options as one table: each row has its names, its
 * value's name, its help group and text, and how it sets the parsed
 * options. Parsing and `--help` both read the table, so they cannot
 * disagree; adding an option is adding a row.
 *
 * @module
 */

import type { EngineName } from "../../core/machine.ts";
import { type NetPolicy, parseNetPolicy } from "../host/host_net.ts";

/** Parsed command line. */
export interface CliOptions {
  /** Engine to run guest code with. */
  engine: EngineName;
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
  /** `--net loopback|HOST:PORT,...`: what guest sockets may reach. */
  net?: NetPolicy;
  /** Instructions per turn when several vCPUs share the host. */
  quantum?: number;
  /** Seed for the guest's randomness (`--seed N`, as qemu's `-seed`). */
  seed?: bigint;
  /** Virtual clock: 2^N ns per instruction (`--icount-shift N`). */
  icountShift?: number;
  /** uname's nodename (`--hostname NAME`). */
  hostname?: string;
  /** Memory budget per plugin in MiB (`--plugin-memory`). */
  pluginMemory?: number;
  /** Lock file pinning remote plugins' modules (`--plugin-lock`). */
  pluginLock?: string;
  /** Silence reports of unsupported system calls. */
  quietEnosys: boolean;
  /** Print `insns: N` to stderr at exit. */
  countInsns: boolean;
  /** Print translator statistics to stderr at exit. */
  stats: boolean;
  /** No progress line. */
  quiet: boolean;
  /** Plugin specs (`--plugin SPEC[,k=v...]`), in order. */
  plugins: string[];
  /** Plugin grants (`--allow-plugin NAME:KIND[=VALUE]`). */
  allowPlugin: string[];
  /** File for plugin output (`-D FILE`); stderr when absent. */
  logFile?: string;
  /** File for every plugin's events as JSON Lines (`--events FILE`). */
  eventsFile?: string;
  /** What a failing plugin does: unload it (default) or abort the run. */
  pluginError: "unload" | "abort";
  /** Milliseconds a sync plugin callback may take. */
  pluginTimeout: number;
  /** Show help and exit. */
  help: boolean;
  /** Show the version and exit. */
  version: boolean;
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

/** Help groups, in the order `--help` prints them. */
export const GROUPS = [
  "Guest",
  "Files",
  "Plugins",
  "Output",
  "Pandeno",
] as const;

/** One row of the option table. */
export interface OptionDef {
  /** Its spellings, short first (`-h`, `--help`). */
  readonly names: readonly string[];
  /** Name of its value in help (`VAR=VALUE`); absent for a flag. */
  readonly value?: string;
  /** Help group. */
  readonly group: typeof GROUPS[number];
  /** Help text (wrapped by `--help`). */
  readonly help: string;
  /** Records the option (its value for options that take one). */
  apply(o: CliOptions, value: string): void;
}

/** The options before any flag. */
export function defaultOptions(): CliOptions {
  return {
    engine: "jit",
    set: [],
    unset: [],
    readOnly: false,
    maps: [],
    noCwd: false,
    quietEnosys: false,
    countInsns: false,
    stats: false,
    quiet: false,
    plugins: [],
    allowPlugin: [],
    pluginError: "unload",
    pluginTimeout: 5000,
    help: false,
    version: false,
    args: [],
  };
}

/**
 * Every option, in help order within each group.
 *
 * @example
 * ```ts
 * import { OPTIONS } from "./options.ts";
 * console.log(OPTIONS.some((o) => o.names.includes("--plugin"))); // true
 * ```
 */
export const OPTIONS: readonly OptionDef[] = [
  {
    names: ["-E"],
    value: "VAR=VALUE",
    group: "Guest",
    help:
      "set VAR in the guest environment (repeatable; commas separate several, as with qemu -E)",
    apply(o, value) {
      for (const v of value.split(",")) { // as qemu's envlist_parse_set
        const k = v.indexOf("=");
        if (k <= 0) throw new UsageError(`-E expects VAR=VALUE, got "${v}"`);
        o.set.push([v.slice(0, k), v.slice(k + 1)]);
      }
    },
  },
  {
    names: ["-U"],
    value: "VAR",
    group: "Guest",
    help: "remove VAR from the guest environment (repeatable; qemu -U)",
    apply: (o, v) => void o.unset.push(...v.split(",")),
  },
  {
    names: ["--engine"],
    value: "jit|interp",
    group: "Guest",
    help:
      "execution engine: the translator (default) or the single-stepping reference interpreter",
    apply(o, v) {
      if (v !== "jit" && v !== "interp") {
        throw new UsageError(`--engine must be "jit" or "interp", got "${v}"`);
      }
      o.engine = v;
    },
  },
  {
    names: ["--quantum"],
    value: "N",
    group: "Guest",
    help:
      "instructions a guest thread or process runs before the next one gets its turn (default 100000); the vCPUs take turns deterministically on one host thread",
    apply(o, v) {
      const n = Number(v);
      if (!/^[0-9]+$/.test(v) || !Number.isSafeInteger(n) || n < 1) {
        throw new UsageError(
          `--quantum expects a positive number of instructions, got "${v}"`,
        );
      }
      o.quantum = n;
    },
  },
  {
    names: ["--seed"],
    value: "N",
    group: "Guest",
    help:
      "fix the guest's randomness (AT_RANDOM, getrandom, /dev/urandom); AT_RANDOM equals qemu-riscv64 -seed N's",
    apply(o, v) { // qemu parses it with parse_uint_full(..., 0)
      if (!/^(0x[0-9a-f]+|0[0-7]*|[1-9][0-9]*)$/i.test(v)) {
        throw new UsageError(`--seed expects an unsigned integer, got "${v}"`);
      }
      o.seed = BigInt.asUintN(
        64,
        BigInt(/^0[0-7]+$/.test(v) ? "0o" + v.slice(1) : v),
      );
    },
  },
  {
    names: ["--icount-shift"],
    value: "N",
    group: "Guest",
    help:
      "virtual clock: guest time advances 2^N ns per instruction and sleeps do not wait (repeatable runs)",
    apply(o, v) {
      if (!/^([0-9]|[12][0-9]|30)$/.test(v)) {
        throw new UsageError(`--icount-shift expects 0 to 30, got "${v}"`);
      }
      o.icountShift = Number(v);
    },
  },
  {
    names: ["--hostname"],
    value: "NAME",
    group: "Guest",
    help: 'uname\'s nodename (default "pandeno")',
    apply: (o, v) => void (o.hostname = v.slice(0, 64)),
  },
  {
    names: ["--quiet-enosys"],
    group: "Guest",
    help: "do not report system calls pandeno does not implement",
    apply: (o) => void (o.quietEnosys = true),
  },
  {
    names: ["--ro"],
    group: "Files",
    help: "map the working directory read-only (default read-write)",
    apply: (o) => void (o.readOnly = true),
  },
  {
    names: ["--map"],
    value: "HOST[:GUEST][:ro]",
    group: "Files",
    help:
      'also let the guest see host directory HOST (relative to your folder) at guest path GUEST (default: the same path); ":ro" makes it read-only',
    apply(o, v) {
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
    },
  },
  {
    names: ["-L"],
    value: "DIR",
    group: "Files",
    help:
      "look absolute guest paths up under host DIR first, read-only (the ELF interpreter and its libraries, as qemu -L; default: $QEMU_LD_PREFIX)",
    apply: (o, v) => void (o.ldPrefix = v),
  },
  {
    names: ["--net"],
    value: "loopback|HOST:PORT,...",
    group: "Guest",
    help:
      "let guest AF_INET/AF_INET6 sockets reach the host's loopback, or only these endpoints (PORT may be *); without it the guest has no network (EACCES)",
    apply(o, v) {
      try {
        o.net = parseNetPolicy(v);
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
    },
  },
  {
    names: ["--no-cwd"],
    group: "Files",
    help: "do not map the working directory",
    apply: (o) => void (o.noCwd = true),
  },
  {
    names: ["--plugin"],
    value: "SPEC[,KEY=VALUE...]",
    group: "Plugins",
    help:
      "load a plugin: an in-tree name (see `pandeno plugins`), a path, a file: URL or an http(s): URL (pin it with #sha256=<hex>); KEY=VALUE pairs are its arguments; NAME,help shows them",
    apply: (o, v) => void o.plugins.push(v),
  },
  {
    names: ["--allow-plugin"],
    value: "NAME:KIND[=VALUE]",
    group: "Plugins",
    help:
      "grant plugin NAME a permission its manifest asks for: read=PATH, write=PATH (relative to your folder), net=HOST[:PORT], env=VAR, sys; without VALUE, all of that kind. Nothing is granted by default",
    apply: (o, v) => void o.allowPlugin.push(v),
  },
  {
    names: ["--plugin-error"],
    value: "unload|abort",
    group: "Plugins",
    help:
      "a plugin that throws, hangs or crashes is unloaded and the run goes on (default), or the run stops (status 3)",
    apply(o, v) {
      if (v !== "unload" && v !== "abort") {
        throw new UsageError(
          `--plugin-error must be "unload" or "abort", got "${v}"`,
        );
      }
      o.pluginError = v;
    },
  },
  {
    names: ["--plugin-timeout"],
    value: "MS",
    group: "Plugins",
    help:
      "how long a sync plugin callback, or a drain of batched events that stops advancing, may take (default 5000)",
    apply(o, v) {
      const n = Number(v);
      if (!Number.isFinite(n) || n <= 0) {
        throw new UsageError(
          "--plugin-timeout expects a positive number of milliseconds",
        );
      }
      o.pluginTimeout = n;
    },
  },
  {
    names: ["--plugin-memory"],
    value: "MB",
    group: "Plugins",
    help:
      "memory budget of each plugin: JS heap, buffers and WebAssembly memories (default 512); a plugin over it is unloaded",
    apply(o, value) {
      const v = Number(value);
      if (!Number.isInteger(v) || v < 16 || v > 65536) {
        throw new UsageError(
          "--plugin-memory expects a whole number of MiB from 16 to 65536",
        );
      }
      o.pluginMemory = v;
    },
  },
  {
    names: ["--plugin-lock"],
    value: "FILE",
    group: "Plugins",
    help:
      "pins (SHA-256) of remote plugins' modules, reviewed by you; a remote module without a pin does not run (the refusal prints the lines to add). See SECURITY.md",
    apply: (o, v) => void (o.pluginLock = v),
  },
  {
    names: ["-D"],
    value: "FILE",
    group: "Output",
    help: "write plugin output to FILE instead of stderr (qemu -D)",
    apply: (o, v) => void (o.logFile = v),
  },
  {
    names: ["--events"],
    value: "FILE",
    group: "Output",
    help:
      "write every plugin's reported results and events as JSON Lines to FILE",
    apply: (o, v) => void (o.eventsFile = v),
  },
  {
    names: ["--count-insns"],
    group: "Output",
    help: 'print "insns: N" (guest instructions executed) to stderr',
    apply: (o) => void (o.countInsns = true),
  },
  {
    names: ["--stats"],
    group: "Output",
    help: "print speed and translator statistics to stderr at exit",
    apply: (o) => void (o.stats = true),
  },
  {
    names: ["-q", "--quiet"],
    group: "Output",
    help: "no progress line (shown only when stderr is a terminal)",
    apply: (o) => void (o.quiet = true),
  },
  {
    names: ["-h", "--help"],
    group: "Pandeno",
    help: "show this help",
    apply: (o) => void (o.help = true),
  },
  {
    names: ["--version"],
    group: "Pandeno",
    help: "show pandeno's version",
    apply: (o) => void (o.version = true),
  },
];

/**
 * Parses pandeno's arguments. Options stop at the first non-option (the
 * program) or at `--`; `--name=value` and `--name value` both work.
 *
 * @example
 * ```ts
 * import { parseCli } from "./options.ts";
 * const o = parseCli(["-E", "A=1", "./prog.elf", "-v"]);
 * console.log(o.program, o.args, o.set); // "./prog.elf" ["-v"] [["A","1"]]
 * ```
 */
export function parseCli(
  argv: readonly string[],
  table: readonly OptionDef[] = OPTIONS,
): CliOptions {
  const o = defaultOptions();
  const byName = new Map<string, OptionDef>();
  for (const def of table) for (const n of def.names) byName.set(n, def);
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--") {
      i++;
      break;
    }
    if (!a.startsWith("-") || a === "-") break;
    const eq = a.startsWith("--") ? a.indexOf("=") : -1;
    const flag = eq > 0 ? a.slice(0, eq) : a;
    const def = byName.get(flag);
    if (!def) throw new UsageError(`unknown option "${a}"`);
    if (def.value === undefined) {
      if (eq > 0) throw new UsageError(`${flag} takes no value`);
      def.apply(o, "");
      continue;
    }
    if (eq > 0) {
      def.apply(o, a.slice(eq + 1));
    } else {
      if (i + 1 >= argv.length) throw new UsageError(`${flag} needs a value`);
      def.apply(o, argv[++i]);
    }
  }
  o.program = argv[i];
  o.args = argv.slice(i + 1);
  return o;
}
