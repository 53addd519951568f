import assert from "node:assert/strict";
import {
  compareVersions,
  parseVersion,
  satisfies,
  validateRange,
} from "./semver.ts";

Deno.test("parseVersion() accepts x.y.z and rejects anything else", () => {
  assert.deepEqual(parseVersion("1.2.3"), { major: 1, minor: 2, patch: 3 });
  for (const bad of ["1.2", "01.2.3", "1.2.3-beta", "v1.2.3", "", "1.2.x"]) {
    assert.throws(() => parseVersion(bad), TypeError, bad);
  }
});

Deno.test("compareVersions() orders numerically, not lexically", () => {
  assert.ok(compareVersions(parseVersion("1.2.0"), parseVersion("1.10.0")) < 0);
  assert.equal(
    compareVersions(parseVersion("3.0.1"), parseVersion("3.0.1")),
    0,
  );
});

Deno.test("satisfies() handles caret, tilde, comparators, wildcards and exact", () => {
  const cases: [string, string, boolean][] = [
    ["1.0.0", "^1.0", true],
    ["1.9.9", "^1.0", true],
    ["2.0.0", "^1.0", false],
    ["1.1.0", "^1.2", false],
    ["0.2.5", "^0.2", true],
    ["0.3.0", "^0.2", false],
    ["0.0.3", "^0.0.3", true],
    ["0.0.4", "^0.0.3", false],
    ["1.2.9", "~1.2.3", true],
    ["1.3.0", "~1.2.3", false],
    ["1.2.2", "~1.2.3", false],
    ["1.0.0", ">=1.0 <2", true],
    ["1.99.0", ">=1.0 <2", true],
    ["2.0.0", ">=1.0 <2", false],
    ["0.9.0", ">= 1.0", false],
    ["1.7.0", "1.x", true],
    ["2.0.0", "1.x", false],
    ["1.2.3", "1.2.3", true],
    ["1.2.4", "1.2.3", false],
    ["9.9.9", "*", true],
    ["1.2.0", "<=1.2", true],
    ["1.3.0", "<=1.2", false],
    ["1.3.0", ">1.2", true],
    ["1.2.9", ">1.2", false],
    ["3.0.0", "^1.0 || ^3.0", true],
  ];
  for (const [ver, range, want] of cases) {
    assert.equal(satisfies(ver, range), want, `${ver} in "${range}"`);
  }
});

Deno.test("validateRange() rejects malformed ranges with a hint", () => {
  for (const bad of ["^one", "1.x.3", ">=", "", "1.2.3.4", "||"]) {
    assert.throws(
      () => validateRange(bad),
      /invalid version range.*use forms like/,
    );
  }
});
