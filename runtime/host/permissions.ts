/**
 * Plugin permissions: the `--allow-plugin NAME:KIND[=VALUE]` flags, the check
 * of a plugin's wants against them, and the Deno `permissions` object for its
 * Worker.
 *
 * Deno traps this file guards against (measured on 2.9.6): an omitted
 * permission key INHERITS the parent's permission, so every key is spelled
 * out; permissions do not apply to modules loaded through literal specifiers
 * (deno issue 29503), so no plugin module is loaded by path or URL at all:
 * the host serves the checked graph from memory (host/graph.ts).
 *
 * @module
 */

import { isAbsolute, resolve, sep } from "node:path";
import type { PluginPermissions } from "../sdk/plugin_def.ts";

/** The permission kinds a user can grant a plugin. */
export type GrantKind = "read" | "write" | "net" | "env" | "sys";
const KINDS: readonly GrantKind[] = ["read", "write", "net", "env", "sys"];

/** One `--allow-plugin` flag. */
export interface PluginGrant {
  /** The plugin's manifest name. */
  readonly plugin: string;
  /** What kind of access. */
  readonly kind: GrantKind;
  /** Absolute path, `host[:port]` or variable name; absent means all. */
  readonly value?: string;
}

/**
 * A plugin asked for something the user did not grant (or that the host can
 * never grant). The message names the plugin, the permission and the flag.
 */
export class PluginPermissionError extends Error {
  /** Always `"PluginPermissionError"`. */
  override name = "PluginPermissionError";
  /** The plugin's manifest name. */
  readonly plugin: string;
  /** The flags that would grant what is missing (empty for run/ffi). */
  readonly flags: string[];
  /**
   * Builds the error; `message` is complete, `flags` lists what to add.
   *
   * @example
   * ```ts
   * import { PluginPermissionError } from "./permissions.ts";
   * const e = new PluginPermissionError("c", "plugin \"c\" wants ...", ["--allow-plugin c:sys"]);
   * console.log(e.flags); // ["--allow-plugin c:sys"]
   * ```
   */
  constructor(plugin: string, message: string, flags: string[]) {
    super(message);
    this.plugin = plugin;
    this.flags = flags;
  }
}

const PLUGIN_NAME_RE = /^[a-z][a-z0-9_-]*$/;
const HOST_RE = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/;
const ENV_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Parses one `--allow-plugin NAME:KIND[=VALUE]` value. Paths resolve against
 * `cwd`. Throws a TypeError with the accepted forms.
 *
 * @example
 * ```ts
 * import { parseAllowPlugin } from "./permissions.ts";
 * console.log(parseAllowPlugin("cachesim:write=./out", "/home/u"));
 * // { plugin: "cachesim", kind: "write", value: "/home/u/out" }
 * ```
 */
export function parseAllowPlugin(text: string, cwd: string): PluginGrant {
  const m = /^([^:]*):([a-z]+)(?:=(.*))?$/.exec(text);
  const usage = `use NAME:KIND[=VALUE] with KIND one of ${KINDS.join(", ")}, ` +
    `e.g. --allow-plugin cachesim:write=./out`;
  if (!m) throw new TypeError(`--allow-plugin ${text}: ${usage}`);
  const [, plugin, kindText, value] = m;
  if (!PLUGIN_NAME_RE.test(plugin)) {
    throw new TypeError(
      `--allow-plugin ${text}: "${plugin}" is not a plugin name; ${usage}`,
    );
  }
  if (kindText === "run" || kindText === "ffi") {
    throw new TypeError(
      `--allow-plugin ${text}: plugins can never get ${kindText} permission ` +
        `(pandeno itself runs without --allow-${kindText})`,
    );
  }
  if (!(KINDS as string[]).includes(kindText)) {
    throw new TypeError(
      `--allow-plugin ${text}: unknown kind "${kindText}"; ${usage}`,
    );
  }
  const kind = kindText as GrantKind;
  if (value === undefined) return { plugin, kind };
  if (value === "") {
    throw new TypeError(
      `--allow-plugin ${text}: empty value; omit "=" to grant all ${kind}`,
    );
  }
  switch (kind) {
    case "read":
    case "write":
      return { plugin, kind, value: resolvePath(value, cwd) };
    case "net":
      if (!HOST_RE.test(value)) {
        throw new TypeError(
          `--allow-plugin ${text}: "${value}" is not host or host:port`,
        );
      }
      return { plugin, kind, value };
    case "env":
      if (!ENV_RE.test(value)) {
        throw new TypeError(
          `--allow-plugin ${text}: "${value}" is not an environment variable name`,
        );
      }
      return { plugin, kind, value };
    case "sys":
      throw new TypeError(
        `--allow-plugin ${text}: sys takes no value; use --allow-plugin ${plugin}:sys`,
      );
  }
}

function resolvePath(p: string, cwd: string): string {
  return isAbsolute(p) ? resolve(p) : resolve(cwd, p);
}

/**
 * The grants for one plugin out of all `--allow-plugin` flags.
 *
 * @example
 * ```ts
 * import { grantsFor } from "./permissions.ts";
 * console.log(grantsFor("a", [{ plugin: "a", kind: "sys" }, { plugin: "b", kind: "sys" }]).length); // 1
 * ```
 */
export function grantsFor(
  plugin: string,
  grants: readonly PluginGrant[],
): PluginGrant[] {
  return grants.filter((g) => g.plugin === plugin);
}

interface Want {
  kind: GrantKind;
  /** As written in the manifest, for messages and flags. */
  written?: string;
  /** Resolved (absolute path) for comparison. */
  value?: string;
}

function wantsOf(wanted: PluginPermissions, cwd: string): Want[] {
  const out: Want[] = [];
  for (const p of wanted.read ?? []) {
    out.push({ kind: "read", written: p, value: resolvePath(p, cwd) });
  }
  for (const p of wanted.write ?? []) {
    out.push({ kind: "write", written: p, value: resolvePath(p, cwd) });
  }
  for (const h of wanted.net ?? []) {
    out.push({ kind: "net", written: h, value: h });
  }
  for (const e of wanted.env ?? []) {
    out.push({ kind: "env", written: e, value: e });
  }
  if (wanted.sys) out.push({ kind: "sys" });
  return out;
}

function covers(g: PluginGrant, w: Want): boolean {
  if (g.kind !== w.kind) return false;
  if (g.value === undefined) return true;
  if (w.value === undefined) return false;
  switch (w.kind) {
    case "read":
    case "write":
      return w.value === g.value ||
        w.value.startsWith(g.value.endsWith(sep) ? g.value : g.value + sep);
    case "net":
      // A grant without a port covers every port of that host.
      return w.value === g.value ||
        (!g.value.includes(":") && w.value.split(":")[0] === g.value);
    default:
      return w.value === g.value;
  }
}

/**
 * Throws {@linkcode PluginPermissionError} if `wanted` asks for anything the
 * grants for `pluginName` do not cover, naming the exact flag to add. `run`
 * and `ffi` are always refused. Relative paths resolve against `cwd`.
 *
 * @example
 * ```ts
 * import { checkGrants } from "./permissions.ts";
 * try {
 *   checkGrants("cachesim", { write: ["./out"] }, []);
 * } catch (e) {
 *   console.log((e as Error).message);
 *   // plugin "cachesim" wants write access to ./out, which was not granted (add --allow-plugin cachesim:write=./out)
 * }
 * ```
 */
export function checkGrants(
  pluginName: string,
  wanted: PluginPermissions,
  granted: readonly PluginGrant[],
  cwd: string = Deno.cwd(),
): void {
  const mine = grantsFor(pluginName, granted);
  if ((wanted.run?.length ?? 0) > 0 || wanted.ffi) {
    const what = (wanted.run?.length ?? 0) > 0
      ? `run access to ${wanted.run!.join(", ")}`
      : "ffi access";
    throw new PluginPermissionError(
      pluginName,
      `plugin "${pluginName}" wants ${what}, which no plugin can be granted ` +
        `(pandeno runs without --allow-run and --allow-ffi, and a worker never gets more than its host)`,
      [],
    );
  }
  const missing = wantsOf(wanted, cwd).filter((w) =>
    !mine.some((g) => covers(g, w))
  );
  if (missing.length === 0) return;
  const flags = missing.map((w) =>
    `--allow-plugin ${pluginName}:${w.kind}${
      w.written === undefined ? "" : `=${w.written}`
    }`
  );
  const sentences = missing.map((w, i) =>
    `plugin "${pluginName}" wants ${w.kind} access${
      w.written === undefined ? "" : ` to ${w.written}`
    }, which was not granted (add ${flags[i]})`
  );
  throw new PluginPermissionError(pluginName, sentences.join("; "), flags);
}

/** Options for {@linkcode workerPermissions}. */
export interface WorkerPermissionOptions {
  /** Resolves the manifest's relative paths (default `Deno.cwd()`). */
  cwd?: string;
}

/**
 * The `deno.permissions` for a plugin's Worker: every key spelled out (an
 * omitted key would inherit the host's permission), each exactly what the
 * manifest wants and `granted` (this plugin's grants) allows, else `false`.
 * `run`, `ffi` and `import` are always `false` (plugin code is served from
 * memory, host/graph.ts).
 *
 * @example
 * ```ts
 * import { workerPermissions } from "./permissions.ts";
 * const p = workerPermissions({ read: ["/data/in.txt"], env: ["HOME"] }, [
 *   { plugin: "x", kind: "read" },
 * ]);
 * console.log(p.read, p.env, p.net); // ["/data/in.txt"] false false
 * ```
 */
export function workerPermissions(
  wanted: PluginPermissions,
  granted: readonly PluginGrant[],
  opts: WorkerPermissionOptions = {},
): Deno.PermissionOptionsObject {
  const wants = wantsOf(wanted, opts.cwd ?? Deno.cwd()).filter((w) =>
    granted.some((g) => covers(g, w))
  );
  const list = (kind: GrantKind) => {
    const values = wants.filter((w) => w.kind === kind).map((w) => w.value!);
    return values.length > 0 ? values : false;
  };
  return {
    read: list("read"),
    write: list("write"),
    net: list("net"),
    env: list("env"),
    sys: wants.some((w) => w.kind === "sys"),
    run: false,
    ffi: false,
    // Plugin code is served from blob: URLs (host/graph.ts): no Worker
    // ever imports by URL.
    import: false,
  };
}

/**
 * The all-denied permissions used to probe a plugin's manifest: every key
 * explicit, nothing allowed.
 *
 * @example
 * ```ts
 * import { NO_PERMISSIONS } from "./permissions.ts";
 * console.log(Object.values(NO_PERMISSIONS).every((v) => v === false)); // true
 * ```
 */
export const NO_PERMISSIONS: Readonly<Deno.PermissionOptionsObject> = Object
  .freeze({
    read: false,
    write: false,
    net: false,
    env: false,
    sys: false,
    run: false,
    ffi: false,
    import: false,
  });
