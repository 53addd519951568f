/**
 * Plugin built for plugin API 2.x: refused by a 1.0 host.
 *
 * @module
 */

import { definePlugin } from "../../runtime/sdk/mod.ts";

export default definePlugin({
  name: "future_api",
  version: "3.1.0",
  api: "^2.0",
  install() {},
});
