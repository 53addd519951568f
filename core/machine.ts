/**
 * A whole emulated process: guest memory, its vCPUs (one per guest thread,
 * taking turns on one register page), an execution engine (translator or
 * reference interpreter) and the Linux user-mode kernel. The first Machine
 * owns the scheduler (`linux/scheduler.ts`); fork makes one more Machine per
 * guest process, each with its own memory and translation cache.
 *
 * @module
 */

import { Cpu } from "./cpu.ts";
import { Exit, type ExitCause } from "./exit.ts";
import { Fpu } from "./fpu/fpu.ts";
import { Interpreter } from "./interp/interpreter.ts";
import { Translator } from "./jit/translator.ts";
import { Kernel, type KernelOptions, type Resume } from "./linux/mod.ts";
import { GUEST_MAX } from "./layout.ts";
import { GuestMemory } from "./memory.ts";
import {
  type Runner,
  Scheduler,
  type SchedulerHooks,
} from "./linux/scheduler.ts";
import type { ProcessEnd } from "./linux/process.ts";
import { copyProcess } from "./linux/fork.ts";

/** Which engine runs guest code. */
export type EngineName = "jit" | "interp";

/** Options for a {@link Machine}. */
export interface MachineOptions extends KernelOptions {
  /** The engine: the translator (default) or the reference interpreter. */
  engine?: EngineName;
  /**
   * Instructions a vCPU runs before the next one gets its turn, when several
   * guest threads or processes share the host (default 100 000). The
   * translator ends a turn at the first block boundary past the quantum.
   */
  quantum?: number;
}

/** Kinds of control-flow discontinuity reported to {@link MachineHooks}. */
export type DiscontinuityKind = "ecall" | "ebreak" | "exception";

/**
 * Observers of a running process, for instrumentation. They know nothing of
 * plugins: the runtime installs them. System call hooks see the arguments in
 * the vCPU registers (a7 = number, a0-a5 = arguments).
 */
export interface MachineHooks {
  /** Before a system call; return `{ ret }` to skip it with that result. */
  syscallEnter?(nr: number): { ret: number | bigint } | undefined;
  /** After a system call returned (its result in a0); not for exit. */
  syscallExit?(nr: number): void;
  /** Control moved other than by a branch: `from` pc to `to` pc. */
  discontinuity?(
    kind: DiscontinuityKind,
    from: number,
    to: number,
    signal?: number,
  ): void;
  /** The vCPU parks in a blocking system call (sleep, read, futex, wait4). */
  idle?(): void;
  /** The parked vCPU's system call finished; it runs again. */
  resume?(): void;
  /** Every translation was dropped (fence.i). */
  flushed?(): void;
  /**
   * fork made `child`, a Machine with its own memory and translator; it
   * shares these hooks. Instrument its translator here to keep observing
   * the new process (its `pid` and `kernel.pid` name it).
   */
  forked?(child: Machine): void;
  /**
   * Called each time guest code returns to the run loop: at system calls,
   * turns, and about every {@link Machine.tickEvery} blocks when set.
   */
  tick?(): void;
}

/**
 * Observers of vCPUs and processes: `vcpuInit` for every guest thread (the
 * first one included), `vcpuExit`, `vcpuSwitch` when the scheduler changes
 * the running vCPU, `fork`, `exec` and `processExit`. Set them with
 * {@link Machine.setSchedulerHooks}; `Machine.vcpu` and `Machine.pid` name
 * the running one inside any other hook.
 */
export type { SchedulerHooks };

/** How a guest process ended. */
export interface RunResult {
  /** Exit status as a shell reports it: the guest's, or 128 + signal. */
  status: number;
  /** The signal that killed the guest, if one did. */
  signal?: number;
  /** Guest instructions executed. */
  instructions: number;
}

/** Linux signal numbers (asm-generic/signal.h). */
export const SIG = {
  SIGILL: 4,
  SIGTRAP: 5,
  SIGABRT: 6,
  SIGBUS: 7,
  SIGFPE: 8,
  SIGKILL: 9,
  SIGSEGV: 11,
} as const;

const SIG_NAMES: Record<number, string> = {
  1: "SIGHUP",
  2: "SIGINT",
  3: "SIGQUIT",
  4: "SIGILL",
  5: "SIGTRAP",
  6: "SIGABRT",
  7: "SIGBUS",
  8: "SIGFPE",
  9: "SIGKILL",
  10: "SIGUSR1",
  11: "SIGSEGV",
  12: "SIGUSR2",
  13: "SIGPIPE",
  14: "SIGALRM",
  15: "SIGTERM",
};

/**
 * The name of a Linux signal number.
 *
 * @example
 * ```ts
 * import { signalName } from "./machine.ts";
 * console.log(signalName(11)); // "SIGSEGV"
 * ```
 */
export function signalName(sig: number): string {
  return SIG_NAMES[sig] ?? `signal ${sig}`;
}

/** Signals whose default action dumps core (signal(7)). */
const CORE_SIGNALS = new Set([3, 4, 5, 6, 7, 8, 11, 24, 25, 31]);

/** si_code values for synchronous faults (asm-generic/siginfo.h). */
const SEGV_MAPERR = 1,
  SEGV_ACCERR = 2,
  ILL_ILLOPC = 1,
  BUS_ADRALN = 1,
  TRAP_BRKPT = 1;

/** The execution engine interface both engines satisfy. */
interface Engine {
  /** Runs until an exit; `limit` instructions at most when preemptible. */
  run(limit: number): ExitCause;
  flush(): void;
}

/**
 * One emulated Linux process.
 *
 * @example
 * ```ts ignore
 * import { Machine } from "./machine.ts";
 * const elf = Deno.readFileSync("tests/guests/bin/hello.elf");
 * const m = new Machine({ argv: ["hello.elf"], env: [], exe: { hostPath: "/x/hello.elf", guestPath: "/x/hello.elf" }, mounts: [], cwd: "/" });
 * m.load(elf);
 * console.log(m.run().status);
 * ```
 */
export class Machine implements Runner {
  /** Guest memory. */
  readonly mem: GuestMemory;
  /** The vCPU state. */
  readonly cpu: Cpu;
  /** The floating-point unit shared by both engines. */
  readonly fpu: Fpu;
  /** The Linux layer. */
  readonly kernel: Kernel;
  /** The translator, when the engine is "jit". */
  readonly translator?: Translator;
  /** Instrumentation observers (none by default). */
  hooks: MachineHooks = {};
  /** The scheduler shared by every process of this run. */
  readonly sched: Scheduler;
  private readonly engine: Engine;
  private readonly log: (line: string) => void;
  private readonly opts: MachineOptions;
  private preemptible = false;
  /**
   * When not 0, guest code returns to the run loop about every `tickEvery`
   * blocks (translator) or instructions (interpreter) even with one
   * thread, and `hooks.tick` runs there: a progress display at no cost per
   * block (the translator already counts a budget down per block).
   */
  tickEvery = 0;

  /**
   * Creates the process (nothing loaded yet). `sched` is for fork: the
   * child joins its parent's scheduler.
   */
  constructor(opts: MachineOptions, sched?: Scheduler) {
    this.opts = opts;
    this.mem = new GuestMemory();
    this.cpu = new Cpu(this.mem.memory.buffer);
    this.fpu = new Fpu(
      new Int32Array(this.mem.memory.buffer),
      Cpu.FFLAGS_INDEX,
    );
    this.kernel = new Kernel(this.mem, this.cpu, opts);
    this.log = opts.log ??
      ((line) => Deno.stderr.writeSync(new TextEncoder().encode(line + "\n")));
    if ((opts.engine ?? "jit") === "jit") {
      const t = new Translator(this.mem, this.cpu, this.fpu);
      this.translator = t;
      this.engine = {
        run: (limit) => {
          // Every block retires at least one instruction: a budget of a
          // quarter of what is left (the dispatcher runs budget - 1 blocks)
          // keeps the overshoot small, and a few rounds end the quantum.
          t.budget = this.preemptible
            ? Math.min(Math.ceil(limit / 4), 0x7fff_fff0) + 1
            : this.tickEvery || 0x7fff_ffff;
          return t.run();
        },
        flush: () => t.flush(),
      };
    } else {
      const i = new Interpreter(this.mem, this.cpu, this.fpu);
      this.engine = {
        run: (limit) => {
          for (;;) {
            const c = i.run(Math.min(limit, this.tickEvery || 1 << 30));
            if (c !== Exit.BUDGET || this.preemptible || this.tickEvery) {
              return c;
            }
          }
        },
        flush: () => {},
      };
    }
    if (sched) {
      this.sched = sched;
      sched.attach(this.kernel.proc, this);
    } else {
      this.sched = new Scheduler(this.kernel.proc, this, opts.quantum);
    }
  }

  /** Installs observers of vCPUs and processes (see {@link SchedulerHooks}). */
  setSchedulerHooks(h: SchedulerHooks): void {
    this.sched.hooks = h;
    for (const t of this.kernel.proc.threads) {
      h.vcpuInit?.(this.kernel.pid, t.vcpu, t.tid);
    }
  }

  /** Index of the running vCPU within its process (QEMU's cpu_index). */
  get vcpu(): number {
    return this.sched.current?.vcpu ?? 0;
  }

  /** Process id of the running vCPU's process. */
  get pid(): number {
    const t = this.sched.current;
    return t
      ? this.sched.owner.get(t)?.pid ?? this.kernel.pid
      : this.kernel.pid;
  }

  /** Loads a static ELF executable and builds the initial stack. */
  load(elf: Uint8Array): void {
    this.kernel.load(elf);
  }

  /**
   * Runs the guest to completion: every thread and process it creates, until
   * the first process ends. `instructions` counts the first process's
   * threads.
   */
  run(): RunResult {
    const end = this.sched.run();
    const instructions = this.sched.instructionsOfProcess(this.kernel.proc);
    return end.signal !== undefined
      ? { status: end.status, signal: end.signal, instructions }
      : { status: end.status, instructions };
  }

  /** Runs the loaded vCPU for one turn (see {@link Runner.runSlice}). */
  runSlice(quantum: number): ProcessEnd | undefined {
    const k = this.kernel, cpu = this.cpu;
    const task = k.proc.loaded;
    k.yieldRequested = false;
    if (k.signals.deliverable() !== 0) {
      // Signals sent by other tasks or timers since this one last ran.
      const r = k.signals.deliverPending();
      if (r) {
        const end = this.finish(Exit.NONE, r);
        if (end || task.state !== "run") return end;
      }
    }
    const start = cpu.instret;
    for (;;) {
      const left = quantum - (cpu.instret - start);
      if (left <= 0) return undefined;
      const end = this.handle(this.engine.run(left));
      this.hooks.tick?.();
      if (end) return end;
      if (task.state !== "run" || k.proc.loaded !== task) return undefined;
      if (k.yieldRequested) return undefined;
    }
  }

  /** Finishes the loaded vCPU's parked system call with `r`. */
  finishSyscall(r: number | Resume): ProcessEnd | undefined {
    const cpu = this.cpu, from = cpu.pc, nr = cpu.getX(17);
    this.hooks.resume?.();
    const resume = this.kernel.complete(r);
    if (resume.kind === "next" || resume.kind === "jump") {
      this.hooks.syscallExit?.(nr);
      const to = resume.kind === "next" ? from + 4 : cpu.pc;
      this.hooks.discontinuity?.("ecall", from, to);
    }
    return this.finish(Exit.ECALL, resume);
  }

  /** Switches block chaining off (on) so turns can end at block boundaries. */
  setPreemptible(on: boolean): void {
    if (this.preemptible === on) return;
    this.preemptible = on;
    this.translator?.setPreemptible(on);
  }

  /** A child process: a new Machine on a copy of this one's state. */
  fork(pid: number): Kernel {
    const child = new Machine({
      ...this.opts,
      ...this.kernel.opts,
      stdio: this.kernel.stdio,
      log: this.log,
      pid,
    }, this.sched);
    copyProcess(this.kernel, child.kernel);
    child.hooks = this.hooks;
    if (this.translator && child.translator) {
      child.translator.lookahead = this.translator.lookahead;
    }
    this.hooks.forked?.(child);
    return child.kernel;
  }

  /** Handles one engine exit; returns the end of the process, if it ended. */
  private handle(cause: ExitCause): ProcessEnd | undefined {
    const cpu = this.cpu;
    let resume: Resume;
    const from = cpu.pc;
    switch (cause) {
      case Exit.ECALL:
        return this.syscall();
      case Exit.FENCE_I:
        this.engine.flush();
        this.hooks.flushed?.();
        return undefined;
      case Exit.BUDGET:
      case Exit.NONE:
      case Exit.HOOK:
        return undefined;
      case Exit.EBREAK:
        resume = this.kernel.deliverSignal(SIG.SIGTRAP, TRAP_BRKPT, cpu.pc);
        break;
      case Exit.ILLEGAL:
        resume = this.kernel.deliverSignal(SIG.SIGILL, ILL_ILLOPC, cpu.pc);
        break;
      case Exit.MISALIGNED:
        resume = this.kernel.deliverSignal(
          SIG.SIGBUS,
          BUS_ADRALN,
          cpu.exitTvalBits,
        );
        break;
      case Exit.FETCH_FAULT:
      case Exit.LOAD_FAULT:
      case Exit.STORE_FAULT: {
        // Exact: si_addr keeps every bit, also above 2^53.
        const addr = cpu.exitTvalBits;
        const mapped = addr < GUEST_MAX && this.mem.isMapped(Number(addr), 1);
        const code = mapped ? SEGV_ACCERR : SEGV_MAPERR;
        resume = this.kernel.deliverSignal(SIG.SIGSEGV, code, addr);
        break;
      }
      default:
        throw new RangeError(`engine returned unknown exit cause ${cause}`);
    }
    if (resume.kind === "jump") {
      this.hooks.discontinuity?.(
        cause === Exit.EBREAK ? "ebreak" : "exception",
        from,
        cpu.pc,
        this.lastSignal(cause),
      );
    }
    return this.finish(cause, resume);
  }

  /** The signal an exit cause raises. */
  private lastSignal(cause: ExitCause): number {
    switch (cause) {
      case Exit.EBREAK:
        return SIG.SIGTRAP;
      case Exit.ILLEGAL:
        return SIG.SIGILL;
      case Exit.MISALIGNED:
        return SIG.SIGBUS;
      default:
        return SIG.SIGSEGV;
    }
  }

  /** Runs the system call at pc, with the hooks around it. */
  private syscall(): ProcessEnd | undefined {
    const cpu = this.cpu, h = this.hooks;
    const from = cpu.pc, nr = cpu.getX(17);
    let resume: Resume;
    const skip = h.syscallEnter?.(nr);
    if (skip) {
      cpu.x[10] = BigInt.asIntN(64, BigInt(skip.ret));
      resume = { kind: "next" };
    } else {
      resume = this.kernel.syscall();
    }
    if (resume.kind === "next" || resume.kind === "jump") {
      h.syscallExit?.(nr);
      const to = resume.kind === "next" ? from + 4 : cpu.pc;
      h.discontinuity?.("ecall", from, to);
    }
    return this.finish(Exit.ECALL, resume);
  }

  /** Applies how the kernel resumed the vCPU; returns the end, if any. */
  private finish(cause: ExitCause, resume: Resume): ProcessEnd | undefined {
    const cpu = this.cpu;
    switch (resume.kind) {
      case "next":
        cpu.pc = cpu.pc + 4;
        return undefined;
      case "jump":
      case "gone":
        return undefined;
      case "block":
        this.kernel.proc.loaded.wait = resume.wait; // pc stays on the ecall
        this.hooks.idle?.();
        return undefined;
      case "exit":
        return { status: resume.status & 0xff };
      case "killed":
        // Like qemu-riscv64: a child killed by a signal that dumps no core
        // (SIGTERM, SIGKILL, ...) goes quietly.
        if (
          this.kernel.proc === this.sched.root ||
          CORE_SIGNALS.has(resume.signal)
        ) {
          this.log(this.diagnostic(cause, resume.signal, resume.addr));
        }
        return { status: 128 + resume.signal, signal: resume.signal };
    }
  }

  /** The one-line report of a guest killed by a signal. */
  private diagnostic(
    cause: ExitCause,
    sig: number,
    addr?: number | bigint,
  ): string {
    const pc = this.cpu.pc.toString(16);
    const what: Record<number, string> = {
      [Exit.LOAD_FAULT]: "invalid read of",
      [Exit.STORE_FAULT]: "invalid write to",
      [Exit.FETCH_FAULT]: "instruction fetch from",
      [Exit.MISALIGNED]: "misaligned atomic access to",
      [Exit.ILLEGAL]: "illegal instruction",
    };
    const tval = this.cpu.exitTval;
    let detail = "";
    if (cause === Exit.ILLEGAL) {
      detail = ` (illegal instruction 0x${tval.toString(16)})`;
    } else if (what[cause]) {
      detail = ` (${what[cause]} address 0x${(addr ?? tval).toString(16)})`;
    }
    return `pandeno: guest killed by ${signalName(sig)} at pc 0x${pc}${detail}`;
  }
}
