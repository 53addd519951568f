import assert from "node:assert/strict";
import { checkArgs, describeArg, validateArgSpecs } from "./arg_spec.ts";

const SPECS = validateArgSpecs({
  inline: { type: "bool", default: false, doc: "inline counting" },
  limit: { type: "int", default: 32, min: 0, doc: "rows" },
  evict: { type: "choice", choices: ["lru", "fifo"], default: "lru", doc: "" },
  filename: { type: "file", default: "out.json", doc: "output" },
}, "demo");

Deno.test("checkArgs() lists every valid argument when one is unknown", () => {
  assert.throws(
    () => checkArgs("demo", [["inlin", "on"]], SPECS),
    new TypeError(
      'plugin "demo": unknown argument "inlin" (valid: inline=on|off (default: off), ' +
        "limit=N (default: 32, 0..), evict=lru|fifo (default: lru), " +
        "filename=FILE (default: ./out.json))",
    ),
  );
});

Deno.test("checkArgs() refuses values that do not parse as the declared type", () => {
  assert.throws(
    () => checkArgs("demo", [["inline", "maybe"]], SPECS),
    TypeError,
  );
  assert.throws(() => checkArgs("demo", [["limit", "-1"]], SPECS), RangeError);
  assert.throws(() => checkArgs("demo", [["evict", "rand"]], SPECS), TypeError);
  checkArgs(
    "demo",
    [["inline", "yes"], ["limit", "0x10"], ["evict", "fifo"]],
    SPECS,
  );
});

Deno.test("checkArgs() does not take inherited names such as toString for arguments", () => {
  assert.throws(() => checkArgs("demo", [["toString", "x"]], SPECS), TypeError);
  assert.throws(
    () => checkArgs("demo", [["__proto__", "x"]], SPECS),
    TypeError,
  );
});

Deno.test("validateArgSpecs() refuses a file default outside the user's folder", () => {
  for (const d of ["../x", "/etc/passwd", "a/b", "..", ""]) {
    assert.throws(
      () =>
        validateArgSpecs({ f: { type: "file", default: d, doc: "" } }, "evil"),
      /plain file name/,
      d,
    );
  }
});

Deno.test("validateArgSpecs() refuses malformed declarations from a plugin", () => {
  for (
    const raw of [
      null,
      [],
      { "a b": { type: "bool", default: true, doc: "" } },
      { a: { type: "float", default: 1, doc: "" } },
      { a: { type: "bool", default: "on", doc: "" } },
      { a: { type: "int", default: 1.5, doc: "" } },
      { a: { type: "choice", choices: [], default: "x", doc: "" } },
      { a: { type: "choice", choices: ["x"], default: "y", doc: "" } },
      { a: { type: "bool", default: true } },
    ]
  ) {
    assert.throws(
      () => validateArgSpecs(raw, "p"),
      TypeError,
      JSON.stringify(raw),
    );
  }
});

Deno.test("describeArg() shows each type's values and default", () => {
  assert.equal(
    describeArg("n", { type: "int", default: 3, doc: "" }),
    "n=N (default: 3)",
  );
  assert.equal(describeArg("s", { type: "string", doc: "" }), "s=TEXT");
});

Deno.test("validateArgSpecs() keeps a __proto__ key an ordinary argument", () => {
  const specs = validateArgSpecs(
    JSON.parse('{"__proto__": {"type": "bool", "default": true, "doc": ""}}'),
    "p",
  );
  assert.deepEqual(Object.keys(specs), ["__proto__"]);
  checkArgs("p", [["__proto__", "off"]], specs);
});
