import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { SCRATCH, testProc } from "./_test_util.ts";
import { PERM_R, PERM_W } from "../layout.ts";

const O_NONBLOCK = 0o4000, F_SETPIPE_SZ = 1031, F_GETPIPE_SZ = 1032;
const EAGAIN = -11, EPERM = -1, EBUSY = -16;

function pipe(p: ReturnType<typeof testProc>, flags = 0): [number, number] {
  assertEquals(p.call("pipe2", SCRATCH, flags), 0);
  return [p.mem.readU32(SCRATCH)!, p.mem.readU32(SCRATCH + 4)!];
}

Deno.test("a pipe holds 64 KiB; a non-blocking writer then gets EAGAIN", () => {
  const p = testProc();
  const [r, w] = pipe(p, O_NONBLOCK);
  assertEquals(p.call("fcntl", w, F_GETPIPE_SZ), 65536);
  let total = 0;
  for (;;) {
    const n = p.call("write", w, SCRATCH, 0x10000);
    if (n < 0) {
      assertEquals(n, EAGAIN);
      break;
    }
    total += n;
  }
  assertEquals(total, 65536);
  assertEquals(p.call("read", r, SCRATCH, 100), 100);
  // Writes of at most PIPE_BUF are atomic: 100 bytes free, 200 asked.
  assertEquals(p.call("write", w, SCRATCH, 200), EAGAIN);
  assertEquals(p.call("write", w, SCRATCH, 100), 100);
});

Deno.test("256 MiB written into a pipe nobody reads leave at most its capacity queued", () => {
  const p = testProc();
  const buf = 0x100_0000;
  p.mem.map(buf, 1 << 20, PERM_R | PERM_W);
  p.k.vm.set(buf, 1 << 20, true);
  const [, w] = pipe(p); // blocking writer, and the only reader is us
  let total = 0;
  for (let i = 0; i < 256; i++) {
    const n = p.call("write", w, buf, 1 << 20);
    if (n > 0) total += n;
    else assertEquals(n, EAGAIN);
  }
  assertEquals(total, 65536);
  const e = p.k.fds.get(w)!.desc;
  assertEquals(e.kind === "pipe" && e.pipe.size, 65536);
});

Deno.test("F_SETPIPE_SZ rounds up to pages, stops at 1 MiB and never below what is queued", () => {
  const p = testProc();
  const [r, w] = pipe(p, O_NONBLOCK);
  assertEquals(p.call("fcntl", w, F_SETPIPE_SZ, 5000), 8192);
  assertEquals(p.call("fcntl", r, F_GETPIPE_SZ), 8192);
  assertEquals(p.call("fcntl", w, F_SETPIPE_SZ, 1), 4096);
  assertEquals(p.call("write", w, SCRATCH, 4096), 4096);
  assertEquals(p.call("write", w, SCRATCH, 1), EAGAIN);
  assertEquals(p.call("fcntl", w, F_SETPIPE_SZ, 1 << 20), 1 << 20);
  assertEquals(p.call("fcntl", w, F_SETPIPE_SZ, (1 << 20) + 1), EPERM);
  assertEquals(p.call("write", w, SCRATCH, 0x10000), 0x10000);
  assertEquals(p.call("fcntl", w, F_SETPIPE_SZ, 4096), EBUSY);
});

Deno.test("ioctl(FIONBIO) makes a pipe end non-blocking", () => {
  const p = testProc();
  const [r] = pipe(p);
  p.mem.writeU32(SCRATCH + 16, 1);
  assertEquals(p.call("ioctl", r, 0x5421, SCRATCH + 16), 0);
  assertEquals(p.call("fcntl", r, 3) & O_NONBLOCK, O_NONBLOCK);
});
