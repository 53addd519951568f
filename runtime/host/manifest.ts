/**
 * Validation of what a plugin declares about itself.
 *
 * @module
 */

import type { PluginPermissions } from "../sdk/plugin_def.ts";
import { type ArgSpecs, validateArgSpecs } from "../sdk/arg_spec.ts";
import { parseVersion, validateRange } from "../wire/semver.ts";

/** A plugin's declarations, validated: its definition without `install`. */
export interface PluginManifest {
  /** `[a-z][a-z0-9_-]*`. */
  readonly name: string;
  /** `x.y.z`. */
  readonly version: string;
  /** Supported plugin API range. */
  readonly api: string;
  /** What it wants (empty if nothing). */
  readonly permissions: PluginPermissions;
  /** Other plugins it needs: name -> range. */
  readonly requires: Readonly<Record<string, string>>;
  /** One line saying what it does. */
  readonly description?: string;
  /** Its declared arguments (absent: undeclared, checked by the plugin). */
  readonly args?: ArgSpecs;
}

const NAME_RE = /^[a-z][a-z0-9_-]*$/;
type Obj = Record<string, unknown>;

/**
 * Checks a manifest received from a plugin's worker. Throws a TypeError
 * naming the plugin (`label` until its name is known) and the bad field.
 *
 * @example
 * ```ts
 * import { validateManifest } from "./manifest.ts";
 * const m = validateManifest({ name: "insn", version: "1.0.0", api: "^1.0" }, "insn");
 * console.log(m.permissions, m.requires); // {} {}
 * ```
 */
export function validateManifest(raw: unknown, label: string): PluginManifest {
  const bad = (what: string) => new TypeError(`plugin "${label}": ${what}`);
  if (typeof raw !== "object" || raw === null) {
    throw bad("the default export is not a plugin definition");
  }
  const m = raw as Obj;
  if (typeof m.name !== "string" || !NAME_RE.test(m.name)) {
    throw bad(`name ${JSON.stringify(m.name)} must match [a-z][a-z0-9_-]*`);
  }
  const who = (what: string) => new TypeError(`plugin "${m.name}": ${what}`);
  if (typeof m.version !== "string") {
    throw who('version must be a string like "1.0.0"');
  }
  try {
    parseVersion(m.version);
    if (typeof m.api !== "string") {
      throw new TypeError('api must be a range string like "^1.0"');
    }
    validateRange(m.api);
  } catch (e) {
    throw who((e as Error).message);
  }
  const permissions = validatePermissions(m.permissions ?? {}, who);
  const requires: Record<string, string> = {};
  if (m.requires !== undefined) {
    if (typeof m.requires !== "object" || m.requires === null) {
      throw who("requires must map names to ranges");
    }
    for (const [dep, range] of Object.entries(m.requires as Obj)) {
      if (!NAME_RE.test(dep)) {
        throw who(`requires: "${dep}" is not a plugin name`);
      }
      if (typeof range !== "string") {
        throw who(`requires.${dep} must be a version range string`);
      }
      try {
        validateRange(range);
      } catch (e) {
        throw who(`requires.${dep}: ${(e as Error).message}`);
      }
      requires[dep] = range;
    }
  }
  if (m.description !== undefined && typeof m.description !== "string") {
    throw who("description must be a string");
  }
  const args = m.args === undefined
    ? undefined
    : validateArgSpecs(m.args, m.name);
  return {
    name: m.name,
    version: m.version,
    api: m.api as string,
    permissions,
    requires,
    ...(m.description !== undefined
      ? { description: (m.description as string).slice(0, 200) }
      : {}),
    ...(args ? { args } : {}),
  };
}

function validatePermissions(
  p: unknown,
  who: (s: string) => TypeError,
): PluginPermissions {
  if (typeof p !== "object" || p === null) {
    throw who("permissions must be an object");
  }
  const o = p as Obj;
  const out: PluginPermissions = {};
  for (const [key, value] of Object.entries(o)) {
    switch (key) {
      case "read":
      case "write":
      case "net":
      case "env":
      case "run":
        if (
          !Array.isArray(value) ||
          !value.every((s) => typeof s === "string" && s !== "")
        ) {
          throw who(`permissions.${key} must be a list of non-empty strings`);
        }
        out[key] = [...value];
        break;
      case "sys":
      case "ffi":
        if (typeof value !== "boolean") {
          throw who(`permissions.${key} must be true or false`);
        }
        out[key] = value;
        break;
      default:
        throw who(
          `unknown permission "${key}" (known: read, write, net, env, sys, run, ffi)`,
        );
    }
  }
  return out;
}
