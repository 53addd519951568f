import assert from "node:assert/strict";
import { SCRATCH, testProc } from "./_test_util.ts";

const AT_FDCWD = -100, O_RDONLY = 0, O_WRONLY = 1;

function readFile(p: ReturnType<typeof testProc>, path: string): string {
  const fd = p.call("openat", AT_FDCWD, p.str(SCRATCH, path), O_RDONLY);
  assert.ok(fd >= 0, `${path}: ${fd}`);
  let s = "";
  for (;;) {
    const n = p.call("read", fd, SCRATCH + 0x1000, 0x8000);
    assert.ok(n >= 0);
    if (n === 0) break;
    s += new TextDecoder().decode(p.mem.read(SCRATCH + 0x1000, n));
  }
  p.call("close", fd);
  return s;
}

function readlink(p: ReturnType<typeof testProc>, path: string): string {
  const n = p.call(
    "readlinkat",
    AT_FDCWD,
    p.str(SCRATCH, path),
    SCRATCH + 0x1000,
    4096,
  );
  assert.ok(n >= 0, `${path}: ${n}`);
  return new TextDecoder().decode(p.mem.read(SCRATCH + 0x1000, n));
}

Deno.test("/proc/self is a link to the pid and /proc/self/{cmdline,environ,status,stat} describe the process", () => {
  const p = testProc({ argv: ["/bin/prog", "a b"], env: ["X=1", "Y=2"] });
  assert.equal(readlink(p, "/proc/self"), String(p.k.pid));
  assert.equal(readFile(p, "/proc/self/cmdline"), "/bin/prog\0a b\0");
  assert.equal(readFile(p, `/proc/${p.k.pid}/environ`), "X=1\0Y=2\0");
  const status = readFile(p, "/proc/self/status");
  assert.match(status, /^Name:\tprog$/m);
  assert.match(status, new RegExp(`^Pid:\\t${p.k.pid}$`, "m"));
  const stat = readFile(p, "/proc/self/stat").split(" ");
  assert.equal(stat.length, 52);
  assert.deepEqual(stat.slice(0, 3), [String(p.k.pid), "(prog)", "R"]);
  assert.equal(readlink(p, "/proc/self/cwd"), "/");
  assert.equal(readlink(p, "/proc/self/exe"), "/bin/t");
});

Deno.test("/proc/self/maps lists the mapped ranges and /proc/self/fd the open fds", () => {
  const p = testProc();
  const maps = readFile(p, "/proc/self/maps");
  assert.match(maps, /^00200000-00210000 rw-p 00000000 00:00 0 $/m);
  const dir = p.call(
    "openat",
    AT_FDCWD,
    p.str(SCRATCH, "/proc/self/fd"),
    0o200000,
  );
  assert.ok(dir >= 0);
  const n = p.call("getdents64", dir, SCRATCH + 0x1000, 4096);
  const names: string[] = [];
  for (let off = 0; off < n;) {
    const len = p.mem.readU32(SCRATCH + 0x1000 + off + 16)! & 0xffff;
    names.push(p.mem.readCString(SCRATCH + 0x1000 + off + 19)!);
    off += len;
  }
  assert.deepEqual(names, [".", "..", "0", "1", "2", String(dir)]);
  assert.equal(readlink(p, `/proc/self/fd/${dir}`), `/proc/${p.k.pid}/fd`);
});

Deno.test("/dev/full reads zeros and refuses writes with ENOSPC; /proc files are read-only", () => {
  const p = testProc();
  const w = p.call("openat", AT_FDCWD, p.str(SCRATCH, "/dev/full"), O_WRONLY);
  assert.equal(p.call("write", w, SCRATCH, 1), -28);
  const r = p.call("openat", AT_FDCWD, p.str(SCRATCH, "/dev/full"), O_RDONLY);
  p.mem.write(SCRATCH + 64, new Uint8Array([9, 9]));
  assert.equal(p.call("read", r, SCRATCH + 64, 2), 2);
  assert.deepEqual([...p.mem.read(SCRATCH + 64, 2)!], [0, 0]);
  assert.equal(
    p.call("openat", AT_FDCWD, p.str(SCRATCH, "/proc/self/status"), O_WRONLY),
    -13,
  );
  // No terminal on the test's stdio: /dev/tty has no controlling terminal.
  assert.equal(
    p.call("openat", AT_FDCWD, p.str(SCRATCH, "/dev/tty"), O_RDONLY),
    -6,
  );
});

Deno.test("/sys/devices/system/cpu/online names the host's CPUs, as qemu passes them through", () => {
  const p = testProc();
  const n = navigator.hardwareConcurrency;
  assert.equal(
    readFile(p, "/sys/devices/system/cpu/online"),
    n === 1 ? "0\n" : `0-${n - 1}\n`,
  );
  assert.match(readFile(p, "/proc/cpuinfo"), /^isa\t\t: rv64imafdc$/m);
  assert.match(readFile(p, "/proc/meminfo"), /^MemTotal: +\d+ kB$/m);
});

Deno.test("uname's nodename comes from the hostname option", () => {
  const p = testProc({ hostname: "box" });
  assert.equal(p.call("uname", SCRATCH), 0);
  assert.equal(p.mem.readCString(SCRATCH + 65), "box");
});

Deno.test("open /proc snapshots of one process are bounded: past 64 MiB, open gives ENOMEM", () => {
  const p = testProc({ env: ["X=" + "a".repeat(1 << 20)] });
  let last = 0;
  for (let i = 0; i < 80 && last >= 0; i++) {
    last = p.call(
      "openat",
      AT_FDCWD,
      p.str(SCRATCH, "/proc/self/environ"),
      O_RDONLY,
    );
  }
  assert.equal(last, -12);
  p.call("close", 3);
  assert.ok(
    p.call("openat", AT_FDCWD, p.str(SCRATCH, "/proc/self/environ"), 0) >= 0,
  );
});
