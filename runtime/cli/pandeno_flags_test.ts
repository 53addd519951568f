import assert from "node:assert/strict";
import { pandenoFlags } from "./pandeno_flags.ts";

Deno.test("pandenoFlags() names --allow-plugin instead of Deno's --allow-write", () => {
  const line = pandenoFlags(
    'pandeno: plugin "boom2" unloaded: it threw NotCapable: Requires write access to "./out2.txt", run again with the --allow-write flag',
  );
  assert.ok(!line.includes("--allow-write"), line);
  assert.ok(line.includes("--allow-plugin boom2:write=./out2.txt"), line);
});

Deno.test("pandenoFlags() says run access is never granted", () => {
  const line = pandenoFlags(
    '[p] NotCapable: Requires run access to "ls", run again with the --allow-run flag',
  );
  assert.ok(!line.includes("--allow-run"), line);
  assert.match(line, /never get run access/);
});

Deno.test("pandenoFlags() grants sys without a value", () => {
  assert.match(
    pandenoFlags(
      'plugin "s": Requires sys access to "hostname", run again with the --allow-sys flag',
    ),
    /--allow-plugin s:sys\)/,
  );
});
