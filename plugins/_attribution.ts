/**
 * Merges two ordered streams by instruction count, for `cache_by_function`:
 * the plugin's own cache accesses (from its batched exec and memory
 * callbacks) and `callstack`'s call/return events (from QPP, batched in
 * another worker). Each stream arrives in order, but neither waits for the
 * other, so a consumer can see its accesses long before (or after) the
 * event that says which function made them.
 *
 * Accesses go into an open bucket; the plugin closes it after each
 * instruction that can change the stack (`changesStack`, the same rule
 * `callstack` emits events by), so every event falls on a bucket boundary.
 * A closed bucket whose last instruction count is `<=` the next pending
 * event's belongs to the function running before that event; an event is
 * applied once every bucket up to it is attributed. Only buckets between
 * the two streams' positions are held, so memory is bounded by how far
 * apart the workers run, not by the length of the run.
 *
 * @module
 */

/**
 * Counters of one function: data accesses and misses, fetches and misses.
 *
 * @example
 * ```ts
 * import type { FunctionCounts } from "./_attribution.ts";
 * const c: FunctionCounts = { fn: "main", dAccesses: 4, dMisses: 1, iAccesses: 9, iMisses: 0 };
 * console.log(c.dMisses / c.dAccesses); // 0.25
 * ```
 */
export interface FunctionCounts {
  /** Function name. */
  fn: string;
  /** Data accesses. */
  dAccesses: number;
  /** Data misses. */
  dMisses: number;
  /** Instruction fetches. */
  iAccesses: number;
  /** Fetch misses. */
  iMisses: number;
}

/**
 * Attributes counted accesses to functions, merging by instruction count.
 *
 * @example
 * ```ts
 * import { Attribution } from "./_attribution.ts";
 * const a = new Attribution();
 * a.fetch(false); // icount 0, in main: a miss
 * a.fetch(true); // icount 1, in main: `call f`, a hit
 * a.boundary(1);
 * a.fetch(false); // icount 2, in f: a miss
 * a.event(1, "main", "f"); // callstack: at icount 1, main called f
 * const by = new Map(a.finish().map((c) => [c.fn, c.iMisses]));
 * console.log(by.get("main"), by.get("f")); // 1 1
 * ```
 */
export class Attribution {
  // Closed buckets, a queue from `#head`: last icount and the four counters.
  #last: number[] = [];
  #counts: number[] = [];
  #head = 0;
  // The open bucket.
  #open = [0, 0, 0, 0];
  #closedUpTo = -1;
  // Pending events from the provider: icount, function before, after.
  #evIcount: number[] = [];
  #evBefore: string[] = [];
  #evAfter: string[] = [];
  #evHead = 0;
  #cur: string | undefined;
  readonly #by = new Map<string, FunctionCounts>();
  /** Most buckets held at once (for tests and diagnostics). */
  peakPending = 0;

  /** One instruction fetch of the own stream; `hit` as the cache said. */
  fetch(hit: boolean): void {
    this.#open[2]++;
    if (!hit) this.#open[3]++;
  }

  /** One data access of the own stream. */
  data(hit: boolean): void {
    this.#open[0]++;
    if (!hit) this.#open[1]++;
  }

  /** Closes the open bucket after the instruction with count `icount`. */
  boundary(icount: number): void {
    this.#last.push(icount);
    this.#counts.push(...this.#open);
    this.#open = [0, 0, 0, 0];
    this.#closedUpTo = icount;
    this.peakPending = Math.max(
      this.peakPending,
      this.#last.length - this.#head,
    );
    this.#pump();
  }

  /** The provider's event at `icount`: `before` ran until it, `after` from it on. */
  event(icount: number, before: string, after: string): void {
    this.#evIcount.push(icount);
    this.#evBefore.push(before);
    this.#evAfter.push(after);
    this.#pump();
  }

  #attribute(i: number, fn: string): void {
    let c = this.#by.get(fn);
    if (!c) {
      this.#by.set(
        fn,
        c = { fn, dAccesses: 0, dMisses: 0, iAccesses: 0, iMisses: 0 },
      );
    }
    const k = this.#counts;
    c.dAccesses += k[4 * i];
    c.dMisses += k[4 * i + 1];
    c.iAccesses += k[4 * i + 2];
    c.iMisses += k[4 * i + 3];
  }

  #applyEvent(): void {
    this.#cur = this.#evAfter[this.#evHead++];
    if (this.#evHead > 4096 && this.#evHead * 2 > this.#evIcount.length) {
      this.#evIcount = this.#evIcount.slice(this.#evHead);
      this.#evBefore = this.#evBefore.slice(this.#evHead);
      this.#evAfter = this.#evAfter.slice(this.#evHead);
      this.#evHead = 0;
    }
  }

  #shiftBucket(fn: string): void {
    this.#attribute(this.#head++, fn);
    if (this.#head > 4096 && this.#head * 2 > this.#last.length) {
      this.#last = this.#last.slice(this.#head);
      this.#counts = this.#counts.slice(4 * this.#head);
      this.#head = 0;
    }
  }

  #pump(): void {
    for (;;) {
      const hasEvent = this.#evHead < this.#evIcount.length;
      const evAt = this.#evIcount[this.#evHead];
      if (this.#head < this.#last.length) {
        if (!hasEvent) return; // an event before this bucket may still come
        if (this.#last[this.#head] <= evAt) {
          this.#shiftBucket(this.#cur ?? this.#evBefore[this.#evHead]);
        } else this.#applyEvent();
      } else if (hasEvent && this.#closedUpTo >= evAt) {
        this.#applyEvent();
      } else return;
    }
  }

  /**
   * Both streams ended: attributes what is left (remaining buckets in
   * order with the remaining events, then the open bucket) and returns the
   * counters per function, in order of first attribution.
   */
  finish(): FunctionCounts[] {
    this.boundary(Infinity);
    while (this.#head < this.#last.length) {
      const hasEvent = this.#evHead < this.#evIcount.length;
      if (hasEvent && this.#last[this.#head] > this.#evIcount[this.#evHead]) {
        this.#applyEvent();
        continue;
      }
      const fn = this.#cur ??
        (hasEvent ? this.#evBefore[this.#evHead] : undefined) ?? "?";
      this.#shiftBucket(fn);
    }
    return [...this.#by.values()].map((c) => ({ ...c }));
  }
}
