/**
 * The guest's environment: the user's, without what the launchers add.
 * `npx` (npm's run-script) adds ~30 variables (`npm_*`, `INIT_CWD`, `NODE`,
 * `COLOR`, `EDITOR`) and puts its own directories in front of `PATH`;
 * `deno task` adds `INIT_CWD` and `npm_config_user_agent`. A guest run as
 * `npx -y deno@2.9.6 task run prog` would otherwise see an environment
 * that `qemu-riscv64 prog` does not, and glibc's start-up, which scans every
 * variable, would count different instructions.
 *
 * @module
 */

/** npm run-script's last `PATH` entry before the user's own (set-path.js). */
const NODE_GYP_BIN = "/node-gyp-bin";

/**
 * `env` as the user's shell had it: the variables and the `PATH` prefix
 * that `npx` or `deno task` added are removed; everything else, in order,
 * is kept. Without a launcher's marks, `env` comes back unchanged.
 *
 * @example
 * ```ts
 * import { userEnv } from "./guest_env.ts";
 * const env = userEnv({
 *   HOME: "/home/u",
 *   PATH: "/p/node_modules/.bin:/npm/lib/node-gyp-bin:/usr/bin:/bin",
 *   INIT_CWD: "/p",
 *   npm_lifecycle_event: "npx",
 *   npm_execpath: "/npm/bin/npm-cli.js",
 * });
 * console.log(env); // { HOME: "/home/u", PATH: "/usr/bin:/bin" }
 * ```
 */
export function userEnv(
  env: Readonly<Record<string, string>>,
): Record<string, string> {
  const out = { ...env };
  const npm = "npm_execpath" in env || "npm_lifecycle_event" in env;
  const task = env.npm_config_user_agent?.startsWith("deno/") ?? false;
  if (!npm && !task) return out;
  delete out.INIT_CWD;
  delete out.npm_config_user_agent;
  if (!npm) return out;
  for (const k of Object.keys(out)) if (k.startsWith("npm_")) delete out[k];
  if (env.NODE !== undefined && env.NODE === env.npm_node_execpath) {
    delete out.NODE;
  }
  // npm sets COLOR from its `color` setting, and EDITOR to its default when
  // the user had none.
  if (env.COLOR === "0" || env.COLOR === "1") delete out.COLOR;
  if (env.EDITOR === "vi") delete out.EDITOR;
  if (env.PATH !== undefined) {
    const parts = env.PATH.split(":");
    const gyp = parts.findIndex((p) => p.endsWith(NODE_GYP_BIN));
    if (gyp >= 0) out.PATH = parts.slice(gyp + 1).join(":");
  }
  return out;
}
