/**
 * Builds {@link Decoded} records with one fixed shape, so every decoded
 * instruction shares a hidden class (monomorphic reads in the interpreter).
 *
 * @module
 */

import type { Decoded, InsnSpec } from "./types.ts";

/** Creates a Decoded record; every field is always present, in this order. */
export function makeDecoded(
  spec: InsnSpec,
  cname: string | undefined,
  raw: number,
  size: 2 | 4,
  rd: number,
  rs1: number,
  rs2: number,
  rs3: number,
  imm: number,
  rm: number,
  csr: number,
  aq: boolean,
  rl: boolean,
): Decoded {
  const name = spec.name;
  return {
    name,
    spec,
    cname,
    raw,
    size,
    rd,
    rs1,
    rs2,
    rs3,
    imm,
    rm,
    csr,
    aq,
    rl,
  };
}
