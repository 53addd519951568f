/**
 * Sockets end to end: the `sockets_unix` guest (in a temporary working
 * directory: it binds a socket file there) and the `sockets_inet` guest
 * (TCP and UDP on the host's loopback, with `--net loopback`) under
 * qemu-riscv64 and under Pandeno with each engine; stdout and exit status
 * must be equal. Without `--net` the guest has no network.
 *
 * @module
 */

import assert from "node:assert/strict";
import { guest, hasQemu, runPandeno, runQemu, tempDir } from "./_harness.ts";

if (!hasQemu()) {
  console.warn("SKIP sockets vs qemu: qemu-riscv64 not installed");
}
const dec = new TextDecoder();

for (const engine of ["jit", "interp"] as const) {
  Deno.test(`sockets_unix (${engine}): socketpair, path and abstract names, SCM_RIGHTS and options match qemu`, async () => {
    const [dir, cleanup] = tempDir("sockets");
    try {
      const p = await runPandeno(["--engine", engine, guest("sockets_unix")], {
        cwd: dir,
      });
      assert.equal(p.code, 0, dec.decode(p.stdout) + p.stderr);
      assert.match(dec.decode(p.stdout), /\nall ok\n$/);
      const q = await runQemu(guest("sockets_unix"), [], { cwd: dir });
      if (q) {
        assert.equal(dec.decode(p.stdout), dec.decode(q.stdout));
        assert.equal(p.code, q.code);
      }
    } finally {
      cleanup();
    }
  });
}

for (const engine of ["jit", "interp"] as const) {
  Deno.test(`sockets_inet (${engine}): TCP and UDP over loopback with --net loopback match qemu`, async () => {
    const p = await runPandeno([
      "--engine",
      engine,
      "--net",
      "loopback",
      guest("sockets_inet"),
    ]);
    assert.equal(p.code, 0, dec.decode(p.stdout) + p.stderr);
    assert.match(dec.decode(p.stdout), /\nall ok\n$/);
    const q = await runQemu(guest("sockets_inet"), []);
    if (q) {
      assert.equal(dec.decode(p.stdout), dec.decode(q.stdout));
      assert.equal(p.code, q.code);
    }
  });
}

Deno.test("without --net, or outside what --net allows, IP sockets get EACCES and the host stays quiet", async () => {
  for (const net of [[], ["--net", "127.0.0.1:9"]]) {
    const p = await runPandeno([...net, guest("sockets_inet")]);
    assert.equal(p.code, 1);
    const out = dec.decode(p.stdout);
    assert.match(out, /^tcp: bind 127\.0\.0\.1:0 +FAIL\n/);
    assert.match(out, /tcp6: no IPv6 loopback here\nFAILED\n$/);
    assert.doesNotMatch(p.stderr, /error|at .*\.ts:\d+/i);
  }
});
