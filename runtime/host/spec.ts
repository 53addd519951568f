/**
 * Parses the value of `--plugin SPEC[,key=value...]`: where the plugin's
 * module is and which arguments it gets.
 *
 * @module
 */

import { basename, extname, isAbsolute, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** A parsed `--plugin` value. */
export interface PluginSpec {
  /** The value as typed, for messages. */
  readonly text: string;
  /** What to call the plugin before its manifest is known (file base name). */
  readonly label: string;
  /** `local` for file: URLs, `remote` for http(s). */
  readonly kind: "local" | "remote";
  /** The module's URL, without any `#sha256=` fragment. */
  readonly url: string;
  /** The pinned SHA-256 of a remote module's source, lowercase hex. */
  readonly sha256?: string;
  /** The `key=value` arguments, in order; a bare key is `key=on`. */
  readonly args: [string, string][];
}

/** Where to look things up. */
export interface PluginSpecOptions {
  /** The user's working directory: relative paths resolve against it. */
  cwd: string;
  /** Directory of in-tree plugins (default: the repository's `plugins/`). */
  pluginDir?: string;
}

const NAME_RE = /^[a-z][a-z0-9_-]*$/;
const KEY_RE = /^[A-Za-z0-9_.-]+$/;

/** The repository's in-tree plugin directory. */
const DEFAULT_PLUGIN_DIR = fileURLToPath(
  new URL("../../plugins", import.meta.url),
);

/**
 * The in-tree plugin names found in `dir` (files `NAME.ts`, excluding tests
 * and private `_` files), sorted.
 *
 * @example
 * ```ts
 * import { inTreePlugins } from "./spec.ts";
 * console.log(Array.isArray(inTreePlugins())); // true
 * ```
 */
export function inTreePlugins(dir: string = DEFAULT_PLUGIN_DIR): string[] {
  const names: string[] = [];
  try {
    for (const e of Deno.readDirSync(dir)) {
      const m = /^([a-z][a-z0-9_-]*)\.ts$/.exec(e.name);
      if (e.isFile && m && !m[1].endsWith("_test")) names.push(m[1]);
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  return names.sort();
}

function parseArgs(parts: string[], text: string): [string, string][] {
  return parts.map((p) => {
    const eq = p.indexOf("=");
    const key = eq < 0 ? p : p.slice(0, eq);
    if (!KEY_RE.test(key)) {
      throw new TypeError(
        `--plugin ${text}: "${p}" is not a key=value argument (keys use letters, digits, "_", "-", "."; a bare key means key=on)`,
      );
    }
    return [key, eq < 0 ? "on" : p.slice(eq + 1)];
  });
}

function parseRemote(
  spec: string,
  text: string,
): { url: string; sha256?: string } {
  let url: URL;
  try {
    url = new URL(spec);
  } catch {
    throw new TypeError(`--plugin ${text}: "${spec}" is not a valid URL`);
  }
  const frag = url.hash.slice(1);
  url.hash = "";
  if (frag === "") return { url: url.href };
  const m = /^sha256=([0-9a-fA-F]{64})$/.exec(frag);
  if (!m) {
    throw new TypeError(
      `--plugin ${text}: the URL fragment "#${frag}" is not a pin; use #sha256=<64 hex digits> or no fragment`,
    );
  }
  return { url: url.href, sha256: m[1].toLowerCase() };
}

/**
 * Parses `SPEC[,key=value...]`. SPEC is a path (relative to `opts.cwd`), a
 * `file:` URL, an `http(s):` URL optionally pinned with `#sha256=<hex>`, or
 * a bare name for `plugins/NAME.ts`. Throws a TypeError saying what is wrong
 * and what to type instead.
 *
 * @example
 * ```ts
 * import { parsePluginSpec } from "./spec.ts";
 * const s = parsePluginSpec("https://example.org/c.ts,out=r.json,verbose", { cwd: "/" });
 * console.log(s.kind, s.url, s.args); // "remote" "https://example.org/c.ts" [["out","r.json"],["verbose","on"]]
 * ```
 */
export function parsePluginSpec(
  text: string,
  opts: PluginSpecOptions,
): PluginSpec {
  const [spec, ...rest] = text.split(",");
  if (spec === "") {
    throw new TypeError(
      `--plugin "${text}": missing the plugin; give a name (${
        inTreePlugins(opts.pluginDir).join(", ") || "none in-tree yet"
      }), a path or a URL`,
    );
  }
  const args = parseArgs(rest, text);
  const label = (u: string) => basename(u, extname(u)) || u;

  if (/^https?:/i.test(spec)) {
    const { url, sha256 } = parseRemote(spec, text);
    return {
      text,
      label: label(new URL(url).pathname),
      kind: "remote",
      url,
      sha256,
      args,
    };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(spec) && !/^file:/i.test(spec)) {
    throw new TypeError(
      `--plugin ${text}: unsupported URL scheme in "${spec}"; use a path, a file: URL or an http(s): URL`,
    );
  }

  let path: string;
  if (/^file:/i.test(spec)) {
    try {
      path = fileURLToPath(spec);
    } catch {
      throw new TypeError(
        `--plugin ${text}: "${spec}" is not a valid file: URL`,
      );
    }
  } else if (NAME_RE.test(spec)) {
    const dir = opts.pluginDir ?? DEFAULT_PLUGIN_DIR;
    path = resolve(dir, `${spec}.ts`);
    if (!exists(path)) {
      const names = inTreePlugins(dir);
      throw new TypeError(
        `--plugin ${text}: no in-tree plugin named "${spec}" (available: ${
          names.join(", ") || "none yet"
        }); to load a file, give a path such as ./${spec}.ts`,
      );
    }
  } else {
    path = isAbsolute(spec) ? spec : resolve(opts.cwd, spec);
  }
  if (!exists(path)) {
    throw new TypeError(
      `--plugin ${text}: plugin file ${path} does not exist; check the path`,
    );
  }
  return {
    text,
    label: label(path),
    kind: "local",
    url: pathToFileURL(path).href,
    args,
  };
}

function exists(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}
