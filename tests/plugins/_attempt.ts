/**
 * Shared by the hostile test plugins: run one attempt and log its outcome as
 * `WHAT: allowed` or `WHAT: denied: ERRORNAME: message`.
 *
 * @module
 */

/** What an attempt's outcome is reported through. */
export interface Logger {
  log(text: string): void;
}

/**
 * Runs `fn` and logs whether it was allowed or denied (with the error class).
 *
 * @example
 * ```ts
 * import { attempt } from "./_attempt.ts";
 * await attempt({ log: console.log }, "nothing", () => 1); // "nothing: allowed"
 * ```
 */
export async function attempt(
  out: Logger,
  what: string,
  fn: () => unknown,
): Promise<void> {
  try {
    await fn();
    out.log(`${what}: allowed`);
  } catch (e) {
    const err = e as Error;
    out.log(
      `${what}: denied: ${err?.name ?? typeof e}: ${
        String(err?.message ?? e).split("\n")[0]
      }`,
    );
  }
}

/** Top-level attempts, reported later when a logger exists. */
export const topLevel: string[] = [];

/**
 * Like {@linkcode attempt} but for module top level: records into `topLevel`.
 *
 * @example
 * ```ts
 * import { attemptTopLevel, topLevel } from "./_attempt.ts";
 * await attemptTopLevel("nothing", () => 1);
 * console.log(topLevel.at(-1)); // "top-level nothing: allowed"
 * ```
 */
export async function attemptTopLevel(
  what: string,
  fn: () => unknown,
): Promise<void> {
  await attempt({ log: (t) => topLevel.push(t) }, `top-level ${what}`, fn);
}
