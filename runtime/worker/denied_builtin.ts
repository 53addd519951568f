/**
 * What plugin code gets instead of the Node built-ins that would get around
 * its sandbox: deno.json maps `node:fs`, `node:worker_threads` and the others
 * listed there to this module (the built-in's name in the query), and it
 * throws when evaluated. The host's own modules keep the real ones through
 * the `"./"` scope; plugins (in `plugins/`, `tests/plugins/`, anywhere
 * outside the project, or remote) get this.
 *
 * Why, measured on Deno 2.9.6 in a Worker with every permission denied:
 * `node:fs` calls on descriptors 0-2 read, write and truncate the process's
 * stdio, which is the guest's (`writeSync(1, ...)`, `readFileSync(0)`,
 * `ftruncateSync(1)`); `node:worker_threads` starts a Worker that the plugin
 * harness has not locked down; `node:module` hands out `require`, which
 * reaches every built-in; `node:vm`, `node:v8` and `node:inspector` change or
 * open up the VM. Deno checks none of these against permissions.
 *
 * ```ts ignore
 * import fs from "node:fs"; // in a plugin
 * // NotCapable: node:fs is not available to plugins ...
 * ```
 *
 * @module
 */

// The same reason as explainImportDenial()'s in plugin_graph.ts: this module
// runs with the plugin's permissions, so it imports nothing.
const builtin = decodeURIComponent(new URL(import.meta.url).search.slice(1)) ||
  "this Node built-in";
throw new Deno.errors.NotCapable(
  `${builtin} is not available to plugins: it gets around the sandbox (it reaches ` +
    `the guest's stdin/stdout or starts unsandboxed code); use the plugin API and ` +
    `Deno's APIs, which the permissions you are granted govern`,
);
