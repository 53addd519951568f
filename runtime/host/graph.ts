/**
 * A local plugin's own code: the files its Worker may read to import them.
 *
 * Why this exists (measured on Deno 2.9.6, deno issue 29503): a module that a
 * Worker loads through a *literal* specifier, as in `import s from
 * "/etc/x.json"` or `import("http://127.0.0.1:8080/")`, is fetched with the
 * host's rights, whatever the Worker's `permissions` say. A module loaded
 * through a *computed* specifier is checked against the Worker's own
 * permissions, and so is everything in its graph. So the host imports the
 * plugin through a computed specifier, and grants read on exactly the files
 * found here.
 *
 * The scan is fail-closed: it only decides what to grant. A relative import
 * it misses is denied by Deno when the plugin loads; a string it wrongly
 * takes for an import grants read on a code file that already sits in the
 * plugin's own directory.
 *
 * @module
 */

import { dirname, extname, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/**
 * Extensions of files a plugin may import as its own code.
 *
 * @example
 * ```ts
 * import { CODE_EXTENSIONS } from "./graph.ts";
 * console.log(CODE_EXTENSIONS.includes(".json")); // false
 * ```
 */
export const CODE_EXTENSIONS: readonly string[] = [
  ".ts",
  ".mts",
  ".cts",
  ".tsx",
  ".js",
  ".mjs",
  ".cjs",
  ".jsx",
];

/**
 * Most files a plugin's own module graph may have; the scan stops there.
 *
 * @example
 * ```ts
 * import { MAX_OWN_FILES } from "./graph.ts";
 * console.log(MAX_OWN_FILES); // 512
 * ```
 */
export const MAX_OWN_FILES = 512;

/** Quoted strings that start like a relative module specifier. */
const RELATIVE_RE = /(["'`])(\.{1,2}\/[^"'`\r\n$]*)\1/g;

/**
 * The absolute paths of a local plugin's own code: its entry file and every
 * code file (by {@link CODE_EXTENSIONS}) that it, or those files, name with a
 * relative specifier, as long as the file's real path lies in the entry's
 * directory or below. The SDK is not listed: the host loads it before the
 * plugin, so importing it reads nothing.
 *
 * @example
 * ```ts ignore
 * import { ownModuleFiles } from "./graph.ts";
 * const files = await ownModuleFiles("file:///home/u/plugins/p.ts");
 * console.log(files); // ["/home/u/plugins/p.ts", "/home/u/plugins/_util.ts"]
 * ```
 */
export async function ownModuleFiles(entryUrl: string): Promise<string[]> {
  const entry = fileURLToPath(entryUrl);
  let root: string;
  try {
    root = await Deno.realPath(dirname(entry));
  } catch {
    return [entry]; // no such directory: the import will say so
  }
  const inRoot = (p: string) => p === root || p.startsWith(root + sep);
  const found = new Set<string>();
  const queue = [entry];
  while (queue.length > 0 && found.size < MAX_OWN_FILES) {
    const file = queue.shift()!;
    if (found.has(file)) continue;
    let real: string;
    try {
      real = await Deno.realPath(file);
      if (!(await Deno.stat(real)).isFile) continue;
    } catch {
      continue; // a string that names no file: nothing to grant
    }
    if (file !== entry && !inRoot(real)) continue;
    found.add(file);
    if (real !== file) found.add(real);
    const text = await Deno.readTextFile(real);
    const base = pathToFileURL(file);
    for (const m of text.matchAll(RELATIVE_RE)) {
      const url = new URL(m[2], base);
      if (url.protocol !== "file:") continue;
      url.search = url.hash = "";
      const path = resolve(fileURLToPath(url));
      if (!CODE_EXTENSIONS.includes(extname(path))) continue;
      if (!inRoot(path) || found.has(path)) continue;
      queue.push(path);
    }
  }
  return [...found];
}

/**
 * The Node built-ins plugin code may not import: deno.json maps each to
 * runtime/worker/denied_builtin.ts for every module outside the host's own scope
 * (see there for why).
 *
 * @example
 * ```ts
 * import { DENIED_BUILTINS } from "./graph.ts";
 * console.log(DENIED_BUILTINS.includes("node:fs")); // true
 * ```
 */
export const DENIED_BUILTINS: readonly string[] = [
  "fs",
  "fs/promises",
  "module",
  "worker_threads",
  "net",
  "tty",
  "inspector",
  "inspector/promises",
  "child_process",
  "cluster",
  "dgram",
  "v8",
  "vm",
  "wasi",
  "repl",
  "trace_events",
  "sqlite",
].map((name) => `node:${name}`);

/** A named import from a denied built-in fails at link time, like this. */
const STUB_LINK_RE = /The requested module '(node:[a-z_/]+)' does not provide/;

/** What Deno's denial of a module load names. */
const DENIED_RE = /Requires (read|import|net) access to "([^"]+)"/;

/**
 * Rewrites Deno's denial of one of a plugin's imports ("Requires read access
 * to X, run again with --allow-read", which names a flag of the host) into
 * what the user can do about it. Returns undefined for other messages.
 *
 * @example
 * ```ts
 * import { explainImportDenial } from "./graph.ts";
 * console.log(explainImportDenial(
 *   'Requires read access to "/etc/x.json", run again with the --allow-read flag',
 * ));
 * ```
 */
export function explainImportDenial(message: string): string | undefined {
  const stub = STUB_LINK_RE.exec(message);
  if (stub && DENIED_BUILTINS.includes(stub[1])) {
    return `it imports ${
      stub[1]
    }, which is not available to plugins: it gets around ` +
      `the sandbox (it reaches the guest's stdin/stdout or starts unsandboxed code); ` +
      `use the plugin API and Deno's APIs, which the permissions you are granted govern`;
  }
  const m = DENIED_RE.exec(message);
  if (!m) return undefined;
  const [, kind, target] = m;
  if (kind === "read") {
    return `it imports ${target}, which is not its own code: a plugin may import ` +
      `only the SDK and code files in its own directory; to use a data file, ask for ` +
      `read access in the manifest and read it in install() with Deno.readTextFile`;
  }
  return `it imports from ${target}, which is not where it was loaded from: a plugin ` +
    `may import the SDK, its own files, and (when remote) modules of its own host`;
}
