/**
 * Source and pins: reads the bytes of a plugin's modules, the host doing
 * the reading itself. A local plugin's modules are read from disk and must
 * really lie in the plugin's directory (a link out of it is refused); a
 * remote plugin's modules are fetched from its own origin (no redirects,
 * no cache: Deno's module cache would serve a stale copy and write
 * DENO_DIR and deno.lock) and each is checked against its pin, the root's
 * `#sha256=` or the user's lock (host/plugin_lock.ts). Nothing unpinned
 * runs: {@link ModuleSource.assertPinned} refuses it, printing the lines
 * the user can review and add.
 *
 * @module
 */

import { dirname, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { PluginLoadError } from "./load_error.ts";
import { EMPTY_LOCK, lockEntries, type PluginLock } from "./plugin_lock.ts";
import type { PluginSpec } from "./spec.ts";

/** Largest module source accepted. */
export const MAX_MODULE_BYTES = 8 * 1024 * 1024;

/**
 * The lowercase hex SHA-256 of `bytes`.
 *
 * @example
 * ```ts
 * import { sha256Hex } from "./source.ts";
 * console.log((await sha256Hex(new Uint8Array())).slice(0, 8)); // "e3b0c442"
 * ```
 */
export async function sha256Hex(
  bytes: Uint8Array<ArrayBuffer>,
): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Options for {@link pluginSource}. */
export interface SourceOptions {
  /** Pins for remote modules (default: none). */
  readonly lock?: PluginLock;
  /** Fetch for remote modules (default: global fetch). */
  readonly fetch?: typeof fetch;
}

/** One module's bytes and hash. */
export interface ModuleBytes {
  /** The module's URL. */
  readonly url: string;
  /** Its bytes as read. */
  readonly bytes: Uint8Array<ArrayBuffer>;
  /** SHA-256 of the bytes, lowercase hex. */
  readonly sha256: string;
}

/** Reads a plugin's modules; see the module doc. */
export interface ModuleSource {
  /** The spec it reads for. */
  readonly spec: PluginSpec;
  /** For a local plugin, the real path of its directory ("" if remote). */
  readonly rootDir: string;
  /** Reads (or fetches) one module; throws a PluginLoadError (stage fetch). */
  read(url: string): Promise<ModuleBytes>;
  /** Throws a PluginLoadError if any module read so far is unpinned or changed. */
  assertPinned(): void;
}

/**
 * Starts reading `spec`'s modules. For a local plugin this resolves the
 * plugin's directory (its real path: own files must lie in it).
 *
 * @example
 * ```ts
 * import { pluginSource } from "./source.ts";
 * const src = await pluginSource({
 *   text: "x", label: "x", kind: "remote", url: "https://example.org/x.ts", args: [],
 * }, { fetch: () => Promise.resolve(new Response("export default 1;")) });
 * const m = await src.read("https://example.org/x.ts");
 * console.log(m.sha256.length); // 64
 * try { src.assertPinned(); } catch (e) { console.log((e as Error).message.includes("#sha256=")); } // true
 * ```
 */
export async function pluginSource(
  spec: PluginSpec,
  opts: SourceOptions = {},
): Promise<ModuleSource> {
  const lock = opts.lock ?? EMPTY_LOCK;
  const fetchImpl = opts.fetch ?? fetch;
  const fail = (detail: string, cause?: unknown): never => {
    throw new PluginLoadError(spec.label, "fetch", detail, { cause });
  };
  let rootDir = "";
  if (spec.kind === "local") {
    try {
      rootDir = await Deno.realPath(dirname(fileURLToPath(spec.url)));
    } catch (e) {
      fail(`cannot read ${spec.url}: ${(e as Error).message}`, e);
    }
  }
  const unpinned: [string, string][] = [];
  const mismatched: string[] = [];

  const readLocal = async (url: string) => {
    const path = fileURLToPath(url);
    let real = "";
    try {
      real = await Deno.realPath(path);
    } catch (e) {
      fail(`cannot read ${path}: ${(e as Error).message}`, e);
    }
    if (!real.startsWith(rootDir + sep)) {
      fail(
        `${path} leads outside the plugin's directory (to ${real}); a plugin's own files may not be links out of it`,
      );
    }
    const info = await Deno.stat(real);
    if (!info.isFile) fail(`${path} is not a file`);
    if (info.size > MAX_MODULE_BYTES) {
      fail(`${path} is ${info.size} bytes, more than ${MAX_MODULE_BYTES}`);
    }
    return await Deno.readFile(real);
  };

  const fetchRemote = async (url: string) => {
    let res: Response | undefined;
    try {
      res = await fetchImpl(url, { redirect: "manual", cache: "no-store" });
    } catch (e) {
      fail(
        `cannot fetch ${url}: ${
          (e as Error).message
        }; check the URL and your network`,
        e,
      );
    }
    if (res!.status >= 300 && res!.status < 400) {
      await res!.body?.cancel();
      fail(
        `${url} redirects (HTTP ${
          res!.status
        }); give the final URL, so its origin is what you reviewed`,
      );
    }
    if (!res!.ok) {
      await res!.body?.cancel();
      fail(
        `cannot fetch ${url}: HTTP ${res!.status} ${res!.statusText}`.trim(),
      );
    }
    const bytes = new Uint8Array(await res!.arrayBuffer());
    if (bytes.length > MAX_MODULE_BYTES) {
      fail(`${url} is ${bytes.length} bytes, more than ${MAX_MODULE_BYTES}`);
    }
    return bytes;
  };

  return {
    spec,
    rootDir,
    async read(url) {
      const bytes = spec.kind === "local"
        ? await readLocal(url)
        : await fetchRemote(url);
      const sha256 = await sha256Hex(bytes);
      if (spec.kind === "remote") {
        const pin = url === spec.url
          ? spec.sha256 ?? lock.remote.get(url)
          : lock.remote.get(url);
        if (pin === undefined) unpinned.push([url, sha256]);
        else if (pin !== sha256) {
          mismatched.push(
            `${url}: expected sha256=${pin}, got sha256=${sha256}`,
          );
        }
      }
      return { url, bytes, sha256 };
    },
    assertPinned() {
      if (mismatched.length > 0) {
        fail(
          `${
            mismatched.join("; ")
          }: the code changed on the server; review it, and if you trust it, update its pin`,
        );
      }
      if (unpinned.length === 0) return;
      const root = unpinned.find(([u]) => u === spec.url);
      const rest = unpinned.filter(([u]) => u !== spec.url);
      const n = unpinned.length;
      fail(
        `not run: ${n} of its modules ${n === 1 ? "is" : "are"} not pinned. ` +
          `Review the code at ${n === 1 ? "this URL" : "these URLs"}, then ` +
          (root ? `pin the plugin as ${spec.url}#sha256=${root[1]}` : "") +
          (root && rest.length > 0 ? " and " : "") +
          (rest.length > 0
            ? `add to the "remote" object of the lock file given with --plugin-lock` +
              `${lock.path ? ` (${lock.path})` : ""}:\n${lockEntries(rest)}`
            : ""),
      );
    },
  };
}
