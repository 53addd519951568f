import assert from "node:assert/strict";
import { SCRATCH, tempDir, testProc } from "./_test_util.ts";
import { Errno } from "./errno.ts";
import { O } from "./fs.ts";
import { PERM_R, PERM_W, PERM_X } from "../layout.ts";

const PROT_RW = 3,
  MAP_PRIVATE = 2,
  MAP_ANON = 0x20,
  MAP_FIXED = 0x10,
  MAP_NOREPLACE = 0x100000;

function withBrk() {
  const p = testProc();
  p.k.brkStart = p.k.brk = 0x80_0000;
  return p;
}

Deno.test("brk grows, shrinks, and refuses huge requests by returning the old break", () => {
  const p = withBrk();
  assert.equal(p.call("brk", 0), 0x80_0000);
  assert.equal(p.call("brk", 0x80_2100), 0x80_2100);
  assert.ok(p.mem.check(0x80_2000, 8, PERM_W));
  p.mem.writeU32(0x80_2000, 7);
  assert.equal(p.call("brk", 0x80_1000), 0x80_1000);
  assert.equal(p.mem.check(0x80_1000, 1, PERM_R), false);
  assert.equal(p.call("brk", 0x80_0000 + 2 ** 40), 0x80_1000);
  assert.equal(p.call("brk", 0x10), 0x80_1000);
  // Growing into an existing mapping fails too.
  assert.equal(
    p.call(
      "mmap",
      0x90_0000,
      0x1000,
      PROT_RW,
      MAP_PRIVATE | MAP_ANON | MAP_FIXED,
      -1,
      0,
    ),
    0x90_0000,
  );
  assert.equal(p.call("brk", 0x90_0800), 0x80_1000);
});

Deno.test("anonymous mmap places top-down, zeroed, with the asked protection", () => {
  const p = testProc();
  const a = p.call("mmap", 0, 0x3000, PROT_RW, MAP_PRIVATE | MAP_ANON, -1, 0);
  const b = p.call("mmap", 0, 0x1000, 1, MAP_PRIVATE | MAP_ANON, -1, 0);
  assert.ok(a > 0 && a % 0x1000 === 0 && a + 0x3000 <= p.k.mmapTop);
  assert.equal(b, a - 0x1000);
  assert.ok(p.mem.check(a, 0x3000, PERM_R | PERM_W));
  assert.ok(p.mem.check(b, 0x1000, PERM_R));
  assert.equal(p.mem.check(b, 1, PERM_W), false);
  assert.equal(p.mem.readU64(a + 8), 0);
  // PROT_NONE reservations are not reused.
  const c = p.call("mmap", 0, 0x1000, 0, MAP_PRIVATE | MAP_ANON, -1, 0);
  const d = p.call("mmap", 0, 0x1000, PROT_RW, MAP_PRIVATE | MAP_ANON, -1, 0);
  assert.notEqual(c, d);
  assert.equal(p.call("mprotect", c, 0x1000, PROT_RW), 0);
  assert.ok(p.mem.check(c, 0x1000, PERM_W));
});

Deno.test("mmap validates arguments and reports ENOMEM when there is no room", () => {
  const p = testProc();
  assert.equal(
    p.call("mmap", 0, 0, PROT_RW, MAP_PRIVATE | MAP_ANON, -1, 0),
    -Errno.EINVAL,
  );
  assert.equal(
    p.call(
      "mmap",
      0x10_1001,
      0x1000,
      PROT_RW,
      MAP_PRIVATE | MAP_ANON | MAP_FIXED,
      -1,
      0,
    ),
    -Errno.EINVAL,
  );
  assert.equal(
    p.call("mmap", 0, 0x1000, PROT_RW, MAP_PRIVATE | MAP_ANON, -1, 123),
    -Errno.EINVAL,
  );
  assert.equal(
    p.call("mmap", 0, 0x1000, PROT_RW, MAP_ANON, -1, 0),
    -Errno.EINVAL,
  );
  assert.equal(
    p.call("mmap", 0, 2 ** 40, PROT_RW, MAP_PRIVATE | MAP_ANON, -1, 0),
    -Errno.ENOMEM,
  );
  assert.equal(
    p.call("mmap", 0, 0xf000_0000, PROT_RW, MAP_PRIVATE | MAP_ANON, -1, 0),
    -Errno.ENOMEM,
  );
  assert.equal(
    p.call("mmap", 0, 0x1000, PROT_RW, MAP_PRIVATE, 42, 0),
    -Errno.EBADF,
  );
});

Deno.test("MAP_FIXED replaces, MAP_FIXED_NOREPLACE refuses an occupied range", () => {
  const p = testProc();
  const at = 0x4000_0000;
  assert.equal(
    p.call(
      "mmap",
      at,
      0x2000,
      PROT_RW,
      MAP_PRIVATE | MAP_ANON | MAP_FIXED,
      -1,
      0,
    ),
    at,
  );
  p.mem.writeU32(at, 99);
  assert.equal(
    p.call(
      "mmap",
      at,
      0x1000,
      PROT_RW,
      MAP_PRIVATE | MAP_ANON | MAP_NOREPLACE,
      -1,
      0,
    ),
    -Errno.EEXIST,
  );
  assert.equal(p.mem.readU32(at), 99);
  assert.equal(
    p.call("mmap", at, 0x1000, 5, MAP_PRIVATE | MAP_ANON | MAP_FIXED, -1, 0),
    at,
  );
  assert.equal(p.mem.readU32(at), 0);
  assert.ok(p.mem.check(at, 4, PERM_R | PERM_X));
});

Deno.test("file-backed MAP_PRIVATE copies the file contents from the offset", () => {
  const dir = tempDir();
  const data = new Uint8Array(0x2010).map((_, i) => i & 0xff);
  Deno.writeFileSync(dir + "/blob", data);
  const p = testProc({
    mounts: [{ guest: "/m", host: dir, readOnly: true }],
    cwd: "/m",
  });
  p.str(SCRATCH, "blob");
  const fd = p.call("openat", -100, SCRATCH, O.RDONLY, 0);
  const a = p.call("mmap", 0, 0x2000, 1, MAP_PRIVATE, fd, 0x1000);
  assert.ok(a > 0);
  assert.deepEqual(p.mem.read(a, 0x1010), data.subarray(0x1000, 0x2010));
  assert.equal(p.mem.readU32(a + 0x1010), 0); // past end of file
  assert.equal(p.mem.check(a, 1, PERM_W), false);
  assert.equal(p.call("lseek", fd, 0, 1), 0); // file offset untouched
});

Deno.test("munmap, mprotect, mremap and madvise", () => {
  const p = testProc();
  const a = p.call("mmap", 0, 0x3000, PROT_RW, MAP_PRIVATE | MAP_ANON, -1, 0);
  assert.equal(p.call("munmap", a + 0x1000, 0x1000), 0);
  assert.equal(p.mem.check(a + 0x1000, 1, PERM_R), false);
  assert.ok(p.mem.check(a, 1, PERM_R));
  assert.equal(p.call("mprotect", a, 0x3000, 1), -Errno.ENOMEM);
  assert.equal(p.call("mprotect", a, 0x1000, 1), 0);
  assert.equal(p.mem.check(a, 1, PERM_W), false);
  assert.equal(p.call("mprotect", a + 1, 0x1000, 1), -Errno.EINVAL);
  assert.equal(p.call("munmap", a + 1, 0x1000), -Errno.EINVAL);
  // mremap: grow in place when free, move when not.
  const b = p.call(
    "mmap",
    0x5000_0000,
    0x1000,
    PROT_RW,
    MAP_PRIVATE | MAP_ANON | MAP_FIXED,
    -1,
    0,
  );
  p.mem.writeU32(b, 1234);
  assert.equal(p.call("mremap", b, 0x1000, 0x2000, 0, 0), b);
  p.call(
    "mmap",
    b + 0x2000,
    0x1000,
    PROT_RW,
    MAP_PRIVATE | MAP_ANON | MAP_FIXED,
    -1,
    0,
  );
  assert.equal(p.call("mremap", b, 0x2000, 0x4000, 0, 0), -Errno.ENOMEM);
  const c = p.call("mremap", b, 0x2000, 0x4000, 1, 0);
  assert.ok(c > 0 && c !== b);
  assert.equal(p.mem.readU32(c), 1234);
  assert.equal(p.mem.check(b, 1, PERM_R), false);
  assert.equal(p.call("mremap", c, 0x4000, 0x1000, 0, 0), c);
  assert.equal(p.mem.check(c + 0x1000, 1, PERM_R), false);
  p.mem.writeU32(c, 5);
  assert.equal(p.call("madvise", c, 0x1000, 4), 0); // MADV_DONTNEED
  assert.equal(p.mem.readU32(c), 0);
  assert.equal(p.call("madvise", 0x7000_0000, 0x1000, 4), -Errno.ENOMEM);
});
