/**
 * The deterministic scheduler: every guest thread of every guest process is
 * a vCPU, and the vCPUs take turns on the main isolate.
 *
 * - **Round robin by instruction quanta.** Tasks run in creation order; a
 *   task runs until it has retired `quantum` instructions (checked at block
 *   boundaries by the translator, exactly by the interpreter), blocks in a
 *   system call, yields or ends. The same program with the same inputs
 *   interleaves the same way on every run.
 * - **Single-task fast path.** While only one task lives and no timer is
 *   armed there is nobody to switch to, so translated code keeps its block
 *   chaining and runs until a system call; with two or more tasks (or a
 *   timer) each process's translator returns to the dispatcher after every
 *   block so the quantum can end.
 * - **Parking.** A system call that cannot finish returns a {@link Wait};
 *   the task keeps its pc on the `ecall` and the scheduler asks the wait
 *   again each time it passes the task. A signal the task does not block
 *   interrupts the wait (EINTR, or a restart under SA_RESTART).
 * - **Idle.** When no task can run, the scheduler sleeps the host until the
 *   nearest deadline (a timed wait or an armed timer). A task reading a host
 *   stdin that has no data yet is parked while others can run; when nothing
 *   else can run the host read blocks (timers then fire late).
 * - **Deadlock.** When every task waits for something only another guest
 *   task could do, Linux would hang forever. Pandeno instead prints one line
 *   naming every task and what it waits for, and ends the run with status
 *   137, as if the first process had been killed by SIGKILL.
 * - **The end.** The run ends when the first process ends; processes still
 *   alive then are killed (qemu-riscv64 would leave them running as orphans).
 *
 * @module
 */

import { INSTRET_OFF } from "../layout.ts";
import { Errno } from "./errno.ts";
import type { Kernel } from "./kernel.ts";
import type { Process, ProcessEnd } from "./process.ts";
import type { Resume } from "./resume.ts";
import { SA } from "./signal_state.ts";
import type { Task } from "./task.ts";
import { FutexTable } from "./futex_table.ts";
import { dropTimers } from "./timers.ts";

/** A process's execution engine, as the scheduler drives it (a Machine). */
export interface Runner {
  /** Runs the loaded task until it blocks, ends, yields or retired `quantum` instructions. */
  runSlice(quantum: number): ProcessEnd | undefined;
  /** Finishes the loaded task's parked system call with `r`. */
  finishSyscall(r: number | Resume): ProcessEnd | undefined;
  /** Makes translated code return to the dispatcher after every block (or not). */
  setPreemptible(on: boolean): void;
  /** Creates a child process whose memory and kernel state copy this one's. */
  fork(pid: number): Kernel;
}

/** Observers of vCPUs and processes, for instrumentation (see `MachineHooks`). */
export interface SchedulerHooks {
  /** A vCPU (guest thread) starts: process id, vCPU index within it, tid. */
  vcpuInit?(pid: number, vcpu: number, tid: number): void;
  /** A vCPU ends. */
  vcpuExit?(pid: number, vcpu: number, tid: number): void;
  /** The scheduler switches to another vCPU. */
  vcpuSwitch?(pid: number, vcpu: number, tid: number): void;
  /** A process forked a child. */
  fork?(parent: number, child: number): void;
  /** A process replaced its program. */
  exec?(pid: number, path: string): void;
  /** A process ended. */
  processExit?(pid: number, end: ProcessEnd): void;
}

/** Default instructions per turn. */
export const DEFAULT_QUANTUM = 100_000;
/** Most guest processes alive (or unreaped) at once; fork gives EAGAIN beyond. */
export const MAX_PROCESSES = 64;

interface Timer {
  deadline: number;
  fire(): void;
}

/**
 * Runs the guest's tasks.
 *
 * @example
 * ```ts ignore
 * // Machine creates it: new Machine({ ..., quantum: 10_000 }).run()
 * ```
 */
export class Scheduler {
  /** Instructions a task runs before the next one gets its turn. */
  quantum: number;
  /** Every live task, in creation order. */
  readonly tasks: Task[] = [];
  /** The process each task belongs to. */
  readonly owner: Map<Task, Process> = new Map();
  /** Processes by pid, zombies included until reaped. */
  readonly procs: Map<number, Process> = new Map();
  /** Futex wait queues. */
  readonly futexes: FutexTable = new FutexTable();
  /** Observers. */
  hooks: SchedulerHooks = {};
  /** The task running now. */
  current?: Task;
  private readonly runners = new Map<Process, Runner>();
  private readonly timers = new Map<number, Timer>();
  private nextTimer = 1;
  private reapedInstructions = 0;
  private nextId: number;
  private turn = 0;
  private preemptive = false;
  /** The process whose task ran last (its shared pages are live). */
  private running?: Process;
  private readonly log: (line: string) => void;

  /** A scheduler whose first process is `root` (already loaded). */
  constructor(readonly root: Process, runner: Runner, quantum?: number) {
    this.quantum = quantum ?? DEFAULT_QUANTUM;
    if (!Number.isSafeInteger(this.quantum) || this.quantum < 1) {
      throw new RangeError(
        `quantum ${quantum} must be a positive integer number of instructions`,
      );
    }
    this.nextId = root.pid + 1;
    this.log = root.kernel.log;
    this.attach(root, runner);
    this.current = root.loaded;
    this.running = root;
  }

  /** Registers a new process and its first thread. */
  attach(p: Process, runner: Runner): void {
    this.procs.set(p.pid, p);
    this.runners.set(p, runner);
    p.kernel.sched = this;
    for (const t of p.threads) this.addTask(p, t);
  }

  /** A fresh process / thread id. */
  newId(): number {
    return this.nextId++;
  }

  /** Adds a runnable task of `p`. */
  addTask(p: Process, t: Task): void {
    this.tasks.push(t);
    this.owner.set(t, p);
    this.hooks.vcpuInit?.(p.pid, t.vcpu, t.tid);
    this.updateMode();
  }

  /** The runner of `p`. */
  runnerOf(p: Process): Runner {
    const r = this.runners.get(p);
    if (!r) throw new Error(`process ${p.pid} has no runner`);
    return r;
  }

  /** Processes neither ended nor reaped. */
  get liveProcesses(): number {
    let n = 0;
    for (const p of this.procs.values()) if (!p.end) n++;
    return n;
  }

  /** Runs until the first process ends; returns how it ended. */
  run(): ProcessEnd {
    for (;;) {
      if (this.root.end) {
        for (const p of [...this.procs.values()]) {
          if (!p.end) this.endProcess(p, { status: 137, signal: 9 });
        }
        return this.root.end;
      }
      this.fireTimers();
      const t = this.pick();
      if (!t) {
        const dead = this.idle();
        if (dead) return dead;
        continue;
      }
      const p = this.owner.get(t)!;
      const end = this.runnerOf(p).runSlice(
        this.preemptive ? this.quantum : Number.MAX_SAFE_INTEGER,
      );
      if (end) this.endProcess(p, end);
    }
  }

  /** Makes `t` the running task, loading its registers into page 0. */
  switchTo(t: Task): void {
    const p = this.owner.get(t)!;
    if (p.loaded !== t) {
      const state = p.kernel.mem.u8;
      const sig = p.kernel.signals;
      const old = p.loaded;
      if (old.state !== "dead") {
        old.save(state);
        old.mask = sig.mask;
        old.altstack = sig.altstack;
        old.savedMask = sig.savedMask;
      }
      t.load(state);
      sig.mask = t.mask;
      sig.savedMask = t.savedMask;
      sig.pending = t.pending;
      sig.altstack = t.altstack;
      p.loaded = t;
    }
    if (this.running !== p) {
      // Shared memory between processes: publish, then take in (map_table.ts).
      const was = this.running;
      if (was && !was.end) was.kernel.maps.park();
      p.kernel.maps.unpark();
      this.running = p;
    }
    if (this.current !== t) {
      this.current = t;
      this.hooks.vcpuSwitch?.(p.pid, t.vcpu, t.tid);
    }
  }

  /** The signal mask of `t` (live in the kernel when it is loaded). */
  maskOf(t: Task): bigint {
    const p = this.owner.get(t)!;
    return p.loaded === t ? p.kernel.signals.mask : t.mask;
  }

  /** Instructions `t` retired so far. */
  instructionsOf(t: Task): number {
    const p = this.owner.get(t)!;
    const regs = p.loaded === t ? p.kernel.mem.u8 : t.regs;
    const v = new DataView(regs.buffer, regs.byteOffset + INSTRET_OFF, 8);
    return v.getUint32(0, true) + v.getUint32(4, true) * 0x1_0000_0000;
  }

  /** Instructions retired by every thread of `p`, ended ones included. */
  instructionsOfProcess(p: Process): number {
    let n = p.retired;
    for (const t of p.threads) {
      if (t.state !== "dead") n += this.instructionsOf(t);
    }
    return n;
  }

  /**
   * The guest's monotonic time in milliseconds, from the first process's
   * clock (the host's, or the virtual one of `--icount`): every deadline of
   * waits and timers is on this scale.
   */
  now(): number {
    return Number(this.root.kernel.clock.now(1)!) / 1e6;
  }

  /** Instructions retired by every vCPU of the run so far. */
  totalInstructions(): number {
    let n = this.reapedInstructions;
    for (const p of this.procs.values()) n += this.instructionsOfProcess(p);
    return n;
  }

  /** Arms a one-shot timer; returns its id. */
  addTimer(deadline: number, fire: () => void): number {
    const id = this.nextTimer++;
    this.timers.set(id, { deadline, fire });
    this.updateMode();
    return id;
  }

  /** Disarms a timer (no-op for an unknown id). */
  cancelTimer(id: number): void {
    if (this.timers.delete(id)) this.updateMode();
  }

  /**
   * Ends thread `t` with `status`: clear-tid store and futex wake, robust
   * list release, and the process's end when it was the last thread.
   */
  exitThread(t: Task, status: number): ProcessEnd | undefined {
    const p = this.owner.get(t)!;
    const k = p.kernel;
    if (p.loaded === t) {
      t.save(k.mem.u8);
      t.mask = k.signals.mask;
    }
    if (t.clearChildTid !== 0 && k.mem.writeU32(t.clearChildTid, 0)) {
      this.futexes.wake(k.mem, t.clearChildTid, 1, -1);
    }
    t.instructions = this.instructionsOf(t);
    p.retired += t.instructions;
    t.exitStatus = status;
    this.dropTask(p, t);
    if (p.live.length > 0) return undefined;
    const leader = p.threads[0];
    return { status: leader.exitStatus ?? status };
  }

  /** Ends process `p` (exit_group, a fatal signal, or the last thread's exit). */
  endProcess(p: Process, end: ProcessEnd): void {
    if (p.end) return;
    for (const t of p.threads) {
      if (t.state === "dead") continue;
      t.wait?.cancel?.();
      t.wait = undefined;
      t.instructions = this.instructionsOf(t);
      p.retired += t.instructions;
      t.exitStatus = end.status;
      this.dropTask(p, t);
    }
    p.kernel.fds.closeAll();
    p.kernel.maps.close();
    dropTimers(p.kernel, p);
    p.end = end;
    this.hooks.processExit?.(p.pid, end);
    p.vforkParent = undefined; // the parent's vfork returns
    for (const c of p.children) {
      c.parent = undefined;
      if (c.end) this.reap(c);
    }
    p.children.clear();
    const parent = p.parent;
    if (!parent || parent.end) {
      if (p !== this.root) this.reap(p);
      return;
    }
    const act = parent.kernel.signals.actions[17];
    const SA_NOCLDWAIT = 2;
    if (
      p.exitSignal === 17 && (act.handler === 1 || act.flags & SA_NOCLDWAIT)
    ) {
      this.reap(p); // the parent asked for no zombies
      return;
    }
    if (p.exitSignal > 0 && !parent.kernel.signals.ignored(p.exitSignal)) {
      parent.kernel.signals.raiseShared({
        signo: p.exitSignal,
        code: end.signal !== undefined ? 2 : 1, // CLD_KILLED, CLD_EXITED
        pid: p.pid,
        uid: p.kernel.uid,
        value: BigInt(end.signal ?? end.status), // si_status
      });
    }
  }

  /** Forgets a zombie: its memory can be freed. */
  reap(p: Process): void {
    if (this.procs.has(p.pid)) {
      this.reapedInstructions += this.instructionsOfProcess(p);
    }
    p.parent?.children.delete(p);
    this.procs.delete(p.pid);
    this.runners.delete(p);
  }

  /** Sets whether translated code must return to the dispatcher every block. */
  private updateMode(): void {
    const on = this.tasks.length > 1 || this.timers.size > 0;
    if (on === this.preemptive) return;
    this.preemptive = on;
    for (const r of this.runners.values()) r.setPreemptible(on);
  }

  /** Removes an ended task from the run queue. */
  private dropTask(p: Process, t: Task): void {
    const i = this.tasks.indexOf(t);
    if (i >= 0) {
      this.tasks.splice(i, 1);
      if (i < this.turn) this.turn--;
    }
    this.hooks.vcpuExit?.(p.pid, t.vcpu, t.tid);
    if (this.current === t) this.current = undefined;
    this.updateMode();
  }

  /** Fires the timers whose deadline passed, earliest first. */
  private fireTimers(): void {
    if (this.timers.size === 0) return;
    const now = this.now();
    const due = [...this.timers].filter(([, t]) => t.deadline <= now)
      .sort((a, b) => a[1].deadline - b[1].deadline || a[0] - b[0]);
    for (const [id, t] of due) {
      this.timers.delete(id);
      t.fire();
    }
    if (due.length > 0) this.updateMode();
  }

  /**
   * The next task to run, round robin from the one after the last turn.
   * Parked tasks are asked again on the way; one that finished is loaded
   * with its result and runs.
   */
  private pick(): Task | undefined {
    const n = this.tasks.length;
    for (let i = 0; i < n; i++) {
      const idx = (this.turn + i) % this.tasks.length;
      const t = this.tasks[idx];
      if (!t) continue;
      if (t.state === "wait" && !this.poll(t)) continue;
      if (t.state !== "run") continue;
      this.turn = (this.tasks.indexOf(t) + 1) % Math.max(1, this.tasks.length);
      this.switchTo(t);
      return t;
    }
    return undefined;
  }

  /**
   * Asks a parked task's wait again: a deliverable signal interrupts it,
   * a finished call completes, a passed deadline times it out. Returns true
   * when the task can run now (or ended its process).
   */
  private poll(t: Task): boolean {
    const w = t.wait!;
    const p = this.owner.get(t)!;
    const sig = p.kernel.signals;
    const signo = this.interrupting(p, t);
    let r: number | Resume | undefined;
    if (signo !== 0) {
      w.cancel?.();
      t.wait = undefined;
      this.switchTo(t);
      const act = sig.actions[signo];
      if (w.restartable && (act.flags & SA.RESTART) && act.handler > 1) {
        r = { kind: "jump" }; // pc stays on the ecall: the call starts again
      } else {
        r = w.interrupted?.() ?? -Errno.EINTR;
      }
    } else {
      r = w.retry();
      if (r === undefined && w.deadline !== undefined) {
        if (this.now() >= w.deadline) {
          w.cancel?.();
          r = w.timeout?.() ?? -Errno.ETIMEDOUT;
        }
      }
      if (r === undefined) return false;
      t.wait = undefined;
      this.switchTo(t);
      w.finish?.();
    }
    const end = this.runnerOf(p).finishSyscall(r);
    if (end) {
      this.endProcess(p, end);
      return false;
    }
    return t.state === "run";
  }

  /** A pending signal that would interrupt parked task `t` (0 if none). */
  private interrupting(p: Process, t: Task): number {
    const sig = p.kernel.signals;
    const mask = this.maskOf(t);
    for (const m of [t.pending, sig.shared]) {
      for (const s of m.keys()) {
        if ((mask & (1n << BigInt(s - 1))) !== 0n) continue;
        if (sig.ignored(s)) {
          m.delete(s);
          continue;
        }
        return s;
      }
    }
    return 0;
  }

  /**
   * Nothing can run: sleeps until the nearest deadline, or lets a stdin
   * reader block the host. Returns the run's end on a deadlock.
   */
  private idle(): ProcessEnd | undefined {
    const reader = this.tasks.find((t) => t.wait?.hostBlock);
    if (reader) {
      const w = reader.wait!;
      reader.wait = undefined;
      this.switchTo(reader);
      const p = this.owner.get(reader)!;
      const end = this.runnerOf(p).finishSyscall(w.hostBlock!());
      if (end) this.endProcess(p, end);
      return undefined;
    }
    let next = Infinity;
    for (const t of this.timers.values()) next = Math.min(next, t.deadline);
    for (const t of this.tasks) {
      if (t.wait?.deadline !== undefined) {
        next = Math.min(next, t.wait.deadline);
      }
    }
    if (next !== Infinity) {
      const ms = next - this.now();
      // The host clock waits; the virtual clock just moves on.
      if (ms > 0) this.root.kernel.clock.sleep(BigInt(Math.ceil(ms * 1e6)));
      return undefined;
    }
    const who = this.tasks.map((t) => {
      const p = this.owner.get(t)!;
      return `pid ${p.pid} tid ${t.tid} (${t.wait?.reason ?? "running"})`;
    });
    this.log(
      `pandeno: deadlock: every guest task waits forever: ${
        who.join(", ")
      }; stopping with status 137`,
    );
    for (const p of [...this.procs.values()]) {
      if (!p.end) this.endProcess(p, { status: 137, signal: 9 });
    }
    return { status: 137, signal: 9 };
  }
}
