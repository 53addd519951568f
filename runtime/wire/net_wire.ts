/**
 * The wire between the emulator's thread and the network worker: one
 * request at a time, posted as a message; the answer comes back through
 * shared memory, because the emulator waits for it with `Atomics.wait`
 * (guest system calls are synchronous).
 *
 * Reply block layout (Int32 words, then bytes): [0] state (0 idle,
 * 1 waiting, 2 answered), [1] result (>= 0 or -errno), [2] JSON length,
 * [3] data length; JSON at byte 16, data right after it.
 *
 * @module
 */

/** Bytes of the reply block: header, JSON and up to 1 MiB of data. */
export const REPLY_BYTES = 16 + 4096 + (1 << 20);
/** The most data one request may carry back. */
export const MAX_DATA = 1 << 20;

/** Operations the worker performs. */
export type NetOp =
  | { op: "connect"; host: string; port: number }
  | { op: "listen"; host: string; port: number }
  | { op: "accept"; id: number; block: boolean }
  | { op: "recv"; id: number; max: number; block: boolean; peek: boolean }
  | { op: "send"; id: number; data: Uint8Array; host?: string; port?: number }
  | { op: "udpBind"; host: string; port: number }
  | { op: "shutdownWrite"; id: number }
  | { op: "close"; id: number };

/** A request with the reply block it answers in. */
export interface NetRequest {
  /** The operation. */
  req: NetOp;
  /** Where the answer goes. */
  reply: SharedArrayBuffer;
}

/**
 * Writes an answer into `reply` and wakes the waiting thread.
 *
 * @example
 * ```ts
 * import { answer, REPLY_BYTES } from "./net_wire.ts";
 * const sab = new SharedArrayBuffer(REPLY_BYTES);
 * answer(sab, 5, { ok: true });
 * console.log(new Int32Array(sab)[0], new Int32Array(sab)[1]); // 2 5
 * ```
 */
export function answer(
  reply: SharedArrayBuffer,
  result: number,
  json?: unknown,
  data?: Uint8Array,
): void {
  const head = new Int32Array(reply, 0, 4);
  const bytes = new Uint8Array(reply);
  const j = json === undefined
    ? new Uint8Array()
    : new TextEncoder().encode(JSON.stringify(json));
  const d = data ?? new Uint8Array();
  bytes.set(j.subarray(0, 4096), 16);
  bytes.set(d.subarray(0, MAX_DATA), 16 + j.length);
  head[1] = result;
  head[2] = Math.min(j.length, 4096);
  head[3] = Math.min(d.length, MAX_DATA);
  Atomics.store(head, 0, 2);
  Atomics.notify(head, 0);
}
