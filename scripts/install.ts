/**
 * `deno task install`: installs the `pandeno` command into
 * `$DENO_INSTALL_ROOT/bin` (default `~/.deno/bin`), a shell script that runs
 * this checkout's command line (runtime/cli/cli.ts, as `deno task run`
 * does) with exactly the permissions `deno task run` has
 * and with this checkout's deno.json.
 *
 * Why not `deno install -g --config deno.json`: on Deno 2.9.6 it copies
 * deno.json next to the command and rewrites its paths, and in the copy the
 * `scopes` no longer apply, so the host's own modules get the module that
 * refuses `node:fs` to plugins, and pandeno cannot start. The checkout's
 * deno.json, used in place, keeps both the import map and the sandbox's
 * mappings current: nothing to reinstall after a `git pull`.
 *
 * @module
 */

import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The flags `deno task run` uses (deno.json), and nothing more. */
const FLAGS = [
  "--no-prompt",
  "--unstable-worker-options",
  "--allow-read",
  "--allow-write",
  "--allow-env",
  "--allow-sys",
  "--allow-net",
  "--allow-import",
];

const quote = (s: string) => `'${s.replaceAll("'", `'"'"'`)}'`;

const project = fileURLToPath(new URL("../", import.meta.url));
const home = Deno.env.get("HOME") ?? "/root";
const root = Deno.env.get("DENO_INSTALL_ROOT") || join(home, ".deno");
const bin = join(root, "bin");
const target = join(bin, "pandeno");
const script = `#!/bin/sh
# pandeno, installed by \`deno task install\` from ${project}
exec ${quote(Deno.execPath())} run ${FLAGS.join(" ")} --config ${
  quote(join(project, "deno.json"))
} ${quote(join(project, "runtime", "cli", "cli.ts"))} "$@"
`;
Deno.mkdirSync(bin, { recursive: true });
Deno.writeTextFileSync(target, script, { mode: 0o755 });
Deno.chmodSync(target, 0o755);
console.log(`installed ${target}`);
const path = (Deno.env.get("PATH") ?? "").split(":");
if (!path.includes(bin) && !path.includes(dirname(target))) {
  console.log(`add it to your PATH: export PATH="${bin}:$PATH"`);
}
