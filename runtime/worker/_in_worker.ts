/**
 * Test helper: runs a module body in a fresh Worker with the given
 * permissions and returns what it posts.
 *
 * @module
 */

/**
 * Runs `body` (JavaScript module text) in a Worker; resolves with the first
 * message it posts, or rejects on a Worker error.
 *
 * @example
 * ```ts ignore
 * const out = await inWorker(`postMessage(1);`, "none");
 * ```
 */
export function inWorker(
  body: string,
  permissions: Deno.PermissionOptions,
): Promise<unknown> {
  const url = URL.createObjectURL(
    new Blob([body], { type: "text/javascript" }),
  );
  const w = new Worker(url, { type: "module", deno: { permissions } });
  return new Promise<unknown>((resolve, reject) => {
    w.onmessage = (e) => resolve(e.data);
    w.onerror = (e) => {
      e.preventDefault();
      reject(new Error(e.message));
    };
  }).finally(() => {
    w.terminate();
    URL.revokeObjectURL(url);
  });
}

/** JavaScript defining `out` and `t(name, fn)` that records outcomes. */
export const RECORDER = `const out = {};
const t = async (k, f) => {
  try { const r = await f(); out[k] = "ok " + String(r); }
  catch (e) { out[k] = "refused " + (e?.name ?? "") + ": " + (e?.message ?? e); }
};
`;
