/**
 * File and shared mappings end to end: the `shared_maps` guest under
 * qemu-riscv64 and under Pandeno with each engine, in a temporary working
 * directory; stdout and exit status must be equal, and stores made through
 * a MAP_SHARED mapping must reach the file when the process just exits.
 *
 * @module
 */

import assert from "node:assert/strict";
import { guest, hasQemu, runPandeno, runQemu, tempDir } from "./_harness.ts";

if (!hasQemu()) {
  console.warn("SKIP shared_maps vs qemu: qemu-riscv64 not installed");
}
const dec = new TextDecoder();

for (const engine of ["jit", "interp"] as const) {
  Deno.test(`shared_maps (${engine}): MAP_SHARED write-back, MADV_DONTNEED, mremap and reservations match qemu`, async () => {
    const [dir, cleanup] = tempDir("shared_maps");
    try {
      const p = await runPandeno(["--engine", engine, guest("shared_maps")], {
        cwd: dir,
      });
      assert.equal(p.code, 0, dec.decode(p.stdout) + p.stderr);
      assert.match(dec.decode(p.stdout), /\nall ok\n$/);
      const q = await runQemu(guest("shared_maps"), [], { cwd: dir });
      if (q) {
        assert.equal(dec.decode(p.stdout), dec.decode(q.stdout));
        assert.equal(p.code, q.code);
      }
      assert.deepEqual([...Deno.readDirSync(dir)], []);
    } finally {
      cleanup();
    }
  });
}

Deno.test("stores through MAP_SHARED reach the file when the guest exits without msync or munmap", async () => {
  const [dir, cleanup] = tempDir("shared_maps_exit");
  try {
    const w = await runPandeno([guest("shared_maps"), "exit-write"], {
      cwd: dir,
    });
    assert.equal(w.code, 0, w.stderr);
    const c = await runPandeno([guest("shared_maps"), "exit-check"], {
      cwd: dir,
    });
    assert.equal(dec.decode(c.stdout), "written at exit\n");
    assert.equal(c.code, 0);
  } finally {
    cleanup();
  }
});
