import assert from "node:assert/strict";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import {
  DENIED_BUILTINS,
  explainImportDenial,
  ownModuleFiles,
} from "./graph.ts";

Deno.test("ownModuleFiles() follows relative code imports inside the plugin's directory only", async () => {
  const root = await Deno.makeTempDir({ prefix: "pandeno_graph_" });
  try {
    const dir = join(root, "p");
    await Deno.mkdir(join(dir, "sub"), { recursive: true });
    await Deno.writeTextFile(
      join(dir, "main.ts"),
      `import "./sub/a.ts"; // and "./missing.ts"\nimport x from "./data.json" with { type: "json" };\nimport "../up.ts";\n`,
    );
    await Deno.writeTextFile(
      join(dir, "sub", "a.ts"),
      `export * from "../b.js";`,
    );
    await Deno.writeTextFile(join(dir, "b.js"), `export const b = 1;`);
    await Deno.writeTextFile(join(dir, "data.json"), `{}`);
    await Deno.writeTextFile(join(root, "up.ts"), `export {};`);
    const files = await ownModuleFiles(
      pathToFileURL(join(dir, "main.ts")).href,
    );
    assert.deepEqual(files.sort(), [
      join(dir, "b.js"),
      join(dir, "main.ts"),
      join(dir, "sub", "a.ts"),
    ]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("explainImportDenial() turns Deno's host-flag hint into the plugin's options", () => {
  const read = explainImportDenial(
    'Requires read access to "/etc/x.json", run again with the --allow-read flag',
  );
  assert.match(
    read ?? "",
    /^it imports \/etc\/x\.json, which is not its own code/,
  );
  assert.doesNotMatch(read ?? "", /--allow-read/);
  assert.match(
    explainImportDenial('Requires import access to "a.b:80", run again') ??
      "",
    /^it imports from a\.b:80/,
  );
  assert.equal(explainImportDenial("SyntaxError: nope"), undefined);
});

Deno.test("deno.json maps exactly DENIED_BUILTINS to the stub, except in the host's own scope", async () => {
  const config = JSON.parse(
    await Deno.readTextFile(new URL("../../deno.json", import.meta.url)),
  );
  const stubbed = (map: Record<string, string>) =>
    Object.entries(map)
      .filter(([, to]) => to.startsWith("./runtime/worker/denied_builtin.ts?"))
      .map(([from, to]) => {
        assert.equal(to, `./runtime/worker/denied_builtin.ts?${from}`);
        return from;
      })
      .sort();
  const denied = [...DENIED_BUILTINS].sort();
  assert.deepEqual(stubbed(config.imports), denied);
  assert.deepEqual(stubbed(config.scopes["./plugins/"]), denied);
  assert.deepEqual(stubbed(config.scopes["./tests/plugins/"]), denied);
  assert.deepEqual(
    Object.entries(config.scopes["./"]).sort(),
    denied.map((name) => [name, name]),
  );
});

Deno.test("explainImportDenial() names a denied built-in behind a link error", () => {
  assert.match(
    explainImportDenial(
      "SyntaxError: The requested module 'node:fs' does not provide an export named 'writeSync'",
    ) ?? "",
    /^it imports node:fs, which is not available to plugins/,
  );
  assert.equal(
    explainImportDenial(
      "SyntaxError: The requested module 'node:path' does not provide an export named 'nope'",
    ),
    undefined,
  );
});
