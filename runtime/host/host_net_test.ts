import assert from "node:assert/strict";
import { parseNetPolicy, WorkerHostNet } from "./host_net.ts";

Deno.test("parseNetPolicy() reads loopback and HOST:PORT lists, and names a bad entry", () => {
  assert.deepEqual(parseNetPolicy("loopback"), { kind: "loopback" });
  assert.deepEqual(parseNetPolicy("10.1.2.3:80,[::1]:*"), {
    kind: "list",
    entries: [{ host: "10.1.2.3", port: 80 }, { host: "::1", port: "*" }],
  });
  assert.throws(() => parseNetPolicy("example.com"), /got "example.com"/);
  assert.throws(() => parseNetPolicy("1.2.3.4:70000"), /got "1.2.3.4:70000"/);
  assert.throws(() => parseNetPolicy("::1:80"), /got "::1:80"/);
});

Deno.test("the loopback policy allows only loopback addresses (wildcards mean loopback)", () => {
  const n = new WorkerHostNet({ kind: "loopback" });
  for (const host of ["127.0.0.1", "127.9.9.9", "::1", "0.0.0.0", "::"]) {
    assert.ok(n.allowed({ host, port: 80 }), host);
  }
  for (const host of ["10.0.0.1", "8.8.8.8", "::2", "fe80::1", "128.0.0.1"]) {
    assert.ok(!n.allowed({ host, port: 80 }), host);
  }
});

Deno.test("a list policy allows exactly its endpoints, no wildcard binds", () => {
  const n = new WorkerHostNet(parseNetPolicy("127.0.0.1:8080,10.0.0.5:*"));
  assert.ok(n.allowed({ host: "127.0.0.1", port: 8080 }));
  assert.ok(!n.allowed({ host: "127.0.0.1", port: 8081 }));
  assert.ok(n.allowed({ host: "10.0.0.5", port: 1 }));
  assert.ok(!n.allowed({ host: "0.0.0.0", port: 8080 }));
  assert.ok(!n.allowed({ host: "10.0.0.6", port: 1 }));
});

Deno.test("the network worker's own permission refuses what the policy check missed", () => {
  // A policy check that lets everything through: the worker, which holds
  // only the listed endpoints, still answers EACCES instead of connecting
  // or dying (a dead worker would leave the emulator waiting forever).
  class Leaky extends WorkerHostNet {
    override allowed(): boolean {
      return true;
    }
  }
  const n = new Leaky(parseNetPolicy("127.0.0.1:9"));
  try {
    assert.equal(n.connect({ host: "127.0.0.1", port: 80 }), -13);
    assert.equal(n.udpBind({ host: "127.0.0.1", port: 0 }), -13);
    assert.equal(n.listen({ host: "127.0.0.1", port: 0 }), -13);
  } finally {
    n.terminate();
  }
});
