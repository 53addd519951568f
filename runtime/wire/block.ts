/**
 * A translated block as the host sends it to a plugin's Worker for planning,
 * and the nested call a Worker makes for its instructions' facts.
 *
 * @module
 */

import { fromHex, toHex } from "./hex.ts";
import type { InsnFacts } from "../sdk/insn_facts.ts";

/**
 * A block as the host sends it for planning: its address, its bytes in
 * hex, and one digit per instruction giving its size. Compact on the wire
 * (JSON of one group of ~30 blocks is a few KB, not tens), and symbols are
 * looked up in the Worker only when a plugin asks for one.
 */
export type WireBlock = [pc: number, hex: string, sizes: string];

/**
 * Packs a block's instructions for the wire.
 *
 * @example
 * ```ts
 * import { packBlock, unpackBlock } from "./block.ts";
 * const w = packBlock(0x10000, [
 *   { pc: 0x10000, bytes: new Uint8Array([0x05, 0x45]) },
 *   { pc: 0x10002, bytes: new Uint8Array([0x82, 0x80]) },
 * ]);
 * console.log(w, unpackBlock(w)[1].pc); // [ 65536, "05458280", "22" ] 65538
 * ```
 */
export function packBlock(
  pc: number,
  insns: readonly { pc: number; bytes: Uint8Array }[],
): WireBlock {
  let hex = "", sizes = "";
  for (const i of insns) {
    hex += toHex(i.bytes);
    sizes += i.bytes.length;
  }
  return [pc, hex, sizes];
}

/**
 * The instructions of a packed block.
 *
 * @example
 * ```ts
 * import { unpackBlock } from "./block.ts";
 * console.log(unpackBlock([0x10000, "0545", "2"])[0].bytes); // [ 5, 69 ]
 * ```
 */
export function unpackBlock(w: WireBlock): InsnDesc[] {
  const [pc0, hex, sizes] = w;
  const code = fromHex(hex);
  const out: InsnDesc[] = [];
  let pc = pc0;
  for (let k = 0; k < sizes.length; k++) {
    const size = sizes.charCodeAt(k) - 48;
    const at = pc - pc0;
    out.push({ pc, size, bytes: [...code.subarray(at, at + size)] });
    pc += size;
  }
  return out;
}

/** One instruction of a block as the host describes it. */
export interface InsnDesc {
  /**
   * Its facts, once the Worker has them (the host sends them on request,
   * then with every block for a plugin that asked once).
   */
  facts?: InsnFacts;
  /** pc. */
  pc: number;
  /** Size in bytes. */
  size: number;
  /** Raw bytes. */
  bytes: number[];
  /** Containing symbol. */
  symbol?: string;
}

/**
 * The nested call a Worker makes, during a `tb` request, for the facts of
 * block `data` (its index in the request): the host answers with one
 * {@link InsnFacts} per instruction, and from then on sends them with every
 * block (`facts` beside `blocks`), so only plugins that look pay for them.
 */
export const FACTS_CALL = "facts" as const;
