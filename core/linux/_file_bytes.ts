/**
 * Positioned file reads and writes that leave the description's offset
 * alone, and a page comparison, for the mapping table.
 *
 * @module
 */

import { PAGE_SIZE } from "../layout.ts";
import type { FileDescription } from "./map_table.ts";

/** Reads file bytes at `pos` into `buf[at..]` (short at end of file). */
export function readFileAt(
  d: FileDescription,
  pos: number,
  buf: Uint8Array,
  at: number,
): void {
  try {
    const saved = d.file.seekSync(0, Deno.SeekMode.Current);
    d.file.seekSync(pos, Deno.SeekMode.Start);
    try {
      let n = at;
      while (n < buf.length) {
        const got = d.file.readSync(buf.subarray(n));
        if (!got) break;
        n += got;
      }
    } finally {
      d.file.seekSync(saved, Deno.SeekMode.Start);
    }
  } catch { /* the file went away: the pages keep what they hold */ }
}

/** Writes `data` at file position `pos`; false if the file refused it. */
export function writeFileAt(
  d: FileDescription,
  pos: number,
  data: Uint8Array,
): boolean {
  try {
    const saved = d.file.seekSync(0, Deno.SeekMode.Current);
    d.file.seekSync(pos, Deno.SeekMode.Start);
    try {
      let n = 0;
      while (n < data.length) n += d.file.writeSync(data.subarray(n));
    } finally {
      d.file.seekSync(saved, Deno.SeekMode.Start);
    }
    return true;
  } catch {
    return false; // e.g. a read-only descriptor: nothing can be written
  }
}

/** True when `a[ai..]` and `b[bi..]` agree over one page (or up to `limit`). */
export function samePage(
  a: Uint8Array,
  ai: number,
  b: Uint8Array,
  bi: number,
  limit: number,
): boolean {
  const n = Math.min(PAGE_SIZE, limit - bi);
  for (let i = 0; i < n; i++) if (a[ai + i] !== b[bi + i]) return false;
  return true;
}
