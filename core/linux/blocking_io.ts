/**
 * Blocking reads and writes: read, write, readv and writev on a pipe that
 * is empty (or full) park the task until the other end acts, unless the
 * description is O_NONBLOCK. A read from the host's stdin parks the task
 * while other guest tasks exist, and blocks the host only when none of them
 * can run (see `scheduler.ts`).
 *
 * @module
 */

import type { SyscallHandler } from "./kernel.ts";
import { Errno } from "./errno.ts";
import { FS_IO_SYSCALLS } from "./fs_io.ts";
import { SOCKET_SYSCALLS } from "./socket.ts";
import type { Resume } from "./resume.ts";

const O_NONBLOCK = 0o4000, MSG_DONTWAIT = 0x40;
const READ = 63, WRITE = 64, READV = 65, WRITEV = 66;

/** Wraps the plain handler of `nr` with parking. */
function blocking(nr: number, reads: boolean): SyscallHandler {
  const inner = FS_IO_SYSCALLS[nr];
  return (k, a) => {
    const fd = a[0] | 0;
    const d = k.fds.get(fd)?.desc;
    const sched = k.sched;
    if (!d || !sched) return inner(k, a);
    if (
      reads && d.kind === "stdio" && d.hostFd === 0 && sched.tasks.length > 1
    ) {
      return {
        kind: "block",
        wait: {
          reason: `read from host stdin (fd ${fd})`,
          retry: () => undefined,
          hostBlock: () => inner(k, a),
          restartable: true,
        },
      };
    }
    const r = inner(k, a);
    if (
      typeof r === "number" && nr === WRITE && d.kind === "pipe" &&
      !(d.flags & O_NONBLOCK) &&
      r > 0 && r < a[2]
    ) {
      return finishWrite(inner, k, a, r);
    }
    const parks = d.kind === "pipe" || d.kind === "anon" ||
      d.kind === "socket";
    if (r !== -Errno.EAGAIN || !parks || (d.flags & O_NONBLOCK)) {
      return r;
    }
    return {
      kind: "block",
      wait: {
        reason: `${reads ? "read from" : "write to"} ${
          d.kind === "anon"
            ? d.name
            : d.kind === "socket"
            ? "a socket"
            : "a pipe"
        } (fd ${fd})`,
        retry: () => {
          const again = inner(k, a);
          return again === -Errno.EAGAIN ? undefined : again;
        },
        restartable: true,
      },
    };
  };
}

/**
 * Wraps socket call `nr` (fd in a0; MSG_DONTWAIT in argument `flagArg`, if
 * any) so that EAGAIN on a blocking socket parks the task (accept with an
 * empty queue, recv with nothing queued, connect to a full backlog).
 */
function blockingSocket(
  nr: number,
  what: string,
  flagArg?: number,
): SyscallHandler {
  const inner = SOCKET_SYSCALLS[nr];
  return (k, a) => {
    const r = inner(k, a);
    const d = k.fds.get(a[0] | 0)?.desc;
    if (r !== -Errno.EAGAIN || !k.sched || d?.kind !== "socket") return r;
    if (d.flags & O_NONBLOCK) return r;
    if (flagArg !== undefined && (a[flagArg] & MSG_DONTWAIT)) return r;
    return {
      kind: "block",
      wait: {
        reason: `${what} on a socket (fd ${a[0] | 0})`,
        retry: () => {
          const again = inner(k, a);
          return again === -Errno.EAGAIN ? undefined : again;
        },
        restartable: true,
      },
    };
  };
}

/**
 * A blocking write to a pipe that took only part of the data: the task
 * parks until the rest went in (as Linux's pipe_write), or the readers went
 * away; a signal then returns what was written.
 */
function finishWrite(
  inner: SyscallHandler,
  k: Parameters<SyscallHandler>[0],
  a: number[],
  first: number,
): Resume {
  let done = first;
  return {
    kind: "block",
    wait: {
      reason: `write to a pipe (fd ${a[0] | 0})`,
      retry: () => {
        const n = inner(k, [a[0], a[1] + done, a[2] - done]);
        if (n === -Errno.EAGAIN) return undefined;
        if (typeof n !== "number") return n;
        if (n < 0) return done;
        done += n;
        return done < a[2] ? undefined : done;
      },
      interrupted: () => done,
    },
  };
}

/**
 * Handlers for read, write, readv and writev with blocking pipes, keyed by
 * riscv64 number.
 *
 * @example
 * ```ts
 * import { BLOCKING_IO_SYSCALLS } from "./blocking_io.ts";
 * console.log(typeof BLOCKING_IO_SYSCALLS[63]); // "function"
 * ```
 */
export const BLOCKING_IO_SYSCALLS: Record<number, SyscallHandler> = {
  [READ]: blocking(READ, true),
  [WRITE]: blocking(WRITE, false),
  [READV]: blocking(READV, true),
  [WRITEV]: blocking(WRITEV, false),
  202: blockingSocket(202, "accept"), // accept
  242: blockingSocket(242, "accept"), // accept4
  203: blockingSocket(203, "connect"), // connect
  206: blockingSocket(206, "sendto", 3), // sendto
  207: blockingSocket(207, "recvfrom", 3), // recvfrom
  211: blockingSocket(211, "sendmsg", 2), // sendmsg
  212: blockingSocket(212, "recvmsg", 2), // recvmsg
};
