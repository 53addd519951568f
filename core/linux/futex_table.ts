/**
 * Futex wait queues: tasks parked on a guest address, woken in FIFO order.
 * Queues are keyed by the address space (one `GuestMemory` per process) and
 * the address, so private and shared futexes of one process are the same
 * queue, as they are on Linux for non-shared memory.
 *
 * @module
 */

import type { GuestMemory } from "../memory.ts";

/** One parked futex waiter. */
export interface FutexWaiter {
  /** The address it waits on (changes on requeue). */
  addr: number;
  /** FUTEX_WAIT_BITSET's mask (all ones for FUTEX_WAIT). */
  bitset: number;
  /** Set by a wake; the wait then returns 0. */
  woken: boolean;
}

/**
 * The futex queues of every guest process.
 *
 * @example
 * ```ts
 * import { FutexTable } from "./futex_table.ts";
 * import { GuestMemory } from "../memory.ts";
 * const mem = new GuestMemory();
 * const f = new FutexTable();
 * const w = f.enqueue(mem, 0x10000, -1);
 * console.log(f.wake(mem, 0x10000, 1, -1), w.woken); // 1 true
 * ```
 */
export class FutexTable {
  private readonly queues = new Map<GuestMemory, Map<number, FutexWaiter[]>>();

  /** Parks a new waiter at the end of the queue of `addr`. */
  enqueue(mem: GuestMemory, addr: number, bitset: number): FutexWaiter {
    const w = { addr, bitset, woken: false };
    this.queue(mem, addr, true)!.push(w);
    return w;
  }

  /** Removes a waiter that gave up (timeout, signal). */
  remove(mem: GuestMemory, w: FutexWaiter): void {
    const q = this.queue(mem, w.addr, false);
    const i = q?.indexOf(w) ?? -1;
    if (i >= 0) q!.splice(i, 1);
    this.tidy(mem, w.addr);
  }

  /** Wakes up to `n` waiters of `addr` whose bitset meets `bitset`; returns how many. */
  wake(mem: GuestMemory, addr: number, n: number, bitset: number): number {
    const q = this.queue(mem, addr, false);
    if (!q) return 0;
    let woken = 0;
    for (let i = 0; i < q.length && woken < n;) {
      if ((q[i].bitset & bitset) === 0) {
        i++;
        continue;
      }
      q[i].woken = true;
      q.splice(i, 1);
      woken++;
    }
    this.tidy(mem, addr);
    return woken;
  }

  /**
   * Wakes up to `n` waiters of `from`, then moves up to `move` more to the
   * queue of `to`. Returns woken + moved.
   */
  requeue(
    mem: GuestMemory,
    from: number,
    to: number,
    n: number,
    move: number,
  ): number {
    const woken = this.wake(mem, from, n, -1);
    const q = this.queue(mem, from, false);
    if (!q || move <= 0 || from === to) return woken;
    const moved = q.splice(0, Math.min(move, q.length));
    for (const w of moved) w.addr = to;
    this.queue(mem, to, true)!.push(...moved);
    this.tidy(mem, from);
    return woken + moved.length;
  }

  /** Waiters parked on `addr`. */
  count(mem: GuestMemory, addr: number): number {
    return this.queue(mem, addr, false)?.length ?? 0;
  }

  /** Forgets every queue of an address space that went away. */
  drop(mem: GuestMemory): void {
    this.queues.delete(mem);
  }

  /** The queue of `addr`, created on demand. */
  private queue(
    mem: GuestMemory,
    addr: number,
    create: boolean,
  ): FutexWaiter[] | undefined {
    let space = this.queues.get(mem);
    if (!space) {
      if (!create) return undefined;
      space = new Map();
      this.queues.set(mem, space);
    }
    let q = space.get(addr);
    if (!q && create) {
      q = [];
      space.set(addr, q);
    }
    return q;
  }

  /** Drops empty queues. */
  private tidy(mem: GuestMemory, addr: number): void {
    const space = this.queues.get(mem);
    if (space?.get(addr)?.length === 0) space.delete(addr);
    if (space?.size === 0) this.queues.delete(mem);
  }
}
