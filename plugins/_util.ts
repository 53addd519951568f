/**
 * Helpers shared by the in-tree plugins: argument checking in QEMU's manner
 * (unknown arguments are refused), printf-style number formatting for
 * QEMU-compatible reports, and scoreboard slot allocation.
 *
 * @module
 */

import type {
  PluginArgs,
  PluginContext,
  ScoreboardEntry,
} from "../runtime/sdk/mod.ts";

/**
 * Throws a TypeError naming the plugin and the first argument it does not
 * know, as QEMU's plugins refuse unknown options (`option parsing failed`).
 *
 * @example
 * ```ts
 * import { rejectUnknown } from "./_util.ts";
 * import { PluginArgs } from "../runtime/sdk/plugin_args.ts";
 * const args = new PluginArgs("insn", [["inlin", "on"]]);
 * try {
 *   rejectUnknown("insn", args, ["inline", "sizes"]);
 * } catch (e) {
 *   console.log((e as Error).message.startsWith('plugin "insn": unknown argument "inlin"')); // true
 * }
 * ```
 */
export function rejectUnknown(
  plugin: string,
  args: PluginArgs,
  known: readonly string[],
): void {
  const bad = args.unknownKeys(known);
  if (bad.length === 0) return;
  const accepted = known.length ? known.join(", ") : "none";
  throw new TypeError(
    `plugin "${plugin}": unknown argument "${bad[0]}" (accepted: ${accepted})`,
  );
}

/**
 * Reads `key` as one of `choices` (QEMU's `evict=lru|fifo|rand` style),
 * throwing a TypeError naming the plugin, the key and the choices.
 *
 * @example
 * ```ts
 * import { choice } from "./_util.ts";
 * import { PluginArgs } from "../runtime/sdk/plugin_args.ts";
 * const args = new PluginArgs("cache", [["evict", "fifo"]]);
 * console.log(choice("cache", args, "evict", ["lru", "fifo", "rand"], "lru")); // "fifo"
 * ```
 */
export function choice<T extends string>(
  plugin: string,
  args: PluginArgs,
  key: string,
  choices: readonly T[],
  fallback: T,
): T {
  const raw = args.string(key, fallback);
  if ((choices as readonly string[]).includes(raw)) return raw as T;
  throw new TypeError(
    `plugin "${plugin}": argument ${key}=${raw} is not valid (use one of ${
      choices.join(", ")
    })`,
  );
}

/**
 * Left-justifies `v` in `width` columns, like printf's `%-Ns` / `%-Nd`.
 *
 * @example
 * ```ts
 * import { left } from "./_util.ts";
 * console.log(`[${left(214, 5)}]`); // "[214  ]"
 * ```
 */
export function left(v: string | number | bigint, width: number): string {
  return String(v).padEnd(width);
}

/**
 * Right-justifies `v` in `width` columns, like printf's `%Ns` / `%Nd`.
 *
 * @example
 * ```ts
 * import { right } from "./_util.ts";
 * console.log(`[${right(7, 3)}]`); // "[  7]"
 * ```
 */
export function right(v: string | number | bigint, width: number): string {
  return String(v).padStart(width);
}

/**
 * Lower-case hexadecimal without prefix, zero-padded to `digits`, like
 * printf's `%0Nx` (`%x` when `digits` is 0). Negative numbers are not
 * supported (guest addresses are unsigned).
 *
 * @example
 * ```ts
 * import { hex } from "./_util.ts";
 * console.log("0x" + hex(0x1c046, 16)); // "0x000000000001c046"
 * ```
 */
export function hex(v: number | bigint, digits = 0): string {
  return v.toString(16).padStart(digits, "0");
}

/**
 * A number with `decimals` digits after the point, right-justified in
 * `width` columns, like printf's `%W.Df`.
 *
 * @example
 * ```ts
 * import { fixed } from "./_util.ts";
 * console.log(`[${fixed(12.5, 9, 4)}]`); // "[  12.5000]"
 * ```
 */
export function fixed(v: number, width: number, decimals: number): string {
  return v.toFixed(decimals).padStart(width);
}

/**
 * Hands out scoreboard slots one at a time, allocating a new scoreboard of
 * `chunk` slots when the current one is full: for plugins that need one
 * inline counter per block or per instruction (QEMU 9's per-TB
 * scoreboards).
 *
 * @example
 * ```ts ignore
 * import { SlotAllocator } from "./_util.ts";
 * const slots = new SlotAllocator(ctx, 1024);
 * const entry = slots.next();
 * tb.inlineAdd(entry, 1);
 * console.log(slots.read(entry)); // 0n before any execution
 * ```
 */
export class SlotAllocator {
  readonly #ctx: PluginContext;
  readonly #chunk: number;
  #board: ReturnType<PluginContext["scoreboard"]> | undefined;
  #used = 0;

  /** Allocates from `ctx`'s scoreboards, `chunk` slots at a time. */
  constructor(ctx: PluginContext, chunk = 4096) {
    this.#ctx = ctx;
    this.#chunk = chunk;
  }

  /** A fresh slot, zero. */
  next(): ScoreboardEntry {
    if (this.#board === undefined || this.#used === this.#chunk) {
      this.#board = this.#ctx.scoreboard(this.#chunk);
      this.#used = 0;
    }
    return this.#board.entry(this.#used++);
  }

  /** The value of a slot summed over vCPUs, as a number. */
  read(entry: ScoreboardEntry): number {
    return Number(entry.board.sum(entry.slot));
  }
}

/**
 * The `limit` items with the largest `key`, largest first; ties keep their
 * original order (insertion order, where QEMU's order is its hash table's).
 *
 * @example
 * ```ts
 * import { topBy } from "./_util.ts";
 * console.log(topBy([{ n: 1 }, { n: 5 }, { n: 3 }], (x) => x.n, 2)); // [{ n: 5 }, { n: 3 }]
 * ```
 */
export function topBy<T>(
  items: Iterable<T>,
  key: (item: T) => number,
  limit = Infinity,
): T[] {
  const all = [...items].map((item, i) => ({ item, k: key(item), i }));
  all.sort((a, b) => b.k - a.k || a.i - b.i);
  return all.slice(0, limit).map((x) => x.item);
}
