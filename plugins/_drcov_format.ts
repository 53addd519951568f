/**
 * The drcov coverage format, version 2, as DynamoRIO's drcov tool and
 * QEMU 7.2's `contrib/plugins/drcov.c` write it: a text header with a
 * module table, then `BB Table: N bbs` and N binary records of
 * `{ u32 start, u16 size, u16 module id }`, little-endian.
 *
 * @module
 */

/** One row of the module table. */
export interface DrcovModule {
  /** Module id (the row index). */
  id: number;
  /** Lowest address of its code. */
  base: number;
  /** End of its code (exclusive). */
  end: number;
  /** Entry point. */
  entry: number;
  /** Path of the file. */
  path: string;
}

/** One basic block record. */
export interface DrcovBlock {
  /** Start address (QEMU writes the guest address, truncated to 32 bits). */
  start: number;
  /** Size in bytes. */
  size: number;
  /** Module id. */
  module: number;
}

/**
 * Encodes a drcov version 2 file with the `drcov-64` flavor, byte for byte
 * as QEMU 7.2's drcov plugin formats it (`%lx` addresses, `%ld bbs`).
 *
 * @example
 * ```ts
 * import { encodeDrcov } from "./_drcov_format.ts";
 * const bytes = encodeDrcov(
 *   [{ id: 0, base: 0x10000, end: 0x10100, entry: 0x10040, path: "./a.elf" }],
 *   [{ start: 0x10040, size: 12, module: 0 }],
 * );
 * console.log(bytes.length); // 173
 * ```
 */
export function encodeDrcov(
  modules: readonly DrcovModule[],
  blocks: readonly DrcovBlock[],
): Uint8Array {
  const hex = (n: number) => `0x${n.toString(16)}`;
  let head = "DRCOV VERSION: 2\n" +
    "DRCOV FLAVOR: drcov-64\n" +
    `Module Table: version 2, count ${modules.length}\n` +
    "Columns: id, base, end, entry, path\n";
  for (const m of modules) {
    head += `${m.id}, ${hex(m.base)}, ${hex(m.end)}, ${
      hex(m.entry)
    }, ${m.path}\n`;
  }
  head += `BB Table: ${blocks.length} bbs\n`;
  const text = new TextEncoder().encode(head);
  const out = new Uint8Array(text.length + blocks.length * 8);
  out.set(text);
  const v = new DataView(out.buffer, text.length);
  blocks.forEach((b, i) => {
    v.setUint32(i * 8, b.start >>> 0, true);
    v.setUint16(i * 8 + 4, b.size & 0xffff, true);
    v.setUint16(i * 8 + 6, b.module & 0xffff, true);
  });
  return out;
}
