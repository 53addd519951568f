/**
 * Typed access to a plugin's `key=value` arguments, in the spirit of QEMU's
 * `qemu_plugin_bool_parse`: every getter takes a default and names the
 * plugin, the key and the accepted values when a value does not parse.
 *
 * @module
 */

const TRUE = ["on", "true", "yes", "1"];
const FALSE = ["off", "false", "no", "0"];

/** Bounds for {@linkcode PluginArgs.int}. */
export interface IntBounds {
  /** Smallest accepted value (inclusive). */
  min?: number;
  /** Largest accepted value (inclusive). */
  max?: number;
}

/**
 * The arguments given to one plugin on the command line
 * (`--plugin NAME,out=report.json,verbose=on`). A bare key means `key=on`;
 * when a key repeats, the last value wins.
 *
 * @example
 * ```ts
 * import { PluginArgs } from "./plugin_args.ts";
 * const args = new PluginArgs("insn", [["inline", "on"], ["limit", "10"]]);
 * console.log(args.bool("inline", false), args.int("limit", 0, { min: 1 })); // true 10
 * console.log(args.unknownKeys(["inline"])); // ["limit"]
 * ```
 */
export class PluginArgs {
  readonly #plugin: string;
  readonly #map: Map<string, string>;

  /** Wraps `pairs` for the plugin called `plugin` (used in error messages). */
  constructor(plugin: string, pairs: Iterable<readonly [string, string]> = []) {
    this.#plugin = plugin;
    this.#map = new Map(pairs);
  }

  /** Whether `key` was given at all. */
  has(key: string): boolean {
    return this.#map.has(key);
  }

  /** The keys given, in command-line order. */
  keys(): string[] {
    return [...this.#map.keys()];
  }

  /** The pairs, for sending across a worker boundary. */
  entries(): [string, string][] {
    return [...this.#map.entries()];
  }

  /** The keys given that are not in `known`: report them as likely typos. */
  unknownKeys(known: readonly string[]): string[] {
    return this.keys().filter((k) => !known.includes(k));
  }

  /** The raw value of `key`, or `fallback`. */
  string(key: string, fallback: string): string {
    return this.#map.get(key) ?? fallback;
  }

  /**
   * `key` as a boolean: on/off, true/false, yes/no, 1/0 (any case).
   * Throws a TypeError naming the plugin, key and accepted values otherwise.
   */
  bool(key: string, fallback: boolean): boolean {
    const raw = this.#map.get(key);
    if (raw === undefined) return fallback;
    const s = raw.toLowerCase();
    if (TRUE.includes(s)) return true;
    if (FALSE.includes(s)) return false;
    throw new TypeError(
      `plugin "${this.#plugin}": argument ${key}=${raw} is not a boolean ` +
        `(use one of ${[...TRUE, ...FALSE].join(", ")})`,
    );
  }

  /**
   * `key` as a safe integer (decimal, or hex with `0x`), checked against
   * `bounds`. Throws a TypeError for a non-integer, a RangeError when out of
   * bounds.
   */
  int(key: string, fallback: number, bounds: IntBounds = {}): number {
    const raw = this.#map.get(key);
    if (raw === undefined) return fallback;
    const n = /^[-+]?\d+$/.test(raw)
      ? Number(raw)
      : /^0x[0-9a-f]+$/i.test(raw)
      ? Number(raw)
      : NaN;
    if (!Number.isSafeInteger(n)) {
      throw new TypeError(
        `plugin "${this.#plugin}": argument ${key}=${raw} is not an integer (use digits, or 0x for hex)`,
      );
    }
    const { min = -Infinity, max = Infinity } = bounds;
    if (n < min || n > max) {
      const span = `${min === -Infinity ? "" : `>= ${min}`}${
        min !== -Infinity && max !== Infinity ? " and " : ""
      }${max === Infinity ? "" : `<= ${max}`}`;
      throw new RangeError(
        `plugin "${this.#plugin}": argument ${key}=${raw} must be ${span}`,
      );
    }
    return n;
  }
}
