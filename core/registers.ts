/**
 * The vCPU's registers by name, for instrumentation: integer registers
 * (`x0`..`x31` and their ABI names), FP registers (`f0`..`f31`, ABI names),
 * `pc`, and the FP CSRs. Values are unsigned 64-bit BigInts; this is a
 * boundary API, never on a hot path.
 *
 * @module
 */

import type { Cpu } from "./cpu.ts";
import { abiName, fpName } from "./isa/disasm.ts";

/** One register. */
export interface RegisterInfo {
  /** Canonical name (`x10`, `f3`, `pc`, `fcsr`). */
  readonly name: string;
  /** Other accepted names (`a0`, `fa3`). */
  readonly aliases: readonly string[];
  /** Size in bytes. */
  readonly size: number;
  /** Feature group (GDB's naming): "cpu", "fpu" or "csr". */
  readonly feature: "cpu" | "fpu" | "csr";
  /** Integer register number (x) or FP register number (f), if one. */
  readonly x?: number;
  /** FP register number, if one. */
  readonly f?: number;
  /** Reads it. */
  read(cpu: Cpu): bigint;
  /** Writes it (x0 ignores writes). */
  write(cpu: Cpu, v: bigint): void;
}

const u64 = (v: bigint) => BigInt.asUintN(64, v);

/** Every register, in GDB order: x0..x31, pc, f0..f31, fflags, frm, fcsr. */
export const REGISTERS: readonly RegisterInfo[] = [
  ...Array.from({ length: 32 }, (_, i): RegisterInfo => ({
    name: `x${i}`,
    aliases: [abiName(i), ...(i === 8 ? ["fp"] : [])],
    size: 8,
    feature: "cpu",
    x: i,
    read: (cpu) => u64(cpu.x[i]),
    write: (cpu, v) => {
      if (i !== 0) cpu.x[i] = BigInt.asIntN(64, v);
    },
  })),
  {
    name: "pc",
    aliases: [],
    size: 8,
    feature: "cpu",
    read: (cpu) => BigInt(cpu.pc),
    write: (cpu, v) => void (cpu.pc = Number(u64(v))),
  },
  ...Array.from({ length: 32 }, (_, i): RegisterInfo => ({
    name: `f${i}`,
    aliases: [fpName(i)],
    size: 8,
    feature: "fpu",
    f: i,
    read: (cpu) => cpu.fbits[i],
    write: (cpu, v) => void (cpu.fbits[i] = u64(v)),
  })),
  {
    name: "fflags",
    aliases: [],
    size: 4,
    feature: "csr",
    read: (cpu) => BigInt(cpu.fflags),
    write: (cpu, v) => void (cpu.fflags = Number(v & 0x1fn)),
  },
  {
    name: "frm",
    aliases: [],
    size: 4,
    feature: "csr",
    read: (cpu) => BigInt(cpu.frm),
    write: (cpu, v) => void (cpu.frm = Number(v & 7n)),
  },
  {
    name: "fcsr",
    aliases: [],
    size: 4,
    feature: "csr",
    read: (cpu) => BigInt((cpu.frm << 5) | cpu.fflags),
    write: (cpu, v) => {
      cpu.fflags = Number(v & 0x1fn);
      cpu.frm = Number((v >> 5n) & 7n);
    },
  },
];

const BY_NAME = new Map<string, RegisterInfo>();
for (const r of REGISTERS) {
  BY_NAME.set(r.name, r);
  for (const a of r.aliases) if (!BY_NAME.has(a)) BY_NAME.set(a, r);
}

/**
 * Finds a register by canonical or ABI name.
 *
 * @example
 * ```ts
 * import { findRegister } from "./registers.ts";
 * console.log(findRegister("a0")?.name, findRegister("fa1")?.name); // "x10" "f11"
 * ```
 */
export function findRegister(name: string): RegisterInfo | undefined {
  return BY_NAME.get(name);
}
