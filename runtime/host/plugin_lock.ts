/**
 * The plugin lock: the SHA-256 of every remote module a plugin may run,
 * written and reviewed by the user, passed with `--plugin-lock FILE`.
 * Pandeno only reads it; it never creates or changes a lock file.
 *
 * ```json
 * {
 *   "version": 1,
 *   "remote": {
 *     "https://example.org/cachesim/cache.ts": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
 *     "https://example.org/cachesim/_model.ts": "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752"
 *   }
 * }
 * ```
 *
 * A remote plugin's root module is pinned by its `#sha256=` fragment or by
 * an entry here; every other module it imports must have an entry here.
 * When one is missing, the load error prints the exact lines to add, so the
 * user reviews the code at those URLs and copies them in.
 *
 * @module
 */

/** A parsed lock: module URL (no fragment) -> lowercase hex SHA-256. */
export interface PluginLock {
  /** Where it was read from, for messages (absent for an empty lock). */
  readonly path?: string;
  /** The pins. */
  readonly remote: ReadonlyMap<string, string>;
}

/**
 * The lock used when no `--plugin-lock` is given: nothing pinned.
 *
 * @example
 * ```ts
 * import { EMPTY_LOCK } from "./plugin_lock.ts";
 * console.log(EMPTY_LOCK.remote.size); // 0
 * ```
 */
export const EMPTY_LOCK: PluginLock = Object.freeze({
  remote: new Map<string, string>(),
});

const HEX_RE = /^[0-9a-f]{64}$/;

/**
 * Parses lock text (see the module doc for the format). Throws a TypeError
 * naming the file and what is wrong.
 *
 * @example
 * ```ts
 * import { parsePluginLock } from "./plugin_lock.ts";
 * const lock = parsePluginLock(
 *   `{"version":1,"remote":{"https://e.org/a.ts":"${"0".repeat(64)}"}}`,
 *   "pandeno.lock",
 * );
 * console.log(lock.remote.get("https://e.org/a.ts")?.length); // 64
 * ```
 */
export function parsePluginLock(text: string, path: string): PluginLock {
  const bad = (what: string) =>
    new TypeError(
      `--plugin-lock ${path}: ${what}; expected {"version": 1, "remote": {"https://...": "<64 hex digits>"}}`,
    );
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw bad(`not JSON (${(e as Error).message})`);
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw bad("not an object");
  }
  const { version, remote, ...rest } = data as Record<string, unknown>;
  if (version !== 1) throw bad(`unknown version ${JSON.stringify(version)}`);
  if (Object.keys(rest).length > 0) {
    throw bad(`unknown key "${Object.keys(rest)[0]}"`);
  }
  if (typeof remote !== "object" || remote === null || Array.isArray(remote)) {
    throw bad(`"remote" is not an object`);
  }
  const pins = new Map<string, string>();
  for (const [url, hash] of Object.entries(remote)) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw bad(`"${url}" is not a URL`);
    }
    if (!/^https?:$/.test(parsed.protocol) || parsed.hash !== "") {
      throw bad(`"${url}" is not an http(s) URL without a fragment`);
    }
    if (typeof hash !== "string" || !HEX_RE.test(hash)) {
      throw bad(`the pin of "${url}" is not 64 lowercase hex digits`);
    }
    pins.set(parsed.href, hash);
  }
  return { path, remote: pins };
}

/**
 * Reads and parses the lock at `path`.
 *
 * @example
 * ```ts ignore
 * import { readPluginLock } from "./plugin_lock.ts";
 * const lock = await readPluginLock("pandeno.lock");
 * ```
 */
export async function readPluginLock(path: string): Promise<PluginLock> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    throw new TypeError(
      `--plugin-lock ${path}: cannot read it (${(e as Error).message})`,
    );
  }
  return parsePluginLock(text, path);
}

/**
 * The lines to add to a lock for `pins` (URL -> hash), as JSON members.
 *
 * @example
 * ```ts
 * import { lockEntries } from "./plugin_lock.ts";
 * console.log(lockEntries([["https://e.org/a.ts", "ab"]])); //   "https://e.org/a.ts": "ab"
 * ```
 */
export function lockEntries(pins: readonly [string, string][]): string {
  return pins.map(([url, hash]) =>
    `  ${JSON.stringify(url)}: ${JSON.stringify(hash)}`
  ).join(",\n");
}
