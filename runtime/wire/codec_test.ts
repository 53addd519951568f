import assert from "node:assert/strict";
import { pack, unpack } from "./codec.ts";

Deno.test("unpack() keeps BigInts and byte arrays that pack() wrote", () => {
  const v = { b: 1n << 70n, u: new Uint8Array([1, 2, 3]) };
  assert.deepEqual(unpack(pack(v)), v);
});

Deno.test("unpack() allocates no more than the payload holds: a { length } is not a byte array", () => {
  const forged = JSON.stringify({ x: { $u: { length: 2 ** 31 } } });
  const v = unpack(forged) as { x: unknown };
  assert.deepEqual(v.x, { $u: { length: 2 ** 31 } });
  assert.equal(forged.length < 64, true);
});

Deno.test("unpack() turns only decimal strings into BigInts", () => {
  assert.deepEqual(unpack('{"$b":"12"}'), 12n);
  assert.deepEqual(unpack('{"$b":{"length":9}}'), { $b: { length: 9 } });
  assert.deepEqual(unpack('{"$b":"1e999999"}'), { $b: "1e999999" });
});

Deno.test("unpack() finds tags written with escapes too", () => {
  assert.deepEqual(unpack('{"\\u0024b":"12"}'), 12n);
  assert.deepEqual(unpack('{"a":[1,"x"]}'), { a: [1, "x"] });
});
