/**
 * Pandeno's version, read from its deno.json so there is one place to
 * change it.
 *
 * @module
 */

import config from "../../deno.json" with { type: "json" };

/**
 * The `version` field of Pandeno's deno.json.
 *
 * @example
 * ```ts
 * import { VERSION } from "./version.ts";
 * console.log(/^\d+\.\d+\.\d+/.test(VERSION)); // true
 * ```
 */
export const VERSION: string = config.version;
