/**
 * A guest process as the scheduler sees it: its threads, its parent and
 * children, its process group and session, and its end once every thread
 * ended (a zombie until the parent reaps it with wait4 or waitid).
 *
 * @module
 */

import type { Kernel } from "./kernel.ts";
import { Task } from "./task.ts";

/** How a process ended, as wait4 reports it. */
export interface ProcessEnd {
  /** Exit status (0-255) when it exited. */
  status: number;
  /** The signal that killed it, if one did. */
  signal?: number;
}

/** Linux's SIGCHLD (asm-generic/signal.h). */
const SIGCHLD = 17;

/**
 * One guest process.
 *
 * @example
 * ```ts
 * import { Process } from "./process.ts";
 * import type { Kernel } from "./kernel.ts";
 * const p = new Process(100, {} as Kernel);
 * console.log(p.pid, p.threads[0].tid, p.waitStatus({ status: 3 })); // 100 100 768
 * ```
 */
export class Process {
  /** Threads, the first one (tid = pid) first; dead threads are removed. */
  readonly threads: Task[] = [];
  /** The thread whose registers are in page 0 now. */
  loaded: Task;
  /** The parent process (undefined for the first process and orphans). */
  parent?: Process;
  /** Children not yet reaped. */
  readonly children: Set<Process> = new Set();
  /** Process group id. */
  pgid: number;
  /** Session id. */
  sid: number;
  /** Signal sent to the parent at exit (clone's low byte; SIGCHLD for fork). */
  exitSignal: number = SIGCHLD;
  /** Set once every thread ended. */
  end?: ProcessEnd;
  /** Instructions retired by threads that already ended. */
  retired = 0;
  /** Has called execve since fork (setpgid on it then gives EACCES). */
  execed = false;
  /** The parent, suspended by vfork until this process execs or exits. */
  vforkParent?: Task;
  private vcpus = 0;

  /** Process id. */
  readonly pid: number;
  /** The process's kernel state (memory, fds, signal dispositions). */
  readonly kernel: Kernel;

  /** A process whose first thread has tid `pid`. */
  constructor(pid: number, kernel: Kernel) {
    this.pid = pid;
    this.kernel = kernel;
    this.loaded = this.addThread(pid);
    this.pgid = pid;
    this.sid = pid;
  }

  /** Creates a thread with the next vCPU index. */
  addThread(tid: number): Task {
    const t = new Task(tid, this.vcpus++);
    this.threads.push(t);
    return t;
  }

  /** Threads that have not ended. */
  get live(): Task[] {
    return this.threads.filter((t) => t.state !== "dead");
  }

  /** The wait(2) status word for `end`. */
  waitStatus(end: ProcessEnd): number {
    return end.signal !== undefined
      ? end.signal & 0x7f
      : (end.status & 0xff) << 8;
  }
}
