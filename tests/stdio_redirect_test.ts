/**
 * Standard streams under real shell redirections, run the way users run
 * Pandeno (`deno task run`, whose permissions are not `--allow-all`):
 * fstat, isatty and lseek on fds 0-2 must report what the host descriptor
 * really is, as under qemu-riscv64, and with stdout on /dev/null the
 * syscall sequence must be qemu's.
 *
 * @module
 */

import assert from "node:assert/strict";
import { guest, hasQemu, QEMU, REPO } from "./_harness.ts";

const QEMU_OK = hasQemu();
if (!QEMU_OK) {
  console.warn(
    "SKIP stdio redirections: qemu-riscv64 not installed (apt-get install qemu-user)",
  );
}

/** Runs `cmd` under bash in the repository; returns the files it wrote. */
function sh(cmd: string): void {
  const r = new Deno.Command("bash", {
    args: ["-c", cmd],
    cwd: REPO,
    stdout: "null",
    stderr: "inherit",
  }).outputSync();
  assert.equal(r.code, 0, cmd);
}

const PROBE = guest("stdio_probe");

/** The probe's report lines for fds 0 and 1 (fd 2's offset includes deno task's own line). */
function report(file: string): string[] {
  return Deno.readTextFileSync(file).split("\n").filter((l) =>
    l.startsWith("fd 0") || l.startsWith("fd 1")
  );
}

/** Both emulators under the same redirections (`OUT`: a per-emulator file). */
function both(redirect: string, dir: string): { q: string[]; p: string[] } {
  sh(
    `${QEMU} ${PROBE} 2>${dir}/q.err ${
      redirect.replaceAll("OUT", `${dir}/q.out`)
    }`,
  );
  sh(
    `deno task run ${PROBE} 2>${dir}/p.err ${
      redirect.replaceAll("OUT", `${dir}/p.out`)
    }`,
  );
  return { q: report(`${dir}/q.err`), p: report(`${dir}/p.err`) };
}

for (
  const [what, redirect] of [
    ["stdout to a file, stdin from a file", "<OUT.in >OUT"],
    ["stdout to /dev/null", "</dev/null >/dev/null"],
    ["stdout to a pipe", "</dev/null | cat >/dev/null"],
    ["stdout appended to a file", "</dev/null >>OUT"],
    ["stdin from a file", "<OUT.in >/dev/null"],
  ]
) {
  Deno.test({
    name:
      `fstat, isatty and lseek on stdio match qemu-riscv64 (${what}), under deno task run`,
    ignore: !QEMU_OK,
    fn() {
      const dir = Deno.makeTempDirSync({ prefix: "pandeno_stdio_" });
      try {
        for (const x of ["q", "p"]) {
          Deno.writeTextFileSync(`${dir}/${x}.out.in`, "input\n");
          Deno.writeTextFileSync(`${dir}/${x}.out`, "before\n");
        }
        const { q, p } = both(redirect, dir);
        assert.equal(q.length, 2);
        assert.deepEqual(p, q);
        if (redirect.includes(">OUT") || redirect.includes(">>OUT")) {
          assert.equal(
            Deno.readTextFileSync(`${dir}/p.out`),
            Deno.readTextFileSync(`${dir}/q.out`),
          );
        }
      } finally {
        Deno.removeSync(dir, { recursive: true });
      }
    },
  });
}

Deno.test({
  name:
    "with stdout on /dev/null the syscall sequence is qemu-riscv64's (ioctl TCGETS included)",
  ignore: !QEMU_OK,
  fn() {
    const dir = Deno.makeTempDirSync({ prefix: "pandeno_stdio_" });
    try {
      const hello = guest("hello");
      sh(`${QEMU} -strace ${hello} >/dev/null 2>${dir}/q`);
      sh(`deno task run --plugin strace ${hello} >/dev/null 2>${dir}/p`);
      const names = (f: string, re: RegExp) =>
        Deno.readTextFileSync(f).split("\n").flatMap((l) => {
          const m = re.exec(l);
          return m ? [m[1]] : [];
        });
      const q = names(`${dir}/q`, /^\d+ (\w+)\(/);
      const p = names(`${dir}/p`, /^(\w+)\(/);
      assert.ok(q.includes("ioctl"));
      assert.deepEqual(p, q);
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  },
});
