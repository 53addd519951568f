/**
 * Callback ids: how the host names one plugin's callback to translated
 * code, and how far a plugin's own ids may go. One definition for both
 * sides: the worker refuses to register past {@link MAX_CALLBACK_ID}, and
 * the host refuses any id at or above it, so a packed id can never name
 * another plugin's callback.
 *
 * @module
 */

/** Bits of a packed id that hold the plugin's own callback id. */
export const CALLBACK_ID_BITS = 20;
/** One past the largest callback id a plugin may use. */
export const MAX_CALLBACK_ID = 1 << CALLBACK_ID_BITS;
/** Most plugins one run can hold (packed ids stay positive int32). */
export const MAX_PLUGINS = 1 << (31 - CALLBACK_ID_BITS);

/**
 * Whether `id` is a callback id a plugin may send.
 *
 * @example
 * ```ts
 * import { isCallbackId } from "./ids.ts";
 * console.log(isCallbackId(7), isCallbackId(1 << 20), isCallbackId(1.5)); // true false false
 * ```
 */
export function isCallbackId(id: unknown): id is number {
  return Number.isInteger(id) && (id as number) >= 0 &&
    (id as number) < MAX_CALLBACK_ID;
}

/**
 * The id translated code passes back for callback `id` of plugin `plugin`.
 *
 * @example
 * ```ts
 * import { packId, unpackId } from "./ids.ts";
 * console.log(unpackId(packId(2, 5))); // [ 2, 5 ]
 * ```
 */
export function packId(plugin: number, id: number): number {
  return (plugin << CALLBACK_ID_BITS) | id;
}

/**
 * The plugin index and callback id of a packed id.
 *
 * @example
 * ```ts
 * import { unpackId } from "./ids.ts";
 * console.log(unpackId((1 << 20) | 3)); // [ 1, 3 ]
 * ```
 */
export function unpackId(packed: number): [plugin: number, id: number] {
  return [packed >>> CALLBACK_ID_BITS, packed & (MAX_CALLBACK_ID - 1)];
}
