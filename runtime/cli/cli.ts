/**
 * The `pandeno` command line: parse options, settle the user's folder, set
 * up the guest's view of the host, load plugins, run the program, and exit
 * with its status.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { resolve } from "node:path";
import { defaultStdio } from "../../core/linux/stdio.ts";
import type { Machine } from "../../core/machine.ts";
import { parseAllowPlugin } from "../host/permissions.ts";
import { openPluginLog } from "../host/log_file.ts";
import { readPluginLock } from "../host/plugin_lock.ts";
// Loaded only when --plugin is given: a bare run skips the plugin runtime.
import type { PluginManager } from "../host/plugin_manager.ts";
import { userEnv } from "./guest_env.ts";
import { guestPwd, GuestSetupError, setupGuest } from "./guest_setup.ts";
import { helpText } from "./help.ts";
import { type CliOptions, parseCli, UsageError } from "./options.ts";
import { pandenoFlags } from "./pandeno_flags.ts";
import { listPlugins, pluginHelp } from "./plugin_list.ts";
import { Progress } from "./progress.ts";
import { newPlugin } from "./new_plugin.ts";
import { VERSION } from "./version.ts";

/** The repository root (where deno.json is). */
const PROJECT = fileURLToPath(new URL("../../", import.meta.url));

/**
 * The directory the user ran the command from. Under `deno task` the process
 * runs in the project folder and the user's directory is `INIT_CWD`.
 *
 * @example
 * ```ts
 * import { userCwd } from "./cli.ts";
 * console.log(typeof userCwd()); // "string"
 * ```
 */
export function userCwd(): string {
  const cwd = Deno.cwd();
  const init = Deno.env.get("INIT_CWD");
  return init && resolve(cwd) === resolve(PROJECT) ? init : cwd;
}

function die(msg: string, status: number): never {
  console.error(`pandeno: ${pandenoFlags(msg)}`);
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
  // Everything relative (the program, -D, --map, grants, and what plugins
  // write) is relative to the user's folder, also under `deno task`.
  const cwd = userCwd();
  if (cwd !== Deno.cwd()) Deno.chdir(cwd);

  if (argv[0] === "plugins") {
    console.log(await listPlugins());
    return;
  }
  if (argv[0] === "new-plugin") {
    if (argv.length !== 2) die("usage: pandeno new-plugin DIR", 2);
    try {
      console.log(newPlugin(resolve(cwd, argv[1]), PROJECT));
    } catch (e) {
      die((e as Error).message, 2);
    }
    return;
  }
  let o: CliOptions;
  try {
    o = parseCli(argv);
  } catch (e) {
    if (e instanceof UsageError) die(`${e.message} (see --help)`, 2);
    throw e;
  }
  if (o.help) {
    console.log(helpText());
    return;
  }
  if (o.version) {
    console.log(`pandeno ${VERSION} (deno ${Deno.version.deno})`);
    return;
  }
  const asked = o.plugins.find((p) => /(^|,)help$/.test(p));
  if (asked) {
    try {
      console.log(await pluginHelp(asked.replace(/,help$/, ""), cwd));
    } catch (e) {
      die((e as Error).message, 2);
    }
    return;
  }
  if (!o.program) die("no program given (see --help)", 2);

  const env = userEnv(Deno.env.toObject());
  const pwd = guestPwd(env, cwd);
  if (pwd !== undefined) env.PWD = pwd;
  for (const k of o.unset) delete env[k];
  for (const [k, v] of o.set) env[k] = v;

  // Started when the guest starts, so its MIPS are the guest's.
  let progress: Progress | undefined;
  const stdio = defaultStdio();
  const write = stdio.write.bind(stdio);
  stdio.write = (fd, data) => {
    progress?.clear();
    write(fd, data);
  };

  let machine: Machine;
  try {
    machine = setupGuest({
      program: o.program,
      args: o.args,
      cwd,
      env,
      mapCwd: !o.noCwd,
      cwdReadOnly: o.readOnly,
      maps: o.maps,
      ldPrefix: o.ldPrefix ?? Deno.env.get("QEMU_LD_PREFIX"),
      net: o.net,
      engine: o.engine,
      quantum: o.quantum,
      seed: o.seed,
      icountShift: o.icountShift,
      hostname: o.hostname,
      quietEnosys: o.quietEnosys,
      stdio,
      log: (line) => {
        progress?.clear();
        console.error(line);
      },
    });
  } catch (e) {
    if (e instanceof GuestSetupError) die(e.message, e.status);
    throw e;
  }

  const plugins = o.plugins.length > 0
    ? await loadPlugins(o, cwd, machine, () => progress?.clear())
    : undefined;
  if (!o.quiet && Deno.stderr.isTerminal()) {
    const line = new Progress({
      write: (s) => void Deno.stderr.writeSync(new TextEncoder().encode(s)),
      plugins: o.plugins.length,
    });
    progress = line;
    const tick = machine.hooks.tick;
    machine.hooks.tick = () => {
      tick?.();
      line.update(machine.cpu.instret);
    };
    machine.tickEvery = o.engine === "interp" ? 1 << 20 : 1 << 16;
  }
  const t0 = performance.now();
  let result;
  try {
    result = machine.run();
    progress?.clear();
    plugins?.finish();
  } catch (e) {
    progress?.clear();
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

/** `-D FILE`, never opened through a link the guest may have planted. */
function pluginLog(path: string, cwd: string): (text: string) => void {
  let file: Deno.FsFile;
  try {
    file = openPluginLog(path, cwd);
  } catch (e) {
    die(`-D ${path}: ${(e as Error).message}`, 2);
  }
  const enc = new TextEncoder();
  return (text) => void file.writeSync(enc.encode(text));
}

function openOutput(flag: string, path: string): (text: string) => void {
  let file: Deno.FsFile;
  try {
    file = Deno.openSync(path, { write: true, create: true, truncate: true });
  } catch (e) {
    die(`${flag} ${path}: ${(e as Error).message}`, 2);
  }
  const enc = new TextEncoder();
  return (text) => void file.writeSync(enc.encode(text));
}

/** Loads `--plugin`s and attaches them to `machine`; exits with a message on failure. */
async function loadPlugins(
  o: CliOptions,
  cwd: string,
  machine: Machine,
  clearProgress: () => void,
): Promise<{ pm: PluginManager; finish(abort?: boolean): void }> {
  const enc = new TextEncoder();
  const events = o.eventsFile
    ? openOutput("--events", resolve(cwd, o.eventsFile))
    : undefined;
  const print = o.logFile ? pluginLog(o.logFile, cwd) : (text: string) => {
    clearProgress();
    Deno.stderr.writeSync(enc.encode(text));
  };
  const out = events
    ? (text: string) => {
      print(text);
      events(JSON.stringify({ type: "log", text }) + "\n");
    }
    : print;
  try {
    const grants = o.allowPlugin.map((g) => parseAllowPlugin(g, cwd));
    const lock = o.pluginLock === undefined
      ? undefined
      : await readPluginLock(resolve(cwd, o.pluginLock));
    const symbols = [...machine.kernel.symbols].sort((a, b) => a.addr - b.addr);
    const { PluginManager } = await import("../host/plugin_manager.ts");
    const { startCode, endCode, entry } = machine.kernel.image;
    const pm = await PluginManager.load(o.plugins, {
      cwd,
      grants,
      symbols,
      binary: { path: o.program!, startCode, endCode, entryCode: entry },
      timeoutMs: o.pluginTimeout,
      ...(o.pluginMemory !== undefined ? { memoryMb: o.pluginMemory } : {}),
      lock,
      onError: o.pluginError,
      out,
      log: (line) => {
        clearProgress();
        console.error(pandenoFlags(line));
      },
    });
    pm.attach(machine);
    return {
      pm,
      finish(abort = false) {
        pm.finish(abort);
        // Each plugin's structured report, once every event was delivered.
        for (const [plugin, value] of Object.entries(pm.reports())) {
          events?.(JSON.stringify({ type: "report", plugin, value }) + "\n");
        }
      },
    };
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

if (import.meta.main) await main(Deno.args);
