/**
 * What one plugin registered for each translated block, as the host sees
 * it: the register access of its sync exec callbacks, and the blocks whose
 * registrations the plugin's worker may free once their records are
 * delivered. Entries go when the translator drops a block or flushes, so a
 * long run that retranslates keeps this flat.
 *
 * @module
 */

import type { Access } from "../wire/replies.ts";

/**
 * One plugin's per-block registrations.
 *
 * @example
 * ```ts
 * import { BlockRegistrations } from "./block_registrations.ts";
 * const r = new BlockRegistrations();
 * r.planned(0x1000, [[7, 1]]);
 * console.log(r.access(7)); // 1
 * r.dropped(0x1000);
 * console.log(r.access(7), r.takeFreed()); // 0 [ 4096 ]
 * ```
 */
export class BlockRegistrations {
  /** Sync exec callback ids of each planned block, with their access. */
  private readonly blocks = new Map<number, [id: number, access: Access][]>();
  private readonly accessOf = new Map<number, Access>();
  private freed: number[] = [];

  /** Blocks planned and not dropped yet. */
  get size(): number {
    return this.blocks.size;
  }

  /** Ids whose access is known. */
  get ids(): number {
    return this.accessOf.size;
  }

  /** Block `pc` was planned with these sync calls (id, access). */
  planned(pc: number, calls: readonly [number, Access][]): void {
    const list = this.blocks.get(pc);
    if (list) list.push(...calls);
    else this.blocks.set(pc, [...calls]);
    for (const [id, a] of calls) this.accessOf.set(id, a);
  }

  /** What sync exec callback `id` may do with vCPU state (0 if unknown). */
  access(id: number): Access {
    return this.accessOf.get(id) ?? 0;
  }

  /** Block `pc` was dropped: its registrations can go. */
  dropped(pc: number): void {
    const list = this.blocks.get(pc);
    if (!list) return;
    this.blocks.delete(pc);
    for (const [id] of list) this.accessOf.delete(id);
    this.freed.push(pc);
  }

  /** Every block was dropped. */
  flushed(): void {
    for (const pc of [...this.blocks.keys()]) this.dropped(pc);
  }

  /** The dropped blocks not yet passed on to the worker (then forgotten). */
  takeFreed(): number[] {
    const out = this.freed;
    this.freed = [];
    return out;
  }

  /** Whether dropped blocks wait to be passed on. */
  get hasFreed(): boolean {
    return this.freed.length > 0;
  }
}
