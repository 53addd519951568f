/**
 * epoll: epoll_create1, epoll_ctl and epoll_pwait, level-triggered over
 * the same readiness as poll (`poll.ts`). EPOLLONESHOT disables an entry
 * after it reported once; EPOLLET is treated as level-triggered, which
 * reports at least every edge. riscv64's `struct epoll_event` is 16 bytes
 * (u32 events, padding, u64 data): only x86-64 packs it.
 *
 * @module
 */

import type { Kernel, SyscallHandler } from "./kernel.ts";
import type { Resume } from "./resume.ts";
import type { AnonFile, Description } from "./fd_table.ts";
import { Errno } from "./errno.ts";
import { POLL, readiness, waitReady } from "./poll.ts";
import { readWords } from "./_args.ts";
import { UNBLOCKABLE } from "./signal_state.ts";

const O_CLOEXEC = 0o2000000, O_RDWR = 2;
const CTL_ADD = 1, CTL_DEL = 2, CTL_MOD = 3;
const EPOLLEXCLUSIVE = 1 << 28, EPOLLONESHOT = 1 << 30;
const EP_MAX_EVENTS = 0x7fff_ffff / 16;

/** One watched fd. */
interface Interest {
  /** The description it was added with (a closed-and-reused fd is not it). */
  desc: Description;
  events: number;
  data: bigint;
}

/** An epoll instance. */
interface Epoll extends AnonFile {
  interest: Map<number, Interest>;
}

function newEpoll(k: Kernel): Epoll {
  const ep: Epoll = {
    interest: new Map(),
    read: () => -Errno.EINVAL,
    write: () => -Errno.EINVAL,
    poll: () => ready(k, ep, 1, false).length > 0 ? POLL.IN | POLL.RDNORM : 0,
  };
  return ep;
}

/** Entries ready now, at most `max`; `consume` applies EPOLLONESHOT. */
function ready(
  k: Kernel,
  ep: Epoll,
  max: number,
  consume: boolean,
): { events: number; data: bigint }[] {
  const out: { events: number; data: bigint }[] = [];
  for (const [fd, it] of ep.interest) {
    if (out.length >= max) break;
    if (k.fds.get(fd)?.desc !== it.desc) continue; // closed: Linux drops it
    const mask = it.events & 0xffff;
    const r = readiness(it.desc) & (mask | POLL.ERR | POLL.HUP);
    if (r === 0 || (it.events & ~EPOLLONESHOT) === 0) continue;
    out.push({ events: r, data: it.data });
    if (consume && (it.events & EPOLLONESHOT)) it.events = 0;
  }
  return out;
}

function epollOf(k: Kernel, fd: number): Epoll | number {
  const e = k.fds.get(fd);
  if (!e) return -Errno.EBADF;
  if (e.desc.kind !== "anon" || e.desc.name !== "[eventpoll]") {
    return -Errno.EINVAL;
  }
  return e.desc.file as Epoll;
}

function create(k: Kernel, flags: number): number {
  if (flags & ~O_CLOEXEC) return -Errno.EINVAL;
  return k.fds.install({
    kind: "anon",
    name: "[eventpoll]",
    file: newEpoll(k),
    flags: O_RDWR,
    refs: 1,
  }, (flags & O_CLOEXEC) !== 0);
}

function ctl(
  k: Kernel,
  epfd: number,
  op: number,
  fd: number,
  ev: number,
): number {
  const ep = epollOf(k, epfd);
  if (typeof ep === "number") return ep;
  const target = k.fds.get(fd);
  if (!target) return -Errno.EBADF;
  if (fd === epfd) return -Errno.EINVAL;
  if (target.desc.kind === "file" || target.desc.kind === "dir") {
    return -Errno.EPERM; // regular files and directories cannot be watched
  }
  let events = 0, data = 0n;
  if (op !== CTL_DEL) {
    const w = readWords(k.mem, ev, 2);
    if (!w) return -Errno.EFAULT;
    events = Number(BigInt.asUintN(32, w[0]));
    data = BigInt.asUintN(64, w[1]);
  }
  const cur = ep.interest.get(fd);
  const live = cur && cur.desc === target.desc;
  switch (op) {
    case CTL_ADD:
      if (live) return -Errno.EEXIST;
      ep.interest.set(fd, { desc: target.desc, events, data });
      return 0;
    case CTL_MOD:
      if (!live) return -Errno.ENOENT;
      if (events & EPOLLEXCLUSIVE) return -Errno.EINVAL;
      cur.events = events;
      cur.data = data;
      return 0;
    case CTL_DEL:
      if (!live) return -Errno.ENOENT;
      ep.interest.delete(fd);
      return 0;
    default:
      return -Errno.EINVAL;
  }
}

function pwait(
  k: Kernel,
  epfd: number,
  events: number,
  max: number,
  timeout: number,
  sigmask: number,
  sigsize: number,
): number | Resume {
  const ep = epollOf(k, epfd);
  if (typeof ep === "number") return ep;
  if (max <= 0 || max > EP_MAX_EVENTS) return -Errno.EINVAL;
  if (!k.mem.check(events, max * 16, 2)) return -Errno.EFAULT;
  let mask: bigint | undefined;
  if (sigmask !== 0) {
    if (sigsize !== 8) return -Errno.EINVAL;
    const w = readWords(k.mem, sigmask, 1);
    if (!w) return -Errno.EFAULT;
    mask = BigInt.asUintN(64, w[0]) & ~UNBLOCKABLE;
  }
  const attempt = (final: boolean): number | undefined => {
    const got = ready(k, ep, max, true);
    if (got.length === 0 && !final) return undefined;
    const b = new Uint8Array(got.length * 16);
    const v = new DataView(b.buffer);
    got.forEach((g, i) => {
      v.setUint32(i * 16, g.events, true);
      v.setBigUint64(i * 16 + 8, g.data, true);
    });
    return k.mem.write(events, b) ? got.length : -Errno.EFAULT;
  };
  const ms = timeout < 0 ? undefined : timeout;
  return waitReady(k, `epoll_wait on fd ${epfd}`, ms, mask, attempt);
}

/**
 * Handlers for the epoll calls, keyed by riscv64 number.
 *
 * @example
 * ```ts
 * import { EPOLL_SYSCALLS } from "./epoll.ts";
 * console.log(typeof EPOLL_SYSCALLS[20]); // "function"
 * ```
 */
export const EPOLL_SYSCALLS: Record<number, SyscallHandler> = {
  20: (k, a) => create(k, a[0] | 0), // epoll_create1
  21: (k, a) => ctl(k, a[0] | 0, a[1] | 0, a[2] | 0, a[3]), // epoll_ctl
  22: (k, a) => pwait(k, a[0] | 0, a[1], a[2] | 0, a[3] | 0, a[4], a[5]), // epoll_pwait
};
