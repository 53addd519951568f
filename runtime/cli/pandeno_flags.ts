/**
 * Deno's permission errors name Deno's own flags ("run again with the
 * --allow-write flag"), which mean nothing to a pandeno user: a plugin gets
 * a permission from its manifest and `--allow-plugin`. This rewrites them.
 *
 * @module
 */

const DENO_HINT =
  /Requires (read|write|net|env|sys|run|ffi|import) access to "([^"]*)"(?:, run again with the --allow-[a-z]+ flag)?/g;

/**
 * Replaces Deno's "run again with the --allow-KIND flag" advice in `text`
 * (a plugin error line) with the pandeno flag that grants it, for the
 * plugin named in the line (`plugin "NAME"`), or `NAME` when unknown.
 *
 * @example
 * ```ts
 * import { pandenoFlags } from "./pandeno_flags.ts";
 * console.log(pandenoFlags(
 *   'plugin "cov" unloaded: it threw NotCapable: Requires write access to "./x", run again with the --allow-write flag',
 * ));
 * // plugin "cov" unloaded: it threw NotCapable: Requires write access to "./x" (the plugin must ask for it in its manifest's permissions, and you grant it with --allow-plugin cov:write=./x)
 * ```
 */
export function pandenoFlags(text: string): string {
  const name = /plugin "([a-z][a-z0-9_-]*)"/.exec(text)?.[1] ??
    /^\[([a-z][a-z0-9_-]*)\]/.exec(text)?.[1] ?? "NAME";
  return text.replace(DENO_HINT, (_all, kind: string, what: string) => {
    const subject = `Requires ${kind} access to "${what}"`;
    if (kind === "run" || kind === "ffi" || kind === "import") {
      return `${subject} (plugins can never get ${kind} access)`;
    }
    const flag = kind === "sys"
      ? `--allow-plugin ${name}:sys`
      : `--allow-plugin ${name}:${kind}=${what}`;
    return `${subject} (the plugin must ask for it in its manifest's permissions, and you grant it with ${flag})`;
  });
}
