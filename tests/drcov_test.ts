/**
 * The drcov plugin against the format and against qemu-riscv64 7.2: its
 * module table is the row QEMU's drcov plugin writes (computed here from
 * the ELF's program headers the way QEMU's loader does), and its blocks are
 * the translation blocks QEMU executes (read from `-d in_asm,exec,nochain`).
 * When QEMU's own drcov plugin is available (set QEMU_DRCOV_PLUGIN to its
 * .so; Debian's qemu-user does not ship it), both files are compared.
 */

import assert from "node:assert/strict";
import { guest, hasQemu, runPandeno, runQemu } from "./_harness.ts";
import { parseDrcov } from "./_drcov.ts";

/** Guests and their arguments (compute's 1: one iteration keeps qemu's log small). */
const GUESTS: [string, string[]][] = [
  ["hello", []],
  ["strings", []],
  ["fp", []],
  ["atomics", []],
  ["compute", ["1"]],
];

/** One environment for both emulators, so the guests take the same paths. */
const ENV: Record<string, string> = { PATH: "/usr/bin:/bin" };
for (const k of ["HOME", "DENO_DIR"]) {
  const v = Deno.env.get(k);
  if (v !== undefined) ENV[k] = v;
}

/** QEMU 7.2's start_code, end_code and entry for an ET_EXEC riscv64 ELF. */
function qemuModuleRow(elf: Uint8Array) {
  const v = new DataView(elf.buffer, elf.byteOffset);
  const phoff = Number(v.getBigUint64(32, true));
  const phnum = v.getUint16(56, true);
  let start = Infinity;
  let end = 0;
  for (let i = 0; i < phnum; i++) {
    const o = phoff + i * 56;
    if (v.getUint32(o, true) !== 1) continue; // PT_LOAD
    if (!(v.getUint32(o + 4, true) & 1)) continue; // PF_X
    const vaddr = Number(v.getBigUint64(o + 16, true));
    const filesz = Number(v.getBigUint64(o + 32, true));
    start = Math.min(start, vaddr);
    end = Math.max(end, vaddr + filesz);
  }
  return { base: start, end, entry: Number(v.getBigUint64(24, true)) };
}

/** start:size of every block qemu translated and executed. */
function qemuBlocks(log: string): Set<string> {
  const sizes = new Map<number, number>();
  let current = -1;
  for (const line of log.split("\n")) {
    const insn = /^0x([0-9a-f]+):\s+([0-9a-f]+)\s/.exec(line);
    if (insn) {
      const pc = parseInt(insn[1], 16);
      if (current < 0) {
        current = pc;
        sizes.set(pc, 0);
      }
      sizes.set(current, sizes.get(current)! + insn[2].length / 2);
    } else if (line.startsWith("IN:")) {
      current = -1;
    } else if (line === "") {
      current = -1;
    }
  }
  const ran = new Set<string>();
  for (
    const m of log.matchAll(/^Trace \d+: \S+ \[[0-9a-f]+\/([0-9a-f]+)\//gm)
  ) {
    const pc = parseInt(m[1], 16);
    ran.add(`${pc.toString(16)}:${sizes.get(pc)}`);
  }
  return ran;
}

async function pandenoDrcov(name: string, args: string[], dir: string) {
  const r = await runPandeno(
    ["--plugin", "drcov,filename=out.drcov", guest(name), ...args],
    { cwd: dir, env: ENV, clearEnv: true },
  );
  assert.equal(r.code, 0, r.stderr);
  return parseDrcov(Deno.readFileSync(`${dir}/out.drcov`));
}

for (const [name, args] of GUESTS) {
  Deno.test(`drcov writes QEMU's module row and header for ${name}`, async () => {
    const dir = await Deno.makeTempDir({ prefix: "pandeno_drcov_" });
    try {
      const d = await pandenoDrcov(name, args, dir);
      assert.equal(d.version, 2);
      assert.equal(d.flavor, "drcov-64");
      const want = qemuModuleRow(Deno.readFileSync(guest(name)));
      assert.deepEqual(d.modules, [{
        id: "0",
        base: `0x${want.base.toString(16)}`,
        end: `0x${want.end.toString(16)}`,
        entry: `0x${want.entry.toString(16)}`,
        path: guest(name),
      }]);
      assert.ok(d.blocks.length > 10);
      for (const b of d.blocks) {
        assert.equal(b.module, 0);
        assert.ok(b.start >= want.base && b.start + b.size <= want.end);
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });

  Deno.test({
    name: `drcov's blocks are the blocks qemu-riscv64 executes for ${name}`,
    ignore: !hasQemu(),
    async fn() {
      const dir = await Deno.makeTempDir({ prefix: "pandeno_drcov_" });
      try {
        const d = await pandenoDrcov(name, args, dir);
        const ours = new Set(
          d.blocks.map((b) => `${b.start.toString(16)}:${b.size}`),
        );
        const q = await runQemu(guest(name), args, {
          qemuArgs: ["-d", "in_asm,exec,nochain", "-D", `${dir}/q.log`],
          cwd: dir,
          env: ENV,
          clearEnv: true,
        });
        assert.equal(q!.code, 0);
        const theirs = qemuBlocks(Deno.readTextFileSync(`${dir}/q.log`));
        const missing = [...theirs].filter((b) => !ours.has(b));
        const extra = [...ours].filter((b) => !theirs.has(b));
        assert.deepEqual({ missing, extra }, { missing: [], extra: [] });
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    },
  });
}

const qemuPlugin = Deno.env.get("QEMU_DRCOV_PLUGIN");
if (!qemuPlugin) {
  console.log(
    "SKIP drcov vs QEMU's plugin: set QEMU_DRCOV_PLUGIN to QEMU 7.2's libdrcov.so (Debian's qemu-user does not ship contrib plugins)",
  );
}
for (const [name, args] of GUESTS) {
  Deno.test({
    name:
      `drcov's file has QEMU's drcov module table and block set for ${name}`,
    ignore: !qemuPlugin || !hasQemu(),
    async fn() {
      const dir = await Deno.makeTempDir({ prefix: "pandeno_drcov_" });
      try {
        const d = await pandenoDrcov(name, args, dir);
        const q = await runQemu(guest(name), args, {
          qemuArgs: ["-plugin", `${qemuPlugin},filename=${dir}/q.drcov`],
          cwd: dir,
          env: ENV,
          clearEnv: true,
        });
        assert.equal(q!.code, 0);
        const theirs = parseDrcov(Deno.readFileSync(`${dir}/q.drcov`));
        assert.deepEqual(d.modules, theirs.modules);
        const set = (x: typeof d) =>
          new Set(x.blocks.map((b) => `${b.start}:${b.size}:${b.module}`));
        assert.deepEqual(set(d), set(theirs));
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    },
  });
}
