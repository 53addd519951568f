/**
 * clone (threads, fork, vfork), exit, set_tid_address and gettid.
 *
 * A thread (CLONE_VM|CLONE_THREAD|CLONE_SIGHAND) is a new {@link Task} in
 * the same process: same memory, fds and dispositions, its own registers
 * and signal mask. Without CLONE_VM the child is a new process with its own
 * Machine: memory and kernel state are copied, open file descriptions are
 * shared (offsets too). vfork (CLONE_VM|CLONE_VFORK) is a fork whose parent
 * waits until the child execs or exits; the child runs on a copy, so what it
 * writes to memory before exec is not seen by the parent.
 *
 * @module
 */

import type { Kernel, SyscallHandler } from "./kernel.ts";
import type { Resume } from "./resume.ts";
import { Errno } from "./errno.ts";
import { MAX_PROCESSES } from "./scheduler.ts";

/** clone flags, include/uapi/linux/sched.h. */
export const CLONE = {
  VM: 0x100,
  FS: 0x200,
  FILES: 0x400,
  SIGHAND: 0x800,
  PIDFD: 0x1000,
  VFORK: 0x4000,
  PARENT: 0x8000,
  THREAD: 0x10000,
  SYSVSEM: 0x40000,
  SETTLS: 0x80000,
  PARENT_SETTID: 0x100000,
  CHILD_CLEARTID: 0x200000,
  DETACHED: 0x400000,
  CHILD_SETTID: 0x1000000,
} as const;

const SUPPORTED = 0xff | CLONE.VM | CLONE.FS | CLONE.FILES | CLONE.SIGHAND |
  CLONE.VFORK | CLONE.PARENT | CLONE.THREAD | CLONE.SYSVSEM | CLONE.SETTLS |
  CLONE.PARENT_SETTID | CLONE.CHILD_CLEARTID | CLONE.DETACHED |
  CLONE.CHILD_SETTID;

/**
 * clone(flags, newsp, parent_tid, tls, child_tid): riscv64 takes the
 * arguments in this order (glibc's clone.S passes them so).
 *
 * @example
 * ```ts ignore
 * clone(kernel, [0x11 , 0, 0, 0, 0]); // fork: SIGCHLD only
 * ```
 */
export function clone(k: Kernel, a: number[]): number | Resume {
  const [flags, sp, ptid, tls, ctid] = a;
  const sched = k.sched;
  if (!sched) return -Errno.ENOSYS;
  if (flags & ~SUPPORTED) return -Errno.EINVAL;
  if ((flags & CLONE.THREAD) && !(flags & CLONE.SIGHAND)) return -Errno.EINVAL;
  if ((flags & CLONE.SIGHAND) && !(flags & CLONE.VM)) return -Errno.EINVAL;
  const cpu = k.cpu;
  const parent = k.proc.loaded;
  const isThread = (flags & CLONE.THREAD) !== 0;
  if (!isThread && (flags & CLONE.VM) && !(flags & CLONE.VFORK)) {
    return -Errno.EINVAL; // a process sharing memory: not supported
  }
  if (!isThread && sched.procs.size >= MAX_PROCESSES) return -Errno.EAGAIN;
  const id = sched.newId();
  const childK = isThread ? k : sched.runnerOf(k.proc).fork(id);
  const p = childK.proc;
  const t = isThread ? p.addThread(id) : p.threads[0];
  t.save(k.mem.u8);
  t.resetInstret();
  t.setReg(10, 0);
  t.setPc(cpu.pc + 4);
  if (sp !== 0) t.setReg(2, sp);
  if (flags & CLONE.SETTLS) t.setReg(4, tls);
  t.mask = k.signals.mask;
  if (isThread) {
    // Linux clears the alternate stack of a thread sharing the memory.
    t.altstack = { sp: 0, size: 0, flags: 2 };
  } else {
    t.altstack = { ...k.signals.altstack };
    p.parent = (flags & CLONE.PARENT) && k.proc.parent ? k.proc.parent : k.proc;
    p.parent.children.add(p);
    p.pgid = k.proc.pgid;
    p.sid = k.proc.sid;
    p.exitSignal = flags & 0xff;
  }
  if (!isThread) {
    t.load(childK.mem.u8); // the child's page 0 holds its only thread
    childK.signals.mask = t.mask;
    childK.signals.altstack = t.altstack;
  }
  if (flags & CLONE.PARENT_SETTID) k.mem.writeU32(ptid, id);
  if (flags & CLONE.CHILD_SETTID) childK.mem.writeU32(ctid, id);
  if (flags & CLONE.CHILD_CLEARTID) t.clearChildTid = ctid;
  if (isThread) sched.addTask(p, t);
  else sched.hooks.fork?.(k.pid, id);
  if (flags & CLONE.VFORK) {
    p.vforkParent = parent;
    return {
      kind: "block",
      wait: {
        reason: `vfork child ${id}`,
        retry: () => p.vforkParent ? undefined : id,
        interrupted: () => id,
      },
    };
  }
  return id;
}

/** exit(2): ends the calling thread; the process ends with its last thread. */
function exitThread(k: Kernel, status: number): Resume {
  const sched = k.sched;
  if (!sched || k.proc.live.length <= 1) {
    return { kind: "exit", status: status & 0xff };
  }
  const end = sched.exitThread(k.proc.loaded, status & 0xff);
  return end ? { kind: "exit", status: end.status } : { kind: "gone" };
}

/**
 * Handlers for thread and process creation and exit, keyed by riscv64
 * number (asm-generic/unistd.h).
 *
 * @example
 * ```ts
 * import { CLONE_SYSCALLS } from "./clone.ts";
 * console.log(typeof CLONE_SYSCALLS[220]); // "function"
 * ```
 */
export const CLONE_SYSCALLS: Record<number, SyscallHandler> = {
  220: (k, a) => clone(k, a), // clone
  // clone3: qemu-riscv64 7.2 answers ENOSYS and glibc falls back to clone.
  435: () => -Errno.ENOSYS,
  93: (k, a) => exitThread(k, a[0]), // exit
  96: (k, a) => { // set_tid_address
    k.proc.loaded.clearChildTid = a[0];
    return k.proc.loaded.tid;
  },
  178: (k) => k.proc.loaded.tid, // gettid
};
