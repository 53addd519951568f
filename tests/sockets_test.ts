/**
 * AF_UNIX sockets end to end: the `sockets_unix` guest under qemu-riscv64
 * and under Pandeno with each engine, in a temporary working directory
 * (it binds a socket file there); stdout and exit status must be equal.
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
