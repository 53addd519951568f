/**
 * Small helpers the syscall handlers share.
 *
 * @module
 */

import type { GuestMemory } from "../memory.ts";

/**
 * A signed register value as unsigned (exact below 2^53; larger values are
 * approximate, which only matters for sizes that are rejected anyway).
 *
 * @example
 * ```ts
 * import { unsigned } from "./_args.ts";
 * console.log(unsigned(-1) > 2 ** 63); // true
 * ```
 */
export function unsigned(v: number): number {
  return v < 0 ? v + 2 ** 64 : v;
}

/**
 * Writes little-endian 64-bit words at `addr`; false on a fault.
 *
 * @example
 * ```ts
 * import { writeWords } from "./_args.ts";
 * import { GuestMemory } from "../memory.ts";
 * const mem = new GuestMemory();
 * mem.map(0x10000, 0x1000, 3);
 * console.log(writeWords(mem, 0x10000, [1, 2]), mem.readU64(0x10008)); // true 2
 * ```
 */
export function writeWords(
  mem: GuestMemory,
  addr: number,
  words: (number | bigint)[],
): boolean {
  const b = new DataView(new ArrayBuffer(words.length * 8));
  words.forEach((w, i) =>
    b.setBigUint64(i * 8, BigInt.asUintN(64, BigInt(w)), true)
  );
  return mem.write(addr, new Uint8Array(b.buffer));
}

/**
 * Reads `n` little-endian signed 64-bit words, or `undefined` on a fault.
 *
 * @example
 * ```ts
 * import { readWords, writeWords } from "./_args.ts";
 * import { GuestMemory } from "../memory.ts";
 * const mem = new GuestMemory();
 * mem.map(0x10000, 0x1000, 3);
 * writeWords(mem, 0x10000, [-1n, 7]);
 * console.log(readWords(mem, 0x10000, 2)); // [ -1n, 7n ]
 * ```
 */
export function readWords(
  mem: GuestMemory,
  addr: number,
  n: number,
): bigint[] | undefined {
  const b = mem.read(addr, n * 8);
  if (!b) return undefined;
  const v = new DataView(b.buffer);
  return Array.from({ length: n }, (_, i) => v.getBigInt64(i * 8, true));
}
