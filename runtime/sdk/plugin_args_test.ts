import assert from "node:assert/strict";
import { PluginArgs } from "./plugin_args.ts";

Deno.test("PluginArgs.bool() accepts on/off, true/false, yes/no, 1/0 in any case", () => {
  const a = new PluginArgs("p", [["a", "ON"], ["b", "no"], ["c", "1"], [
    "d",
    "False",
  ]]);
  assert.deepEqual([
    a.bool("a", false),
    a.bool("b", true),
    a.bool("c", false),
    a.bool("d", true),
  ], [
    true,
    false,
    true,
    false,
  ]);
  assert.equal(a.bool("missing", true), true);
});

Deno.test("PluginArgs.bool() names plugin, key and accepted values on bad input", () => {
  const a = new PluginArgs("cache", [["inline", "maybe"]]);
  assert.throws(
    () => a.bool("inline", false),
    new TypeError(
      'plugin "cache": argument inline=maybe is not a boolean (use one of on, true, yes, 1, off, false, no, 0)',
    ),
  );
});

Deno.test("PluginArgs.int() parses decimal and hex and enforces bounds", () => {
  const a = new PluginArgs("p", [["n", "0x10"], ["m", "-3"], ["bad", "1.5"]]);
  assert.equal(a.int("n", 0), 16);
  assert.equal(a.int("m", 0), -3);
  assert.throws(() => a.int("m", 0, { min: 0 }), RangeError);
  assert.throws(() => a.int("bad", 0), TypeError);
  assert.equal(a.int("none", 7, { min: 8 }), 7);
});

Deno.test("PluginArgs keeps order, last value wins, and reports unknown keys", () => {
  const a = new PluginArgs("p", [["x", "1"], ["y", "2"], ["x", "3"]]);
  assert.deepEqual(a.keys(), ["x", "y"]);
  assert.equal(a.string("x", ""), "3");
  assert.ok(a.has("y") && !a.has("z"));
  assert.deepEqual(a.unknownKeys(["x"]), ["y"]);
});
