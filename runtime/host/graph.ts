/**
 * The module-graph check: a plugin's module graph may hold the SDK, the
 * plugin's own code files and, for a remote plugin, modules of its own
 * origin; every remote module is pinned. Everything else is refused here,
 * before anything of it is read, fetched, cached or written.
 *
 * The host reads (or fetches) every module itself, checks each specifier
 * against that allowlist ({@link moduleImports} finds them), and rewrites
 * the graph into `blob:` modules whose only imports are each other and the
 * SDK, which the Worker's bootstrap has already loaded. So Deno's resolver
 * never sees a bare name, `node:`, `npm:`, `jsr:` or `data:` specifier
 * from plugin code, never reads a plugin file with the Worker's rights,
 * never consults or fills DENO_DIR, and never writes a lock file; and the
 * code that runs is byte for byte the code that was hashed.
 *
 * Measured on Deno 2.9.6: a `blob:` module with type
 * `application/typescript` is transpiled like a file, and its import of
 * an already loaded `file:` module needs no permission.
 *
 * @module
 */

import { dirname, extname, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { PluginLoadError } from "../plugin_load_error.ts";
import { type ModuleImport, moduleImports } from "./module_imports.ts";
import { EMPTY_LOCK, lockEntries, type PluginLock } from "./plugin_lock.ts";

/** Where the graph starts. */
export interface GraphRoot {
  /** For messages. */
  readonly label: string;
  /** `local` for a file, `remote` for http(s). */
  readonly kind: "local" | "remote";
  /** The root module's URL, without fragment. */
  readonly url: string;
  /** The root's pin from `#sha256=` (remote). */
  readonly sha256?: string;
}

/** Options for {@link pluginGraph}. */
export interface GraphOptions {
  /** The SDK's `file:` URL: the one module outside the plugin it may import. */
  readonly sdkUrl: string;
  /** Pins for remote modules (default: none). */
  readonly lock?: PluginLock;
  /** Fetch for remote modules (default: global fetch). */
  readonly fetch?: typeof fetch;
}

/** One module of the graph, as served. */
export interface GraphModule {
  /** Where it came from. */
  readonly url: string;
  /** SHA-256 of its bytes, lowercase hex. */
  readonly sha256: string;
}

/** A checked plugin graph, served from memory. */
export interface PluginGraph {
  /** The root module's `blob:` URL, for the Worker to import. */
  readonly url: string;
  /** Every module served, root first. */
  readonly modules: readonly GraphModule[];
  /** Frees the blob URLs (after the Worker has loaded them). */
  release(): void;
}

/** File extensions a plugin module may have. */
const MEDIA_TYPES: Readonly<Record<string, string>> = {
  ".ts": "application/typescript",
  ".mts": "application/typescript",
  ".js": "text/javascript",
  ".mjs": "text/javascript",
};
/** Most modules in one plugin's graph. */
export const MAX_MODULES = 512;
/** Largest module source. */
export const MAX_MODULE_BYTES = 8 * 1024 * 1024;
/** Largest total source of one graph. */
export const MAX_GRAPH_BYTES = 32 * 1024 * 1024;

/**
 * The lowercase hex SHA-256 of `bytes`.
 *
 * @example
 * ```ts
 * import { sha256Hex } from "./graph.ts";
 * console.log((await sha256Hex(new Uint8Array())).slice(0, 8)); // "e3b0c442"
 * ```
 */
export async function sha256Hex(
  bytes: Uint8Array<ArrayBuffer>,
): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

interface Loaded {
  url: string;
  text: string;
  sha256: string;
  imports: readonly ModuleImport[];
  /** For each import: the URL of the module it names, or "sdk". */
  targets: string[];
}

class Refusal extends Error {}

/** What a specifier names: the SDK, an own module, or a refusal. */
function classify(
  specifier: string,
  from: string,
  root: GraphRoot,
  rootDir: string,
  sdkUrl: string,
): string {
  if (specifier === "pandeno/sdk") return "sdk";
  const refuse = (why: string) => {
    throw new Refusal(
      `${from} imports "${specifier}": ${why}; a plugin may import only the SDK ("pandeno/sdk"), ` +
        `its own code files${
          root.kind === "remote" ? " and modules of its own origin" : ""
        }`,
    );
  };
  if (
    !/^(\.{1,2}\/|\/)/.test(specifier) && !/^(file|https?):/.test(specifier)
  ) {
    refuse("not a module a plugin may import");
  }
  let url: URL;
  try {
    url = new URL(specifier, from);
  } catch {
    return refuse("not a valid URL");
  }
  url.hash = "";
  if (url.href === sdkUrl) return "sdk";
  if (root.kind === "local") {
    if (url.protocol !== "file:") refuse("a local plugin imports no URLs");
    url.search = "";
    const path = fileURLToPath(url);
    if (!(path + sep).startsWith(rootDir + sep) || path === rootDir) {
      refuse("it is outside the plugin's directory");
    }
  } else if (url.origin !== new URL(root.url).origin) {
    refuse("it is not of the plugin's own origin");
  }
  if (!(extname(url.pathname) in MEDIA_TYPES)) {
    refuse(`its extension is not one of ${Object.keys(MEDIA_TYPES).join(" ")}`);
  }
  return url.href;
}

async function readLocal(
  url: string,
  rootDir: string,
): Promise<Uint8Array<ArrayBuffer>> {
  const path = fileURLToPath(url);
  let real: string;
  try {
    real = await Deno.realPath(path);
  } catch (e) {
    throw new Refusal(`cannot read ${path}: ${(e as Error).message}`);
  }
  if (!real.startsWith(rootDir + sep)) {
    throw new Refusal(
      `${path} leads outside the plugin's directory (to ${real}); a plugin's own files may not be links out of it`,
    );
  }
  const info = await Deno.stat(real);
  if (!info.isFile) throw new Refusal(`${path} is not a file`);
  if (info.size > MAX_MODULE_BYTES) {
    throw new Refusal(
      `${path} is ${info.size} bytes, more than ${MAX_MODULE_BYTES}`,
    );
  }
  return await Deno.readFile(real);
}

async function fetchRemote(
  url: string,
  fetchImpl: typeof fetch,
): Promise<Uint8Array<ArrayBuffer>> {
  let res: Response;
  try {
    res = await fetchImpl(url, { redirect: "manual", cache: "no-store" });
  } catch (e) {
    throw new Refusal(
      `cannot fetch ${url}: ${
        (e as Error).message
      }; check the URL and your network`,
    );
  }
  if (res.status >= 300 && res.status < 400) {
    await res.body?.cancel();
    throw new Refusal(
      `${url} redirects (HTTP ${res.status}); give the final URL, so its origin is what you reviewed`,
    );
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new Refusal(
      `cannot fetch ${url}: HTTP ${res.status} ${res.statusText}`.trim(),
    );
  }
  const bytes = new Uint8Array(await res.arrayBuffer());
  if (bytes.length > MAX_MODULE_BYTES) {
    throw new Refusal(
      `${url} is ${bytes.length} bytes, more than ${MAX_MODULE_BYTES}`,
    );
  }
  return bytes;
}

/**
 * Reads, checks and pins a plugin's whole module graph and serves it from
 * `blob:` URLs. Throws a PluginLoadError (stage `fetch` for sources and
 * pins, `probe` for refused imports) saying what to do.
 *
 * @example
 * ```ts ignore
 * import { pluginGraph } from "./graph.ts";
 * const g = await pluginGraph(
 *   { label: "p", kind: "local", url: "file:///home/u/p/p.ts" },
 *   { sdkUrl: new URL("../sdk.ts", import.meta.url).href },
 * );
 * // new Worker(...) imports g.url; then g.release()
 * ```
 */
export async function pluginGraph(
  root: GraphRoot,
  opts: GraphOptions,
): Promise<PluginGraph> {
  const lock = opts.lock ?? EMPTY_LOCK;
  const fetchImpl = opts.fetch ?? fetch;
  let rootDir = "";
  if (root.kind === "local") {
    try {
      rootDir = await Deno.realPath(dirname(fileURLToPath(root.url)));
    } catch (e) {
      throw new PluginLoadError(
        root.label,
        "fetch",
        `cannot read ${root.url}: ${(e as Error).message}`,
      );
    }
  }
  const loaded = new Map<string, Loaded>();
  const unpinned: [string, string][] = [];
  const mismatched: string[] = [];
  let total = 0;
  const queue = [root.url];
  try {
    while (queue.length > 0) {
      const url = queue.shift()!;
      if (loaded.has(url)) continue;
      if (loaded.size >= MAX_MODULES) {
        throw new Refusal(
          `its module graph has more than ${MAX_MODULES} modules`,
        );
      }
      const bytes = root.kind === "local"
        ? await readLocal(url, rootDir)
        : await fetchRemote(url, fetchImpl);
      total += bytes.length;
      if (total > MAX_GRAPH_BYTES) {
        throw new Refusal(
          `its modules hold more than ${MAX_GRAPH_BYTES} bytes`,
        );
      }
      const sha256 = await sha256Hex(bytes);
      if (root.kind === "remote") {
        const pin = url === root.url
          ? root.sha256 ?? lock.remote.get(url)
          : lock.remote.get(url);
        if (pin === undefined) unpinned.push([url, sha256]);
        else if (pin !== sha256) {
          mismatched.push(
            `${url}: expected sha256=${pin}, got sha256=${sha256}`,
          );
        }
      }
      let text: string;
      try {
        text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
      } catch {
        throw new Refusal(`${url} is not UTF-8 text`);
      }
      const found = moduleImports(text);
      if (found.refusals.length > 0) {
        throw new Refusal(`${url}: ${found.refusals.join("; ")}`);
      }
      const targets = found.imports.map((imp) =>
        classify(imp.specifier, url, root, rootDir, opts.sdkUrl)
      );
      loaded.set(url, { url, text, sha256, imports: found.imports, targets });
      found.imports.forEach((imp, i) => {
        if (!imp.typeOnly && targets[i] !== "sdk") queue.push(targets[i]);
      });
    }
  } catch (e) {
    if (!(e instanceof Refusal)) throw e;
    const stage = /^cannot (fetch|read)|redirects|bytes|UTF-8/.test(e.message)
      ? "fetch"
      : "probe";
    throw new PluginLoadError(root.label, stage, e.message);
  }
  if (mismatched.length > 0) {
    throw new PluginLoadError(
      root.label,
      "fetch",
      `${
        mismatched.join("; ")
      }: the code changed on the server; review it, and if you trust it, update its pin`,
    );
  }
  if (unpinned.length > 0) {
    const rootMissing = unpinned.some(([u]) => u === root.url);
    throw new PluginLoadError(
      root.label,
      "fetch",
      `not run: ${unpinned.length} of its modules ${
        unpinned.length === 1 ? "is" : "are"
      } not pinned. ` +
        `Review the code at ${
          unpinned.length === 1 ? "this URL" : "these URLs"
        }, then ` +
        (rootMissing
          ? `pin the plugin as ${root.url}#sha256=${
            unpinned.find(([u]) => u === root.url)![1]
          }` +
            (unpinned.length > 1 ? " and " : "")
          : "") +
        (unpinned.length > (rootMissing ? 1 : 0)
          ? `add to the "remote" object of the lock file given with --plugin-lock` +
            `${lock.path ? ` (${lock.path})` : ""}:\n` +
            lockEntries(unpinned.filter(([u]) => u !== root.url))
          : ""),
    );
  }
  return serve(root, loaded, opts.sdkUrl);
}

/** Builds the blob modules, leaves first; refuses cycles among value imports. */
function serve(
  root: GraphRoot,
  loaded: Map<string, Loaded>,
  sdkUrl: string,
): PluginGraph {
  const blobs = new Map<string, string>();
  const visiting: string[] = [];
  const build = (url: string): string => {
    const done = blobs.get(url);
    if (done) return done;
    if (visiting.includes(url)) {
      const cycle = [...visiting.slice(visiting.indexOf(url)), url];
      for (const b of blobs.values()) URL.revokeObjectURL(b);
      throw new PluginLoadError(
        root.label,
        "probe",
        `its modules import each other in a cycle (${cycle.join(" -> ")}); ` +
          `Pandeno serves plugin modules from memory and needs an acyclic graph: ` +
          `move what both need into a third file, or use "import type" where only types cross`,
      );
    }
    visiting.push(url);
    const m = loaded.get(url)!;
    let out = "";
    let at = 0;
    m.imports.forEach((imp, i) => {
      const target = m.targets[i];
      const to = target === "sdk"
        ? sdkUrl
        : imp.typeOnly
        ? sdkUrl
        : build(target);
      out += m.text.slice(at, imp.start) + JSON.stringify(to);
      at = imp.end;
    });
    out += m.text.slice(at);
    visiting.pop();
    const type = MEDIA_TYPES[extname(new URL(url).pathname)];
    const blob = URL.createObjectURL(new Blob([out], { type }));
    blobs.set(url, blob);
    return blob;
  };
  const rootBlob = build(root.url);
  const modules = [
    root.url,
    ...[...loaded.keys()].filter((u) => u !== root.url),
  ]
    .map((url) => ({ url, sha256: loaded.get(url)!.sha256 }));
  let released = false;
  return {
    url: rootBlob,
    modules,
    release() {
      if (released) return;
      released = true;
      for (const b of blobs.values()) URL.revokeObjectURL(b);
    },
  };
}
