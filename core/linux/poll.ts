/**
 * Readiness: ppoll and pselect6 (what glibc's poll, select and pause use on
 * riscv64). A descriptor's readiness comes from what it is: a pipe is
 * readable with bytes queued or no writer left, writable with room or with
 * no reader left (POLLERR); files, directories and devices are always
 * ready; the host's stdin is taken as readable (a read then blocks the host
 * only when no other task can run, see `scheduler.ts`).
 *
 * With a signal mask argument, the mask is in force while the call waits,
 * exactly as with rt_sigsuspend; it is put back when the call returns.
 *
 * @module
 */

import type { Kernel, SyscallHandler } from "./kernel.ts";
import type { Resume } from "./resume.ts";
import { Errno } from "./errno.ts";
import { readWords, writeWords } from "./_args.ts";
import { UNBLOCKABLE } from "./signal_state.ts";
import type { Description } from "./fd_table.ts";

/** poll(2) event bits, include/uapi/asm-generic/poll.h. */
export const POLL = {
  IN: 0x1,
  PRI: 0x2,
  OUT: 0x4,
  ERR: 0x8,
  HUP: 0x10,
  NVAL: 0x20,
  RDNORM: 0x40,
  WRNORM: 0x100,
} as const;
const READABLE = POLL.IN | POLL.RDNORM, WRITABLE = POLL.OUT | POLL.WRNORM;

/**
 * What `d` is ready for now, as poll bits (before masking by the events
 * asked for). Description kinds this file does not know are always ready.
 *
 * @example
 * ```ts
 * import { readiness } from "./poll.ts";
 * const pipe = { chunks: [], size: 0, capacity: 65536, readers: 1, writers: 0 };
 * console.log(readiness({ kind: "pipe", pipe, end: "r", flags: 0, refs: 1 })); // 16
 * ```
 */
export function readiness(d: Description): number {
  switch (d.kind) {
    case "pipe": {
      const p = d.pipe;
      if (d.end === "r") {
        return (p.size > 0 ? READABLE : 0) | (p.writers === 0 ? POLL.HUP : 0);
      }
      if (p.readers === 0) return WRITABLE | POLL.ERR;
      return p.size < p.capacity ? WRITABLE : 0;
    }
    case "stdio":
      return d.hostFd === 0 ? READABLE : WRITABLE;
    case "anon":
      return d.file.poll();
    case "socket": {
      const s = d.sock;
      const eof = s.readEof || (s.wasConnected && !s.peer);
      const readable = s.inbox.length > 0 || eof ||
        (s.listening && s.backlog.length > 0);
      const writable = !s.writeShut &&
        (s.peer !== undefined || !s.connectionOriented);
      return (readable ? READABLE : 0) | (writable ? WRITABLE : 0) |
        (eof && s.connectionOriented && s.wasConnected ? POLL.HUP : 0);
    }
    default:
      return READABLE | WRITABLE;
  }
}

/** Ready bits of `fd` for `events` (POLLNVAL for a closed fd). */
function revents(k: Kernel, fd: number, events: number): number {
  if (fd < 0) return 0;
  const e = k.fds.get(fd);
  if (!e) return POLL.NVAL;
  return readiness(e.desc) & (events | POLL.ERR | POLL.HUP);
}

/** Reads an optional timeout timespec: ms, undefined for none, or -errno. */
function timeoutMs(
  k: Kernel,
  tsp: number,
): number | undefined | { err: number } {
  if (tsp === 0) return undefined;
  const w = readWords(k.mem, tsp, 2);
  if (!w) return { err: -Errno.EFAULT };
  if (w[0] < 0n || w[1] < 0n || w[1] >= 1_000_000_000n) {
    return { err: -Errno.EINVAL };
  }
  return Number(w[0]) * 1000 + Number(w[1]) / 1e6;
}

/** Reads a rt_sigprocmask-style mask argument: the mask, undefined, or -errno. */
function readMask(
  k: Kernel,
  addr: number,
  size: number,
): bigint | undefined | { err: number } {
  if (addr === 0) return undefined;
  if (size !== 8) return { err: -Errno.EINVAL };
  const w = readWords(k.mem, addr, 1);
  if (!w) return { err: -Errno.EFAULT };
  return BigInt.asUintN(64, w[0]) & ~UNBLOCKABLE;
}

/** Writes the time left before `deadline` as a timespec at `tsp`. */
function leftTo(k: Kernel, tsp: number): ((left: number) => void) | undefined {
  if (tsp === 0) return undefined;
  return (ms) => {
    const ns = BigInt(Math.max(0, Math.round(ms * 1e6)));
    writeWords(k.mem, tsp, [ns / 1_000_000_000n, ns % 1_000_000_000n]);
  };
}

/**
 * Runs `attempt` now and, while it finds nothing, parks the task for up to
 * `ms` milliseconds (undefined: no limit) with signal mask `mask` in force
 * (as rt_sigsuspend does); `left` hears the time left when it returns.
 * `attempt(true)` must give a result (the final, possibly empty, answer).
 *
 * @example
 * ```ts ignore
 * waitReady(kernel, "poll", 100, undefined, (final) => final ? 0 : undefined);
 * ```
 */
export function waitReady(
  k: Kernel,
  what: string,
  ms: number | undefined,
  mask: bigint | undefined,
  attempt: (final: boolean) => number | undefined,
  left?: (ms: number) => void,
): number | Resume {
  const now = attempt(ms === 0);
  if (now !== undefined) return now;
  const sched = k.sched;
  if (!sched) return attempt(true)!;
  const deadline = ms === undefined ? undefined : sched.now() + ms;
  const s = k.signals;
  if (mask !== undefined) {
    s.savedMask = s.mask;
    s.mask = mask;
  }
  const report = () => {
    if (left && deadline !== undefined) left(deadline - sched.now());
  };
  return {
    kind: "block",
    wait: {
      reason: what,
      retry: () => attempt(false),
      deadline,
      timeout: () => attempt(true)!,
      finish: () => {
        if (mask !== undefined) {
          s.mask = s.savedMask ?? s.mask;
          s.savedMask = undefined;
        }
        report();
      },
      interrupted: () => {
        report();
        return -Errno.EINTR;
      },
    },
  };
}

function ppoll(
  k: Kernel,
  fds: number,
  nfds: number,
  tsp: number,
  sigmask: number,
  sigsize: number,
): number | Resume {
  if (nfds < 0 || nfds > k.fds.limit) return -Errno.EINVAL;
  const raw = k.mem.read(fds, nfds * 8);
  if (!raw) return -Errno.EFAULT;
  const v = new DataView(raw.buffer);
  const entries = Array.from({ length: nfds }, (_, i) => ({
    fd: v.getInt32(i * 8, true),
    events: v.getUint16(i * 8 + 4, true),
  }));
  const attempt = (final: boolean): number | undefined => {
    const out = entries.map((e) => revents(k, e.fd, e.events));
    const n = out.filter((r) => r !== 0).length;
    if (n === 0 && !final) return undefined;
    for (let i = 0; i < nfds; i++) {
      if (
        !k.mem.write(
          fds + i * 8 + 6,
          new Uint8Array([out[i] & 0xff, out[i] >> 8]),
        )
      ) {
        return -Errno.EFAULT;
      }
    }
    return n;
  };
  const what = nfds === 0
    ? "pause"
    : `poll on fds ${entries.map((e) => e.fd).join(",")}`;
  const t = timeoutMs(k, tsp);
  if (typeof t === "object") return t.err;
  const mask = readMask(k, sigmask, sigsize);
  if (typeof mask === "object") return mask.err;
  return waitReady(k, what, t, mask, attempt, leftTo(k, tsp));
}

function pselect6(
  k: Kernel,
  nfds: number,
  sets: [number, number, number],
  tsp: number,
  sig: number,
): number | Resume {
  if (nfds < 0 || nfds > k.fds.limit) return -Errno.EINVAL;
  const bytes = Math.ceil(nfds / 64) * 8;
  const wanted = sets.map((addr) => {
    if (addr === 0 || bytes === 0) return new Uint8Array(bytes);
    return k.mem.read(addr, bytes);
  });
  if (wanted.some((w) => !w)) return -Errno.EFAULT;
  const want = wanted as Uint8Array[];
  const isSet = (b: Uint8Array, fd: number) => (b[fd >> 3] >> (fd & 7)) & 1;
  for (let fd = 0; fd < nfds; fd++) {
    if (
      (isSet(want[0], fd) || isSet(want[1], fd) || isSet(want[2], fd)) &&
      !k.fds.get(fd)
    ) {
      return -Errno.EBADF;
    }
  }
  let sigmask = 0, sigsize = 8;
  if (sig !== 0) {
    const w = readWords(k.mem, sig, 2);
    if (!w) return -Errno.EFAULT;
    sigmask = Number(BigInt.asUintN(64, w[0]));
    sigsize = Number(w[1]);
  }
  const attempt = (final: boolean): number | undefined => {
    const got = want.map(() => new Uint8Array(bytes));
    let n = 0;
    for (let fd = 0; fd < nfds; fd++) {
      const e = k.fds.get(fd);
      if (!e) continue;
      const r = readiness(e.desc);
      const hits = [
        isSet(want[0], fd) && (r & (READABLE | POLL.HUP | POLL.ERR)),
        isSet(want[1], fd) && (r & (WRITABLE | POLL.ERR)),
        isSet(want[2], fd) && (r & POLL.PRI),
      ];
      hits.forEach((h, i) => {
        if (h) {
          got[i][fd >> 3] |= 1 << (fd & 7);
          n++;
        }
      });
    }
    if (n === 0 && !final) return undefined;
    for (let i = 0; i < 3; i++) {
      if (sets[i] !== 0 && bytes > 0 && !k.mem.write(sets[i], got[i])) {
        return -Errno.EFAULT;
      }
    }
    return n;
  };
  const t = timeoutMs(k, tsp);
  if (typeof t === "object") return t.err;
  const mask = readMask(k, sigmask, sigsize);
  if (typeof mask === "object") return mask.err;
  return waitReady(
    k,
    `select on ${nfds} fds`,
    t,
    mask,
    attempt,
    leftTo(k, tsp),
  );
}

/**
 * Handlers for ppoll and pselect6, keyed by riscv64 number.
 *
 * @example
 * ```ts
 * import { POLL_SYSCALLS } from "./poll.ts";
 * console.log(typeof POLL_SYSCALLS[73]); // "function"
 * ```
 */
export const POLL_SYSCALLS: Record<number, SyscallHandler> = {
  73: (k, a) => ppoll(k, a[0], a[1] | 0, a[2], a[3], a[4]), // ppoll
  72: (k, a) => pselect6(k, a[0] | 0, [a[1], a[2], a[3]], a[4], a[5]), // pselect6
};
