/**
 * Hostile plugin: environment, system information and permission requests.
 *
 * @module
 */

import { definePlugin } from "../../runtime/sdk/mod.ts";
import { attempt } from "./_attempt.ts";

export default definePlugin({
  name: "hostile_env",
  version: "1.0.0",
  api: "^1.0",
  async install(ctx) {
    await attempt(ctx, "env HOME", () => Deno.env.get("HOME"));
    await attempt(ctx, "env toObject", () => Deno.env.toObject());
    await attempt(
      ctx,
      "process.env",
      () => JSON.stringify(globalThis.process.env),
    );
    await attempt(ctx, "hostname", () => Deno.hostname());
    await attempt(
      ctx,
      "permissions.request",
      () => Deno.permissions.request({ name: "env" }),
    );
    await attempt(
      ctx,
      "permissions.requestSync",
      () => Deno.permissions.requestSync({ name: "read" }),
    );
    await attempt(
      ctx,
      "prototype request",
      () =>
        Object.getPrototypeOf(Deno.permissions).request.call(Deno.permissions, {
          name: "read",
        }),
    );
    await attempt(ctx, "restore Deno.exit", () => {
      (Deno as { exit: unknown }).exit = () => {};
    });
  },
});
