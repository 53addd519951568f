/**
 * The layout of a plugin's board: one shared `WebAssembly.Memory` per
 * plugin that translated code writes into (scoreboards, the event ring) and
 * the plugin's worker reads. Both sides import these constants.
 *
 * @module
 */

import { MAX_CALLBACK_ID } from "./ids.ts";

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
/**
 * Bytes of a memory record: the handler id with the access info above
 * {@link MEM_INFO_SHIFT} (u32), the address (u32: guest memory is 4 GiB),
 * the value (u64). The pc is the handler's: one handler per access site.
 * 16 bytes, down from 32 with pc and a 64-bit address: the worker was
 * bound by reading the ring (~4 ns an event; session 4).
 */
export const MEM_RECORD = 16;
/** Where a memory record's first word holds the access info. */
export const MEM_INFO_SHIFT = 22;
/**
 * Handler ids a plugin may register: the host's limit for callback ids
 * (ids.ts), below {@link MEM_INFO_SHIFT} bits.
 */
export const MAX_HANDLERS = MAX_CALLBACK_ID;

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
