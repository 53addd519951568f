/**
 * Differential tests: every ordinary guest in `tests/guests/bin/` runs under
 * qemu-riscv64 (the reference) and under Pandeno with each engine; stdout
 * must be byte-identical and the exit status equal. Fault guests must die by
 * the same signal everywhere, and Pandeno must name the signal on stderr.
 *
 * @module
 */

import assert from "node:assert/strict";
import {
  guest,
  hasQemu,
  type QemuOptions,
  type RunOptions,
  runPandeno,
  runQemu,
  type RunResult,
  SIGNAL_NAMES,
  tempDir,
} from "./_harness.ts";

const ENGINES = ["jit", "interp"] as const;
const QEMU_OK = hasQemu();
if (!QEMU_OK) {
  console.warn(
    "SKIP differential: qemu-riscv64 not installed (apt-get install qemu-user)",
  );
}

/** One guest run the same way under both emulators. */
interface Case {
  /** Guest name in tests/guests/bin/. */
  name: string;
  /** Guest arguments. */
  args?: string[];
  /** Pandeno options before the program. */
  pandenoOptions?: string[];
  /** The same settings for qemu. */
  qemuArgs?: string[];
  /** Run in a fresh temporary directory (the guest writes to its cwd). */
  tempCwd?: boolean;
  /** Expected exit status, checked under qemu too. */
  status?: number;
  /** Bytes for the guest's stdin. */
  stdin?: string;
}

/** Guests compared byte for byte. Hostile guests are in hostile_test.ts. */
const CASES: Case[] = [
  { name: "hello" },
  { name: "hello_pie" },
  { name: "count_loop", status: 42 },
  { name: "arith" },
  { name: "fp" },
  { name: "atomics" },
  { name: "strings" },
  { name: "heap" },
  { name: "files", tempCwd: true },
  { name: "files", args: ["custom_name.dat"], tempCwd: true },
  { name: "identity", tempCwd: true },
  { name: "procfs" },
  {
    name: "at_random",
    // qemu shows the host's nodename; --hostname sets Pandeno's to match.
    pandenoOptions: ["--seed", "42", "--hostname", Deno.hostname()],
    qemuArgs: ["-seed", "42"],
  },
  {
    name: "argv_env",
    args: ["commas"],
    pandenoOptions: ["-E", "PANDENO_A=1,PANDENO_B=2", "-U", "HOME,PWD"],
    qemuArgs: ["-E", "PANDENO_A=1,PANDENO_B=2", "-U", "HOME,PWD"],
  },
  {
    name: "argv_env",
    args: ["first", "with space", "", "ünïcödé"],
    pandenoOptions: [
      "-E",
      "PANDENO_TEST_VAR=hello",
      "-E",
      "PANDENO_TEST_EMPTY=",
      "-U",
      "HOME",
    ],
    qemuArgs: [
      "-E",
      "PANDENO_TEST_VAR=hello",
      "-E",
      "PANDENO_TEST_EMPTY=",
      "-U",
      "HOME",
    ],
  },
  { name: "argv_env", status: 3 },
  { name: "signals" },
  { name: "time" },
  { name: "compute", args: ["3"] },
  { name: "echo_stdin", stdin: "two\nlines, ünïcödé\n" },
];

/** Guests that die by a signal: exit status 128 + signal. */
const FAULTS: { name: string; status: number }[] = [
  { name: "segv", status: 139 },
  { name: "illegal", status: 132 },
  { name: "fpe", status: 136 },
  { name: "abort", status: 134 },
];

const text = (b: Uint8Array) => new TextDecoder().decode(b);

function label(c: Case): string {
  return [c.name, ...(c.args ?? [])].map((a) => JSON.stringify(a)).join(" ");
}

/** Runs `fn` with the case's stdin, in a fresh temporary cwd when it asks for one. */
async function inCwd<T>(
  c: Case,
  fn: (opts: RunOptions) => Promise<T>,
): Promise<T> {
  if (!c.tempCwd) return await fn({ stdin: c.stdin });
  const [dir, cleanup] = tempDir(c.name);
  try {
    const r = await fn({ cwd: dir, stdin: c.stdin });
    assert.deepEqual(
      [...Deno.readDirSync(dir)].map((e) => e.name),
      [],
      `${c.name} left files behind in its cwd`,
    );
    return r;
  } finally {
    cleanup();
  }
}

const qemuRuns = new Map<string, Promise<RunResult>>();

/** The reference result for a case, computed once. */
function reference(c: Case): Promise<RunResult> {
  const key = label(c) + (c.qemuArgs ?? []).join(" ");
  let p = qemuRuns.get(key);
  if (!p) {
    p = inCwd(c, async (opts) => {
      const q: QemuOptions = { ...opts, qemuArgs: c.qemuArgs };
      const r = await runQemu(guest(c.name), c.args ?? [], q);
      assert.ok(r, "qemu-riscv64 vanished");
      return r;
    });
    qemuRuns.set(key, p);
  }
  return p;
}

for (const c of CASES) {
  Deno.test({
    name: `qemu-riscv64 runs ${label(c)} with status ${c.status ?? 0}`,
    ignore: !QEMU_OK,
    async fn() {
      const q = await reference(c);
      assert.equal(q.code, c.status ?? 0, q.stderr);
    },
  });
  for (const engine of ENGINES) {
    Deno.test({
      name: `--engine ${engine} runs ${label(c)} like qemu-riscv64`,
      ignore: !QEMU_OK,
      async fn() {
        const q = await reference(c);
        const p = await inCwd(
          c,
          (opts) =>
            runPandeno([
              "--engine",
              engine,
              ...(c.pandenoOptions ?? []),
              guest(c.name),
              ...(c.args ?? []),
            ], opts),
        );
        assert.equal(text(p.stdout), text(q.stdout), p.stderr);
        assert.deepEqual(p.stdout, q.stdout, "stdout differs in its bytes");
        assert.equal(p.code, q.code, p.stderr);
      },
    });
  }
}

for (const f of FAULTS) {
  const signal = SIGNAL_NAMES[f.status - 128];
  const c: Case = { name: f.name, status: f.status };
  Deno.test({
    name: `qemu-riscv64 kills ${f.name} with ${signal} (status ${f.status})`,
    ignore: !QEMU_OK,
    async fn() {
      const q = await reference(c);
      assert.equal(q.code, f.status, q.stderr);
    },
  });
  for (const engine of ENGINES) {
    Deno.test({
      name: `--engine ${engine} kills ${f.name} with ${signal} and says so`,
      // The status check needs no reference, but the stdout comparison does.
      async fn() {
        const p = await runPandeno(["--engine", engine, guest(f.name)]);
        assert.equal(p.code, f.status, p.stderr);
        const lines = p.stderr.split("\n").filter((l) => l.includes(signal));
        assert.equal(
          lines.length,
          1,
          `expected one stderr line naming ${signal}, got: ${p.stderr}`,
        );
        if (QEMU_OK) {
          const q = await reference(c);
          assert.equal(text(p.stdout), text(q.stdout));
        }
      },
    });
  }
}
