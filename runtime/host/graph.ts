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

import { extname, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { PluginLoadError } from "./load_error.ts";
import { type ModuleImport, moduleImports } from "./module_imports.ts";
import type { ModuleSource } from "./source.ts";

/** Where the graph starts: what {@link pluginGraph} needs of the spec. */
export interface GraphRoot {
  /** For messages. */
  readonly label: string;
  /** `local` for a file, `remote` for http(s). */
  readonly kind: "local" | "remote";
  /** The root module's URL, without fragment. */
  readonly url: string;
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
/** Largest total source of one graph. */
export const MAX_GRAPH_BYTES = 32 * 1024 * 1024;

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

/**
 * Walks a plugin's module graph through `source` (which reads and pins each
 * module), checks every specifier against the allowlist, and serves the
 * graph from `blob:` URLs. Throws a PluginLoadError (stage `probe` for a
 * refused import, `fetch` for sources and pins) saying what to do.
 *
 * @example
 * ```ts ignore
 * import { pluginGraph } from "./graph.ts";
 * import { pluginSource } from "./source.ts";
 * const g = await pluginGraph(await pluginSource(spec), SDK_URL);
 * // a Worker imports g.url; then g.release()
 * ```
 */
export async function pluginGraph(
  source: ModuleSource,
  sdkUrl: string,
): Promise<PluginGraph> {
  const root: GraphRoot = source.spec;
  const loaded = new Map<string, Loaded>();
  let total = 0;
  const queue = [root.url];
  const refuse = (detail: string): never => {
    throw new PluginLoadError(root.label, "probe", detail);
  };
  while (queue.length > 0) {
    const url = queue.shift()!;
    if (loaded.has(url)) continue;
    if (loaded.size >= MAX_MODULES) {
      refuse(`its module graph has more than ${MAX_MODULES} modules`);
    }
    const { bytes, sha256 } = await source.read(url);
    total += bytes.length;
    if (total > MAX_GRAPH_BYTES) {
      refuse(`its modules hold more than ${MAX_GRAPH_BYTES} bytes`);
    }
    let text = "";
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      refuse(`${url} is not UTF-8 text`);
    }
    const found = moduleImports(text);
    if (found.refusals.length > 0) {
      refuse(`${url}: ${found.refusals.join("; ")}`);
    }
    let targets: string[] = [];
    try {
      targets = found.imports.map((imp) =>
        classify(imp.specifier, url, root, source.rootDir, sdkUrl)
      );
    } catch (e) {
      if (!(e instanceof Refusal)) throw e;
      refuse(e.message);
    }
    loaded.set(url, { url, text, sha256, imports: found.imports, targets });
    found.imports.forEach((imp, i) => {
      if (!imp.typeOnly && targets[i] !== "sdk") queue.push(targets[i]);
    });
  }
  source.assertPinned();
  return serve(root, loaded, sdkUrl);
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
