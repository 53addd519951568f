import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { SCRATCH, tempDir, testProc } from "./_test_util.ts";

const EPERM = -1, AT_FDCWD = -100;

function proc() {
  const root = tempDir();
  Deno.writeTextFileSync(`${root}/f`, "inside");
  Deno.mkdirSync(`${root}/a/b`, { recursive: true });
  const p = testProc({
    mounts: [{ guest: "/w", host: root, readOnly: false }],
    cwd: "/w",
  });
  const s = (i: number, v: string) => p.str(SCRATCH + i * 256, v);
  const symlink = (target: string, path: string) =>
    p.call("symlinkat", s(0, target), AT_FDCWD, s(1, path));
  const rename = (from: string, to: string) =>
    p.call("renameat", AT_FDCWD, s(0, from), AT_FDCWD, s(1, to));
  const link = (from: string, to: string) =>
    p.call("linkat", AT_FDCWD, s(0, from), AT_FDCWD, s(1, to), 0);
  return { p, root, symlink, rename, link };
}

Deno.test("symlink() refuses targets that lead the host out of the mapping", () => {
  const { symlink, root } = proc();
  assertEquals(symlink("../etc/passwd", "/w/l1"), EPERM);
  assertEquals(symlink("/etc/passwd", "/w/l2"), EPERM);
  assertEquals(symlink("a/../../x", "/w/l3"), EPERM);
  assertEquals(symlink("../../../f", "/w/a/b/l4"), EPERM);
  assertEquals(symlink(`${root}/../x`, "/w/l5"), EPERM);
  for (const n of ["l1", "l2", "l3", "l5", "a/b/l4"]) {
    assertEquals(Deno.statSync(`${root}`).isDirectory, true);
    let exists = true;
    try {
      Deno.lstatSync(`${root}/${n}`);
    } catch {
      exists = false;
    }
    assertEquals(exists, false, n);
  }
});

Deno.test("symlinks inside the mapping keep working, for the guest and the host", () => {
  const { p, symlink, root } = proc();
  assertEquals(symlink("f", "/w/l1"), 0);
  assertEquals(symlink("../../f", "/w/a/b/l2"), 0);
  assertEquals(symlink(`${root}/f`, "/w/l3"), 0);
  assertEquals(symlink("a/b", "/w/l4"), 0);
  assertEquals(Deno.readTextFileSync(`${root}/l3`), "inside");
  for (const n of ["l1", "a/b/l2"]) {
    assertEquals(Deno.readTextFileSync(`${root}/${n}`), "inside");
    const fd = p.call("openat", AT_FDCWD, p.str(SCRATCH, `/w/${n}`), 0);
    assertEquals(fd >= 0, true, n);
  }
});

Deno.test("rename() and link() cannot carry a symlink to where it escapes", () => {
  const { symlink, rename, link, root } = proc();
  assertEquals(symlink("../../f", "/w/a/b/l"), 0);
  assertEquals(rename("/w/a/b/l", "/w/l"), EPERM);
  assertEquals(link("/w/a/b/l", "/w/l"), EPERM);
  // Moving the directory that holds it one level up would do the same.
  assertEquals(rename("/w/a/b", "/w/b"), EPERM);
  // Deeper is fine: the link then points lower, still inside.
  Deno.mkdirSync(`${root}/a/b/c`);
  assertEquals(rename("/w/a/b/l", "/w/a/b/c/l"), 0);
  assertEquals(rename("/w/a/b", "/w/a/b2"), 0);
});
