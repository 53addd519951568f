import assert from "node:assert/strict";
import {
  checkGrants,
  parseAllowPlugin,
  PluginPermissionError,
  workerPermissions,
} from "./permissions.ts";

Deno.test("parseAllowPlugin() resolves paths and validates values", () => {
  assert.deepEqual(parseAllowPlugin("c:write=./out", "/home/u"), {
    plugin: "c",
    kind: "write",
    value: "/home/u/out",
  });
  assert.deepEqual(parseAllowPlugin("c:net=example.org:443", "/"), {
    plugin: "c",
    kind: "net",
    value: "example.org:443",
  });
  assert.deepEqual(parseAllowPlugin("c:sys", "/"), {
    plugin: "c",
    kind: "sys",
  });
  assert.throws(
    () => parseAllowPlugin("c:run", "/"),
    /can never get run permission/,
  );
  assert.throws(() => parseAllowPlugin("c:disk", "/"), /unknown kind "disk"/);
  assert.throws(() => parseAllowPlugin("C:read", "/"), /not a plugin name/);
  assert.throws(
    () => parseAllowPlugin("c:env=A-B", "/"),
    /not an environment variable name/,
  );
});

Deno.test("checkGrants() names the exact flag for each missing permission", () => {
  try {
    checkGrants("c", { write: ["./out"], sys: true }, [], "/w");
    assert.fail("no error");
  } catch (err) {
    assert.ok(err instanceof PluginPermissionError);
    assert.deepEqual(err.flags, [
      "--allow-plugin c:write=./out",
      "--allow-plugin c:sys",
    ]);
    assert.match(
      err.message,
      /^plugin "c" wants write access to \.\/out, which was not granted/,
    );
  }
});

Deno.test("checkGrants() accepts grants that cover the wants; others' grants don't count", () => {
  const g = [
    parseAllowPlugin("c:read=/data", "/"),
    parseAllowPlugin("c:net=example.org", "/"),
    parseAllowPlugin("d:env", "/"),
  ];
  checkGrants(
    "c",
    { read: ["/data/a/b.txt"], net: ["example.org:443"] },
    g,
    "/",
  );
  assert.throws(
    () => checkGrants("c", { read: ["/database"] }, g, "/"),
    PluginPermissionError,
  );
  assert.throws(
    () => checkGrants("c", { env: ["HOME"] }, g, "/"),
    /c:env=HOME/,
  );
});

Deno.test("workerPermissions() spells out every key and grants only wanted AND granted", () => {
  const p = workerPermissions({
    read: ["./a", "./b"],
    env: ["HOME"],
    sys: true,
  }, [
    parseAllowPlugin("c:read=./a", "/w"),
    parseAllowPlugin("c:sys", "/w"),
    parseAllowPlugin("c:net", "/w"),
  ], { cwd: "/w" });
  assert.deepEqual(p, {
    read: ["/w/a"],
    write: false,
    net: false,
    env: false,
    sys: true,
    run: false,
    ffi: false,
    import: false,
  });
});
