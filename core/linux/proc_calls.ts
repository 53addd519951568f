/**
 * Calls between guest processes: wait4, waitid, getppid, process groups and
 * sessions (setpgid, getpgid, getpgrp, getsid, setsid), and kill, tkill and
 * tgkill across every guest thread and process. The guest can never signal
 * a host process: ids name guest tasks only.
 *
 * @module
 */

import type { Kernel, SyscallHandler } from "./kernel.ts";
import type { Resume } from "./resume.ts";
import { Errno } from "./errno.ts";
import type { Process } from "./process.ts";
import { Sig } from "./signal_state.ts";

const WNOHANG = 1, WUNTRACED = 2, WEXITED = 4, WCONTINUED = 8;
const WNOWAIT = 0x0100_0000, WALL = 0x4000_0000, WCLONE = 0x8000_0000;
const P_ALL = 0, P_PID = 1, P_PGID = 2;
const SI_USER = 0, SI_TKILL = -6, CLD_EXITED = 1, CLD_KILLED = 2;

/** The children of `k` that `pid` (wait4's convention) selects. */
function selected(k: Kernel, pid: number): Process[] {
  const all = [...k.proc.children];
  if (pid === -1) return all;
  if (pid > 0) return all.filter((c) => c.pid === pid);
  const pgid = pid === 0 ? k.proc.pgid : -pid;
  return all.filter((c) => c.pgid === pgid);
}

/** Parks until `pick` finds an ended child, or answers at once. */
function waitFor(
  k: Kernel,
  pid: number,
  options: number,
  reap: (c: Process) => number,
  none: () => number,
): number | Resume {
  const attempt = (): number | undefined => {
    const cands = selected(k, pid);
    if (cands.length === 0) return -Errno.ECHILD;
    const done = cands.find((c) => c.end);
    if (done) return reap(done);
    if (options & WNOHANG) return none();
    return undefined;
  };
  const r = attempt();
  if (r !== undefined) return r;
  return {
    kind: "block",
    wait: {
      reason: `wait for child ${pid === -1 ? "any" : pid}`,
      retry: attempt,
      restartable: true,
    },
  };
}

function wait4(
  k: Kernel,
  pid: number,
  status: number,
  options: number,
  rusage: number,
): number | Resume {
  if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | WALL | WCLONE)) {
    return -Errno.EINVAL;
  }
  if (pid === -0x8000_0000) return -Errno.ESRCH;
  return waitFor(k, pid, options, (c) => {
    if (status !== 0 && !k.mem.writeU32(status, c.waitStatus(c.end!))) {
      return -Errno.EFAULT;
    }
    if (rusage !== 0 && !k.mem.write(rusage, new Uint8Array(144))) {
      return -Errno.EFAULT;
    }
    k.sched!.reap(c);
    return c.pid;
  }, () => 0);
}

function waitid(
  k: Kernel,
  idtype: number,
  id: number,
  info: number,
  options: number,
): number | Resume {
  if (
    options &
    ~(WNOHANG | WEXITED | WUNTRACED | WCONTINUED | WNOWAIT | WALL | WCLONE)
  ) {
    return -Errno.EINVAL;
  }
  if (!(options & (WEXITED | WUNTRACED | WCONTINUED))) return -Errno.EINVAL;
  let pid: number;
  if (idtype === P_ALL) pid = -1;
  else if (idtype === P_PID) pid = id > 0 ? id : -0x7fff_ffff;
  else if (idtype === P_PGID) pid = id > 0 ? -id : 0;
  else return -Errno.EINVAL;
  if (!(options & WEXITED)) {
    // Stops and continues never happen here: nothing to report, ever.
    return selected(k, pid).length === 0
      ? -Errno.ECHILD
      : (options & WNOHANG)
      ? 0
      : -Errno.ECHILD;
  }
  const write = (signo: number, code: number, c?: Process): boolean => {
    if (info === 0) return true;
    const b = new Uint8Array(128);
    const v = new DataView(b.buffer);
    v.setInt32(0, signo, true);
    v.setInt32(8, code, true);
    if (c) {
      const end = c.end!;
      v.setInt32(16, c.pid, true);
      v.setUint32(20, k.uid, true);
      v.setInt32(24, end.signal ?? end.status, true);
    }
    return k.mem.write(info, b);
  };
  return waitFor(k, pid, options, (c) => {
    const code = c.end!.signal !== undefined ? CLD_KILLED : CLD_EXITED;
    if (!write(Sig.SIGCHLD, code, c)) return -Errno.EFAULT;
    if (!(options & WNOWAIT)) k.sched!.reap(c);
    return 0;
  }, () => write(0, 0) ? 0 : -Errno.EFAULT);
}

/** The guest process with id `pid` (not reaped yet), if any. */
function findProcess(k: Kernel, pid: number): Process | undefined {
  if (!k.sched) return pid === k.pid ? k.proc : undefined;
  return k.sched.procs.get(pid);
}

/**
 * Sends `sig` to process `p` from `k`: SIGKILL ends it at once; ignored
 * signals are dropped; others wait in its shared pending set.
 */
function signalProcess(k: Kernel, p: Process, sig: number): Resume | undefined {
  if (sig === 0 || p.end) return undefined;
  if (sig === Sig.SIGKILL) {
    if (p === k.proc) return { kind: "killed", signal: sig };
    k.sched!.endProcess(p, { status: 128 + sig, signal: sig });
    return undefined;
  }
  const s = p.kernel.signals;
  if (s.ignored(sig)) return undefined;
  s.raiseShared({ signo: sig, code: SI_USER, pid: k.pid, uid: k.uid });
  return undefined;
}

function kill(k: Kernel, pid: number, sig: number): number | Resume {
  if (sig < 0 || sig > 64) return -Errno.EINVAL;
  let targets: Process[];
  if (pid > 0) {
    const p = findProcess(k, pid) ??
      (k.sched ? ownerOfTid(k, pid) : undefined);
    targets = p ? [p] : []; // a zombie takes signals and ignores them
  } else {
    const all = k.sched ? [...k.sched.procs.values()] : [k.proc];
    const live = all.filter((p) => !p.end);
    if (pid === -1) targets = live.filter((p) => p !== k.proc);
    else {
      const pgid = pid === 0 ? k.proc.pgid : -pid;
      targets = live.filter((p) => p.pgid === pgid);
    }
    if (pid === -1 && targets.length === 0) targets = [k.proc];
  }
  if (targets.length === 0) return -Errno.ESRCH;
  let self: Resume | undefined;
  for (const p of targets) self = signalProcess(k, p, sig) ?? self;
  return self ?? 0;
}

/** The process a thread id belongs to. */
function ownerOfTid(k: Kernel, tid: number): Process | undefined {
  for (const [t, p] of k.sched!.owner) {
    if (t.tid === tid && t.state !== "dead") return p;
  }
  return undefined;
}

function tgkill(
  k: Kernel,
  tgid: number,
  tid: number,
  sig: number,
): number | Resume {
  if (sig < 0 || sig > 64 || tid <= 0 || (tgid <= 0 && tgid !== -1)) {
    return -Errno.EINVAL;
  }
  const p = k.sched ? ownerOfTid(k, tid) : (tid === k.pid ? k.proc : undefined);
  if (!p || (tgid !== -1 && p.pid !== tgid)) return -Errno.ESRCH;
  const t = p.threads.find((t) => t.tid === tid && t.state !== "dead");
  if (!t) return -Errno.ESRCH;
  if (sig === 0) return 0;
  if (sig === Sig.SIGKILL) return signalProcess(k, p, sig) ?? 0;
  if (p.kernel.signals.ignored(sig)) return 0;
  if (!t.pending.has(sig)) {
    t.pending.set(sig, { signo: sig, code: SI_TKILL, pid: k.pid, uid: k.uid });
  }
  return 0;
}

function setpgid(k: Kernel, pid: number, pgid: number): number {
  if (pgid < 0) return -Errno.EINVAL;
  const p = pid === 0 ? k.proc : findProcess(k, pid);
  if (!p || (p !== k.proc && p.parent !== k.proc)) return -Errno.ESRCH;
  if (p !== k.proc && p.execed) return -Errno.EACCES;
  if (p.sid !== k.proc.sid) return -Errno.EPERM;
  if (p.pid === p.sid) return -Errno.EPERM; // a session leader
  const target = pgid === 0 ? p.pid : pgid;
  if (target !== p.pid) {
    const procs = k.sched ? [...k.sched.procs.values()] : [k.proc];
    const ok = procs.some((q) =>
      !q.end && q.pgid === target && q.sid === p.sid
    );
    if (!ok) return -Errno.EPERM;
  }
  p.pgid = target;
  return 0;
}

function setsid(k: Kernel): number {
  const p = k.proc;
  const procs = k.sched ? [...k.sched.procs.values()] : [p];
  if (procs.some((q) => !q.end && q.pgid === p.pid)) {
    if (p.pgid === p.pid) return -Errno.EPERM;
  }
  p.sid = p.pgid = p.pid;
  return p.pid;
}

/**
 * Handlers for the inter-process calls, keyed by riscv64 number
 * (asm-generic/unistd.h).
 *
 * @example
 * ```ts
 * import { PROC_CALLS } from "./proc_calls.ts";
 * console.log(typeof PROC_CALLS[260]); // "function"
 * ```
 */
export const PROC_CALLS: Record<number, SyscallHandler> = {
  260: (k, a) => wait4(k, a[0] | 0, a[1], a[2] | 0, a[3]), // wait4
  95: (k, a) => waitid(k, a[0] | 0, a[1] | 0, a[2], a[3] | 0), // waitid
  173: (k) =>
    // getppid: the first process's parent is outside the guest
    k.proc.parent?.pid ??
      (k.sched?.root === k.proc || !k.sched ? Math.max(1, k.pid - 1) : 1),
  154: (k, a) => setpgid(k, a[0] | 0, a[1] | 0), // setpgid
  155: (k, a) => { // getpgid
    const p = (a[0] | 0) === 0 ? k.proc : findProcess(k, a[0] | 0);
    return p && !p.end ? p.pgid : -Errno.ESRCH;
  },
  156: (k, a) => { // getsid
    const p = (a[0] | 0) === 0 ? k.proc : findProcess(k, a[0] | 0);
    return p && !p.end ? p.sid : -Errno.ESRCH;
  },
  157: (k) => setsid(k), // setsid
  129: (k, a) => kill(k, a[0] | 0, a[1] | 0), // kill
  130: (k, a) => tgkill(k, -1, a[0] | 0, a[1] | 0), // tkill
  131: (k, a) => tgkill(k, a[0] | 0, a[1] | 0, a[2] | 0), // tgkill
};
