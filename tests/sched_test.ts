/**
 * Threads, processes, blocking I/O and timers: guests that use them run
 * under qemu-riscv64 (the reference) and under Pandeno with each engine;
 * stdout and exit status must match. The guests print only what every
 * correct interleaving gives, so these tests check semantics, not one
 * particular schedule. qemu-riscv64 cannot run `execve` of a riscv64
 * program without binfmt_misc, so the exec guest is checked against the
 * output Linux gives instead.
 *
 * @module
 */

import assert from "node:assert/strict";
import {
  guest,
  GUEST_DIR,
  hasQemu,
  runPandeno,
  runQemu,
  tempDir,
} from "./_harness.ts";

const QEMU_OK = hasQemu();
if (!QEMU_OK) {
  console.warn(
    "SKIP sched: qemu-riscv64 not installed (apt-get install qemu-user)",
  );
}

/** One guest compared with qemu (or with `expect`). */
interface Case {
  /** Guest name in tests/guests/bin/. */
  name: string;
  /** Guest arguments. */
  args?: string[];
  /** Expected exit status. */
  status?: number;
  /** Extra Pandeno options. */
  options?: string[];
  /** Bytes for stdin. */
  stdin?: string;
  /** Run in a fresh temporary directory (the guest writes files there). */
  tempCwd?: boolean;
  /** Expected stdout, when qemu cannot be the reference. */
  expect?: string;
  /** What Pandeno's stderr must say. */
  stderr?: RegExp;
}

const EXEC_OUTPUT = `role argc=4 [one] [two] fd9=closed
fork+exec status 5
role argc=3 [vfork] fd9=closed
vfork+exec status 5
script interp arg=[script-arg] script=ok extra=[s1]
script status 6
missing: No such file or directory
not executable: Permission denied
no #!: Exec format error
role argc=3 [last] fd9=closed
`;

const CASES: Case[] = [
  { name: "threads" },
  { name: "threads", options: ["--quantum", "97"] },
  { name: "thread_signals" },
  { name: "fork_pipe", tempCwd: true },
  { name: "pipeline" },
  { name: "pipeline", options: ["--quantum", "1000"] },
  { name: "exec", tempCwd: true, status: 5, expect: EXEC_OUTPUT },
  { name: "timers" },
  { name: "epoll" },
  { name: "shm_sock" },
  // Hostile: without the process limit this guest forks until the host
  // runs out of address space for guest memories and aborts.
  {
    name: "sched_limits",
    expect:
      "fork failed after 63 children: Resource temporarily unavailable\n" +
      "reaped 63\nfork again: status 3\n",
  },
  // Hostile: without deadlock detection this guest hangs the emulator.
  {
    name: "sched_limits",
    args: ["deadlock"],
    status: 137,
    expect: "reading a pipe only I can write\n",
    stderr: /pandeno: deadlock: .*read from a pipe \(fd 3\)/,
  },
];

const text = (b: Uint8Array) => new TextDecoder().decode(b);

/** Runs `fn` in a fresh directory when the case asks for one. */
async function inCwd<T>(
  c: Case,
  fn: (cwd: string | undefined) => Promise<T>,
): Promise<T> {
  if (!c.tempCwd) return await fn(undefined);
  const [dir, cleanup] = tempDir(c.name);
  try {
    return await fn(dir);
  } finally {
    cleanup();
  }
}

for (const c of CASES) {
  const label = [c.name, ...(c.args ?? []), ...(c.options ?? [])].join(" ");
  for (const engine of ["jit", "interp"]) {
    Deno.test({
      name: `--engine ${engine} runs ${label} like ${
        c.expect ? "Linux" : "qemu-riscv64"
      }`,
      ignore: !QEMU_OK && !c.expect,
      async fn() {
        let want = c.expect;
        if (want === undefined) {
          const q = await inCwd(
            c,
            (cwd) =>
              runQemu(guest(c.name), c.args ?? [], { stdin: c.stdin, cwd }),
          );
          assert.ok(q, "qemu-riscv64 vanished");
          assert.equal(q.code, c.status ?? 0, q.stderr);
          want = text(q.stdout);
        }
        const p = await inCwd(c, (cwd) =>
          runPandeno([
            "--engine",
            engine,
            ...(cwd ? ["--map", GUEST_DIR] : []),
            ...(c.options ?? []),
            guest(c.name),
            ...(c.args ?? []),
          ], { stdin: c.stdin, cwd }));
        assert.equal(text(p.stdout), want, p.stderr);
        assert.equal(p.code, c.status ?? 0, p.stderr);
        if (c.stderr) assert.match(p.stderr, c.stderr);
      },
    });
  }
}
