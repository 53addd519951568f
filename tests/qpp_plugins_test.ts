/**
 * The QPP showcase plugins (`syscalls`, `strace`, `files`, `callstack`,
 * `cache_by_function`): their pure logic (strace rendering, jump
 * classification, the stack machine, the icount merge) and, end to end,
 * against `qemu-riscv64 -strace` and the `cache` plugin.
 *
 * Run: deno test --allow-all --unstable-worker-options tests/qpp_plugins_test.ts
 *
 * @module
 */

import assert from "node:assert/strict";
import {
  errnoName,
  errnoText,
  openFlags,
  quote,
  quoteLimited,
  signalName,
} from "../plugins/_strace_format.ts";
import { SYSCALLS } from "../plugins/_riscv_syscalls.ts";
import {
  decodeEntry,
  decodeReturn,
  type GuestMemory,
  straceLine,
} from "../plugins/_syscall_decode.ts";
import {
  changesStack,
  classify,
  type JumpFacts,
  target,
} from "../plugins/_riscv_control.ts";
import { decode } from "../core/isa/decode.ts";
import { insnFacts } from "../core/isa/insn_facts.ts";
import { CallStack, Symbolizer } from "../plugins/_call_stack.ts";
import { Attribution } from "../plugins/_attribution.ts";
import { FdTracker, track } from "../plugins/files.ts";
import { guest, hasQemu, runPandeno, runQemu, tempDir } from "./_harness.ts";

const enc = new TextEncoder();
const u64 = (v: bigint) => BigInt.asUintN(64, v);

/** Guest memory holding `strings` at 0x1000, 0x2000, ...; `bytes` at 0x9000. */
function fakeMemory(strings: string[], bytes = new Uint8Array(0)): GuestMemory {
  return {
    readCString(addr) {
      const s = strings[addr / 0x1000 - 1];
      if (s === undefined) throw new RangeError("unmapped");
      return s;
    },
    readMemory(addr, len) {
      if (addr < 0x9000 || addr + len > 0x9000 + bytes.length) {
        throw new RangeError("unmapped");
      }
      return bytes.slice(addr - 0x9000, addr - 0x9000 + len);
    },
  };
}

// ------------------------------------------------------------ strace format

Deno.test("quote() escapes like strace: C escapes, quotes, minimal octal", () => {
  assert.equal(
    quote(enc.encode('a"b\\c\t\n\r\v\f'), false),
    '"a\\"b\\\\c\\t\\n\\r\\v\\f"',
  );
  assert.equal(quote(new Uint8Array([0, 0x1b, 0xff]), false), '"\\0\\33\\377"');
  // Three digits when an octal digit follows, so the reader cannot misparse.
  assert.equal(
    quote(new Uint8Array([0, 0x31, 1, 0x38]), false),
    '"\\0001\\18"',
  );
  assert.equal(
    quoteLimited(enc.encode("x".repeat(40))),
    `"${"x".repeat(32)}"...`,
  );
  assert.equal(quoteLimited(enc.encode("x".repeat(32))), `"${"x".repeat(32)}"`);
});

Deno.test("openFlags() puts the access mode first, then the flags", () => {
  assert.equal(openFlags(0), "O_RDONLY");
  assert.equal(openFlags(0o1102), "O_RDWR|O_CREAT|O_TRUNC");
  assert.equal(
    openFlags(0o2204000),
    "O_RDONLY|O_NONBLOCK|O_DIRECTORY|O_CLOEXEC",
  );
});

Deno.test("errno and signal names follow strace", () => {
  assert.equal(errnoName(2), "ENOENT");
  assert.equal(errnoText(38), "-1 ENOSYS (Function not implemented)");
  assert.equal(errnoText(4095), "-1 E4095 (Unknown error 4095)");
  assert.deepEqual([signalName(11), signalName(0), signalName(33)], [
    "SIGSEGV",
    "0",
    "SIGRT_1",
  ]);
});

Deno.test("the syscall table covers what the test guests call", () => {
  const names = new Set([...SYSCALLS.values()].map((s) => s.name));
  for (
    const n
      of "read write openat close lseek fstat newfstatat statx getdents64 readlinkat faccessat mkdirat unlinkat renameat2 ftruncate getcwd chdir fcntl dup dup3 pipe2 ioctl brk mmap munmap mprotect mremap madvise clock_gettime gettimeofday nanosleep clock_nanosleep getrandom uname getpid gettid set_tid_address set_robust_list prlimit64 rt_sigaction rt_sigprocmask sigaltstack rt_sigreturn kill tgkill exit exit_group sched_yield"
        .split(" ")
  ) assert.ok(names.has(n), n);
  assert.equal(SYSCALLS.get(56)?.name, "openat"); // asm-generic/unistd.h
  assert.equal(SYSCALLS.get(222)?.name, "mmap");
});

Deno.test("decodeEntry/decodeReturn render openat, write, mmap and errors as strace", () => {
  const mem = fakeMemory(["/etc/passwd"]);
  const open = decodeEntry(
    56,
    [u64(-100n), 0x1000n, 0n, 0o644n, 0n, 0n],
    0,
    0,
    mem,
  );
  assert.equal(open.args[1].str, "/etc/passwd");
  assert.equal(
    straceLine(decodeReturn(open, -2n, mem)),
    'openat(AT_FDCWD, "/etc/passwd", O_RDONLY) = -1 ENOENT (No such file or directory)',
  );
  const creat = decodeEntry(56, [3n, 0x1000n, 0o1101n, 0o644n], 0, 0, mem);
  assert.equal(
    straceLine(decodeReturn(creat, 4n)),
    'openat(3, "/etc/passwd", O_WRONLY|O_CREAT|O_TRUNC, 0644) = 4',
  );
  const hello = enc.encode("Hello from RISC-V!\n");
  const write = decodeEntry(
    64,
    [1n, 0x9000n, 19n],
    0,
    0,
    fakeMemory([], hello),
  );
  assert.equal(
    straceLine(decodeReturn(write, 19n)),
    'write(1, "Hello from RISC-V!\\n", 19) = 19',
  );
  const mmap = decodeEntry(222, [0n, 8192n, 3n, 0x22n, u64(-1n), 0n], 0, 0);
  assert.equal(
    straceLine(decodeReturn(mmap, 0x4000001000n)),
    "mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x4000001000",
  );
  assert.equal(straceLine(decodeEntry(94, [0n], 0, 0)), "exit_group(0) = ?");
});

Deno.test("decodeReturn reads output buffers at return, at most 32 bytes", () => {
  const data = enc.encode("0123456789abcdefghijklmnopqrstuvwxyz");
  const mem = fakeMemory([], data);
  const read = decodeEntry(63, [3n, 0x9000n, 64n], 0, 0, mem);
  assert.equal(
    read.args[1].text,
    "0x9000",
    "an output shows as a pointer at entry",
  );
  const r = decodeReturn(read, 36n, mem);
  assert.equal(r.args[1].text, '"0123456789abcdefghijklmnopqrstuv"...');
  assert.equal(r.args[1].bytes?.length, 32);
  assert.equal(read.args[1].text, "0x9000", "the entry is not modified");
  assert.equal(decodeReturn(read, -9n, mem).args[1].text, "0x9000");
  // struct stat: st_mode at 16, st_size at 48 (asm-generic/stat.h)
  const st = new Uint8Array(128);
  new DataView(st.buffer).setUint32(16, 0o100644, true);
  new DataView(st.buffer).setBigInt64(48, 5000n, true);
  const fstat = decodeEntry(80, [3n, 0x9000n], 0, 0);
  assert.equal(
    straceLine(decodeReturn(fstat, 0n, fakeMemory([], st))),
    "fstat(3, {st_mode=S_IFREG|0644, st_size=5000, ...}) = 0",
  );
});

Deno.test("files' FdTracker follows openat, dup3, close and counts bytes", () => {
  const t = new FdTracker();
  const mem = fakeMemory(["dir", "a.txt"]);
  const ret = (num: number, args: bigint[], r: bigint) =>
    track(t, decodeReturn(decodeEntry(num, args, 0, 0, mem), r, mem));
  assert.equal(ret(56, [u64(-100n), 0x1000n, 0o200000n], 3n)?.path, "dir");
  assert.deepEqual(ret(56, [3n, 0x2000n, 1n], 4n), {
    fd: 4,
    path: "dir/a.txt",
    flags: 1,
    flagsText: "O_WRONLY",
  });
  ret(24, [4n, 9n, 0n], 9n); // dup3(4, 9, 0)
  ret(57, [4n], 0n);
  ret(64, [9n, 0n, 10n], 10n);
  assert.equal(t.path(9), "dir/a.txt");
  assert.equal(t.path(4), undefined);
  assert.equal(t.stats().find((s) => s.path === "dir/a.txt")?.written, 10);
  assert.equal(t.path(1), "<stdout>");
});

// ------------------------------------------------------- jump classification

/** The core's facts of an instruction word (an illegal one: no jump). */
const facts = (w: number, size: 2 | 4): JumpFacts => {
  const d = decode(w);
  return d
    ? insnFacts(d, 0)
    : { mnemonic: "(illegal)", flow: "none", size, operands: [] };
};
/** The facts of a 32-bit instruction word. */
const word = (w: number) => facts(w, 4);
/** The facts of a 16-bit instruction. */
const half = (h: number) => facts(h, 2);

Deno.test("classify() tells calls, returns and jumps by the link-register rule", () => {
  const k = (b: JumpFacts) => classify(b)?.kind;
  assert.equal(k(word(0x008000ef)), "call"); // jal ra, +8
  assert.equal(k(word(0x008002ef)), "call"); // jal t0, +8
  assert.equal(k(word(0x0080006f)), "jump"); // j +8 (jal x0)
  assert.equal(k(word(0x000780e7)), "call"); // jalr ra, 0(a5)
  assert.equal(k(word(0x00008067)), "return"); // ret (jalr x0, 0(ra))
  assert.equal(k(word(0x00028067)), "return"); // jr t0 (jalr x0, 0(t0))
  assert.equal(k(word(0x00078067)), "jump"); // jr a5
  assert.equal(k(word(0x000080e7)), "call"); // jalr ra, 0(ra)
  assert.equal(k(half(0x8082)), "return"); // c.jr ra (ret)
  assert.equal(k(half(0x8782)), "jump"); // c.jr a5
  assert.equal(k(half(0x9782)), "call"); // c.jalr a5
  assert.equal(k(half(0xa001)), "jump"); // c.j +0
  assert.equal(classify(half(0x2005)), undefined); // c.addiw x0.. (RV64 has no c.jal)
  assert.equal(classify(half(0x9002)), undefined); // c.ebreak
  assert.equal(classify(half(0x853e)), undefined); // c.mv a0, a5
  assert.equal(classify(word(0x00000013)), undefined); // nop
  assert.equal(classify(word(0x00001067)), undefined); // funct3 != 0: not jalr
});

Deno.test("target() decodes jal/c.j offsets and jalr's rs1 + imm", () => {
  const t = (b: JumpFacts, pc: number, rs1 = 0n) =>
    target(classify(b)!, pc, rs1);
  assert.equal(t(word(0x008000ef), 0x1000), 0x1008); // jal ra, +8
  assert.equal(t(word(0xff9ff06f), 0x1000), 0x0ff8); // j -8
  assert.equal(t(word(0x800000ef), 0x200000), 0x100000); // jal ra, -1 MiB
  assert.equal(t(word(0x010780e7), 0, 0x5001n), 0x5010); // jalr ra, 16(a5), bit 0 cleared
  assert.equal(t(word(0xff078067), 0, 0x5000n), 0x4ff0); // jr -16(a5)
  assert.equal(t(half(0xbfe5), 0x1000), 0x0ff8); // c.j -8
  assert.equal(t(half(0xa801), 0x1000), 0x1010); // c.j +16
  assert.equal(classify(half(0xa801))!.size, 2);
});

Deno.test("changesStack(): jumps count only when they land on a function entry", () => {
  const entries = new Set([0x2000]);
  const j = classify(word(0x0080006f))!;
  assert.equal(changesStack(j, 0x2000, entries), true);
  assert.equal(changesStack(j, 0x2008, entries), false);
  assert.equal(changesStack(classify(half(0x8082))!, 0x1234, entries), true);
});

// ------------------------------------------------------------ stack machine

const SYMS = new Symbolizer([
  { name: "main", addr: 0x1000, size: 0x100 },
  { name: "f", addr: 0x2000, size: 0x100 },
  { name: "g", addr: 0x3000, size: 0x100 },
  { name: "h", addr: 0x4000, size: 0x100 },
  { name: "longjmp", addr: 0x5000, size: 0x100 },
]);
const fns = (s: CallStack) => s.frames().map((f) => f.fn).join(" < ");

Deno.test("CallStack: calls push, returns pop to the caller", () => {
  const s = new CallStack(SYMS);
  s.call(0x1010, 0x2000, 0x1014);
  s.call(0x2010, 0x3000, 0x2012);
  assert.equal(fns(s), "g < f < main");
  assert.deepEqual(s.ret(0x3020, 0x2012), { popped: 1, how: "return" });
  assert.deepEqual(s.ret(0x2020, 0x1014), { popped: 1, how: "return" });
  assert.equal(fns(s), "main");
  assert.equal(s.maxDepth, 2);
  assert.deepEqual(s.ret(0x1020, 0x9999), { popped: 0, how: "unmatched" });
  assert.equal(s.depth(), 0, "the root frame is never popped");
});

Deno.test("CallStack: a tail call replaces the top frame and returns to its caller", () => {
  const s = new CallStack(SYMS);
  s.call(0x1010, 0x2000, 0x1014); // main -> f
  s.tail(0x2040, 0x3000); // f: tail g
  assert.equal(fns(s), "g < main");
  s.ret(0x3010, 0x1014); // g returns where f would have
  assert.equal(fns(s), "main");
});

Deno.test("CallStack: a return to an older frame's address unwinds to it", () => {
  const s = new CallStack(SYMS);
  s.call(0x1010, 0x2000, 0x1014); // main -> f
  s.call(0x2010, 0x3000, 0x2014); // f -> g
  s.call(0x3010, 0x4000, 0x3014); // g -> h
  assert.deepEqual(s.ret(0x4010, 0x2014), { popped: 2, how: "unwind" });
  assert.equal(fns(s), "f < main");
});

Deno.test("CallStack: longjmp lands inside an older function and unwinds to it", () => {
  const s = new CallStack(SYMS);
  s.call(0x1010, 0x2000, 0x1014); // main -> f (f called setjmp earlier)
  s.call(0x2020, 0x3000, 0x2024); // f -> g
  s.call(0x3010, 0x5000, 0x3014); // g -> longjmp
  // longjmp's `ret` goes to just after f's call to setjmp: 0x2008.
  assert.deepEqual(s.ret(0x5040, 0x2008), { popped: 2, how: "unwind" });
  assert.equal(fns(s), "f < main");
});

Deno.test("CallStack: depth stays bounded under unbounded recursion", () => {
  const s = new CallStack(SYMS, 8);
  for (let i = 0; i < 100; i++) s.call(0x2010, 0x2000, 0x2014);
  assert.equal(s.depth(), 8);
  assert.equal(s.dropped, 92);
  assert.equal(s.frames().at(-1)?.fn, "f", "the root is kept");
});

// ----------------------------------------------------------- icount merge

Deno.test("Attribution: accesses before an event go to the caller, after it to the callee, whichever stream comes first", () => {
  const run = (eventsFirst: boolean) => {
    const a = new Attribution();
    const events = () => {
      a.event(2, "main", "f"); // call at icount 2
      a.event(5, "f", "main"); // return at icount 5
    };
    if (eventsFirst) events();
    a.fetch(true); // 0 main
    a.data(false);
    a.fetch(true); // 1 main
    a.fetch(false); // 2 main: the call
    a.boundary(2);
    a.fetch(true); // 3 f
    a.data(true);
    a.fetch(false); // 4 f
    a.fetch(true); // 5 f: the return
    a.boundary(5);
    a.fetch(true); // 6 main
    if (!eventsFirst) events();
    return Object.fromEntries(
      a.finish().map((
        c,
      ) => [c.fn, [c.dAccesses, c.dMisses, c.iAccesses, c.iMisses]]),
    );
  };
  // [data accesses, data misses, fetches, fetch misses]; the argument is `hit`.
  const want = { main: [1, 1, 4, 1], f: [1, 0, 3, 1] };
  assert.deepEqual(run(true), want);
  assert.deepEqual(run(false), want);
});

Deno.test("Attribution: holds only the buckets between the two streams", () => {
  const a = new Attribution();
  for (let i = 0; i < 10_000; i++) {
    a.fetch(true);
    a.boundary(i);
    a.event(i, i % 2 ? "f" : "main", i % 2 ? "main" : "f");
  }
  assert.equal(a.peakPending, 1);
  const total = a.finish().reduce((n, c) => n + c.iAccesses, 0);
  assert.equal(total, 10_000);
});

// -------------------------------------------------------------- end to end

let qppWorks: boolean | undefined;

/** Whether this build runs QPP plugins (the strace plugin on hello). */
async function qppReady(): Promise<boolean> {
  if (qppWorks === undefined) {
    const r = await runPandeno(["--plugin", "strace", guest("hello")]);
    qppWorks = r.code === 0 && /exit_group\(0\) = \?/.test(r.stderr);
    if (!qppWorks) {
      console.warn(
        `SKIP QPP plugin tests: strace did not run: ${r.stderr.slice(0, 300)}`,
      );
    }
  }
  return qppWorks;
}

/** Syscall names from strace-style lines (`name(` at line start, after an optional pid). */
function names(text: string): string[] {
  return [...text.matchAll(/^(?:\d+ )?([a-z_][a-z0-9_]*)\(/gm)].map((m) =>
    m[1]
  );
}

for (const g of ["hello", "files", "strings"]) {
  Deno.test(`strace prints the system calls qemu-riscv64 -strace prints, in order: ${g}`, async () => {
    if (!await qppReady()) return;
    if (!hasQemu()) {
      console.warn("SKIP strace vs qemu: qemu-riscv64 is not installed");
      return;
    }
    const [dir, cleanup] = tempDir(`strace_${g}`);
    try {
      const ours = await runPandeno(["--plugin", "strace", guest(g)], {
        cwd: dir,
      });
      const theirs =
        (await runQemu(guest(g), [], { cwd: dir, qemuArgs: ["-strace"] }))!;
      assert.equal(ours.code, theirs.code, ours.stderr);
      assert.deepEqual(ours.stdout, theirs.stdout);
      const want = names(theirs.stderr);
      assert.ok(want.length > 10);
      assert.deepEqual(names(ours.stderr), want);
    } finally {
      cleanup();
    }
  });
}

Deno.test("strace renders hello's calls as strace does", async () => {
  if (!await qppReady()) return;
  const r = await runPandeno(["--plugin", "strace", guest("hello")]);
  assert.match(r.stderr, /^write\(1, "Hello from RISC-V!\\n", 19\) = 19$/m);
  assert.match(r.stderr, /^brk\(NULL\) = 0x[0-9a-f]+$/m);
  assert.match(
    r.stderr,
    /^readlinkat\(AT_FDCWD, "\/proc\/self\/exe", ".*"\.\.\., 4096\) = \d+$/m,
  );
  assert.match(r.stderr, /^exit_group\(0\) = \?$/m);
});

Deno.test("plugins given in reverse dependency order load and work", async () => {
  if (!await qppReady()) return;
  const r = await runPandeno([
    "--plugin",
    "strace",
    "--plugin",
    "files",
    "--plugin",
    "syscalls",
    guest("hello"),
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /^write\(1, "Hello/m);
  assert.match(r.stderr, /^<stdout>\s+0\s+0\s+19$/m);
});

Deno.test("files tracks the files guest's opens and bytes per path", async () => {
  if (!await qppReady()) return;
  const [dir, cleanup] = tempDir("files");
  try {
    const r = await runPandeno(["--plugin", "files", guest("files")], {
      cwd: dir,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^files: 9 opened, 3 open at exit$/m);
    // write 37 + pwrite 2; read 5 + pread 6 + 16 + 0
    assert.match(r.stderr, /^pandeno_files_test\.tmp\s+1\s+27\s+39$/m);
    assert.match(r.stderr, /^pandeno_files_dir\/alpha\s+1\s+0\s+5$/m);
  } finally {
    cleanup();
  }
});

Deno.test("cache_by_function's totals equal the cache plugin's", async () => {
  if (!await qppReady()) return;
  for (const extra of ["", ",dcachesize=4096,evict=fifo"]) {
    const r = await runPandeno([
      "--plugin",
      `cache_by_function${extra}`,
      "--plugin",
      `cache,limit=0${extra}`,
      guest("compute"),
      "3",
    ]);
    assert.equal(r.code, 0, r.stderr);
    const cache = /^0\s+(\d+)\s+(\d+)\s+\S+%\s+(\d+)\s+(\d+)\s/m.exec(r.stderr);
    const ours = /^total\s+(\d+)\s+(\d+)\s+\S+%\s+(\d+)\s+(\d+)\s/m.exec(
      r.stderr,
    );
    assert.ok(cache && ours, r.stderr);
    assert.deepEqual(ours.slice(1), cache.slice(1));
    assert.doesNotMatch(r.stderr, /warning: attributed/);
    assert.match(r.stderr, /^kernel_matrix\s+\d+/m);
  }
});

Deno.test("callstack's depth at exit is sane and its stack ends in _start", async () => {
  if (!await qppReady()) return;
  const r = await runPandeno(["--plugin", "callstack", guest("compute"), "3"]);
  assert.equal(r.code, 0, r.stderr);
  const m =
    /callstack: (\d+) calls, (\d+) returns, .* max depth (\d+), depth at exit (\d+)/
      .exec(r.stderr);
  assert.ok(m, r.stderr);
  const [calls, returns, max, depth] = m.slice(1).map(Number);
  assert.ok(calls > 100 && returns > 100);
  assert.ok(max < 64 && depth <= max && depth < 16, m[0]);
  assert.match(r.stderr, /^ {2}at exit$/m);
  assert.match(r.stderr, /^ {2}at _start\n/m);
});
