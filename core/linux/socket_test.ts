import assert from "node:assert/strict";
import { SCRATCH, tempDir, testProc } from "./_test_util.ts";
import { Errno } from "./errno.ts";

const S = SCRATCH, ADDR = SCRATCH + 0x100, SV = SCRATCH + 0x200;
const MSG = SCRATCH + 0x300, IOV = SCRATCH + 0x400, CTL = SCRATCH + 0x500;

/** Writes a sockaddr_un for `path` at ADDR; returns its length. */
function sun(p: ReturnType<typeof testProc>, path: string): number {
  const b = new TextEncoder().encode(path);
  p.mem.u8.fill(0, ADDR, ADDR + 110);
  p.mem.u8[ADDR] = 1;
  p.mem.u8.set(b, ADDR + 2);
  return 2 + b.length + 1;
}

Deno.test("bind() creates socket files only inside writable mappings", () => {
  const rw = tempDir(), ro = tempDir();
  const p = testProc({
    mounts: [
      { guest: "/rw", host: rw, readOnly: false },
      { guest: "/ro", host: ro, readOnly: true },
    ],
    cwd: "/rw",
  });
  const s = p.call("socket", 1, 1, 0);
  assert.equal(
    p.call("bind", s, ADDR, sun(p, "/etc/evil.sock")),
    -Errno.ENOENT,
  );
  assert.equal(p.call("bind", s, ADDR, sun(p, "/ro/x.sock")), -Errno.EROFS);
  assert.equal(p.call("bind", s, ADDR, sun(p, "/rw/../../x")), -Errno.ENOENT);
  assert.equal(p.call("bind", s, ADDR, sun(p, "ok.sock")), 0);
  assert.ok(Deno.statSync(`${rw}/ok.sock`).isFile);
  assert.equal(p.call("close", s), 0);
});

Deno.test("socket calls validate lengths, families and pointers", () => {
  const p = testProc();
  assert.equal(p.call("socket", 2, 1, 0), -Errno.EAFNOSUPPORT);
  assert.equal(p.call("socket", 1, 9, 0), -Errno.ESOCKTNOSUPPORT);
  assert.equal(p.call("socket", 1, 1, 7), -Errno.EPROTONOSUPPORT);
  assert.equal(p.call("socketpair", 1, 1, 0, 0x10), -Errno.EFAULT);
  const s = p.call("socket", 1, 2, 0);
  assert.equal(p.call("bind", s, ADDR, 1), -Errno.EINVAL);
  assert.equal(p.call("bind", s, ADDR, 111), -Errno.EINVAL);
  assert.equal(p.call("bind", s, 0x10, 20), -Errno.EFAULT);
  assert.equal(p.call("connect", 1, ADDR, 20), -Errno.ENOTSOCK);
  assert.equal(p.call("recvmsg", s, 0x10, 0), -Errno.EFAULT);
  assert.equal(p.call("getsockname", s, ADDR, 0x10), -Errno.EFAULT);
});

Deno.test("SCM_RIGHTS refuses bad descriptors and too many, leaking no reference", () => {
  const p = testProc();
  assert.equal(p.call("socketpair", 1, 1, 0, SV), 0);
  const a = p.mem.readU32(SV)!;
  const msg = (fds: number[]) => {
    p.mem.writeU64(IOV, S);
    p.mem.writeU64(IOV + 8, 1);
    const len = 16 + 4 * fds.length;
    p.mem.writeU64(CTL, len);
    p.mem.writeU32(CTL + 8, 1);
    p.mem.writeU32(CTL + 12, 1);
    fds.forEach((f, i) => p.mem.writeU32(CTL + 16 + 4 * i, f));
    p.mem.u8.fill(0, MSG, MSG + 56);
    p.mem.writeU64(MSG + 16, IOV);
    p.mem.writeU64(MSG + 24, 1);
    p.mem.writeU64(MSG + 32, CTL);
    p.mem.writeU64(MSG + 40, Math.ceil(len / 8) * 8);
  };
  msg([1, 77]);
  assert.equal(p.call("sendmsg", a, MSG, 0), -Errno.EBADF);
  msg(new Array(254).fill(1));
  assert.equal(p.call("sendmsg", a, MSG, 0), -Errno.EINVAL);
  const stdout = p.k.fds.get(1)!.desc;
  assert.equal(stdout.refs, 1); // references taken for the failed sends were dropped
  msg([1]);
  assert.equal(p.call("sendmsg", a, MSG, 0), 1);
  assert.equal(stdout.refs, 2); // in flight
  assert.equal(p.call("close", a), 0);
  assert.equal(p.call("close", p.mem.readU32(SV + 4)!), 0);
  assert.equal(stdout.refs, 1); // closing the queue released it
});
