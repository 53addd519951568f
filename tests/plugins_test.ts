/**
 * The in-tree plugins (`plugins/`): pure logic (the cache model, the howvec
 * class table, report formatting) and, once the runtime runs plugins,
 * end to end against qemu-riscv64's instruction counts.
 *
 * Run: deno test --allow-all --unstable-worker-options tests/plugins_test.ts
 *
 * @module
 */

import assert from "node:assert/strict";
import {
  RV64A,
  RV64D,
  RV64F,
  RV64I,
  RV64M,
  RVC,
  ZICSR,
} from "../core/isa/mod.ts";
import { PluginArgs } from "../runtime/sdk/plugin_args.ts";
import type {
  ExecEvent,
  PluginContext,
  SyscallEvent,
  SyscallReturnEvent,
  TbHandle,
} from "../runtime/sdk/mod.ts";
import {
  choice,
  fixed,
  hex,
  left,
  rejectUnknown,
  right,
  topBy,
} from "../plugins/_util.ts";
import { Cache, cacheConfigError } from "../plugins/_cache_model.ts";
import { classIndex, RISCV_CLASSES } from "../plugins/_insn_class.ts";
import insnPlugin from "../plugins/insn.ts";
import syscallPlugin from "../plugins/syscall.ts";
import { guest, hasQemu, qemuInsnCount, REPO, runPandeno } from "./_harness.ts";

// ---------------------------------------------------------------- cache model

/** A 1-set, `ways`-way cache of 64-byte blocks: every block maps to set 0. */
function oneSet(ways: number, policy: "lru" | "fifo" | "rand") {
  return new Cache({ blksize: 64, assoc: ways, cachesize: 64 * ways, policy });
}

/** Hit (true) or miss (false) for each block number accessed. */
function pattern(c: Cache, blocks: number[]): boolean[] {
  return blocks.map((b) => c.access(b * 64));
}

Deno.test("Cache: a second access to the same block hits, any byte of it", () => {
  const c = new Cache({ blksize: 64, assoc: 2, cachesize: 256 });
  assert.deepEqual([c.access(0x1000), c.access(0x1000), c.access(0x103f)], [
    false,
    true,
    true,
  ]);
  assert.equal(c.access(0x1040), false);
  assert.deepEqual([c.accesses, c.misses], [4, 2]);
});

Deno.test("Cache: LRU evicts the least recently used way", () => {
  // A, B fill; A touched again; C evicts B (LRU), so A hits and B misses.
  assert.deepEqual(pattern(oneSet(2, "lru"), [1, 2, 1, 3, 1, 2]), [
    false,
    false,
    true,
    false,
    true,
    false,
  ]);
});

Deno.test("Cache: FIFO evicts the oldest fill, however recently used", () => {
  // Same sequence: C evicts A (first in) although A was just used.
  assert.deepEqual(pattern(oneSet(2, "fifo"), [1, 2, 1, 3, 1, 2]), [
    false,
    false,
    true,
    false,
    false,
    false,
  ]);
});

Deno.test("Cache: a cyclic sweep one block larger than the set always misses under LRU", () => {
  const c = oneSet(4, "lru");
  const sweep = [0, 1, 2, 3, 4];
  pattern(c, sweep);
  assert.deepEqual(pattern(c, sweep), sweep.map(() => false));
});

Deno.test("Cache: sets are independent (block number modulo sets)", () => {
  // 4 sets, direct-mapped: blocks 0 and 4 conflict, 0 and 1 do not.
  const c = new Cache({ blksize: 64, assoc: 1, cachesize: 256 });
  assert.deepEqual(pattern(c, [0, 1, 0, 1, 4, 0, 1]), [
    false,
    false,
    true,
    true,
    false,
    false,
    true,
  ]);
});

Deno.test("Cache: addresses above 4 GiB keep distinct tags", () => {
  const c = new Cache({ blksize: 64, assoc: 1, cachesize: 64 });
  assert.equal(c.access(0x40_0080_0000), false);
  assert.equal(c.access(0x80_0080_0000), false); // same set, other tag
  assert.equal(c.access(0x80_0080_0008), true);
});

Deno.test("Cache: random eviction is repeatable and stays within the set", () => {
  const run = () => pattern(oneSet(4, "rand"), [0, 1, 2, 3, 4, 5, 0, 1, 2, 3]);
  const a = run();
  assert.deepEqual(a, run());
  assert.deepEqual(a.slice(0, 6), [false, false, false, false, false, false]);
});

Deno.test("Cache: impossible geometries are refused with QEMU's reasons", () => {
  assert.equal(cacheConfigError(64, 8, 16384), undefined);
  assert.equal(
    cacheConfigError(64, 8, 1000),
    "cache size must be divisible by block size",
  );
  assert.equal(
    cacheConfigError(64, 3, 64 * 4),
    "cache size must be divisible by set size (assoc * block size)",
  );
  assert.throws(
    () => new Cache({ blksize: 48, assoc: 1, cachesize: 96 }),
    RangeError,
  );
});

// ------------------------------------------------------------ howvec classes

Deno.test("howvec classes: every RV64GC mnemonic of core/isa has a class", () => {
  const unclassified = RISCV_CLASSES.length - 1;
  for (const table of [RV64I, RV64M, RV64A, RV64F, RV64D, ZICSR]) {
    for (const spec of table) {
      assert.notEqual(
        classIndex(spec.name),
        unclassified,
        `${spec.name} (${spec.ext}) is unclassified`,
      );
    }
  }
});

Deno.test("howvec classes: no mnemonic is in two classes, and none is unknown to core/isa", () => {
  const known = new Set(
    [RV64I, RV64M, RV64A, RV64F, RV64D, ZICSR].flatMap((t) =>
      t.map((s) => s.name as string)
    ),
  );
  // Privileged instructions a user-mode decoder need not know.
  const privileged = new Set(["wfi", "mret", "sret", "sfence.vma"]);
  const seen = new Set<string>();
  for (const c of RISCV_CLASSES) {
    for (const m of c.mnemonics) {
      assert.ok(!seen.has(m), `${m} listed twice`);
      seen.add(m);
      assert.ok(known.has(m) || privileged.has(m), `${m} is not in core/isa`);
    }
  }
  assert.equal(RVC.length > 0, true);
});

Deno.test("howvec classes: representative instructions land where expected", () => {
  const name = (m: string) => RISCV_CLASSES[classIndex(m)].name;
  assert.equal(name("ld"), "Loads");
  assert.equal(name("sd"), "Stores");
  assert.equal(name("bgeu"), "Branches");
  assert.equal(name("jalr"), "Jumps");
  assert.equal(name("lui"), "ALU (imm)");
  assert.equal(name("sraw"), "ALU (reg)");
  assert.equal(name("remuw"), "Mul/Div");
  assert.equal(name("sc.d"), "Atomics");
  assert.equal(name("fld"), "FP Load/Store");
  assert.equal(name("fcvt.d.lu"), "FP Arith");
  assert.equal(name("csrrs"), "CSR");
  assert.equal(name("ecall"), "System");
  assert.equal(name("no.such"), "Unclassified");
});

// ------------------------------------------------------------------ helpers

Deno.test("formatting helpers match printf's %-Nd, %Nd, %016x and %9.4f", () => {
  assert.equal(left(214, 13) + left(5, 6) + " " + 0, "214          5      0");
  assert.equal(right(7, 3), "  7");
  assert.equal(`0x${hex(0x1c046, 16)}`, "0x000000000001c046");
  assert.equal(`0x${hex(0x40_0080_0e40, 8)}`, "0x4000800e40");
  assert.equal(fixed(100 * 151 / 2625, 9, 4), "   5.7524");
});

Deno.test("topBy sorts descending, keeps ties in order and honours the limit", () => {
  const rows = [{ k: "a", n: 1 }, { k: "b", n: 3 }, { k: "c", n: 1 }, {
    k: "d",
    n: 3,
  }];
  assert.deepEqual(topBy(rows, (r) => r.n).map((r) => r.k), [
    "b",
    "d",
    "a",
    "c",
  ]);
  assert.deepEqual(topBy(rows, (r) => r.n, 1).map((r) => r.k), ["b"]);
});

Deno.test("rejectUnknown and choice name the plugin and the argument", () => {
  const args = new PluginArgs("mem", [["inline", "on"], ["trak", "r"]]);
  assert.throws(
    () => rejectUnknown("mem", args, ["inline", "track"]),
    (e: unknown) =>
      e instanceof TypeError && /plugin "mem".*"trak"/.test(e.message),
  );
  const bad = new PluginArgs("cache", [["evict", "mru"]]);
  assert.throws(
    () => choice("cache", bad, "evict", ["lru", "fifo", "rand"], "lru"),
    (e: unknown) =>
      e instanceof TypeError && /plugin "cache".*evict=mru/.test(e.message),
  );
});

// ------------------------------------------- a plugin against a fake context

/** A context that records registrations; what `syscall` and `insn` use works. */
function fakeContext(name: string, args: PluginArgs) {
  const log: string[] = [];
  const on: {
    syscall?: (e: SyscallEvent) => void;
    ret?: (e: SyscallReturnEvent) => void;
    tb?: (tb: TbHandle) => void;
    exit: (() => void)[];
  } = { exit: [] };
  const unsupported = () => {
    throw new Error("not supported by the fake context");
  };
  const ctx = new Proxy({
    name,
    args,
    apiVersion: "1.0.0",
    vcpus: 1,
    log: (t: string) => log.push(t),
    report: (_value: unknown) => {},
    onSyscall: (cb: (e: SyscallEvent) => void) => on.syscall = cb,
    onSyscallReturn: (cb: (e: SyscallReturnEvent) => void) => on.ret = cb,
    onAtExit: (cb: () => void) => on.exit.push(cb),
    onTbTrans: (cb: (tb: TbHandle) => void) => on.tb = cb,
  }, {
    get: (t, p) => p in t ? t[p as keyof typeof t] : unsupported,
  }) as unknown as PluginContext;
  const call = (num: number, ret: bigint) => {
    const e = {
      vcpu: 0,
      num,
      name: `syscall_${num}`,
      args: [],
      pc: 0,
      icount: 0,
    };
    on.syscall?.(e);
    on.ret?.({ ...e, ret });
  };
  /** Translates a block of 4-byte instructions at `pcs`, then runs it. */
  const block = (pcs: number[]) => {
    const cbs = pcs.map(() => [] as ((e: ExecEvent) => void)[]);
    const insns = pcs.map((pc, k) => ({
      vaddr: pc,
      size: 4,
      onExec: (cb: (e: ExecEvent) => void) => cbs[k].push(cb),
    }));
    on.tb?.({ vaddr: pcs[0], insns } as unknown as TbHandle);
    pcs.forEach((pc, k) => {
      for (const cb of cbs[k]) {
        cb({ vcpu: 0, pc, icount: 0, reg: unsupported } as ExecEvent);
      }
    });
  };
  return { ctx, log, call, block, exit: () => on.exit.forEach((f) => f()) };
}

Deno.test("insn plugin counts per-instruction events and reports a repeat execution", async () => {
  const args = new PluginArgs("insn");
  const f = fakeContext("insn", args);
  await insnPlugin.install(f.ctx, args);
  f.block([0x100, 0x104]);
  f.block([0x108]);
  f.block([0x108]); // ran twice in a row: what 7.2's check reports
  f.block([0x100, 0x104]);
  f.exit();
  assert.equal(
    f.log.join(""),
    "detected repeat execution @ 0x108\ncpu 0 insns: 6\ntotal insns: 6\n",
  );
});

Deno.test("insn plugin reports no repeat when none happened", async () => {
  const args = new PluginArgs("insn");
  const f = fakeContext("insn", args);
  await insnPlugin.install(f.ctx, args);
  f.block([0x100, 0x104]);
  f.block([0x100, 0x104]);
  f.exit();
  assert.equal(f.log.join(""), "cpu 0 insns: 4\ntotal insns: 4\n");
});

Deno.test("syscall plugin prints QEMU's table, most called first", async () => {
  const args = new PluginArgs("syscall");
  const f = fakeContext("syscall", args);
  await syscallPlugin.install(f.ctx, args);
  f.call(64, 19n);
  f.call(214, 0x71000n);
  f.call(99, -2n);
  f.call(214, 0x92000n);
  f.exit();
  assert.equal(
    f.log.join(""),
    "syscall no.  calls  errors\n" +
      "214          2      0\n" +
      "64           1      0\n" +
      "99           1      1\n",
  );
});

Deno.test("syscall plugin with print=on prints each call and return", async () => {
  const args = new PluginArgs("syscall", [["print", "on"]]);
  const f = fakeContext("syscall", args);
  await syscallPlugin.install(f.ctx, args);
  f.call(99, -2n);
  f.exit();
  assert.equal(f.log.join(""), "syscall #99\nsyscall #99 returned -> -2\n");
});

// ------------------------------------------------------------- end to end

/** Whether this build's CLI loads plugins. */
async function runtimeHasPlugins(): Promise<boolean> {
  try {
    const r = await runPandeno(["--help"]);
    return (r.stderr + new TextDecoder().decode(r.stdout)).includes(
      "--plugin",
    );
  } catch {
    return false;
  }
}

const WIRED = await runtimeHasPlugins();
if (!WIRED) console.warn("SKIP plugin end-to-end: runtime not wired yet");
const QEMU_OK = hasQemu();

/** The one variable both emulators give the guest (as in insn_count_test.ts). */
const GUEST_ENV = { PANDENO_INSN_COUNT: "1" };

/** Pandeno options giving the guest exactly GUEST_ENV. */
function envOptions(): string[] {
  const opts: string[] = [];
  for (const k of Object.keys(Deno.env.toObject()).sort()) {
    if (!(k in GUEST_ENV)) opts.push("-U", k);
  }
  for (const [k, v] of Object.entries(GUEST_ENV)) opts.push("-E", `${k}=${v}`);
  return opts;
}

/** Runs `guest` under Pandeno with `plugins` (each a `--plugin` spec). */
function withPlugins(name: string, plugins: string[]) {
  return runPandeno(
    [...plugins.flatMap((p) => ["--plugin", p]), ...envOptions(), guest(name)],
    { cwd: REPO },
  );
}

/** The count in `insns: N` (inline) or `total insns: N` (callback), QEMU 7.2's formats. */
function insnsLine(stderr: string): number | undefined {
  const m = /^(?:total )?insns: (\d+)$/m.exec(stderr);
  return m ? Number(m[1]) : undefined;
}

for (const name of ["hello", "arith", "strings"]) {
  for (const spec of ["insn", "insn,inline=on"]) {
    Deno.test({
      name: `--plugin ${spec} on ${name} prints qemu's instruction count`,
      ignore: !WIRED || !QEMU_OK,
      async fn() {
        const [want, got] = await Promise.all([
          qemuInsnCount(guest(name), [], { clearEnv: true, env: GUEST_ENV }),
          withPlugins(name, [spec]),
        ]);
        assert.equal(got.code, 0, got.stderr);
        assert.equal(insnsLine(got.stderr), want, got.stderr);
      },
    });
  }
  Deno.test({
    name: `plugins leave ${name}'s stdout and exit status unchanged`,
    ignore: !WIRED,
    async fn() {
      const plain = await withPlugins(name, []);
      const instrumented = await withPlugins(name, [
        "insn",
        "bb,inline=on",
        "mem,callback=on",
      ]);
      assert.equal(instrumented.code, plain.code, instrumented.stderr);
      assert.deepEqual(instrumented.stdout, plain.stdout);
    },
  });
}

Deno.test({
  name: "insn, bb and mem agree with each other on hello",
  ignore: !WIRED,
  async fn() {
    const r = await withPlugins("hello", [
      "insn,inline=on",
      "bb",
      "mem,inline=on,callback=on",
    ]);
    assert.equal(r.code, 0, r.stderr);
    const insns = insnsLine(r.stderr);
    const bb = /^bb's: (\d+), insns: (\d+)$/m.exec(r.stderr);
    assert.ok(bb, r.stderr);
    assert.equal(Number(bb[2]), insns);
    const inl = /^inline mem accesses: (\d+)$/m.exec(r.stderr);
    const cb = /^callback mem accesses: (\d+)$/m.exec(r.stderr);
    assert.ok(inl && cb, r.stderr);
    assert.equal(inl[1], cb[1]);
  },
});

/** Each in-tree plugin on hello: the first line of its report. */
const HEADERS: Record<string, RegExp> = {
  empty: /^/,
  "insn,sizes=on": /^len 2 bytes: \d+ insns$/m,
  syscall: /^syscall no\. {2}calls {2}errors\n214 {10}5 {6}0$/m,
  hotblocks:
    /^collected \d+ entries in the hash table\npc, tcount, icount, ecount\n0x[0-9a-f]{16}, \d+, \d+, \d+$/m,
  hotpages:
    /^Addr, RCPUs, Reads, WCPUs, Writes\n0x[0-9a-f]{16}, 0x0001, \d+, 0x000[01], \d+$/m,
  howvec: /^Instruction Classes:\nClass: Loads {19}\t\(\d+ hits\)$/m,
  "execlog,ifilter=ecall": /^0, 0x[0-9a-f]+, 0x73, "ecall"$/m,
  cache:
    /^core #, data accesses, data misses, dmiss rate, insn accesses, insn misses, imiss rate\n0 {7}\d+ +\d+ +\d+\.\d{4}% {2}\d+ +\d+ +\d+\.\d{4}%\n\naddress, data misses, instruction\n/m,
};

for (const [spec, header] of Object.entries(HEADERS)) {
  Deno.test({
    name: `--plugin ${spec} runs hello and prints its report`,
    ignore: !WIRED,
    async fn() {
      const r = await withPlugins("hello", [spec]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, header);
    },
  });
}

Deno.test({
  name:
    "an unknown plugin argument is refused with the plugin and argument named",
  ignore: !WIRED,
  async fn() {
    const r = await withPlugins("hello", ["insn,inlin=on"]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /plugin "insn".*"inlin"/);
  },
});

for (const name of ["hello", "segv", "signals"]) {
  Deno.test({
    name:
      `batched per-instruction events carry the pcs and counts sync ones do (${name})`,
    ignore: !WIRED,
    async fn() {
      const plugin = new URL("./plugins/pc_trace.ts", import.meta.url).pathname;
      // Per-instruction closures, one shared function (the drain's fast
      // path), and exact host calls.
      const [batched, shared, sync] = await Promise.all(
        ["mode=batched", "mode=batched,one=on", "mode=sync"].map((args) =>
          withPlugins(name, [`${plugin},${args}`])
        ),
      );
      const line = (s: string) => /^pc_trace: \d+ \d+$/m.exec(s)?.[0];
      assert.ok(line(batched.stderr), batched.stderr);
      assert.equal(line(batched.stderr), line(sync.stderr));
      assert.equal(line(shared.stderr), line(sync.stderr));
      assert.equal(batched.code, sync.code);
      assert.equal(shared.code, sync.code);
    },
  });
}

Deno.test({
  name:
    "a drain that logs more than a channel message holds delivers all of it",
  ignore: !WIRED,
  async fn() {
    const plugin = new URL("./plugins/chatty.ts", import.meta.url).pathname;
    const log = await Deno.makeTempFile({ suffix: ".log" });
    try {
      // ~22.6 K events of 400 bytes: ~9 MB, past the 4 MiB channel.
      const r = await runPandeno(
        ["-D", log, "--plugin", `${plugin},bytes=400`, guest("hello")],
        { cwd: REPO },
      );
      assert.equal(r.code, 0, r.stderr);
      assert.doesNotMatch(r.stderr, /unloaded/);
      assert.match(new TextDecoder().decode(r.stdout), /hello/i);
      const text = await Deno.readTextFile(log);
      const n = Number(/^chatty: (\d+) events$/m.exec(text)?.[1]);
      assert.ok(n > 20_000, `events: ${n}`);
      assert.equal(text.split("\n").filter((l) => l.length === 399).length, n);
    } finally {
      await Deno.remove(log);
    }
  },
});

Deno.test({
  name:
    "a slow but advancing drain is not unloaded; a callback that never returns is",
  ignore: !WIRED,
  async fn() {
    const plugin = new URL("./plugins/chatty.ts", import.meta.url).pathname;
    // 30 us per event: the final drain takes ~0.7 s, past a 300 ms timeout.
    const [slow, stuck] = await Promise.all([
      `${plugin},bytes=1,spin=30`,
      `${plugin},bytes=1,hang=10000`,
    ].map((spec) =>
      runPandeno(
        ["--plugin-timeout", "300", "--plugin", spec, guest("hello")],
        { cwd: REPO },
      )
    ));
    assert.equal(slow.code, 0, slow.stderr);
    assert.doesNotMatch(slow.stderr, /unloaded/);
    assert.match(slow.stderr, /^chatty: \d{5} events$/m);
    assert.equal(stuck.code, 0, stuck.stderr);
    assert.match(stuck.stderr, /plugin "chatty" unloaded: .*300 ms/);
    assert.equal(
      new TextDecoder().decode(stuck.stdout),
      new TextDecoder().decode(slow.stdout),
    );
  },
});

// Sync calls for every access: hello only (~2.6 K accesses), to stay quick.
Deno.test({
  name: "batched memory events carry the fields sync ones do",
  ignore: !WIRED,
  async fn() {
    const plugin = new URL("./plugins/mem_trace.ts", import.meta.url).pathname;
    const r = await withPlugins("hello", [plugin]);
    assert.equal(r.code, 0, r.stderr);
    const m = /^mem_trace: ((\d+) (\d+) (\d+) \d+) \/ (.*)$/m.exec(r.stderr);
    assert.ok(m, r.stderr);
    // Loads, stores and sign-extending loads all occur.
    assert.ok(+m[3] > 0 && +m[4] > 0 && +m[2] > +m[3], m[0]);
    assert.equal(m[1], m[5]);
  },
});
