/**
 * Random system calls with hostile arguments never throw in the host.
 *
 * Every implemented syscall except exit and exit_group (which end the
 * process and are not worth a fresh 4 GiB address space each) gets random
 * arguments drawn from pools of bad pointers (near 0, unmapped, read-only
 * pages for writes, straddling a page end, 2^64-1, 2^63), huge and negative
 * lengths, real and bogus fds, and real paths. Seeded: a failure prints the
 * seed and call index, and `FUZZ_SEED=N` replays it.
 */

import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { SCRATCH, tempDir } from "./_test_util.ts";
import { implementedSyscalls, Kernel } from "./kernel.ts";
import { syscallName } from "./sysnums.ts";
import { GUEST_MAX, GUEST_MIN, PERM_R, PERM_W } from "../layout.ts";
import { GuestMemory } from "../memory.ts";
import { Cpu } from "../cpu.ts";

/** mulberry32: small, fast, seeded. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const RO_PAGE = 0x30_0000; // read-only
const EDGE_PAGE = 0x31_0000; // writable, followed by an unmapped page
const PATHS = [
  "/data/f",
  "f",
  "d",
  "d/g",
  "/data",
  "/data/link",
  "/dev/null",
  "/dev/zero",
  "/dev/urandom",
  "/proc/self/exe",
  "/proc",
  "/",
  "..",
  "/nonexistent",
  "/data/new",
  "new2",
];

interface Proc {
  k: Kernel;
  mem: GuestMemory;
  cpu: Cpu;
}

/**
 * A process with a mount, a few files, odd pages and paths in memory. It
 * reuses `old`'s address space (a fresh 4 GiB memory per process is slow).
 */
function fuzzProc(dir: string, old?: Proc): { p: Proc; paths: number[] } {
  old?.k.fds.closeAll();
  const mem = old?.mem ?? new GuestMemory();
  const cpu = old?.cpu ?? new Cpu(mem.memory.buffer);
  mem.unmap(GUEST_MIN, GUEST_MAX - GUEST_MIN);
  const k = new Kernel(mem, cpu, {
    argv: ["/data/t"],
    env: [],
    exe: { hostPath: "/bin/true", guestPath: "/data/t" },
    mounts: [{ guest: "/data", host: dir, readOnly: false }],
    cwd: "/data",
    log: () => {},
    icountShift: 0,
    seed: 1n,
    stdio: {
      read: (_fd, buf) => (buf.length > 0 ? (buf[0] = 65, 1) : 0),
      write: () => {},
      isTerminal: () => false,
    },
  });
  const p = { k, mem, cpu };
  p.mem.map(SCRATCH, 0x10000, PERM_R | PERM_W);
  p.k.vm.set(SCRATCH, 0x10000, true);
  p.mem.map(RO_PAGE, 0x1000, PERM_R | PERM_W);
  p.mem.protect(RO_PAGE, 0x1000, PERM_R);
  p.k.vm.set(RO_PAGE, 0x1000, true);
  p.mem.map(EDGE_PAGE, 0x1000, PERM_R | PERM_W);
  p.k.vm.set(EDGE_PAGE, 0x1000, true);
  const enc = new TextEncoder();
  const paths = PATHS.map((s, i) => {
    const at = SCRATCH + 0xc000 + i * 64;
    mem.write(at, enc.encode(s + "\0"));
    return at;
  });
  // fds 3-7: a directory, a file, both ends of a pipe, /dev/null.
  const call = (nr: number, ...args: number[]) => {
    cpu.setX(17, nr);
    args.forEach((v, j) => cpu.setX(10 + j, v));
    k.syscall();
  };
  call(56, -100, paths[4], 0o200000); // openat(AT_FDCWD, "/data", O_DIRECTORY)
  call(56, -100, paths[0], 2); // openat(AT_FDCWD, "/data/f", O_RDWR)
  call(59, SCRATCH + 0xbff0, 0); // pipe2
  call(56, -100, paths[6], 2); // openat(AT_FDCWD, "/dev/null", O_RDWR)
  return { p, paths };
}

function setupDir(): string {
  const dir = tempDir();
  Deno.writeTextFileSync(`${dir}/f`, "hello fuzz\n".repeat(100));
  Deno.mkdirSync(`${dir}/d`);
  Deno.writeTextFileSync(`${dir}/d/g`, "g");
  Deno.symlinkSync("f", `${dir}/link`);
  return dir;
}

/** Runs `count` random calls; returns the host exceptions and the calls made. */
function fuzz(
  seed: number,
  count: number,
  dir: string,
): { errors: string[]; called: Set<number> } {
  const rand = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const nrs = implementedSyscalls().filter((nr) =>
    syscallName(nr) !== "exit" && syscallName(nr) !== "exit_group"
  );
  let { p, paths } = fuzzProc(dir);
  const ptr = () =>
    pick([
      0,
      1,
      0xfff,
      0x10000,
      SCRATCH + Math.floor(rand() * 0xc000),
      SCRATCH,
      pick(paths),
      pick(paths),
      RO_PAGE,
      RO_PAGE + 4090,
      EDGE_PAGE + 0xffc,
      EDGE_PAGE + 0x1000,
      0xefff_fff8,
      0xf000_0000,
      2 ** 32,
      2 ** 48,
      -1,
      -4096,
      -(2 ** 63),
    ]);
  const int = () =>
    pick([
      0,
      1,
      2,
      3,
      3,
      4,
      5,
      6,
      7,
      -1,
      -100,
      0x7fff_ffff,
      2 ** 31,
      64,
      4096,
      65536,
      1 << 20,
      2 ** 40,
      Math.floor(rand() * 2 ** 32) | 0,
      1 << Math.floor(rand() * 31),
    ]);
  const len = () =>
    pick([0, 1, 8, 16, 100, 4096, 65536, 2 ** 31, 2 ** 32, 2 ** 62, -1]);
  const arg = () => {
    const r = rand();
    return r < 0.4 ? ptr() : r < 0.75 ? int() : len();
  };
  const errors: string[] = [];
  const called = new Set<number>();
  const cost = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    const nr = pick(nrs);
    called.add(nr);
    const args = [arg(), arg(), arg(), arg(), arg(), arg()];
    // Random bytes where pointers usually lead, so structs hold junk too.
    if (rand() < 0.3) {
      crypto.getRandomValues(p.mem.u8.subarray(SCRATCH, SCRATCH + 256));
    }
    p.cpu.setX(17, nr);
    args.forEach((v, j) => p.cpu.setX(10 + j, v));
    p.cpu.pc = 0x1_0000;
    const t0 = performance.now();
    try {
      const r = p.k.syscall();
      if (r.kind === "exit" || r.kind === "killed") {
        ({ p, paths } = fuzzProc(dir, p));
      }
    } catch (e) {
      errors.push(
        `seed ${seed} call ${i}: ${syscallName(nr)}(${args.join(", ")}): ${
          (e as Error).stack
        }`,
      );
      ({ p, paths } = fuzzProc(dir, p));
    }
    const name = syscallName(nr)!;
    cost.set(name, (cost.get(name) ?? 0) + performance.now() - t0);
  }
  if (Deno.env.get("FUZZ_VERBOSE")) {
    console.log([...cost].sort((a, b) => b[1] - a[1]).slice(0, 12));
  }
  p.k.fds.closeAll();
  return { errors, called };
}

Deno.test("100,000 random syscalls with hostile arguments raise no host exception", () => {
  const seed = Number(Deno.env.get("FUZZ_SEED") ?? 20261205);
  const dir = setupDir();
  try {
    const { errors, called } = fuzz(seed, 100_000, dir);
    assertEquals(errors.slice(0, 5), []);
    const skipped = implementedSyscalls().filter((nr) => !called.has(nr))
      .map(syscallName);
    assertEquals(skipped, ["exit", "exit_group"]);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("getrandom(-1, 0, 0) returns 0 and getdents64 at end of a directory into a bad pointer returns 0", () => {
  const dir = setupDir();
  try {
    const { p } = fuzzProc(dir);
    const call = (nr: number, ...args: number[]) => {
      p.cpu.setX(17, nr);
      args.forEach((v, j) => p.cpu.setX(10 + j, v));
      p.k.syscall();
      return p.cpu.getX(10);
    };
    assertEquals(call(278, -1, 0, 0), 0);
    assertEquals(call(278, -1, 16, 0), -14);
    while (call(61, 3, SCRATCH, 4096) > 0) { /* drain fd 3, /data */ }
    assertEquals(call(61, 3, -1, 4096), 0);
    assertEquals(call(61, 3, 0x10, 4096), 0);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
