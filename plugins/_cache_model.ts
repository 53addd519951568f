/**
 * A set-associative cache model, the one of QEMU's
 * `contrib/plugins/cache.c`: tags only (no data), with LRU, FIFO or random
 * eviction. Pure (the SDK only for its argument types), so other plugins
 * (and tests) can use it.
 *
 * @module
 */

import type { ArgSpecs } from "../runtime/sdk/mod.ts";

/** Which block of a full set a miss replaces. */
export type EvictionPolicy = "lru" | "fifo" | "rand";

/** Geometry and policy of a {@link Cache}. */
export interface CacheConfig {
  /** Bytes per block: a power of two. */
  readonly blksize: number;
  /** Blocks per set (ways). */
  readonly assoc: number;
  /** Total bytes: a multiple of `blksize * assoc` giving a power-of-two number of sets. */
  readonly cachesize: number;
  /** Eviction policy; default "lru". */
  readonly policy?: EvictionPolicy;
  /** Random source in [0, 1) for "rand"; default a fixed-seed generator, so runs repeat. */
  readonly random?: () => number;
}

/**
 * Why a geometry is not a cache, in QEMU's words, or undefined when it is.
 *
 * @example
 * ```ts
 * import { cacheConfigError } from "./_cache_model.ts";
 * console.log(cacheConfigError(64, 8, 1000)); // "cache size must be divisible by block size"
 * ```
 */
export function cacheConfigError(
  blksize: number,
  assoc: number,
  cachesize: number,
): string | undefined {
  const pow2 = (n: number) =>
    Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;
  if (!pow2(blksize)) return "block size must be a power of two";
  if (!Number.isInteger(assoc) || assoc < 1) {
    return "associativity must be a positive integer";
  }
  if (cachesize % blksize !== 0) {
    return "cache size must be divisible by block size";
  }
  if (cachesize % (blksize * assoc) !== 0 || cachesize === 0) {
    return "cache size must be divisible by set size (assoc * block size)";
  }
  if (!pow2(cachesize / (blksize * assoc))) {
    return "number of sets must be a power of two";
  }
  return undefined;
}

/** A small deterministic generator (mulberry32) for "rand" eviction. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * One cache. `access(addr)` says whether the block holding `addr` was
 * present, and on a miss brings it in, evicting by the policy. It counts
 * `accesses` and `misses`.
 *
 * @example
 * ```ts
 * import { Cache } from "./_cache_model.ts";
 * const c = new Cache({ blksize: 64, assoc: 2, cachesize: 256 }); // 2 sets of 2 ways
 * console.log(c.access(0x1000), c.access(0x1008), c.misses); // false true 1
 * ```
 */
export class Cache {
  /** Bytes per block. */
  readonly blksize: number;
  /** Ways per set. */
  readonly assoc: number;
  /** Number of sets. */
  readonly numSets: number;
  /** Eviction policy. */
  readonly policy: EvictionPolicy;
  /** Accesses so far. */
  accesses = 0;
  /** Misses so far. */
  misses = 0;

  readonly #tags: Float64Array;
  readonly #valid: Uint8Array;
  readonly #prio: Float64Array; // LRU: generation of last use per block
  readonly #gen: Float64Array; // LRU: generation counter per set
  readonly #fifo: number[][]; // FIFO: block indices, newest first
  readonly #random: () => number;

  /** Builds an empty cache; throws a RangeError for an impossible geometry. */
  constructor(config: CacheConfig) {
    const { blksize, assoc, cachesize, policy = "lru" } = config;
    const err = cacheConfigError(blksize, assoc, cachesize);
    if (err) {
      throw new RangeError(
        `cache of ${cachesize} bytes, ${assoc}-way, ${blksize}-byte blocks: ${err}`,
      );
    }
    this.blksize = blksize;
    this.assoc = assoc;
    this.numSets = cachesize / (blksize * assoc);
    this.policy = policy;
    const blocks = this.numSets * assoc;
    this.#tags = new Float64Array(blocks);
    this.#valid = new Uint8Array(blocks);
    this.#prio = new Float64Array(policy === "lru" ? blocks : 0);
    this.#gen = new Float64Array(policy === "lru" ? this.numSets : 0);
    this.#fifo = policy === "fifo"
      ? Array.from({ length: this.numSets }, () => [])
      : [];
    this.#random = config.random ?? seeded(0x5eed);
  }

  /** Simulates an access to `addr`: true on a hit. */
  access(addr: number): boolean {
    this.accesses++;
    const block = Math.floor(addr / this.blksize);
    const set = block % this.numSets;
    const tag = Math.floor(block / this.numSets);
    const base = set * this.assoc;
    for (let i = 0; i < this.assoc; i++) {
      if (this.#valid[base + i] && this.#tags[base + i] === tag) {
        if (this.policy === "lru") this.#prio[base + i] = this.#gen[set]++;
        return true;
      }
    }
    this.misses++;
    let victim = -1;
    for (let i = 0; i < this.assoc; i++) {
      if (!this.#valid[base + i]) {
        victim = i;
        break;
      }
    }
    if (victim === -1) victim = this.#replaced(set);
    if (this.policy === "lru") this.#prio[base + victim] = this.#gen[set]++;
    else if (this.policy === "fifo") this.#fifo[set].unshift(victim);
    this.#tags[base + victim] = tag;
    this.#valid[base + victim] = 1;
    return false;
  }

  /** The way of a full set that a miss replaces. */
  #replaced(set: number): number {
    if (this.policy === "rand") return Math.floor(this.#random() * this.assoc);
    if (this.policy === "fifo") return this.#fifo[set].pop()!;
    const base = set * this.assoc;
    let min = 0;
    for (let i = 1; i < this.assoc; i++) {
      if (this.#prio[base + i] < this.#prio[base + min]) min = i;
    }
    return min;
  }
}

/** Block size, associativity and total size of one cache level. */
export interface CacheGeometry {
  /** Block (line) size in bytes. */
  readonly blksize: number;
  /** Ways per set. */
  readonly assoc: number;
  /** Total size in bytes. */
  readonly size: number;
}

/**
 * The L1 data and instruction cache geometry from QEMU cache.c's arguments
 * and defaults (`dblksize`, `dassoc`, `dcachesize`, `iblksize`, `iassoc`,
 * `icachesize`). Shared by `cache` and `cache_by_function`, whose totals
 * must agree.
 *
 * @example
 * ```ts
 * import { l1Geometry } from "./_cache_model.ts";
 * const g = l1Geometry((_key, def) => def);
 * console.log(g.d.size, g.i.size); // 16384 16384
 * ```
 */
export function l1Geometry(
  int: (key: string, def: number) => number,
): { d: CacheGeometry; i: CacheGeometry } {
  const dblk = int("dblksize", 64), dassoc = int("dassoc", 8);
  const iblk = int("iblksize", 64), iassoc = int("iassoc", 8);
  return {
    d: {
      blksize: dblk,
      assoc: dassoc,
      size: int("dcachesize", dblk * dassoc * 32),
    },
    i: {
      blksize: iblk,
      assoc: iassoc,
      size: int("icachesize", iblk * iassoc * 32),
    },
  };
}

/**
 * The L1 geometry and eviction arguments of QEMU's cache plugin, declared
 * once for `cache` and `cache_by_function`.
 *
 * @example
 * ```ts
 * import { L1_ARGS } from "./_cache_model.ts";
 * console.log(L1_ARGS.dassoc.type); // "int"
 * ```
 */
export const L1_ARGS: ArgSpecs = {
  dcachesize: {
    type: "int",
    default: 16384,
    min: 1,
    doc: "L1 data cache size in bytes",
  },
  dassoc: {
    type: "int",
    default: 8,
    min: 1,
    doc: "L1 data cache associativity",
  },
  dblksize: {
    type: "int",
    default: 64,
    min: 1,
    doc: "L1 data cache block size in bytes",
  },
  icachesize: {
    type: "int",
    default: 16384,
    min: 1,
    doc: "L1 instruction cache size in bytes",
  },
  iassoc: {
    type: "int",
    default: 8,
    min: 1,
    doc: "L1 instruction cache associativity",
  },
  iblksize: {
    type: "int",
    default: 64,
    min: 1,
    doc: "L1 instruction cache block size in bytes",
  },
  evict: {
    type: "choice",
    choices: ["lru", "fifo", "rand"],
    default: "lru",
    doc: "eviction policy (rand is seeded, so runs repeat)",
  },
};
