import assert from "node:assert/strict";
import { SCRATCH, testProc } from "./_test_util.ts";
import { Errno } from "./errno.ts";
import { Kernel } from "./kernel.ts";

const B = SCRATCH;

Deno.test("clock_gettime(MONOTONIC) increases and rejects unknown clocks", () => {
  const p = testProc();
  const read = () => p.mem.readU64(B)! * 1e9 + p.mem.readU64(B + 8)!;
  assert.equal(p.call("clock_gettime", 1, B), 0);
  const t0 = read();
  assert.equal(
    p.call(
      "nanosleep",
      (p.mem.write(
        B + 64,
        new Uint8Array(new BigUint64Array([0n, 2_000_000n]).buffer),
      ),
        B + 64),
      0,
    ),
    0,
  );
  assert.equal(p.call("clock_gettime", 1, B), 0);
  assert.ok(read() - t0 >= 2_000_000);
  for (const id of [0, 2, 3, 4, 5, 6, 7]) {
    assert.equal(p.call("clock_gettime", id, B), 0, `clock ${id}`);
  }
  assert.ok(
    Math.abs(
      p.call("clock_gettime", 0, B) + p.mem.readU64(B)! - Date.now() / 1000,
    ) < 5,
  );
  assert.equal(p.call("clock_gettime", 42, B), -Errno.EINVAL);
  assert.equal(p.call("clock_getres", 1, B), 0);
  assert.equal(p.mem.readU64(B + 8), 1);
  assert.equal(p.call("gettimeofday", B, 0), 0);
  assert.ok(p.mem.readU64(B + 8)! < 1_000_000);
});

Deno.test("getrandom fills the buffer and uname reports Linux riscv64", () => {
  const p = testProc();
  assert.equal(p.call("getrandom", B, 64, 0), 64);
  assert.ok(p.mem.read(B, 64)!.some((x) => x !== 0));
  assert.equal(p.call("getrandom", B, 8, 0x100), -Errno.EINVAL);
  assert.equal(p.call("uname", B + 0x100), 0);
  const field = (i: number) => p.mem.readCString(B + 0x100 + 65 * i);
  assert.equal(field(0), "Linux");
  assert.match(field(2)!, /^\d+\.\d+\.\d+/);
  assert.equal(field(4), "riscv64");
});

Deno.test("start-up calls of static glibc succeed", () => {
  const p = testProc();
  const pid = p.call("getpid");
  assert.equal(p.call("set_tid_address", B), pid);
  assert.equal(p.call("gettid"), pid);
  assert.equal(p.call("set_robust_list", B, 24), -38); // ENOSYS, as qemu
  assert.equal(p.call("prlimit64", 0, 3, 0, B), 0); // RLIMIT_STACK
  assert.equal(p.mem.readU64(B), 8 * 1024 * 1024);
  assert.equal(p.mem.view.getBigUint64(B + 8, true), 2n ** 64n - 1n);
  assert.equal(p.call("prlimit64", 0, 9, 0, B), 0); // RLIMIT_AS
  assert.equal(p.mem.view.getBigUint64(B, true), 2n ** 64n - 1n);
  assert.equal(p.call("getrlimit", 7, B), 0); // RLIMIT_NOFILE
  assert.equal(p.mem.readU64(B), 1024);
  p.mem.write(B, new Uint8Array(new BigUint64Array([10n, 10n]).buffer));
  assert.equal(p.call("setrlimit", 7, B), 0);
  assert.equal(p.call("dup", 1), 3);
  for (let i = 4; i < 10; i++) assert.equal(p.call("dup", 1), i);
  assert.equal(p.call("dup", 1), -Errno.EMFILE);
  assert.equal(p.call("sched_getaffinity", 0, 128, B), 8);
  assert.equal(p.mem.readU64(B), 1);
  assert.equal(p.call("sysinfo", B), 0);
  assert.equal(p.mem.readU32(B + 104), 1);
  assert.equal(p.call("umask", 0o77), 0o22);
  assert.equal(p.call("umask", 0o22), 0o77);
  assert.ok(p.call("getuid") >= 0);
});

Deno.test("exit_group returns the status masked to 8 bits", () => {
  const p = testProc();
  assert.deepEqual(p.raw("exit_group", 0x1ff).r, {
    kind: "exit",
    status: 0xff,
  });
  assert.deepEqual(testProc().raw("exit", 3).r, { kind: "exit", status: 3 });
});

Deno.test("an unsupported syscall gives ENOSYS and is reported once, or never when quiet", () => {
  const p = testProc();
  assert.equal(p.call("acct", 0), -Errno.ENOSYS);
  assert.equal(p.call("acct", 0), -Errno.ENOSYS);
  assert.deepEqual(p.logs, [
    "pandeno: unsupported syscall 89 (acct); returning ENOSYS (silence with --quiet-enosys)",
  ]);
  p.cpu.setX(17, 9999);
  p.k.syscall();
  assert.match(p.logs[1], /unsupported syscall 9999 \(unknown\)/);
  const q = testProc({ quietEnosys: true });
  assert.equal(q.call("acct", 0), -Errno.ENOSYS);
  assert.deepEqual(q.logs, []);
  assert.equal(Kernel.syscallName(291), "statx");
  assert.equal(Kernel.syscallName(439), "faccessat2");
});
