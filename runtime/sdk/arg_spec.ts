/**
 * Typed declarations of a plugin's `key=value` arguments. A plugin lists
 * them in its definition (`args: { inline: { type: "bool", ... } }`); the
 * host checks the command line against them before the plugin installs,
 * `PluginArgs` getters check the plugin's own reads against them, and
 * `pandeno plugins` prints them, so the help cannot drift from the code.
 *
 * @module
 */

/** A boolean argument: `on/off`, `true/false`, `yes/no`, `1/0`. */
export interface BoolArgSpec {
  /** The kind of value. */
  type: "bool";
  /** The value when the argument is not given. */
  default: boolean;
  /** One line of help. */
  doc: string;
}

/** A safe integer, decimal or `0x` hex, within optional bounds. */
export interface IntArgSpec {
  /** The kind of value. */
  type: "int";
  /** The value when the argument is not given. */
  default: number;
  /** Smallest accepted value (inclusive). */
  min?: number;
  /** Largest accepted value (inclusive). */
  max?: number;
  /** One line of help. */
  doc: string;
}

/** Free text; `default` absent means "not given" (test with `args.has`). */
export interface StringArgSpec {
  /** The kind of value. */
  type: "string";
  /** The value when the argument is not given. */
  default?: string;
  /** One line of help. */
  doc: string;
}

/** One of a fixed list of words (QEMU's `evict=lru|fifo|rand`). */
export interface ChoiceArgSpec {
  /** The kind of value. */
  type: "choice";
  /** The accepted words. */
  choices: readonly string[];
  /** The value when the argument is not given: one of `choices`. */
  default: string;
  /** One line of help. */
  doc: string;
}

/**
 * An output file the plugin writes, as QEMU's `filename=`: relative to the
 * user's working directory. The host grants the plugin write access to
 * exactly this file, because the user named it (or accepted the default,
 * which must be a plain file name, so it lands in the user's folder).
 */
export interface FileArgSpec {
  /** The kind of value. */
  type: "file";
  /** Plain file name used when the argument is not given. */
  default: string;
  /** One line of help. */
  doc: string;
}

/** One declared argument. */
export type ArgSpec =
  | BoolArgSpec
  | IntArgSpec
  | StringArgSpec
  | ChoiceArgSpec
  | FileArgSpec;

/**
 * A plugin's argument declarations: key -> declaration.
 *
 * @example
 * ```ts
 * import type { ArgSpecs } from "./arg_spec.ts";
 * const args: ArgSpecs = {
 *   inline: { type: "bool", default: false, doc: "count with inline adds" },
 *   filename: { type: "file", default: "file.drcov.trace", doc: "output" },
 * };
 * console.log(Object.keys(args)); // ["inline", "filename"]
 * ```
 */
export type ArgSpecs = Readonly<Record<string, ArgSpec>>;

/** Words accepted as true by boolean arguments. */
export const TRUE_WORDS: readonly string[] = ["on", "true", "yes", "1"];
/** Words accepted as false by boolean arguments. */
export const FALSE_WORDS: readonly string[] = ["off", "false", "no", "0"];

const KEY_RE = /^[A-Za-z0-9_.-]+$/;
const PLAIN_FILE_RE = /^[A-Za-z0-9_.-]+$/;
const TYPES = ["bool", "int", "string", "choice", "file"];

/**
 * Checks declarations received from a plugin (untrusted: they come out of
 * its Worker) and returns a clean copy. Throws a TypeError naming the
 * plugin and the bad field.
 *
 * @example
 * ```ts
 * import { validateArgSpecs } from "./arg_spec.ts";
 * const specs = validateArgSpecs(
 *   { n: { type: "int", default: 1, min: 0, doc: "how many" } },
 *   "demo",
 * );
 * console.log(specs.n.type); // "int"
 * ```
 */
export function validateArgSpecs(raw: unknown, plugin: string): ArgSpecs {
  const bad = (what: string) =>
    new TypeError(`plugin "${plugin}": args${what}`);
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw bad(" must map argument names to declarations");
  }
  // No prototype: a key such as "__proto__" stays an ordinary entry.
  const out: Record<string, ArgSpec> = Object.create(null);
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (!KEY_RE.test(key)) throw bad(`: "${key}" is not an argument name`);
    if (typeof value !== "object" || value === null) {
      throw bad(`.${key} must be a declaration object`);
    }
    const d = value as Record<string, unknown>;
    if (typeof d.type !== "string" || !TYPES.includes(d.type)) {
      throw bad(`.${key}.type must be one of ${TYPES.join(", ")}`);
    }
    if (typeof d.doc !== "string") throw bad(`.${key}.doc must be a string`);
    const doc = d.doc;
    switch (d.type) {
      case "bool":
        if (typeof d.default !== "boolean") {
          throw bad(`.${key}.default must be true or false`);
        }
        out[key] = { type: "bool", default: d.default, doc };
        break;
      case "int": {
        const n = (v: unknown) =>
          typeof v === "number" && Number.isSafeInteger(v);
        if (!n(d.default)) throw bad(`.${key}.default must be an integer`);
        if (d.min !== undefined && !n(d.min)) {
          throw bad(`.${key}.min must be an integer`);
        }
        if (d.max !== undefined && !n(d.max)) {
          throw bad(`.${key}.max must be an integer`);
        }
        out[key] = {
          type: "int",
          default: d.default as number,
          ...(d.min !== undefined ? { min: d.min as number } : {}),
          ...(d.max !== undefined ? { max: d.max as number } : {}),
          doc,
        };
        break;
      }
      case "string":
        if (d.default !== undefined && typeof d.default !== "string") {
          throw bad(`.${key}.default must be a string`);
        }
        out[key] = d.default === undefined
          ? { type: "string", doc }
          : { type: "string", default: d.default, doc };
        break;
      case "choice": {
        const c = d.choices;
        if (
          !Array.isArray(c) || c.length === 0 ||
          !c.every((s) => typeof s === "string" && s !== "")
        ) {
          throw bad(`.${key}.choices must be a list of words`);
        }
        if (typeof d.default !== "string" || !c.includes(d.default)) {
          throw bad(`.${key}.default must be one of its choices`);
        }
        out[key] = { type: "choice", choices: [...c], default: d.default, doc };
        break;
      }
      case "file":
        if (
          typeof d.default !== "string" || !PLAIN_FILE_RE.test(d.default) ||
          d.default === "." || d.default === ".."
        ) {
          throw bad(
            `.${key}.default must be a plain file name (no "/"), so it lands in the user's folder`,
          );
        }
        out[key] = { type: "file", default: d.default, doc };
        break;
    }
  }
  return out;
}

/**
 * How one declaration reads in help: `inline=BOOL (default: off)`.
 *
 * @example
 * ```ts
 * import { describeArg } from "./arg_spec.ts";
 * console.log(describeArg("evict", {
 *   type: "choice", choices: ["lru", "fifo"], default: "lru", doc: "policy",
 * })); // "evict=lru|fifo (default: lru)"
 * ```
 */
export function describeArg(key: string, spec: ArgSpec): string {
  switch (spec.type) {
    case "bool":
      return `${key}=on|off (default: ${spec.default ? "on" : "off"})`;
    case "int": {
      const range = spec.min !== undefined || spec.max !== undefined
        ? `, ${spec.min ?? ""}..${spec.max ?? ""}`
        : "";
      return `${key}=N (default: ${spec.default}${range})`;
    }
    case "string":
      return spec.default === undefined || spec.default === ""
        ? `${key}=TEXT`
        : `${key}=TEXT (default: ${spec.default})`;
    case "choice":
      return `${key}=${spec.choices.join("|")} (default: ${spec.default})`;
    case "file":
      return `${key}=FILE (default: ./${spec.default})`;
  }
}

/**
 * Checks every given `key=value` against `specs` before the plugin runs:
 * an unknown key, or a value that does not parse as its type, throws a
 * TypeError (RangeError for an integer out of bounds) that lists what is
 * valid.
 *
 * @example
 * ```ts
 * import { checkArgs } from "./arg_spec.ts";
 * const specs = { inline: { type: "bool" as const, default: false, doc: "" } };
 * try {
 *   checkArgs("insn", [["inlin", "on"]], specs);
 * } catch (e) {
 *   console.log((e as Error).message);
 *   // plugin "insn": unknown argument "inlin" (valid: inline=on|off (default: off))
 * }
 * ```
 */
export function checkArgs(
  plugin: string,
  pairs: Iterable<readonly [string, string]>,
  specs: ArgSpecs,
): void {
  for (const [key, raw] of pairs) {
    const spec = Object.hasOwn(specs, key) ? specs[key] : undefined;
    if (!spec) {
      const valid = Object.entries(specs).map(([k, s]) => describeArg(k, s));
      throw new TypeError(
        `plugin "${plugin}": unknown argument "${key}" (valid: ${
          valid.length ? valid.join(", ") : "none; it takes no arguments"
        })`,
      );
    }
    parseArgValue(plugin, key, raw, spec);
  }
}

/**
 * Parses `raw` as the value of `key` declared by `spec`. Throws a TypeError
 * (RangeError when out of bounds) naming the plugin, the key and what is
 * accepted.
 *
 * @example
 * ```ts
 * import { parseArgValue } from "./arg_spec.ts";
 * console.log(parseArgValue("p", "n", "0x10", { type: "int", default: 0, doc: "" })); // 16
 * ```
 */
export function parseArgValue(
  plugin: string,
  key: string,
  raw: string,
  spec: ArgSpec,
): boolean | number | string {
  switch (spec.type) {
    case "bool": {
      const s = raw.toLowerCase();
      if (TRUE_WORDS.includes(s)) return true;
      if (FALSE_WORDS.includes(s)) return false;
      throw new TypeError(
        `plugin "${plugin}": argument ${key}=${raw} is not a boolean ` +
          `(use one of ${[...TRUE_WORDS, ...FALSE_WORDS].join(", ")})`,
      );
    }
    case "int": {
      const n = /^[-+]?\d+$/.test(raw) || /^0x[0-9a-f]+$/i.test(raw)
        ? Number(raw)
        : NaN;
      if (!Number.isSafeInteger(n)) {
        throw new TypeError(
          `plugin "${plugin}": argument ${key}=${raw} is not an integer (use digits, or 0x for hex)`,
        );
      }
      const { min = -Infinity, max = Infinity } = spec;
      if (n < min || n > max) {
        const span = [
          min === -Infinity ? "" : `>= ${min}`,
          max === Infinity ? "" : `<= ${max}`,
        ].filter(Boolean).join(" and ");
        throw new RangeError(
          `plugin "${plugin}": argument ${key}=${raw} must be ${span}`,
        );
      }
      return n;
    }
    case "choice":
      if (spec.choices.includes(raw)) return raw;
      throw new TypeError(
        `plugin "${plugin}": argument ${key}=${raw} is not valid (use one of ${
          spec.choices.join(", ")
        })`,
      );
    case "string":
      return raw;
    case "file":
      if (raw === "") {
        throw new TypeError(
          `plugin "${plugin}": argument ${key}= needs a file name`,
        );
      }
      return raw;
  }
}
