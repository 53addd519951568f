/**
 * A whole emulated process: guest memory, one vCPU, an execution engine
 * (translator or reference interpreter) and the Linux user-mode kernel.
 *
 * @module
 */

import { Cpu } from "./cpu.ts";
import { Exit, type ExitCause } from "./exit.ts";
import { Fpu } from "./fpu/fpu.ts";
import { Interpreter } from "./interp/interpreter.ts";
import { Translator } from "./jit/translator.ts";
import { Kernel, type KernelOptions, type Resume } from "./linux/mod.ts";
import { GuestMemory } from "./memory.ts";

/** Which engine runs guest code. */
export type EngineName = "jit" | "interp";

/** Options for a {@link Machine}. */
export interface MachineOptions extends KernelOptions {
  /** The engine: the translator (default) or the reference interpreter. */
  engine?: EngineName;
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
  /** The vCPU is about to block in a sleeping system call. */
  idle?(): void;
  /** The vCPU is running again after idling. */
  resume?(): void;
  /** Every translation was dropped (fence.i). */
  flushed?(): void;
  /**
   * Called about every `tickEvery` blocks (translator) or instructions
   * (interpreter) while guest code runs, so a progress display can update
   * without a cost per block; see {@link Machine.tickEvery}.
   */
  tick?(): void;
}

/** System calls that sleep: nanosleep, clock_nanosleep (asm-generic/unistd.h). */
const SLEEPING = new Set([101, 115]);

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

/** si_code values for synchronous faults (asm-generic/siginfo.h). */
const SEGV_MAPERR = 1,
  SEGV_ACCERR = 2,
  ILL_ILLOPC = 1,
  BUS_ADRALN = 1,
  TRAP_BRKPT = 1;

/** The execution engine interface both engines satisfy. */
interface Engine {
  run(): ExitCause;
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
export class Machine {
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
  private readonly engine: Engine;
  private readonly log: (line: string) => void;
  #tickEvery = 0;

  /** Creates the process (nothing loaded yet). */
  constructor(opts: MachineOptions) {
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
      this.engine = t;
    } else {
      const i = new Interpreter(this.mem, this.cpu, this.fpu);
      this.engine = {
        run: () => {
          for (;;) {
            const c = i.run(this.#tickEvery || 1 << 30);
            if (c !== Exit.BUDGET || this.#tickEvery) return c;
          }
        },
        flush: () => {},
      };
    }
  }

  /** Loads a static ELF executable and builds the initial stack. */
  load(elf: Uint8Array): void {
    this.kernel.load(elf);
  }

  /**
   * Calls `hooks.tick` about every `n` blocks run (translator) or `n`
   * instructions (interpreter); 0 turns ticks off. The translator counts
   * down a budget it already checks per block, so ticks cost nothing
   * between calls.
   */
  tickEvery(n: number): void {
    this.#tickEvery = n;
    if (this.translator) this.translator.budget = n || 0x7fffffff;
  }

  /** Runs the guest to completion. */
  run(): RunResult {
    for (;;) {
      const cause = this.engine.run();
      if (cause === Exit.BUDGET && this.#tickEvery) {
        if (this.translator) this.translator.budget = this.#tickEvery;
        this.hooks.tick?.();
      }
      const r = this.handle(cause);
      if (r) return { ...r, instructions: this.cpu.instret };
    }
  }

  /** Handles one engine exit; returns the end of the process, if it ended. */
  private handle(
    cause: ExitCause,
  ): Omit<RunResult, "instructions"> | undefined {
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
          cpu.exitTval,
        );
        break;
      case Exit.FETCH_FAULT:
      case Exit.LOAD_FAULT:
      case Exit.STORE_FAULT: {
        const addr = cpu.exitTval;
        const code = this.mem.isMapped(addr, 1) ? SEGV_ACCERR : SEGV_MAPERR;
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
  private syscall(): Omit<RunResult, "instructions"> | undefined {
    const cpu = this.cpu, h = this.hooks;
    const from = cpu.pc, nr = cpu.getX(17);
    let resume: Resume;
    const skip = h.syscallEnter?.(nr);
    if (skip) {
      cpu.x[10] = BigInt.asIntN(64, BigInt(skip.ret));
      resume = { kind: "next" };
    } else {
      const sleeps = SLEEPING.has(nr);
      if (sleeps) h.idle?.();
      resume = this.kernel.syscall();
      if (sleeps) h.resume?.();
    }
    if (resume.kind === "next" || resume.kind === "jump") {
      h.syscallExit?.(nr);
      const to = resume.kind === "next" ? from + 4 : cpu.pc;
      h.discontinuity?.("ecall", from, to);
    }
    return this.finish(Exit.ECALL, resume);
  }

  /** Applies how the kernel resumed the vCPU; returns the end, if any. */
  private finish(
    cause: ExitCause,
    resume: Resume,
  ): Omit<RunResult, "instructions"> | undefined {
    const cpu = this.cpu;
    switch (resume.kind) {
      case "next":
        cpu.pc = cpu.pc + 4;
        return undefined;
      case "jump":
        return undefined;
      case "exit":
        return { status: resume.status & 0xff };
      case "killed":
        this.log(this.diagnostic(cause, resume.signal, resume.addr));
        return { status: 128 + resume.signal, signal: resume.signal };
    }
  }

  /** The one-line report of a guest killed by a signal. */
  private diagnostic(cause: ExitCause, sig: number, addr?: number): string {
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
