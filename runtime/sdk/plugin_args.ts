/**
 * Typed access to a plugin's `key=value` arguments, in the spirit of QEMU's
 * `qemu_plugin_bool_parse`. A plugin that declares its arguments
 * (`args` in its definition) gets them checked before it installs, and its
 * getters checked against the declarations: reading an undeclared key, or a
 * key as another type, is a bug in the plugin and throws. Without
 * declarations every getter takes a fallback, as before.
 *
 * @module
 */

import {
  type ArgSpec,
  type ArgSpecs,
  checkArgs,
  parseArgValue,
} from "./arg_spec.ts";

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
 * const typed = new PluginArgs("insn", [["inline", "on"]], {
 *   inline: { type: "bool", default: false, doc: "count inline" },
 * });
 * console.log(typed.bool("inline")); // true
 * ```
 */
export class PluginArgs {
  readonly #plugin: string;
  readonly #map: Map<string, string>;
  readonly #specs?: ArgSpecs;

  /**
   * Wraps `pairs` for the plugin called `plugin` (used in error messages).
   * With `specs`, every pair is checked now: an unknown key or a value of
   * the wrong type throws, listing the valid arguments.
   */
  constructor(
    plugin: string,
    pairs: Iterable<readonly [string, string]> = [],
    specs?: ArgSpecs,
  ) {
    this.#plugin = plugin;
    this.#map = new Map(pairs);
    if (specs) {
      checkArgs(plugin, this.#map, specs);
      this.#specs = specs;
    }
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

  /** The declaration of `key`, checked to be of `type` (when declared). */
  #spec(key: string, types: readonly ArgSpec["type"][]): ArgSpec | undefined {
    if (!this.#specs) return undefined;
    const spec = Object.hasOwn(this.#specs, key) ? this.#specs[key] : undefined;
    if (!spec) {
      throw new TypeError(
        `plugin "${this.#plugin}" reads argument "${key}", which it does not declare in args`,
      );
    }
    if (!types.includes(spec.type)) {
      throw new TypeError(
        `plugin "${this.#plugin}" reads argument "${key}" as ${
          types[0]
        }, but declares it ${spec.type}`,
      );
    }
    return spec;
  }

  #fallback<T>(key: string, spec: ArgSpec | undefined, fallback?: T): T {
    if (fallback !== undefined) return fallback;
    if (spec && spec.default !== undefined) return spec.default as T;
    throw new TypeError(
      `plugin "${this.#plugin}": argument "${key}" has no default; pass one`,
    );
  }

  /** The raw value of `key`, or `fallback` (default: the declared one). */
  string(key: string, fallback?: string): string {
    const spec = this.#spec(key, ["string", "choice", "file"]);
    return this.#map.get(key) ?? this.#fallback(key, spec, fallback);
  }

  /**
   * `key` as a boolean: on/off, true/false, yes/no, 1/0 (any case).
   * Throws a TypeError naming the plugin, key and accepted values otherwise.
   */
  bool(key: string, fallback?: boolean): boolean {
    const spec = this.#spec(key, ["bool"]);
    const raw = this.#map.get(key);
    if (raw === undefined) return this.#fallback(key, spec, fallback);
    return parseArgValue(this.#plugin, key, raw, {
      type: "bool",
      default: false,
      doc: "",
    }) as boolean;
  }

  /**
   * `key` as a safe integer (decimal, or hex with `0x`), checked against
   * `bounds` (default: the declared ones). Throws a TypeError for a
   * non-integer, a RangeError when out of bounds.
   */
  int(key: string, fallback?: number, bounds?: IntBounds): number {
    const spec = this.#spec(key, ["int"]);
    const raw = this.#map.get(key);
    if (raw === undefined) return this.#fallback(key, spec, fallback);
    const declared = spec?.type === "int" ? spec : undefined;
    return parseArgValue(this.#plugin, key, raw, {
      type: "int",
      default: 0,
      min: bounds?.min ?? declared?.min,
      max: bounds?.max ?? declared?.max,
      doc: "",
    }) as number;
  }

  /** `key` as one of its declared `choices`. */
  choice(key: string): string {
    const spec = this.#spec(key, ["choice"]);
    const raw = this.#map.get(key);
    if (raw === undefined) return this.#fallback<string>(key, spec);
    if (!spec) return raw;
    return parseArgValue(this.#plugin, key, raw, spec) as string;
  }

  /**
   * `key` as an output file path, relative to the user's folder (the
   * plugin's working directory), as QEMU's `filename=`. The host grants
   * write access to exactly this file.
   */
  file(key: string): string {
    const spec = this.#spec(key, ["file"]);
    const raw = this.#map.get(key);
    if (raw === undefined) return this.#fallback<string>(key, spec);
    if (raw === "") {
      throw new TypeError(
        `plugin "${this.#plugin}": argument ${key}= needs a file name`,
      );
    }
    return raw;
  }
}
