/**
 * The 32-bit tables together, and each base mnemonic's row.
 *
 * @module
 */

import type { InsnName } from "./mod.ts";
import { RV64A } from "./rv64a.ts";
import { RV64D } from "./rv64d.ts";
import { RV64F } from "./rv64f.ts";
import { RV64I } from "./rv64i.ts";
import { RV64M } from "./rv64m.ts";
import type { InsnSpec } from "./types.ts";
import { ZICSR } from "./zicsr.ts";

/** Every 32-bit table, in the order rows are tried within a bucket on ties. */
export const TABLES32: readonly (readonly InsnSpec[])[] = [
  RV64I,
  RV64M,
  RV64A,
  RV64F,
  RV64D,
  ZICSR,
];

const BY_NAME = new Map<string, InsnSpec>(
  TABLES32.flatMap((t) => t.map((r) => [r.name, r] as const)),
);

/** The row of base mnemonic `name` (the type admits only table names). */
export function rowOf(name: InsnName): InsnSpec {
  return BY_NAME.get(name)!;
}
