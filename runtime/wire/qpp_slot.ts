/**
 * QPP's shared-memory request slot: a caller writes a request and blocks for
 * the callee's reply (the host creates slots and marks them dead).
 *
 * @module
 */

import { Channel } from "./channel.ts";
import { QppDeadlockError, QppUnavailableError } from "../sdk/qpp_api.ts";

/** Bytes of one slot (control words + payload). */
export const SLOT_BYTES = 1 << 20;
const S_STATE = 0, S_LEN = 1, S_DEAD = 2, S_HDR = 16;
const IDLE = 0, REQ = 1, REP = 2;
/** How long a sync QPP call waits for its callee. */
export const SYNC_TIMEOUT_MS = 5000;

const enc = new TextEncoder(), dec = new TextDecoder();

/**
 * Encodes with BigInts and Uint8Arrays kept (JSON with tags).
 *
 * @example
 * ```ts
 * import { pack } from "./qpp_slot.ts";
 * console.log(pack({ n: 2n })); // {"n":{"$b":"2"}}
 * ```
 */
export function pack(v: unknown): string {
  return JSON.stringify(
    v,
    (_k, x) =>
      typeof x === "bigint"
        ? { $b: x.toString() }
        : x instanceof Uint8Array
        ? { $u: Array.from(x) }
        : x,
  );
}

/**
 * Decodes what {@link pack} wrote, allocating no more than the text holds.
 *
 * @example
 * ```ts
 * import { unpack } from "./qpp_slot.ts";
 * console.log(unpack('{"n":{"$b":"2"}}')); // { n: 2n }
 * ```
 */
export function unpack(s: string): unknown {
  // Only what the text holds: `$u` must be a real array (a `{ length }`
  // object would make the receiver allocate what the sender never sent),
  // `$b` a decimal string.
  return JSON.parse(
    s,
    (_k, x) =>
      x && typeof x === "object" && typeof x.$b === "string" &&
        /^-?\d{1,400}$/.test(x.$b)
        ? BigInt(x.$b)
        : x && typeof x === "object" && Array.isArray(x.$u)
        ? Uint8Array.from(x.$u as number[])
        : x,
  );
}

/**
 * One shared-memory request slot: the caller writes a request and blocks;
 * the callee serves it from its poll loop.
 *
 * @example
 * ```ts ignore
 * const slot = new Slot(createSlot());
 * slot.call({ fn: "count", args: [] }, providerBell, "qprov");
 * ```
 */
export class Slot {
  readonly ctl: Int32Array;
  readonly bytes: Uint8Array;
  constructor(readonly buffer: SharedArrayBuffer) {
    this.ctl = new Int32Array(buffer, 0, S_HDR / 4);
    this.bytes = new Uint8Array(buffer, S_HDR);
  }
  write(v: unknown): void {
    const { written } = enc.encodeInto(pack(v), this.bytes);
    if (written! >= this.bytes.length) {
      throw new RangeError("QPP message too large");
    }
    this.ctl[S_LEN] = written!;
  }
  read(): unknown {
    return unpack(dec.decode(this.bytes.slice(0, this.ctl[S_LEN])));
  }
  get dead(): boolean {
    return Atomics.load(this.ctl, S_DEAD) !== 0;
  }
  /** Caller: sends `req` and blocks for the reply. */
  call(req: unknown, bell: SharedArrayBuffer, who: string): unknown {
    if (this.dead) {
      throw new QppUnavailableError(`plugin "${who}" is not available`);
    }
    this.write(req);
    Atomics.store(this.ctl, S_STATE, REQ);
    Channel.ring(bell);
    const deadline = performance.now() + SYNC_TIMEOUT_MS;
    const spinUntil = performance.now() + 1;
    while (Atomics.load(this.ctl, S_STATE) === REQ) {
      if (this.dead) {
        throw new QppUnavailableError(`plugin "${who}" is not available`);
      }
      const now = performance.now();
      if (now < spinUntil) continue;
      if (now > deadline) {
        throw new QppDeadlockError(
          `plugin "${who}" did not answer a sync QPP call within ${SYNC_TIMEOUT_MS} ms (is it blocked calling back?)`,
        );
      }
      Atomics.wait(this.ctl, S_STATE, REQ, 50);
    }
    const r = this.read() as {
      ok?: unknown;
      err?: { name: string; message: string };
    };
    Atomics.store(this.ctl, S_STATE, IDLE);
    if (r.err) {
      const E = r.err.name === "QppDeadlockError" ? QppDeadlockError : Error;
      const e = new E(r.err.message);
      if (E === Error) e.name = r.err.name;
      throw e;
    }
    return r.ok;
  }
  /** Callee: serves one pending request, if any. */
  serve(handle: (req: unknown) => unknown): boolean {
    if (Atomics.load(this.ctl, S_STATE) !== REQ) return false;
    let reply: unknown;
    try {
      reply = { ok: handle(this.read()) };
    } catch (e) {
      reply = {
        err: { name: (e as Error).name, message: (e as Error).message },
      };
    }
    this.write(reply);
    Atomics.store(this.ctl, S_STATE, REP);
    Atomics.notify(this.ctl, S_STATE);
    return true;
  }
}

/**
 * Creates a slot buffer.
 *
 * @example
 * ```ts
 * import { createSlot } from "./qpp_slot.ts";
 * console.log(createSlot().byteLength > 1 << 20); // true
 * ```
 */
export function createSlot(): SharedArrayBuffer {
  return new SharedArrayBuffer(S_HDR + SLOT_BYTES);
}

/**
 * Marks a slot's callee as gone: blocked and later callers fail at once.
 *
 * @example
 * ```ts
 * import { createSlot, killSlot } from "./qpp_slot.ts";
 * killSlot(createSlot());
 * ```
 */
export function killSlot(buffer: SharedArrayBuffer): void {
  const ctl = new Int32Array(buffer, 0, S_HDR / 4);
  Atomics.store(ctl, S_DEAD, 1);
  Atomics.notify(ctl, S_STATE);
}
