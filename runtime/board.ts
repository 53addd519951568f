/**
 * The layout of a plugin's board: one shared `WebAssembly.Memory` per
 * plugin that translated code writes into (scoreboards, the event ring) and
 * the plugin's worker reads. Both sides import these constants.
 *
 * @module
 */

/** Board size in 64 KiB pages (lazily backed by the host). */
export const BOARD_PAGES = 512;
/** Byte offset of the event ring header (head, limit, base, spare: u32 each). */
export const RING_HEADER = 0;
/** Byte offset where scoreboards are allocated. */
export const SCOREBOARD_BASE = 4096;
/** End of the scoreboard area. */
export const SCOREBOARD_END = 1 << 20;
/** Byte offset of the two ring halves. */
export const RING_BASE = 1 << 20;
/** Bytes in one ring half. */
export const RING_HALF = 4 << 20;

/** Bytes of an exec record before its captured registers: id, pc, icount. */
export const EXEC_RECORD = 16;
/** Bytes of a memory record: id, pc, addr, value, info, pad. */
export const MEM_RECORD = 32;

/** Size of an exec record capturing `nregs` registers. */
export function execRecordSize(nregs: number): number {
  return EXEC_RECORD + 8 * nregs;
}

/**
 * Creates a board memory.
 *
 * @example
 * ```ts
 * import { createBoard, RING_BASE } from "./board.ts";
 * const b = createBoard();
 * console.log(b.buffer.byteLength > RING_BASE); // true
 * ```
 */
export function createBoard(): WebAssembly.Memory {
  return new WebAssembly.Memory({
    initial: BOARD_PAGES,
    maximum: BOARD_PAGES,
    shared: true,
  });
}
