/**
 * Hex strings for bytes, as they travel in channel messages (guest memory
 * reads and writes, block code in planning requests).
 *
 * @module
 */

const DIGITS = Array.from(
  { length: 256 },
  (_, b) => b.toString(16).padStart(2, "0"),
);

/**
 * Two lowercase hex digits per byte.
 *
 * @example
 * ```ts
 * import { toHex } from "./hex.ts";
 * console.log(toHex(new Uint8Array([0x05, 0xff]))); // "05ff"
 * ```
 */
export function toHex(b: Uint8Array): string {
  let s = "";
  for (const x of b) s += DIGITS[x];
  return s;
}

/**
 * The bytes of a hex string (two digits per byte).
 *
 * @example
 * ```ts
 * import { fromHex } from "./hex.ts";
 * console.log(fromHex("05ff")); // Uint8Array(2) [ 5, 255 ]
 * ```
 */
export function fromHex(s: string): Uint8Array {
  const b = new Uint8Array(s.length / 2);
  for (let i = 0; i < b.length; i++) {
    b[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  }
  return b;
}
