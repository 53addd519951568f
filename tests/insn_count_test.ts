/**
 * Instruction counts: qemu's count (see `qemuInsnCount`) is checked against a
 * hand-counted guest and against a second counting method, then Pandeno's
 * `--count-insns` must agree with it exactly.
 *
 * Counts of glibc guests depend on argv, the environment and the auxiliary
 * vector (glibc scans them at start-up: hello runs ~7,000 instructions with
 * one variable and ~22,000 with a typical shell environment), so both
 * emulators get the same argv[0] and an environment of exactly one variable.
 *
 * @module
 */

import assert from "node:assert/strict";
import {
  guest,
  hasQemu,
  pandenoInsnCount,
  QEMU,
  qemuInsnCount,
  tempDir,
} from "./_harness.ts";

const QEMU_OK = hasQemu();
if (!QEMU_OK) {
  console.warn(
    "SKIP instruction counts: qemu-riscv64 not installed (apt-get install qemu-user)",
  );
}

/** The one variable both guests see. */
const GUEST_ENV = { PANDENO_INSN_COUNT: "1" };

/** Pandeno options giving the guest exactly GUEST_ENV. */
function pandenoEnvOptions(): string[] {
  const opts: string[] = [];
  for (const k of Object.keys(Deno.env.toObject()).sort()) {
    if (!(k in GUEST_ENV)) opts.push("-U", k);
  }
  for (const [k, v] of Object.entries(GUEST_ENV)) opts.push("-E", `${k}=${v}`);
  return opts;
}

const qemuEnv = { clearEnv: true, env: GUEST_ENV };

Deno.test({
  name: "qemuInsnCount counts count_loop exactly (6 + 2 + 3 * 1000 + 3 = 3011)",
  ignore: !QEMU_OK,
  async fn() {
    assert.equal(await qemuInsnCount(guest("count_loop"), [], qemuEnv), 3011);
  },
});

/**
 * A second method: without single-stepping, log each translated block's
 * instructions (`in_asm`) and each executed block (`exec`), then sum the sizes
 * of the executed blocks.
 */
async function countByBlocks(elf: string): Promise<number> {
  const [dir, cleanup] = tempDir("blocks");
  try {
    const log = `${dir}/qemu.log`;
    const out = await new Deno.Command(QEMU, {
      args: ["-d", "in_asm,exec,nochain", "-D", log, elf],
      clearEnv: true,
      env: GUEST_ENV,
      stdout: "piped", // as in qemuInsnCount: /dev/null adds an ioctl
      stderr: "piped",
    }).output();
    assert.ok(out.success, new TextDecoder().decode(out.stderr));
    // Addresses are keyed as numbers: in_asm and exec pad them differently.
    const sizes = new Map<number, number>();
    let block: number | undefined;
    let inBlock = false;
    let total = 0;
    for (const line of Deno.readTextFileSync(log).split("\n")) {
      if (line.startsWith("IN:")) {
        inBlock = true;
        block = undefined;
        continue;
      }
      const insn = /^0x([0-9a-f]+):\s/.exec(line);
      if (inBlock && insn) {
        block ??= parseInt(insn[1], 16);
        sizes.set(block, (sizes.get(block) ?? 0) + 1);
        continue;
      }
      if (line.trim() === "") inBlock = false;
      const trace = /^Trace \d+: 0x[0-9a-f]+ \[[0-9a-f]+\/([0-9a-f]+)\//.exec(
        line,
      );
      if (trace) {
        const n = sizes.get(parseInt(trace[1], 16));
        assert.ok(n, `executed block ${trace[1]} was never translated`);
        total += n;
      }
    }
    return total;
  } finally {
    cleanup();
  }
}

Deno.test({
  name: "qemuInsnCount agrees with summing executed block sizes on hello",
  ignore: !QEMU_OK,
  async fn() {
    const elf = guest("hello");
    assert.equal(
      await qemuInsnCount(elf, [], qemuEnv),
      await countByBlocks(elf),
    );
  },
});

// Does this Pandeno know --count-insns? Asked once, with the smallest guest.
let countFlag = false;
try {
  countFlag = (await pandenoInsnCount(
    ["--engine", "interp", ...pandenoEnvOptions()],
    guest("count_loop"),
    [],
  )) !== undefined;
  if (!countFlag) {
    console.warn(
      "SKIP instruction counts: pandeno has no --count-insns option yet",
    );
  }
} catch {
  // Pandeno did not run properly: let the tests below fail and say why.
  countFlag = true;
}

// The strings' offsets on the initial stack follow qemu's layout, so the
// count matches whatever arguments shift them by (start-up code and strlen
// take alignment-dependent paths: with argv reversed, "x" was 25 off).
for (const args of [["x"], ["x", "y"], ["hello", "world", "foo"]]) {
  Deno.test({
    name: `--count-insns on argv_env ${args.join(" ")} equals qemu's count`,
    ignore: !QEMU_OK || !countFlag,
    async fn() {
      const elf = guest("argv_env");
      const [want, got] = await Promise.all([
        qemuInsnCount(elf, args, qemuEnv),
        pandenoInsnCount(pandenoEnvOptions(), elf, args),
      ]);
      assert.ok(got, "pandeno lost its --count-insns option");
      assert.equal(got.count, want, got.result.stderr);
    },
  });
}

Deno.test({
  name: "under npx, the guest sees the user's environment and counts as qemu",
  ignore: !QEMU_OK || !countFlag,
  async fn() {
    // What npm's run-script adds when `npx -y deno@2.9.6 task run` starts
    // Pandeno (runtime/cli/guest_env.ts); qemu gets the user's variables only.
    const user = { HOME: Deno.env.get("HOME") ?? "/", PATH: "/usr/bin:/bin" };
    const elf = guest("hello");
    const [want, got] = await Promise.all([
      qemuInsnCount(elf, [], { clearEnv: true, env: user }),
      pandenoInsnCount([], elf, [], {
        clearEnv: true,
        env: {
          ...user,
          PATH:
            `/p/node_modules/.bin:/npm/run-script/lib/node-gyp-bin:${user.PATH}`,
          INIT_CWD: Deno.cwd(),
          NODE: "/usr/bin/node",
          COLOR: "0",
          EDITOR: "vi",
          npm_command: "exec",
          npm_lifecycle_event: "npx",
          npm_execpath: "/npm/bin/npm-cli.js",
          npm_node_execpath: "/usr/bin/node",
          npm_config_user_agent: "npm/11.19.1 node/v20.20.2 linux x64",
        },
      }),
    ]);
    assert.ok(got, "pandeno lost its --count-insns option");
    assert.equal(got.count, want, got.result.stderr);
  },
});

for (const name of ["count_loop", "hello", "arith", "strings"]) {
  for (const engine of ["jit", "interp"]) {
    Deno.test({
      name: `--engine ${engine} --count-insns on ${name} equals qemu's count`,
      ignore: !QEMU_OK || !countFlag,
      async fn() {
        const elf = guest(name);
        const [want, got] = await Promise.all([
          qemuInsnCount(elf, [], qemuEnv),
          pandenoInsnCount(
            ["--engine", engine, ...pandenoEnvOptions()],
            elf,
            [],
          ),
        ]);
        assert.ok(got, "pandeno lost its --count-insns option");
        assert.equal(got.count, want, got.result.stderr);
      },
    });
  }
}
