/**
 * Hostile guests: escaping the sandbox, absurd memory requests, misaligned
 * accesses and wild jumps.
 *
 * The sandbox contract checked here (see tests/guests/README.md): the guest
 * sees only what Pandeno maps, so a path outside the mapped directories does
 * not exist for it and reads fail with ENOENT, however the path is spelled
 * (absolute, `..`, `/proc/self/..`, through a symlink, after climbing with
 * chdir). Creating a file outside fails without creating anything: ENOENT is
 * expected, EACCES or EROFS are accepted, because a guest that can see an
 * ancestor of its cwd (say `/tmp`) may be told the directory is not writable.
 * Creating a symlink inside the cwd is allowed (it is only a name); following
 * it is resolved in the guest's view.
 *
 * @module
 */

import assert from "node:assert/strict";
import {
  guest,
  hasQemu,
  runPandeno,
  runQemu,
  type RunResult,
  tempDir,
} from "./_harness.ts";

const ENGINES = ["jit", "interp"] as const;
const QEMU_OK = hasQemu();
if (!QEMU_OK) {
  console.warn(
    "SKIP hostile comparisons: qemu-riscv64 not installed (apt-get install qemu-user)",
  );
}
const MARKER = "/tmp/pandeno_escape_marker";
const text = (b: Uint8Array) => new TextDecoder().decode(b);

/** Each attempt of escape.c and the answers accepted for it. */
const ESCAPE_EXPECTED: [string, string[]][] = [
  ["open /etc/passwd", ["ENOENT"]],
  ["open ../../../../etc/passwd", ["ENOENT"]],
  ["open /proc/self/../../etc/passwd", ["ENOENT"]],
  ["openat AT_FDCWD /etc/hostname", ["ENOENT"]],
  ["symlink pandeno_escape_abs -> /etc", ["ok", "EPERM", "EACCES"]],
  ["open pandeno_escape_abs/passwd", ["ENOENT"]],
  ["symlink pandeno_escape_rel -> ../../../../etc", ["ok", "EPERM", "EACCES"]],
  ["open pandeno_escape_rel/passwd", ["ENOENT"]],
  ["create /tmp/pandeno_escape_marker", ["ENOENT", "EACCES", "EROFS"]],
  ["chdir .. x16, open etc/passwd", ["ENOENT"]],
  ["escaped", ["0"]],
];

function fingerprint(path: string): string {
  try {
    const st = Deno.statSync(path);
    return `${st.mtime?.getTime()} ${st.size} ${Deno.readTextFileSync(path)}`;
  } catch (e) {
    return `absent: ${e instanceof Error ? e.name : e}`;
  }
}

function exists(path: string): boolean {
  try {
    Deno.lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

for (const engine of ENGINES) {
  Deno.test(`--engine ${engine}: escape.elf reaches nothing outside its cwd`, async () => {
    if (exists(MARKER)) Deno.removeSync(MARKER); // a leftover from a failed run
    const before = ["/etc/passwd", "/etc/hostname"].map(fingerprint);
    const [dir, cleanup] = tempDir("escape");
    let r: RunResult;
    try {
      r = await runPandeno(["--engine", engine, guest("escape")], {
        cwd: dir,
      });
      assert.deepEqual(
        [...Deno.readDirSync(dir)].map((e) => e.name),
        [],
        "escape.elf left files in its cwd",
      );
    } finally {
      cleanup();
    }
    const markerCreated = exists(MARKER);
    if (markerCreated) Deno.removeSync(MARKER);
    assert.equal(markerCreated, false, `the guest created ${MARKER}`);
    assert.deepEqual(
      ["/etc/passwd", "/etc/hostname"].map(fingerprint),
      before,
      "/etc changed",
    );
    const lines = text(r.stdout).trimEnd().split("\n");
    assert.equal(lines.length, ESCAPE_EXPECTED.length, text(r.stdout));
    ESCAPE_EXPECTED.forEach(([what, accepted], i) => {
      const [got, ...rest] = lines[i].split(": ");
      assert.equal(got, what, `line ${i + 1} out of order: ${lines[i]}`);
      assert.ok(
        accepted.includes(rest.join(": ")),
        `${what}: got "${rest.join(": ")}", expected one of ${
          accepted.join(", ")
        }`,
      );
    });
    assert.equal(r.code, 0, r.stderr);
  });
}

for (const name of ["bigmem", "unaligned"]) {
  const reference = QEMU_OK ? runQemu(guest(name), []) : undefined;
  // Do not leave an unhandled rejection when every test below is ignored.
  reference?.catch(() => {});
  Deno.test({
    name: `qemu-riscv64 runs ${name} with status 0`,
    ignore: !QEMU_OK,
    async fn() {
      const q = await reference;
      assert.equal(q?.code, 0, q?.stderr);
    },
  });
  for (const engine of ENGINES) {
    Deno.test({
      name: `--engine ${engine} runs ${name} like qemu-riscv64`,
      ignore: !QEMU_OK,
      async fn() {
        const q = await reference;
        assert.ok(q);
        const p = await runPandeno(["--engine", engine, guest(name)]);
        assert.equal(text(p.stdout), text(q.stdout), p.stderr);
        assert.equal(p.code, q.code, p.stderr);
      },
    });
  }
}

Deno.test({
  name: "qemu-riscv64 kills jump_unmapped with SIGSEGV (status 139)",
  ignore: !QEMU_OK,
  async fn() {
    const q = await runQemu(guest("jump_unmapped"), []);
    assert.equal(q?.code, 139, q?.stderr);
  },
});

for (const engine of ENGINES) {
  Deno.test(`--engine ${engine}: a jump to an unmapped address is SIGSEGV (status 139)`, async () => {
    const p = await runPandeno(["--engine", engine, guest("jump_unmapped")]);
    assert.equal(p.code, 139, p.stderr);
    assert.equal(text(p.stdout), "about to jump to an unmapped address\n");
    assert.match(p.stderr, /SIGSEGV/);
  });

  Deno.test(`--engine ${engine} --ro: the guest cannot create files in its cwd`, async () => {
    const [dir, cleanup] = tempDir("ro");
    try {
      const p = await runPandeno(["--engine", engine, "--ro", guest("files")], {
        cwd: dir,
      });
      assert.match(
        text(p.stdout),
        /^open create: FAIL\n {2}errno=30 /,
        p.stderr,
      );
      assert.equal(p.code, 1, p.stderr);
      assert.deepEqual([...Deno.readDirSync(dir)], []);
    } finally {
      cleanup();
    }
  });
}
