/**
 * The Linux user-mode kernel for one riscv64 process: loads the ELF, builds
 * the initial stack, and services system calls and signals.
 *
 * @module
 */

import type { GuestMemory } from "../memory.ts";
import type { Cpu } from "../cpu.ts";
import { Errno } from "./errno.ts";
import { imageSpan, loadElf } from "./elf.ts";
import { buildStack, STACK_SIZE, STACK_TOP } from "./stack.ts";
import { syscallName } from "./sysnums.ts";
import { Mappings } from "./vma.ts";
import { MapTable, RELOAD_AFTER, SYNC_BEFORE } from "./map_table.ts";
import { type Mount, normalize, Vfs } from "./vfs.ts";
import { FdTable } from "./fd_table.ts";
import { Signals } from "./signal_state.ts";
import type { Resume } from "./resume.ts";
import type { HostNet } from "./host_net.ts";
import { FS_SYSCALLS } from "./fs.ts";
import { FS_META_SYSCALLS } from "./fs_meta.ts";
import { FS_LINK_SYSCALLS } from "./fs_link.ts";
import { FS_IO_SYSCALLS } from "./fs_io.ts";
import { FS_STAT_SYSCALLS } from "./fs_stat.ts";
import { IOCTL_SYSCALLS } from "./ioctl.ts";
import { MM_SYSCALLS } from "./mm.ts";
import { TIME_SYSCALLS } from "./time.ts";
import { PROC_SYSCALLS } from "./proc.ts";
import { SIGNAL_SYSCALLS } from "./signals.ts";
import { IDENTITY_SYSCALLS } from "./identity.ts";
import { type ProcessTable, ProcFs } from "./procfs.ts";
import { SOCKET_SYSCALLS } from "./socket.ts";
import { defaultStdio, type Stdio } from "./stdio.ts";
import { type Clock, hostClock, virtualClock } from "./clock.ts";
import { hostRandom, type RandomSource, seededRandom } from "./random.ts";
import { Process } from "./process.ts";
import type { Scheduler } from "./scheduler.ts";
import { SCHED_SYSCALLS } from "./sched_calls.ts";

export type { Mount } from "./vfs.ts";
export type { Resume } from "./resume.ts";
export type { Stdio } from "./stdio.ts";

/** How to set up the process. */
export interface KernelOptions {
  /** argv; argv[0] is the guest program path exactly as the user gave it. */
  argv: string[];
  /** Environment, `KEY=VALUE` strings. */
  env: string[];
  /** The executable: host path, and the guest path /proc/self/exe names. */
  exe: { hostPath: string; guestPath: string };
  /** What the guest can see; paths outside every mount give ENOENT. */
  mounts: Mount[];
  /** Initial guest working directory (absolute guest path). */
  cwd: string;
  /** Silence the one-time "unsupported syscall" reports. */
  quietEnosys?: boolean;
  /** Diagnostics to the user (default: stderr). */
  log?: (line: string) => void;
  /** The process's stdin/stdout/stderr (default: Deno's, synchronously). */
  stdio?: Stdio;
  /**
   * Virtual clock: guest time advances `2^icountShift` ns per retired
   * instruction and sleeps do not wait (as QEMU's `-icount shift=N`).
   * Default: the host's clocks.
   */
  icountShift?: number;
  /**
   * Most bytes the guest may have mapped (mmap, brk, mremap), besides its
   * RLIMIT_AS; beyond it they fail with ENOMEM. Default: no limit but the
   * guest range itself.
   */
  addressSpaceLimit?: number;
  /**
   * Seed for the guest's randomness (AT_RANDOM, getrandom, /dev/urandom),
   * as qemu's `-seed`; AT_RANDOM then equals qemu's. Default: the host's.
   */
  seed?: bigint;
  /** uname's nodename (default "pandeno"), as `--hostname`. */
  hostname?: string;
  /**
   * The guest processes /proc/PID shows, given this process (default: this
   * process alone). A scheduler with several processes plugs its table in.
   */
  processes?: (self: Kernel) => ProcessTable;
  /**
   * qemu's `-L` / `QEMU_LD_PREFIX`: a host directory (absolute, resolved)
   * consulted first, read-only, for every absolute guest path, the program
   * interpreter's included. See {@link Vfs}.
   */
  ldPrefix?: string;
  /** The host network for AF_INET/AF_INET6 sockets (none: no network). */
  hostNet?: HostNet;
  /** Process id (default: derived from the host's pid). */
  pid?: number;
}

/** A system call handler: returns the result for a0, or a {@link Resume}. */
export type SyscallHandler = (k: Kernel, a: number[]) => number | Resume;

const HANDLERS: Record<number, SyscallHandler> = {
  ...FS_SYSCALLS,
  ...FS_META_SYSCALLS,
  ...FS_LINK_SYSCALLS,
  ...FS_IO_SYSCALLS,
  ...FS_STAT_SYSCALLS,
  ...IOCTL_SYSCALLS,
  ...MM_SYSCALLS,
  ...TIME_SYSCALLS,
  ...PROC_SYSCALLS,
  ...SIGNAL_SYSCALLS,
  ...IDENTITY_SYSCALLS,
  ...SOCKET_SYSCALLS,
  ...SCHED_SYSCALLS,
};

/**
 * The system call numbers this kernel implements, ascending.
 *
 * @example
 * ```ts
 * import { implementedSyscalls } from "./kernel.ts";
 * console.log(implementedSyscalls().includes(64)); // true (write)
 * ```
 */
export function implementedSyscalls(): number[] {
  return Object.keys(HANDLERS).map(Number).sort((a, b) => a - b);
}

/**
 * One emulated Linux process.
 *
 * @example
 * ```ts
 * import { Kernel } from "./kernel.ts";
 * import { GuestMemory } from "../memory.ts";
 * import { Cpu } from "../cpu.ts";
 * const mem = new GuestMemory();
 * const cpu = new Cpu(mem.memory.buffer);
 * const out: string[] = [];
 * const k = new Kernel(mem, cpu, {
 *   argv: ["/a"], env: [], exe: { hostPath: "/a", guestPath: "/a" }, mounts: [], cwd: "/",
 *   stdio: { read: () => null, write: (_fd, d) => out.push(new TextDecoder().decode(d)), isTerminal: () => false },
 * });
 * cpu.setX(17, 172); // getpid
 * console.log(k.syscall().kind, cpu.getX(10) > 0); // "next" true
 * ```
 */
export class Kernel {
  /** Guest memory. */
  readonly mem: GuestMemory;
  /** The vCPU. */
  readonly cpu: Cpu;
  /** Options as given; execve replaces argv, env and exe. */
  opts: KernelOptions;
  /** Which pages are mapped, whatever their protection. */
  readonly vm: Mappings = new Mappings();
  /** File-backed and shared mappings, and their write-back. */
  maps: MapTable;
  /** Guest file system view. */
  readonly vfs: Vfs;
  /** File descriptor table. */
  readonly fds: FdTable = new FdTable();
  /** Signal state. */
  readonly signals: Signals;
  /** Standard streams. */
  readonly stdio: Stdio;
  /** Writes a diagnostic line for the user. */
  readonly log: (line: string) => void;
  /** Function symbols from the ELF symtab (empty if stripped or not loaded). */
  symbols: { name: string; addr: number; size: number }[] = [];
  /** The loaded program's code bounds and entry (QEMU's start_code, end_code, entry). */
  image = { startCode: 0, endCode: 0, entry: 0 };
  /** Guest working directory (absolute, resolved). */
  cwd: string;
  /** Start of the heap (initial program break). */
  brkStart = 0;
  /** Current program break. */
  brk = 0;
  /** Highest address for top-down mmap placement. */
  mmapTop = STACK_TOP - STACK_SIZE - 16 * 1024 * 1024;
  /** Process id the guest sees (the first thread's tid). */
  readonly pid: number;
  /** This process among the guest processes: threads, parent, children. */
  readonly proc: Process;
  /** The scheduler running this process (set when a Machine runs it). */
  sched?: Scheduler;
  /** Set by a system call that gives up the rest of the turn (sched_yield). */
  yieldRequested = false;
  /** File mode creation mask. */
  umask = 0o022;
  /** Resource limits [soft, hard], indexed by RLIMIT_*; -1 is RLIM_INFINITY. */
  readonly rlimits: [number, number][];
  /** Where the guest's time comes from (a forked child shares its parent's). */
  clock: Clock;
  /** Where the guest's random bytes come from. */
  readonly random: RandomSource;
  /** The auxiliary vector as the guest got it (for /proc/self/auxv). */
  auxv: Uint8Array = new Uint8Array(16);
  private readonly reported = new Set<number>();

  /** Sets up an empty process; call {@link Kernel.load} next. */
  constructor(mem: GuestMemory, cpu: Cpu, opts: KernelOptions) {
    this.mem = mem;
    this.cpu = cpu;
    this.opts = opts;
    this.vfs = new Vfs(opts.mounts, opts.ldPrefix);
    this.vfs.synthetic = new ProcFs(this, opts.processes?.(this));
    this.maps = new MapTable(mem);
    this.signals = new Signals(mem, cpu, this.vm);
    this.stdio = opts.stdio ?? defaultStdio();
    this.log = opts.log ?? ((line) => console.error(line));
    this.cwd = normalize(opts.cwd);
    this.clock = opts.icountShift === undefined ? hostClock() : virtualClock(
      // Every vCPU of every process advances the one guest time.
      () => this.sched ? this.sched.totalInstructions() : cpu.instret,
      opts.icountShift,
    );
    this.random = opts.seed === undefined
      ? hostRandom()
      : seededRandom(opts.seed);
    this.pid = opts.pid ?? Math.max(2, Deno.pid & 0x3fff_ffff);
    this.proc = new Process(this.pid, this);
    this.signals.pending = this.proc.loaded.pending;
    const INF = -1;
    this.rlimits = Array.from(
      { length: 16 },
      () => [INF, INF] as [number, number],
    );
    this.rlimits[3] = [STACK_SIZE, INF]; // RLIMIT_STACK
    this.rlimits[4] = [0, INF]; // RLIMIT_CORE
    this.rlimits[7] = [1024, 4096]; // RLIMIT_NOFILE
    this.rlimits[8] = [8 * 1024 * 1024, 8 * 1024 * 1024]; // RLIMIT_MEMLOCK
  }

  /** The riscv64 name of system call `nr`. */
  static syscallName(nr: number): string | undefined {
    return syscallName(nr);
  }

  /** The guest's user id (the host's, or 0 when unknown). */
  get uid(): number {
    try {
      return Deno.uid() ?? 0;
    } catch {
      return 0;
    }
  }

  /** The guest's group id (the host's, or 0 when unknown). */
  get gid(): number {
    try {
      return Deno.gid() ?? 0;
    } catch {
      return 0;
    }
  }

  /**
   * Loads a riscv64 ELF, and the interpreter it names in PT_INTERP (found
   * through the mounts and the `ldPrefix` overlay), and builds the initial
   * stack; sets pc and sp. Throws a TypeError / RangeError for an ELF that
   * cannot run here. `execfn` is AT_EXECFN (default argv[0]).
   */
  load(elf: Uint8Array, execfn?: string): void {
    const img = loadElf(this.mem, this.vm, elf);
    this.symbols = img.symbols;
    this.image = {
      startCode: img.startCode,
      endCode: img.endCode,
      entry: img.entry,
    };
    this.brkStart = this.brk = img.brk;
    let entry = img.entry;
    if (img.interp !== undefined) {
      const ld = this.readInterpreter(img.interp);
      const at = this.vm.findFree(imageSpan(ld), this.mmapTop);
      if (at < 0) throw new RangeError("no room for the program interpreter");
      const interp = loadElf(this.mem, this.vm, ld, at);
      if (interp.base !== at || interp.interp !== undefined) {
        throw new TypeError(
          `program interpreter ${img.interp} is not a shared object (ET_DYN without PT_INTERP)`,
        );
      }
      img.interpBase = at;
      entry = interp.entry;
    }
    const sp = buildStack(this.mem, this.vm, {
      argv: this.opts.argv,
      env: this.opts.env,
      execfn: execfn ?? this.opts.argv[0] ?? this.opts.exe.guestPath,
      elf: img,
      uid: this.uid,
      gid: this.gid,
      random: (() => {
        const b = new Uint8Array(16);
        this.random.fill(b);
        return b;
      })(),
    });
    this.auxv = auxvAt(this.mem, sp);
    this.cpu.setX(2, sp);
    this.cpu.pc = entry;
  }

  /** The bytes of the program interpreter at guest path `path`. */
  private readInterpreter(path: string): Uint8Array {
    const r = this.vfs.resolve(path, "/", true);
    const hint = this.opts.ldPrefix === undefined
      ? "pass -L with the riscv64 sysroot (e.g. -L /usr/riscv64-linux-gnu) or set QEMU_LD_PREFIX"
      : `it is neither under -L ${this.opts.ldPrefix} nor in a mapped directory`;
    if (typeof r === "number" || r.kind !== "host" || !r.info) {
      throw new TypeError(
        `the program is dynamically linked and its interpreter ${path} was not found: ${hint}`,
      );
    }
    try {
      if (!this.vfs.inside(r.mount, r.host)) throw new Error("outside");
      return Deno.readFileSync(r.host);
    } catch (e) {
      throw new TypeError(
        `cannot read the program interpreter ${path} (${
          (e as Error).message
        }): ${hint}`,
      );
    }
  }

  /** Services the `ecall` at pc: number in a7, arguments in a0-a5, result in a0. */
  syscall(): Resume {
    const cpu = this.cpu;
    const nr = cpu.getX(17);
    const handler = HANDLERS[nr];
    let r: number | Resume;
    if (handler) {
      const a = [
        cpu.getX(10),
        cpu.getX(11),
        cpu.getX(12),
        cpu.getX(13),
        cpu.getX(14),
        cpu.getX(15),
      ];
      // Shared file mappings and file I/O see each other's bytes.
      const sync = SYNC_BEFORE.has(nr) && this.maps.hasSharedFiles;
      if (sync) this.maps.flush();
      r = handler(this, a);
      if (sync && RELOAD_AFTER.has(nr)) this.maps.reload();
    } else {
      this.reportEnosys(nr);
      r = -Errno.ENOSYS;
    }
    return this.complete(r);
  }

  /**
   * Finishes a system call with handler result `r`: sets a0 for a number,
   * then delivers a pending signal the thread does not block. Also used for
   * a parked call whose wait ended.
   */
  complete(r: number | Resume): Resume {
    const cpu = this.cpu;
    if (typeof r === "number") {
      cpu.setX(10, r);
      if (!this.signals.anyPending()) return { kind: "next" };
      cpu.pc = cpu.pc + 4;
      const d = this.signals.deliverPending();
      if (d) return d;
      return { kind: "jump" };
    }
    if (r.kind === "jump" && this.signals.anyPending()) {
      return this.signals.deliverPending() ?? r;
    }
    if (r.kind === "exit" || r.kind === "killed") this.exited();
    return r;
  }

  /**
   * Delivers a synchronous fault signal (SIGSEGV, SIGBUS, SIGILL, SIGFPE,
   * SIGTRAP) for the instruction at cpu.pc: enters the guest handler
   * (`jump`) or terminates (`killed`), also when the signal is blocked or
   * ignored.
   */
  deliverSignal(sig: number, code: number, addr: number | bigint): Resume {
    const r = this.signals.deliver({ signo: sig, code, addr }, true) ??
      { kind: "killed", signal: sig, addr };
    if (r.kind === "killed") this.exited();
    return r;
  }

  /** Releases what the process held: mappings are written back, fds closed. */
  private exited(): void {
    this.maps.close();
    this.fds.closeAll();
  }

  /** Reports an unsupported system call once per number (unless quiet). */
  private reportEnosys(nr: number): void {
    if (this.opts.quietEnosys || this.reported.has(nr)) return;
    this.reported.add(nr);
    const name = syscallName(nr) ?? "unknown";
    this.log(
      `pandeno: unsupported syscall ${nr} (${name}); returning ENOSYS (silence with --quiet-enosys)`,
    );
  }
}

/** The auxiliary vector of the initial stack at `sp`, through AT_NULL. */
function auxvAt(mem: GuestMemory, sp: number): Uint8Array {
  let p = sp + 8 * ((mem.readU64(sp) ?? 0) + 2); // skip argc, argv, NULL
  while (mem.readU64(p)) p += 8; // envp
  const start = p + 8;
  let end = start;
  while (mem.readU64(end)) end += 16;
  return mem.read(start, end + 16 - start) ?? new Uint8Array(16);
}
