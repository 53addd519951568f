/**
 * Hostile plugin granted only `sys` (documented as host facts: hostname,
 * memory): sets the process-wide umask to 0777 and changes the process's
 * working directory, both of which the emulator and the guest share.
 *
 * @module
 */

import { definePlugin, type PluginDefinition } from "pandeno/sdk";

function attempt(what: string, f: () => unknown): string {
  try {
    f();
    return `${what}: done`;
  } catch (e) {
    return `${what}: refused (${(e as Error).message})`;
  }
}

const results = [
  attempt("umask", () => Deno.umask(0o777)),
  attempt("chdir", () => Deno.chdir("/")),
  attempt("process.umask", () =>
    (globalThis as unknown as {
      process: { umask(m: number): number };
    }).process.umask(0o777)),
];

export default definePlugin({
  name: "process_wide",
  version: "1.0.0",
  api: "^1.0",
  permissions: { sys: true },
  install(ctx) {
    for (const line of results) ctx.log(`${line}\n`);
  },
}) as PluginDefinition;
