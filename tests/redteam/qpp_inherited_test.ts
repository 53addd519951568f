/**
 * Red team: a QPP consumer may call only the functions its provider
 * exported. Names every object inherits from `Object.prototype`
 * (`hasOwnProperty`, `toString`, ...) were looked up on the provider's
 * export object with `impl[fn]`, so they ran in the provider.
 */

import { check, guest, plugin, runPandeno } from "./_cli.ts";

Deno.test("a QPP consumer cannot call Object.prototype methods on its provider", async () => {
  const r = await runPandeno([
    "--plugin",
    plugin("qpp_inherited.ts"),
    guest("hello.elf"),
  ]);
  check(r.code === 0, `exit status ${r.code}`, r);
  check(r.stdout === "Hello from RISC-V!\n", "guest stdout", r);
  for (
    const fn of [
      "hasOwnProperty",
      "toString",
      "propertyIsEnumerable",
      "__lookupGetter__",
    ]
  ) {
    check(
      r.stderr.includes(`[qpp_inherited] ${fn}: refused`),
      `${fn} ran in the provider`,
      r,
    );
  }
});
