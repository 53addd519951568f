/**
 * The scripting API: run a guest, with plugins, from a TypeScript program,
 * and get its output, its instruction count and every plugin's reported
 * results back as data (the PyPANDA of Pandeno).
 *
 * @module
 */

import { basename, join, resolve } from "node:path";
import type { Stdio } from "../core/linux/mod.ts";
import { parseAllowPlugin } from "./host/permissions.ts";
import { PluginAbortError, PluginManager } from "./host/plugin_manager.ts";
import { userEnv } from "./cli/guest_env.ts";
import { setupGuest } from "./cli/guest_setup.ts";

/** One plugin for {@linkcode run}. */
export interface RunPlugin {
  /** An in-tree name, a path (relative to `cwd`) or a URL. */
  spec?: string;
  /**
   * The plugin's module source, instead of `spec`: it is written to a
   * private temporary folder and loaded from there like any plugin, in its
   * own sandboxed Worker. It imports the SDK as `pandeno/sdk`.
   */
  source?: string;
  /** Its arguments (`key=value`). */
  args?: Readonly<Record<string, string | number | boolean>>;
  /**
   * Grants, as `--allow-plugin` takes them, without the plugin's name when
   * it is the spec's (`write=./out`, `read=/data`, `net=example.org:443`,
   * `env=HOME`, `sys`) or with it (`cov:write=./out`).
   */
  allow?: readonly string[];
}

/** Options of {@linkcode run}. */
export interface RunOptions {
  /** Guest arguments after the program. */
  args?: readonly string[];
  /** The guest's environment (default: this process's, as the CLI gives it). */
  env?: Readonly<Record<string, string>>;
  /** The folder the guest runs in, and that relative paths resolve against (default: `Deno.cwd()`). */
  cwd?: string;
  /** Map `cwd` into the guest (default true). */
  mapCwd?: boolean;
  /** More host folders the guest sees. */
  mounts?: readonly { host: string; guest?: string; readOnly?: boolean }[];
  /** Plugins, by spec or as source text. */
  plugins?: readonly (string | RunPlugin)[];
  /** The guest's stdin (default: empty). */
  stdin?: string | Uint8Array;
  /** Engine (default "jit"). */
  engine?: "jit" | "interp";
  /** What a failing plugin does (default "unload"). */
  pluginError?: "unload" | "abort";
  /** Milliseconds a sync plugin callback may take (default 5000). */
  pluginTimeoutMs?: number;
  /**
   * Milliseconds loading or installing one plugin may take (default 60000:
   * under `deno test` each plugin's Worker is type-checked as it starts).
   */
  pluginLoadTimeoutMs?: number;
}

/** What {@linkcode run} resolves to. */
export interface RunResult {
  /** Exit status as a shell reports it (128 + N when signal N killed it). */
  status: number;
  /** The signal that killed the guest, if one did. */
  signal?: number;
  /** The guest's stdout, decoded as UTF-8. */
  stdout: string;
  /** The guest's stderr, decoded as UTF-8. */
  stderr: string;
  /** The guest's stdout bytes. */
  stdoutBytes: Uint8Array;
  /** Guest instructions executed. */
  insns: number;
  /** What each plugin reported with `ctx.report(value)`, by plugin name. */
  reports: Record<string, unknown>;
  /** The plugins' text output (what the CLI prints to stderr or `-D`). */
  log: string;
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.length;
  }
  return out;
}

/**
 * Runs `program` (relative to `opts.cwd`) to completion. Guest faults are
 * results (a status of 139 for SIGSEGV), not exceptions; a setup mistake
 * (no such program, a plugin refused) rejects with an Error saying what to
 * do. Plugins need Pandeno's deno.json in effect: run the script with
 * `deno run --config PANDENO_DIR/deno.json --unstable-worker-options`.
 *
 * @example
 * ```ts
 * import { run } from "./run.ts";
 * const r = await run("tests/guests/bin/hello.elf", {
 *   plugins: ["insn", { spec: "strace" }],
 * });
 * console.log(r.status, r.stdout, r.insns > 0); // 0 "Hello from RISC-V!\n" true
 * ```
 */
export async function run(
  program: string,
  opts: RunOptions = {},
): Promise<RunResult> {
  const cwd = resolve(opts.cwd ?? Deno.cwd());
  const out: Uint8Array[] = [], err: Uint8Array[] = [];
  const input = typeof opts.stdin === "string"
    ? new TextEncoder().encode(opts.stdin)
    : opts.stdin ?? new Uint8Array();
  let inPos = 0;
  const stdio: Stdio = {
    read(_fd, buf) {
      if (inPos >= input.length) return null;
      const n = Math.min(buf.length, input.length - inPos);
      buf.set(input.subarray(inPos, inPos + n));
      inPos += n;
      return n;
    },
    write: (fd, data) => void (fd === 1 ? out : err).push(data.slice()),
    isTerminal: () => false,
  };
  const machine = setupGuest({
    program,
    args: opts.args ?? [],
    cwd,
    env: opts.env ?? userEnv(Deno.env.toObject()),
    mapCwd: opts.mapCwd,
    maps: opts.mounts,
    engine: opts.engine,
    quietEnosys: true,
    stdio,
    log: (line) => err.push(new TextEncoder().encode(line + "\n")),
  });

  let log = "";
  let tmp: string | undefined;
  let pm: PluginManager | undefined;
  try {
    const specs: string[] = [];
    const allows: string[] = [];
    for (const [i, p] of (opts.plugins ?? []).entries()) {
      const plugin: RunPlugin = typeof p === "string" ? { spec: p } : p;
      let spec = plugin.spec;
      if (plugin.source !== undefined) {
        if (spec !== undefined) {
          throw new TypeError(`plugins[${i}]: give spec or source, not both`);
        }
        tmp ??= await Deno.makeTempDir({ prefix: "pandeno_inline_" });
        // Named after the plugin's declared name, so grants find it.
        const name = /\bname:\s*["']([a-z][a-z0-9_-]*)["']/.exec(
          plugin.source,
        )?.[1] ?? `inline_${i}`;
        await Deno.mkdir(join(tmp, String(i)));
        spec = join(tmp, String(i), `${name}.ts`);
        await Deno.writeTextFile(spec, plugin.source);
      }
      if (spec === undefined) {
        throw new TypeError(`plugins[${i}]: give spec or source`);
      }
      const args = Object.entries(plugin.args ?? {}).map(([k, v]) =>
        `,${k}=${typeof v === "boolean" ? (v ? "on" : "off") : v}`
      ).join("");
      specs.push(spec + args);
      const label = basename(spec.split(",")[0]).replace(/\.[cm]?[jt]sx?$/, "");
      for (const a of plugin.allow ?? []) {
        allows.push(/^[a-z][a-z0-9_-]*:/.test(a) ? a : `${label}:${a}`);
      }
    }
    if (specs.length > 0) {
      const symbols = [...machine.kernel.symbols].sort((a, b) =>
        a.addr - b.addr
      );
      const { startCode, endCode, entry } = machine.kernel.image;
      pm = await PluginManager.load(specs, {
        cwd,
        binary: { path: program, startCode, endCode, entryCode: entry },
        grants: allows.map((g) => parseAllowPlugin(g, cwd)),
        symbols,
        timeoutMs: opts.pluginTimeoutMs ?? 5000,
        loadTimeoutMs: opts.pluginLoadTimeoutMs ?? 60_000,
        onError: opts.pluginError ?? "unload",
        out: (text) => void (log += text),
        log: (line) => void (log += line + "\n"),
      });
      pm.attach(machine);
    }
    let result;
    try {
      result = machine.run();
      pm?.finish();
    } catch (e) {
      if (e instanceof PluginAbortError) pm?.finish(true);
      throw e;
    }
    const stdoutBytes = concat(out);
    const dec = new TextDecoder();
    return {
      status: result.status,
      ...(result.signal !== undefined ? { signal: result.signal } : {}),
      stdout: dec.decode(stdoutBytes),
      stderr: dec.decode(concat(err)),
      stdoutBytes,
      insns: result.instructions,
      reports: pm?.reports() ?? {},
      log,
    };
  } finally {
    if (tmp) await Deno.remove(tmp, { recursive: true });
  }
}
