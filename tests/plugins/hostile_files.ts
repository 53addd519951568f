/**
 * An honest plugin with the README's grants (`read=./data`, `write=./out`)
 * that follows what the guest left there: it reads every file in ./data and
 * writes ./out/report.json at exit. The tests plant links in both folders.
 *
 * @module
 */

import { definePlugin } from "../../runtime/sdk/mod.ts";

export default definePlugin({
  name: "hostile_files",
  version: "1.0.0",
  api: "^1.0",
  permissions: { read: ["./data"], write: ["./out"] },
  install(ctx) {
    const attempt = (what: string, fn: () => void) => {
      try {
        fn();
        ctx.log(`${what}: allowed\n`);
      } catch (e) {
        const { name, message } = e as Error;
        ctx.log(`${what}: denied: ${name}: ${message}\n`);
      }
    };
    ctx.onAtExit(() => {
      const names = [...Deno.readDirSync("./data")].map((e) => e.name).sort();
      for (const name of names) {
        attempt(`read ${name}`, () => {
          const content = Deno.readTextFileSync(`./data/${name}`);
          ctx.log(`content ${name}: ${content}\n`);
        });
      }
      attempt(
        "write report",
        () => Deno.writeTextFileSync("./out/report.json", '{"pwned":true}'),
      );
    });
  },
});
