import assert from "node:assert/strict";
import { userEnv } from "./guest_env.ts";

// What `npx -y deno@2.9.6 task run` handed Pandeno on this machine (trimmed
// to one of each kind), around a user environment of HOME, PATH and LANG.
const NPX = {
  COLOR: "0",
  EDITOR: "vi",
  HOME: "/root",
  INIT_CWD: "/work/main",
  LANG: "C.UTF-8",
  NODE: "/usr/bin/node",
  PATH: "/usr/bin:/work/main/node_modules/.bin:/work/node_modules/.bin:" +
    "/node_modules/.bin:/usr/lib/node_modules/npm/node_modules/@npmcli/" +
    "run-script/lib/node-gyp-bin:/root/.cargo/bin:/usr/bin:/bin",
  npm_command: "exec",
  npm_config_cache: "/root/.npm",
  npm_config_user_agent: "npm/11.19.1 node/v20.20.2 linux x64",
  npm_execpath: "/usr/lib/node_modules/npm/bin/npm-cli.js",
  npm_lifecycle_event: "npx",
  npm_node_execpath: "/usr/bin/node",
};

Deno.test("userEnv removes what npx added and restores the user's PATH", () => {
  assert.deepEqual(userEnv(NPX), {
    HOME: "/root",
    LANG: "C.UTF-8",
    PATH: "/root/.cargo/bin:/usr/bin:/bin",
  });
});

Deno.test("userEnv removes what deno task added", () => {
  assert.deepEqual(
    userEnv({
      A: "1",
      INIT_CWD: "/home/u",
      npm_config_user_agent: "deno/2.9.6 npm/? deno/2.9.6 linux x86_64",
      COLOR: "1",
      EDITOR: "vi",
    }),
    { A: "1", COLOR: "1", EDITOR: "vi" },
  );
});

Deno.test("userEnv leaves an environment without a launcher's marks alone", () => {
  const env = { INIT_CWD: "/x", COLOR: "0", EDITOR: "vi", npm_foo: "1" };
  assert.deepEqual(userEnv(env), env);
});

Deno.test("userEnv keeps the order of the variables it keeps", () => {
  assert.deepEqual(Object.keys(userEnv({ ...NPX, A: "1", Z: "2" })), [
    "HOME",
    "LANG",
    "PATH",
    "A",
    "Z",
  ]);
});
