/**
 * Shared set-up for the Linux layer's unit tests: a kernel over a fresh
 * address space with a scratch page, and a way to make system calls.
 *
 * @module
 */

import { GuestMemory } from "../memory.ts";
import { Cpu } from "../cpu.ts";
import { PERM_R, PERM_W } from "../layout.ts";
import { Kernel, type KernelOptions } from "./kernel.ts";
import type { Resume } from "./resume.ts";
import { syscallNumber } from "./sysnums.ts";

/** Scratch buffer the tests pass to system calls (64 KiB, R/W). */
export const SCRATCH = 0x20_0000;

/** A kernel plus helpers, as the tests use it. */
export interface TestProc {
  /** The kernel. */
  k: Kernel;
  /** Its memory. */
  mem: GuestMemory;
  /** Its vCPU. */
  cpu: Cpu;
  /** Bytes the guest wrote to fd 1 and 2. */
  out: { 1: number[]; 2: number[] };
  /** Lines the kernel logged. */
  logs: string[];
  /** Makes system call `name` with integer arguments; returns a0. */
  call(name: string, ...args: number[]): number;
  /** Like {@link TestProc.call} but returns the Resume too. */
  raw(name: string, ...args: number[]): { a0: number; r: Resume };
  /** Writes a NUL-terminated string at `addr` and returns `addr`. */
  str(addr: number, s: string): number;
}

/**
 * Builds a test process.
 *
 * @example
 * ```ts
 * import { testProc } from "./_test_util.ts";
 * const p = testProc();
 * console.log(p.call("getpid") > 0); // true
 * ```
 */
export function testProc(
  over: Partial<KernelOptions> = {},
  stdin: Uint8Array = new Uint8Array(),
): TestProc {
  const mem = new GuestMemory();
  const cpu = new Cpu(mem.memory.buffer);
  mem.map(SCRATCH, 0x10000, PERM_R | PERM_W);
  const out = { 1: [] as number[], 2: [] as number[] };
  const logs: string[] = [];
  let inPos = 0;
  const k = new Kernel(mem, cpu, {
    argv: ["/bin/t"],
    env: [],
    exe: { hostPath: "/bin/true", guestPath: "/bin/t" },
    mounts: [],
    cwd: "/",
    log: (l) => logs.push(l),
    stdio: {
      read: (_fd, buf) => {
        if (inPos >= stdin.length) return null;
        const n = Math.min(buf.length, stdin.length - inPos);
        buf.set(stdin.subarray(inPos, inPos + n));
        inPos += n;
        return n;
      },
      write: (fd, d) => out[fd].push(...d),
      isTerminal: () => false,
    },
    ...over,
  });
  k.vm.set(SCRATCH, 0x10000, true);
  const raw = (name: string, ...args: number[]) => {
    const nr = syscallNumber(name);
    if (nr === undefined) throw new TypeError(`no syscall ${name}`);
    cpu.setX(17, nr);
    args.forEach((v, i) => cpu.setX(10 + i, v));
    const r = k.syscall();
    return { a0: cpu.getX(10), r };
  };
  return {
    k,
    mem,
    cpu,
    out,
    logs,
    raw,
    call: (name, ...args) => raw(name, ...args).a0,
    str(addr, s) {
      mem.write(addr, new TextEncoder().encode(s + "\0"));
      return addr;
    },
  };
}

/**
 * A temporary host directory, resolved, for mounting.
 *
 * @example
 * ```ts
 * import { tempDir } from "./_test_util.ts";
 * console.log(tempDir().startsWith("/")); // true
 * ```
 */
export function tempDir(): string {
  const dir = Deno.realPathSync(
    Deno.makeTempDirSync({ prefix: "pandeno_linux_" }),
  );
  if (tempDirs.length === 0) {
    // Tests leave nothing behind in the temp directory.
    globalThis.addEventListener("unload", () => {
      for (const d of tempDirs) {
        // A test may have removed its folder itself already.
        try {
          Deno.removeSync(d, { recursive: true });
        } catch (e) {
          if (!(e instanceof Deno.errors.NotFound)) throw e;
        }
      }
    });
  }
  tempDirs.push(dir);
  return dir;
}

const tempDirs: string[] = [];
