/**
 * Where the translator's time goes: phase timings measured in JS and event
 * counters kept by translated code itself. Nothing here runs, and no counting
 * code is emitted, unless a profile is switched on with
 * `Translator.enableProfile()`.
 *
 * @module
 */

import { PROFILE_OFF } from "../layout.ts";

/**
 * Offsets of the in-memory counters (i64 each) from `PROFILE_OFF`.
 *
 * @example
 * ```ts
 * import { COUNTER } from "./jit_profile.ts";
 * console.log(COUNTER.chained); // 8
 * ```
 */
export const COUNTER = {
  /** Blocks entered from the dispatch loop (jump-cache hits). */
  dispatched: 0,
  /** Direct jumps that tail-called through a chain slot (stub ones too). */
  chained: 8,
  /** Direct jumps whose chain slot held no block yet (back to dispatch). */
  unchained: 16,
  /** Indirect jumps (jalr) and other exits that return to the dispatcher. */
  dynamic: 24,
  /** Jumps between blocks inside one translated region (no call at all). */
  internal: 32,
  /** Indirect jumps served by a region's inline target check. */
  inlineHits: 40,
} as const;

/**
 * Milliseconds spent in each translation phase, and JS-side counts.
 *
 * @example
 * ```ts
 * import { JitProfile } from "./jit_profile.ts";
 * const t = new JitProfile(new WebAssembly.Memory({ initial: 1 })).times;
 * console.log(t.compileMs + t.emitMs); // 0
 * ```
 */
export interface ProfileTimes {
  /** Decoding guest instructions. */
  decodeMs: number;
  /** Asking the instrumenter for plans (plugin round trips included). */
  planMs: number;
  /** Emitting wasm bytes. */
  emitMs: number;
  /** `new WebAssembly.Module` (validation and baseline compile). */
  compileMs: number;
  /** `new WebAssembly.Instance` and installing the blocks. */
  instantiateMs: number;
  /** Wasm modules compiled. */
  modules: number;
  /** Jump-cache misses that found or translated a block. */
  misses: number;
  /** Blocks run in the interpreter (cold code: misses that stay misses). */
  interpreted: number;
  /** Milliseconds in instrumentation host calls (exec, mem, ring-full). */
  hookMs: number;
  /** Instrumentation host calls made. */
  hookCalls: number;
}

/**
 * A translator profile: JS timings plus counters read from guest page 0.
 *
 * @example
 * ```ts
 * import { JitProfile } from "./jit_profile.ts";
 * const memory = new WebAssembly.Memory({ initial: 1 });
 * const p = new JitProfile(memory);
 * p.times.decodeMs += 1.5;
 * console.log(p.counters().dispatched); // 0
 * ```
 */
export class JitProfile {
  /** Phase timings and JS-side counts. */
  readonly times: ProfileTimes = {
    decodeMs: 0,
    planMs: 0,
    emitMs: 0,
    compileMs: 0,
    instantiateMs: 0,
    modules: 0,
    misses: 0,
    interpreted: 0,
    hookMs: 0,
    hookCalls: 0,
  };
  private readonly words: BigInt64Array;

  /** Zeroes the counters in `memory` and starts counting. */
  constructor(memory: WebAssembly.Memory) {
    const n = Object.keys(COUNTER).length;
    this.words = new BigInt64Array(memory.buffer, PROFILE_OFF, n);
    this.words.fill(0n);
  }

  /** The counters kept by translated code, by name. */
  counters(): Record<keyof typeof COUNTER, number> {
    const out = {} as Record<keyof typeof COUNTER, number>;
    for (const [k, off] of Object.entries(COUNTER)) {
      out[k as keyof typeof COUNTER] = Number(this.words[off / 8]);
    }
    return out;
  }

  /** Wraps a host import so that its calls are counted and timed. */
  timed<F extends (...a: never[]) => unknown>(fn: F): F {
    const t = this.times;
    return ((...a: Parameters<F>) => {
      const t0 = performance.now();
      try {
        return fn(...a);
      } finally {
        t.hookMs += performance.now() - t0;
        t.hookCalls++;
      }
    }) as F;
  }
}
