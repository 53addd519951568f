import assert from "node:assert/strict";
import { SCRATCH, tempDir, testProc } from "./_test_util.ts";
import { Errno } from "./errno.ts";
import { O } from "./fs.ts";

const S = SCRATCH, BUF = SCRATCH + 0x1000;
const enc = new TextEncoder(), dec = new TextDecoder();

function mounted(readOnly = false) {
  const dir = tempDir();
  const p = testProc({
    mounts: [{ guest: "/work", host: dir, readOnly }],
    cwd: "/work",
  });
  return { dir, p };
}

Deno.test("write() to fd 1 reaches the injected stdout", () => {
  const p = testProc();
  p.mem.write(BUF, enc.encode("hello\n"));
  assert.equal(p.call("write", 1, BUF, 6), 6);
  assert.equal(dec.decode(new Uint8Array(p.out[1])), "hello\n");
  assert.equal(p.call("write", 1, 0x10, 6), -Errno.EFAULT);
  assert.equal(p.call("write", 9, BUF, 1), -Errno.EBADF);
});

Deno.test("read() from fd 0 returns stdin bytes then 0 at EOF", () => {
  const p = testProc({}, enc.encode("abc"));
  assert.equal(p.call("read", 0, BUF, 10), 3);
  assert.equal(dec.decode(p.mem.read(BUF, 3)), "abc");
  assert.equal(p.call("read", 0, BUF, 10), 0);
});

Deno.test("openat/write/lseek/read/fstat round-trip a file in a mount", () => {
  const { dir, p } = mounted();
  p.str(S, "f.txt");
  const fd = p.call("openat", -100, S, O.RDWR | O.CREAT | O.TRUNC, 0o644);
  assert.equal(fd, 3);
  p.mem.write(BUF, enc.encode("hello world"));
  assert.equal(p.call("write", fd, BUF, 11), 11);
  assert.equal(p.call("lseek", fd, 6, 0), 6);
  assert.equal(p.call("read", fd, BUF + 100, 100), 5);
  assert.equal(dec.decode(p.mem.read(BUF + 100, 5)), "world");
  assert.equal(p.call("pread64", fd, BUF + 200, 5, 0), 5);
  assert.equal(dec.decode(p.mem.read(BUF + 200, 5)), "hello");
  assert.equal(p.call("lseek", fd, 0, 1), 11); // pread did not move the offset
  assert.equal(p.call("fstat", fd, BUF), 0);
  const v = new DataView(p.mem.read(BUF, 128)!.buffer);
  assert.equal(v.getUint32(16, true) & 0o170000, 0o100000); // S_IFREG
  assert.equal(Number(v.getBigInt64(48, true)), 11); // st_size
  assert.equal(
    Number(v.getBigUint64(8, true)),
    Deno.statSync(dir + "/f.txt").ino,
  );
  assert.equal(p.call("close", fd), 0);
  assert.equal(p.call("close", fd), -Errno.EBADF);
  assert.equal(Deno.readTextFileSync(dir + "/f.txt"), "hello world");
});

Deno.test("O_APPEND writes at the end and O_EXCL refuses an existing file", () => {
  const { dir, p } = mounted();
  Deno.writeTextFileSync(dir + "/a", "12");
  p.str(S, "/work/a");
  const fd = p.call("openat", -100, S, O.WRONLY | O.APPEND, 0);
  p.mem.write(BUF, enc.encode("34"));
  assert.equal(p.call("lseek", fd, 0, 0), 0);
  assert.equal(p.call("write", fd, BUF, 2), 2);
  assert.equal(Deno.readTextFileSync(dir + "/a"), "1234");
  assert.equal(
    p.call("openat", -100, S, O.WRONLY | O.CREAT | O.EXCL, 0o600),
    -Errno.EEXIST,
  );
  assert.equal(p.call("read", fd, BUF, 1), -Errno.EBADF);
});

Deno.test("newfstatat and statx report a directory; readv/writev move data", () => {
  const { p } = mounted();
  p.str(S, "/work");
  assert.equal(p.call("newfstatat", -100, S, BUF, 0), 0);
  assert.equal(p.mem.readU32(BUF + 16)! & 0o170000, 0o040000);
  assert.equal(p.call("statx", -100, S, 0, 0x7ff, BUF), 0);
  assert.equal(p.mem.readU32(BUF)! & 0x7ff, 0x7ff);
  assert.equal((p.mem.readU32(BUF + 28)! & 0xffff) & 0o170000, 0o040000);
  p.mem.write(BUF, enc.encode("ab"));
  p.mem.write(BUF + 8, enc.encode("cd"));
  p.mem.write(
    BUF + 64,
    new Uint8Array(
      new BigUint64Array([BigInt(BUF), 2n, BigInt(BUF + 8), 2n]).buffer,
    ),
  );
  assert.equal(p.call("writev", 1, BUF + 64, 2), 4);
  assert.equal(dec.decode(new Uint8Array(p.out[1])), "abcd");
});

Deno.test("getdents64 lists entries with d_reclen and d_type", () => {
  const { dir, p } = mounted();
  Deno.writeTextFileSync(dir + "/file1", "x");
  Deno.mkdirSync(dir + "/sub");
  p.str(S, ".");
  const fd = p.call("openat", -100, S, O.RDONLY | O.DIRECTORY, 0);
  assert.ok(fd >= 3);
  const names = new Map<string, number>();
  for (;;) {
    const n = p.call("getdents64", fd, BUF, 4096);
    assert.ok(n >= 0);
    if (n === 0) break;
    const b = p.mem.read(BUF, n)!;
    const v = new DataView(b.buffer);
    for (let off = 0; off < n;) {
      const reclen = v.getUint16(off + 16, true);
      assert.equal(reclen % 8, 0);
      const end = b.indexOf(0, off + 19);
      names.set(dec.decode(b.subarray(off + 19, end)), b[off + 18]);
      off += reclen;
    }
  }
  assert.deepEqual([...names.keys()].sort(), [".", "..", "file1", "sub"]);
  assert.equal(names.get("file1"), 8);
  assert.equal(names.get("sub"), 4);
  assert.equal(p.call("getdents64", fd, BUF, 10), 0);
  assert.equal(p.call("lseek", fd, 0, 0), 0);
  assert.equal(p.call("getdents64", fd, BUF, 10), -Errno.EINVAL);
});

Deno.test("mkdirat, renameat2, unlinkat, getcwd and chdir work inside a mount", () => {
  const { dir, p } = mounted();
  p.str(S, "d");
  assert.equal(p.call("mkdirat", -100, S, 0o755), 0);
  assert.equal(p.call("mkdirat", -100, S, 0o755), -Errno.EEXIST);
  assert.ok(Deno.statSync(dir + "/d").isDirectory);
  assert.equal(p.call("chdir", S), 0);
  assert.equal(p.call("getcwd", BUF, 100), 8);
  assert.equal(p.mem.readCString(BUF), "/work/d");
  assert.equal(p.call("getcwd", BUF, 3), -Errno.ERANGE);
  Deno.writeTextFileSync(dir + "/d/x", "1");
  p.str(S, "x");
  p.str(S + 100, "../y");
  assert.equal(p.call("renameat2", -100, S, -100, S + 100, 0), 0);
  assert.ok(Deno.statSync(dir + "/y").isFile);
  p.str(S, "/work/y");
  assert.equal(p.call("unlinkat", -100, S, 0x200), -Errno.ENOTDIR);
  assert.equal(p.call("unlinkat", -100, S, 0), 0);
  p.str(S, "/work/d");
  assert.equal(p.call("unlinkat", -100, S, 0), -Errno.EISDIR);
  assert.equal(p.call("unlinkat", -100, S, 0x200), 0);
});

Deno.test("/dev/null, /dev/zero, /proc/self/exe and pipes", () => {
  const p = testProc();
  p.str(S, "/dev/zero");
  const z = p.call("openat", -100, S, O.RDONLY, 0);
  p.mem.write(BUF, new Uint8Array([1, 2, 3]));
  assert.equal(p.call("read", z, BUF, 3), 3);
  assert.deepEqual([...p.mem.read(BUF, 3)!], [0, 0, 0]);
  p.str(S, "/dev/null");
  const n = p.call("openat", -100, S, O.RDWR, 0);
  assert.equal(p.call("write", n, BUF, 3), 3);
  assert.equal(p.call("read", n, BUF, 3), 0);
  p.str(S, "/proc/self/exe");
  assert.equal(p.call("readlinkat", -100, S, BUF, 100), "/bin/t".length);
  assert.equal(dec.decode(p.mem.read(BUF, 6)), "/bin/t");
  p.str(S, "/dev/tty");
  assert.ok(
    [-Errno.ENXIO, -Errno.ENOENT].includes(
      p.call("openat", -100, S, O.RDWR, 0),
    ),
  );
  assert.equal(p.call("pipe2", BUF, 0), 0);
  const [r, w] = [p.mem.readU32(BUF)!, p.mem.readU32(BUF + 4)!];
  p.mem.write(BUF + 16, enc.encode("xyz"));
  assert.equal(p.call("write", w, BUF + 16, 3), 3);
  assert.equal(p.call("read", r, BUF + 32, 10), 3);
  assert.equal(dec.decode(p.mem.read(BUF + 32, 3)), "xyz");
  assert.equal(p.call("close", w), 0);
  assert.equal(p.call("read", r, BUF + 32, 10), 0);
});

Deno.test("dup, dup3, fcntl and ioctl on a non-terminal", () => {
  const p = testProc();
  assert.equal(p.call("dup", 1), 3);
  assert.equal(p.call("dup3", 1, 10, O.CLOEXEC), 10);
  assert.equal(p.call("fcntl", 10, 1, 0), 1); // F_GETFD
  assert.equal(p.call("fcntl", 3, 1, 0), 0);
  assert.equal(p.call("fcntl", 1, 1030, 20), 20); // F_DUPFD_CLOEXEC
  assert.equal(p.call("fcntl", 1, 3, 0) & 3, 1); // F_GETFL: O_WRONLY
  p.mem.write(BUF, enc.encode("via dup"));
  assert.equal(p.call("write", 10, BUF, 7), 7);
  assert.equal(dec.decode(new Uint8Array(p.out[1])), "via dup");
  assert.equal(p.call("ioctl", 1, 0x5401, BUF), -Errno.ENOTTY); // TCGETS
  assert.equal(p.call("ioctl", 1, 0x5413, BUF), -Errno.ENOTTY); // TIOCGWINSZ
});

Deno.test("ioctl TCGETS and TIOCGWINSZ answer for a terminal", () => {
  const p = testProc();
  const t = testProc({
    stdio: { read: () => null, write() {}, isTerminal: () => true },
  });
  assert.equal(t.call("ioctl", 1, 0x5401, BUF), 0);
  assert.equal(t.mem.readU32(BUF + 12)! & 2, 2); // ICANON
  assert.equal(t.call("ioctl", 1, 0x5413, BUF), 0);
  assert.ok(t.mem.readU32(BUF)! > 0);
  assert.equal(p.call("ioctl", 99, 0x5401, BUF), -Errno.EBADF);
});
