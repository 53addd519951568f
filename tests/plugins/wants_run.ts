/**
 * Plugin that wants to run programs: never loadable.
 *
 * @module
 */

import { definePlugin } from "../../runtime/sdk/mod.ts";

export default definePlugin({
  name: "wants_run",
  version: "1.0.0",
  api: "^1.0",
  permissions: { run: ["gcc"] },
  install() {},
});
