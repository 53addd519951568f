/**
 * Just enough semantic versioning for plugin manifests: parse `x.y.z`
 * versions and test them against ranges (`^1.2`, `~1.2.3`, `>=1.0 <2`,
 * `1.x`, `1.2.3`, `*`). Pre-release tags and build metadata are not
 * supported; plugin and API versions are plain `major.minor.patch`.
 *
 * @module
 */

/** A parsed `major.minor.patch` version. */
export interface Version {
  /** Incompatible API changes. */
  readonly major: number;
  /** Backwards-compatible additions. */
  readonly minor: number;
  /** Backwards-compatible fixes. */
  readonly patch: number;
}

const VERSION_RE = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

/**
 * Parses a strict `x.y.z` version; throws a TypeError otherwise.
 *
 * @example
 * ```ts
 * import { parseVersion } from "./semver.ts";
 * console.log(parseVersion("1.10.0").minor); // 10
 * ```
 */
export function parseVersion(text: string): Version {
  const m = VERSION_RE.exec(text.trim());
  if (!m) {
    throw new TypeError(
      `invalid version "${text}": expected major.minor.patch, like "1.0.0"`,
    );
  }
  return { major: +m[1], minor: +m[2], patch: +m[3] };
}

/**
 * Orders two versions: negative if `a < b`, zero if equal, positive if `a > b`.
 *
 * @example
 * ```ts
 * import { compareVersions, parseVersion } from "./semver.ts";
 * console.log(compareVersions(parseVersion("1.2.0"), parseVersion("1.10.0")) < 0); // true
 * ```
 */
export function compareVersions(a: Version, b: Version): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

type Op = "<" | "<=" | ">" | ">=" | "=";
interface Comparator {
  op: Op;
  v: Version;
}

/** A partial version: `1`, `1.2`, `1.2.3`, with `x`/`X`/`*` wildcards. */
interface Partial {
  major?: number;
  minor?: number;
  patch?: number;
}

const PART_RE = /^(\d+|[xX*])(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?$/;

function parsePartial(text: string, range: string): Partial {
  const m = PART_RE.exec(text);
  if (!m) throw badRange(range, `"${text}" is not a version`);
  const num = (s: string | undefined) =>
    s === undefined || /^[xX*]$/.test(s) ? undefined : +s;
  const p = { major: num(m[1]), minor: num(m[2]), patch: num(m[3]) };
  if (
    (p.major === undefined &&
      (p.minor !== undefined || p.patch !== undefined)) ||
    (p.minor === undefined && p.patch !== undefined)
  ) {
    throw badRange(range, `"${text}" has a number after a wildcard`);
  }
  return p;
}

function badRange(range: string, why: string): TypeError {
  return new TypeError(
    `invalid version range "${range}": ${why} (use forms like "^1.2", "~1.2.3", ">=1.0 <2", "1.x", "1.2.3" or "*")`,
  );
}

const v = (major: number, minor = 0, patch = 0): Version => ({
  major,
  minor,
  patch,
});

/** Expands one space-separated range term into comparators. */
function expandTerm(term: string, range: string): Comparator[] {
  const opMatch = /^(<=|>=|<|>|=|\^|~)?(.*)$/.exec(term)!;
  const op = opMatch[1] ?? "";
  const p = parsePartial(opMatch[2], range);
  if (p.major === undefined) {
    if (op === "<" || op === ">") {
      throw badRange(range, `"${term}" matches nothing`);
    }
    return [];
  }
  const { major, minor, patch } = p;
  const lo = v(major, minor ?? 0, patch ?? 0);
  // The first version above the partial's wildcard span.
  const next = minor === undefined
    ? v(major + 1)
    : patch === undefined
    ? v(major, minor + 1)
    : v(major, minor, patch + 1);
  switch (op) {
    case "":
    case "=":
      return [{ op: ">=", v: lo }, { op: "<", v: next }];
    case ">=":
      return [{ op: ">=", v: lo }];
    case ">":
      return [{ op: ">=", v: next }];
    case "<":
      return [{ op: "<", v: lo }];
    case "<=":
      return [{ op: "<", v: next }];
    case "~":
      return [{ op: ">=", v: lo }, {
        op: "<",
        v: minor === undefined ? v(major + 1) : v(major, minor + 1),
      }];
    case "^": {
      // The leftmost non-zero part may not change (npm semantics).
      const hi = major > 0 || minor === undefined
        ? v(major + 1)
        : minor > 0 || patch === undefined
        ? v(0, minor + 1)
        : v(0, 0, patch + 1);
      return [{ op: ">=", v: lo }, { op: "<", v: hi }];
    }
  }
  throw badRange(range, `unknown operator in "${term}"`);
}

function parseRange(range: string): Comparator[][] {
  const alternatives = range.split("||").map((s) => s.trim());
  return alternatives.map((alt) => {
    const terms = alt.split(/\s+/).filter((t) => t !== "")
      // Allow ">= 1.0" as well as ">=1.0".
      .reduce<string[]>((acc, t) => {
        if (acc.length && /^(<=|>=|<|>|=|\^|~)$/.test(acc[acc.length - 1])) {
          acc[acc.length - 1] += t;
        } else acc.push(t);
        return acc;
      }, []);
    if (terms.length === 0) throw badRange(range, "empty alternative");
    return terms.flatMap((t) => expandTerm(t, range));
  });
}

/**
 * Checks that `range` is well-formed; throws a TypeError saying why not.
 *
 * @example
 * ```ts
 * import { validateRange } from "./semver.ts";
 * validateRange(">=1.0 <2"); // ok
 * try { validateRange("^one"); } catch (e) { console.log((e as Error).message); }
 * ```
 */
export function validateRange(range: string): void {
  parseRange(range);
}

/**
 * Whether `version` lies in `range`. Throws a TypeError if either is
 * malformed.
 *
 * @example
 * ```ts
 * import { satisfies } from "./semver.ts";
 * console.log(satisfies("1.4.2", "^1.2")); // true
 * console.log(satisfies("2.0.0", ">=1.0 <2")); // false
 * ```
 */
export function satisfies(version: string | Version, range: string): boolean {
  const ver = typeof version === "string" ? parseVersion(version) : version;
  const test = ({ op, v: b }: Comparator) => {
    const c = compareVersions(ver, b);
    return op === "<"
      ? c < 0
      : op === "<="
      ? c <= 0
      : op === ">"
      ? c > 0
      : op === ">="
      ? c >= 0
      : c === 0;
  };
  return parseRange(range).some((alt) => alt.every(test));
}
