/**
 * Turns a parsed plugin spec into a URL a Worker can import without the
 * remote-module cache trap: Deno caches remote modules in DENO_DIR and pins
 * them in deno.lock, so a changed server file silently keeps the old copy.
 * Remote sources are fetched here, checked against their `#sha256=` pin
 * before any plugin code runs, and served to the Worker from a `blob:` URL.
 *
 * @module
 */

import { ownModuleFiles } from "./graph.ts";
import { PluginLoadError } from "./load_error.ts";
import type { PluginSpec } from "./spec.ts";

/** A module URL ready for a Worker. */
export interface PluginSource {
  /** `file:` for local plugins, `blob:` for fetched remote ones. */
  readonly url: string;
  /** For remote plugins: the SHA-256 of the source actually fetched. */
  readonly sha256?: string;
  /**
   * For local plugins: the files of its own code, which its Worker may read
   * (see {@link ownModuleFiles}); empty for remote ones.
   */
  readonly files: readonly string[];
  /** Frees the blob URL (no-op for local plugins). */
  release(): void;
}

/** Largest remote plugin source accepted. */
export const MAX_REMOTE_SOURCE = 8 * 1024 * 1024;

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

/**
 * Resolves `spec` to an importable URL. Local plugins load from their
 * `file:` URL; remote ones are fetched with `fetchImpl`, checked against
 * `spec.sha256` when pinned (mismatch: a PluginLoadError showing expected
 * and actual hashes), and wrapped in a `blob:` URL.
 *
 * @example
 * ```ts
 * import { pluginSource } from "./source.ts";
 * const src = await pluginSource({
 *   text: "x", label: "x", kind: "remote", url: "https://example.org/x.ts", args: [],
 * }, () => Promise.resolve(new Response("export default 1;")));
 * console.log(src.url.startsWith("blob:"), src.sha256!.length); // true 64
 * src.release();
 * ```
 */
export async function pluginSource(
  spec: PluginSpec,
  fetchImpl: typeof fetch = fetch,
): Promise<PluginSource> {
  if (spec.kind === "local") {
    return {
      url: spec.url,
      files: await ownModuleFiles(spec.url),
      release() {},
    };
  }
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    const res = await fetchImpl(spec.url, { redirect: "follow" });
    if (!res.ok) {
      await res.body?.cancel();
      throw new Error(`HTTP ${res.status} ${res.statusText}`.trim());
    }
    bytes = new Uint8Array(await res.arrayBuffer());
  } catch (e) {
    throw new PluginLoadError(
      spec.label,
      "fetch",
      `cannot fetch ${spec.url}: ${
        (e as Error).message
      }; check the URL and your network`,
      { cause: e },
    );
  }
  if (bytes.length > MAX_REMOTE_SOURCE) {
    throw new PluginLoadError(
      spec.label,
      "fetch",
      `${spec.url} is ${bytes.length} bytes, more than the ${MAX_REMOTE_SOURCE} a plugin source may have`,
    );
  }
  const actual = await sha256Hex(bytes);
  if (spec.sha256 !== undefined && spec.sha256 !== actual) {
    throw new PluginLoadError(
      spec.label,
      "fetch",
      `${spec.url} does not match its pin: expected sha256=${spec.sha256}, got sha256=${actual}; ` +
        `the file changed on the server (if you trust the new version, pin #sha256=${actual})`,
    );
  }
  const type = /\.m?js$/.test(new URL(spec.url).pathname)
    ? "text/javascript"
    : "application/typescript";
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  return {
    url,
    sha256: actual,
    files: [],
    release: () => URL.revokeObjectURL(url),
  };
}
