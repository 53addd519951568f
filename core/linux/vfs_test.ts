import assert from "node:assert/strict";
import { SCRATCH, tempDir, testProc } from "./_test_util.ts";
import { Errno } from "./errno.ts";
import { O } from "./fs.ts";
import { Vfs } from "./vfs.ts";

const S = SCRATCH, S2 = SCRATCH + 0x800, BUF = SCRATCH + 0x1000;

/** A mount at /work whose host dir sits two levels below a sibling "secret" file. */
function sandbox(readOnly = false) {
  const outer = tempDir();
  Deno.writeTextFileSync(outer + "/secret", "host secret");
  Deno.mkdirSync(outer + "/a/b", { recursive: true });
  const dir = outer + "/a/b";
  Deno.writeTextFileSync(dir + "/inside.txt", "inside");
  const p = testProc({
    mounts: [{ guest: "/work", host: dir, readOnly }],
    cwd: "/work",
  });
  return { outer, dir, p };
}

function open(
  p: ReturnType<typeof testProc>,
  path: string,
  flags: number = O.RDONLY,
): number {
  p.str(S, path);
  return p.call("openat", -100, S, flags, 0o644);
}

Deno.test("paths that climb out of a mount or name host files give ENOENT", () => {
  const { p } = sandbox();
  for (
    const path of [
      "../../secret",
      "../../../../../../etc/passwd",
      "/etc/passwd",
      "/work/../../secret",
      "/../secret",
    ]
  ) {
    assert.equal(open(p, path), -Errno.ENOENT, path);
  }
  assert.ok(open(p, "../work/./inside.txt") >= 3);
});

Deno.test("symlinks inside a mount are resolved as guest paths and cannot escape", () => {
  const { outer, dir, p } = sandbox();
  Deno.symlinkSync("/etc", dir + "/etc_link");
  Deno.symlinkSync("../../..", dir + "/up");
  Deno.symlinkSync(outer + "/secret", dir + "/abs_secret");
  Deno.symlinkSync("inside.txt", dir + "/good");
  Deno.symlinkSync("/work/inside.txt", dir + "/good_abs");
  Deno.symlinkSync("loop", dir + "/loop");
  assert.equal(open(p, "etc_link/passwd"), -Errno.ENOENT);
  assert.equal(open(p, "up/secret"), -Errno.ENOENT);
  assert.equal(open(p, "up/a/b/inside.txt"), -Errno.ENOENT);
  assert.equal(open(p, "abs_secret"), -Errno.ENOENT);
  assert.equal(open(p, "loop"), -Errno.ELOOP);
  const fd = open(p, "good");
  assert.equal(p.call("read", fd, BUF, 100), 6);
  assert.ok(open(p, "good_abs") >= 3);
  // Creating through a link that points outside must not create host files.
  Deno.symlinkSync("/tmp/pandeno_should_not_exist", dir + "/dangling");
  assert.equal(open(p, "dangling", O.WRONLY | O.CREAT), -Errno.ENOENT);
  assert.throws(() => Deno.statSync("/tmp/pandeno_should_not_exist"));
});

Deno.test("rename, unlink and mkdir outside the mount fail and leave the host alone", () => {
  const { outer, p } = sandbox();
  p.str(S, "inside.txt");
  p.str(S2, "../../stolen");
  assert.equal(p.call("renameat2", -100, S, -100, S2, 0), -Errno.ENOENT);
  p.str(S2, "/tmp/stolen_by_guest");
  assert.equal(p.call("renameat2", -100, S, -100, S2, 0), -Errno.ENOENT);
  p.str(S, "../../secret");
  assert.equal(p.call("unlinkat", -100, S, 0), -Errno.ENOENT);
  p.str(S, "../../newdir");
  assert.equal(p.call("mkdirat", -100, S, 0o755), -Errno.ENOENT);
  assert.equal(Deno.readTextFileSync(outer + "/secret"), "host secret");
  assert.throws(() => Deno.statSync(outer + "/stolen"));
  assert.throws(() => Deno.statSync(outer + "/newdir"));
});

Deno.test("read-only mounts refuse every change with EROFS", () => {
  const { dir, p } = sandbox(true);
  assert.ok(open(p, "inside.txt") >= 3);
  assert.equal(open(p, "inside.txt", O.WRONLY), -Errno.EROFS);
  assert.equal(open(p, "new", O.WRONLY | O.CREAT), -Errno.EROFS);
  assert.equal(open(p, "inside.txt", O.RDONLY | O.TRUNC), -Errno.EROFS);
  p.str(S, "inside.txt");
  assert.equal(p.call("unlinkat", -100, S, 0), -Errno.EROFS);
  p.str(S2, "moved");
  assert.equal(p.call("renameat2", -100, S, -100, S2, 0), -Errno.EROFS);
  assert.equal(p.call("truncate", S, 0), -Errno.EROFS);
  assert.equal(p.call("mkdirat", -100, S2, 0o755), -Errno.EROFS);
  assert.equal(p.call("faccessat", -100, S, 2), -Errno.EROFS);
  assert.equal(p.call("faccessat", -100, S, 4), 0);
  assert.equal(Deno.readTextFileSync(dir + "/inside.txt"), "inside");
});

Deno.test("ancestors of mount points are virtual read-only directories", () => {
  const d1 = tempDir(), d2 = tempDir();
  const vfs = new Vfs([{ guest: "/data/x", host: d1, readOnly: false }, {
    guest: "/home",
    host: d2,
    readOnly: false,
  }]);
  // /proc and /sys come from the kernel's synthetic tree, not the bare VFS.
  assert.deepEqual(vfs.virtualChildren("/"), ["data", "dev", "home"]);
  assert.equal(
    (vfs.resolve("/data", "/", true) as { kind: string }).kind,
    "virtual",
  );
  assert.equal(vfs.resolve("/data/y", "/", true), Errno.ENOENT);
  assert.equal(
    (vfs.resolve("/data/x/../../home", "/", true) as { kind: string }).kind,
    "host",
  );
  const p = testProc({
    mounts: [{ guest: "/data/x", host: d1, readOnly: false }],
    cwd: "/",
  });
  p.str(S, "/data/newfile");
  assert.equal(
    p.call("openat", -100, S, O.WRONLY | O.CREAT, 0o644),
    -Errno.ENOENT,
  );
  p.str(S, "/data");
  assert.equal(p.call("openat", -100, S, O.RDONLY | O.DIRECTORY, 0) >= 3, true);
});

Deno.test("the longest mount wins: a shorter mount over /tmp does not hide a deeper working directory", () => {
  const short = tempDir(), deep = tempDir();
  Deno.writeTextFileSync(deep + "/f", "deep");
  const vfs = new Vfs([
    { guest: "/tmp/w/sub", host: deep, readOnly: false },
    { guest: "/tmp", host: short, readOnly: false },
  ]);
  const r = vfs.resolve("/tmp/w/sub/f", "/", true);
  assert.equal(
    typeof r === "object" && r.kind === "host" && r.host,
    deep + "/f",
  );
  const up = vfs.resolve("/tmp/w", "/", true);
  assert.equal(typeof up === "object" && up.kind, "virtual");
  assert.equal(vfs.resolve("/tmp/other", "/", true) !== Errno.ENOENT, true);
});

Deno.test("the -L prefix is looked up first for absolute paths, read-only, as qemu's path()", () => {
  const sys = tempDir(), data = tempDir();
  Deno.mkdirSync(`${sys}/lib`);
  Deno.writeTextFileSync(`${sys}/lib/libx.so`, "from the sysroot");
  Deno.writeTextFileSync(`${data}/libx.so`, "from the mount");
  Deno.writeTextFileSync(`${data}/only_here`, "mount only");
  // Symlinks inside the prefix resolve inside the prefix, never on the host.
  Deno.symlinkSync("/etc/passwd", `${sys}/lib/escape`);
  Deno.symlinkSync("libx.so", `${sys}/lib/libx.so.1`);
  const vfs = new Vfs([{ guest: "/lib", host: data, readOnly: false }], sys);
  const host = (p: string, follow = true) => {
    const r = vfs.resolve(p, "/", follow);
    return typeof r === "number" ? r : (r as { host?: string }).host;
  };
  assert.equal(host("/lib/libx.so"), `${sys}/lib/libx.so`);
  assert.equal(host("/lib/libx.so.1"), `${sys}/lib/libx.so`);
  assert.equal(host("/lib/libx.so.1", false), `${sys}/lib/libx.so.1`);
  assert.equal(host("/lib/only_here"), `${data}/only_here`);
  // The dangling (within the prefix) link falls back to the mounts: ENOENT.
  assert.equal(host("/lib/escape"), `${data}/escape`);
  assert.equal(host("/../../lib/libx.so"), `${sys}/lib/libx.so`);
  assert.equal(host("/lib/../../../etc/passwd"), Errno.ENOENT);
  // Relative paths never consult the prefix (qemu: "only absolute paths").
  assert.equal(host("libx.so", true), Errno.ENOENT);
  const p = testProc({
    mounts: [{ guest: "/lib", host: data, readOnly: false }],
    ldPrefix: sys,
    cwd: "/",
  });
  p.str(S, "/lib/libx.so");
  assert.equal(p.call("openat", -100, S, O.WRONLY | O.TRUNC, 0), -Errno.EROFS);
  const fd = p.call("openat", -100, S, O.RDONLY, 0);
  assert.equal(p.call("read", fd, S + 256, 64), 16);
  assert.equal(Deno.readTextFileSync(`${sys}/lib/libx.so`), "from the sysroot");
});
