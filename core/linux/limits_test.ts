import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { SCRATCH, testProc } from "./_test_util.ts";
import { writeWords } from "./_args.ts";

const ENOMEM = -12, EMFILE = -24;
const PROT_RW = 3, MAP_PRIVATE_ANON = 0x22, RLIMIT_AS = 9, RLIMIT_NOFILE = 7;

Deno.test("open fds stop at RLIMIT_NOFILE with EMFILE", () => {
  const p = testProc();
  writeWords(p.mem, SCRATCH, [16, 16]);
  assertEquals(p.call("prlimit64", 0, RLIMIT_NOFILE, SCRATCH, 0), 0);
  let fd = 0;
  for (let i = 0; i < 20 && fd >= 0; i++) fd = p.call("dup", 1);
  assertEquals(fd, EMFILE);
  assertEquals(p.call("dup", 1), EMFILE);
  p.call("close", 5);
  assertEquals(p.call("dup", 1), 5);
});

Deno.test("mmap and brk beyond RLIMIT_AS give ENOMEM", () => {
  const p = testProc();
  const base = p.k.vm.mappedBytes;
  writeWords(p.mem, SCRATCH, [base + (1 << 20), -1]);
  assertEquals(p.call("prlimit64", 0, RLIMIT_AS, SCRATCH, 0), 0);
  const a = p.call("mmap", 0, 1 << 19, PROT_RW, MAP_PRIVATE_ANON, -1, 0);
  assertEquals(a > 0, true);
  assertEquals(
    p.call("mmap", 0, 1 << 20, PROT_RW, MAP_PRIVATE_ANON, -1, 0),
    ENOMEM,
  );
  assertEquals(p.call("munmap", a, 1 << 19), 0);
  assertEquals(
    p.call("mmap", 0, 1 << 20, PROT_RW, MAP_PRIVATE_ANON, -1, 0) > 0,
    true,
  );
});

Deno.test("the kernel's addressSpaceLimit bounds the guest even with RLIMIT_AS unlimited", () => {
  const p = testProc({ addressSpaceLimit: 64 << 20 });
  assertEquals(
    p.call("mmap", 0, 128 << 20, PROT_RW, MAP_PRIVATE_ANON, -1, 0),
    ENOMEM,
  );
  assertEquals(
    p.call("mmap", 0, 32 << 20, PROT_RW, MAP_PRIVATE_ANON, -1, 0) > 0,
    true,
  );
});
