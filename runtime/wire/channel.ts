/**
 * A synchronous request channel between the emulator (main isolate) and one
 * plugin Worker, over a SharedArrayBuffer and Atomics. The vCPU is
 * synchronous JavaScript/wasm, so it cannot await messages: it writes a
 * request, then spins briefly and sleeps on `Atomics.wait` until the worker
 * replies (or a deadline passes). While it handles a request, the worker may
 * call back into main (to read guest memory, registers, ...), and main
 * answers those nested calls while it waits.
 *
 * The same state machine carries QPP's sync calls and sync callbacks
 * between two plugin Workers: the caller plays main's part (`request`), the
 * callee serves one request at a time from its poll loop (`serveOne`), and
 * the host {@link Channel.close}s a link whose callee is gone.
 *
 * Messages are a kind string and a payload, written as `[kind, data]` by the
 * channel's {@link Codec} (the host's requests: JSON with BigInts as decimal
 * strings; QPP: tagged, BigInts and byte arrays kept). Layout: 16 Int32
 * control words, then the payload bytes. The doorbell is a buffer of its
 * own, so whoever may wake the worker (its QPP consumers) gets the bell and
 * never the channel.
 *
 * Main trusts nothing in the buffer the worker can write: it keeps its own
 * record of what is in flight, reads a length only after checking it fits,
 * refuses anything that is not a `[kind, data]` pair, measures deadlines
 * itself, and counts a drain's progress only from the bytes the worker says
 * it consumed, which must grow and never pass what was sent. Anything wrong
 * is a {@link ChannelProtocolError}, never another exception.
 *
 * @module
 */

import { type Codec, jsonCodec } from "./codec.ts";
import {
  type ChannelMessage,
  ChannelProtocolError,
  decodeMessage,
  encodeMessage,
} from "./channel_message.ts";

export { type ChannelMessage, ChannelProtocolError };

const STATE = 0, LEN = 1;
/** Non-zero once the host closed the channel (its server is gone). */
const CLOSED = 4;
/**
 * Bytes of the drain in flight the worker has delivered: main restarts its
 * deadline when this grew by a step since it last did, never past the bytes
 * sent, so a slow but advancing drain is not mistaken for a stuck one, and
 * a plugin that only bumps the word earns at most {@link DRAIN_STEPS}
 * restarts a drain (the worker reports every 64 records, at least 1 KiB,
 * which is never less than a step).
 */
const CONSUMED = 3;
/** Most deadline restarts one drain may earn: one per 1/DRAIN_STEPS of it. */
export const DRAIN_STEPS = 4096;
/** Nothing in flight. */
const IDLE = 0;
/** Main wrote a request. */
const REQUEST = 1;
/** The worker wrote the reply. */
const REPLY = 2;
/** The worker wrote a nested call. */
const CALL = 3;
/** Main wrote the answer to a nested call. */
const ANSWER = 4;
/** The worker is handling a request. */
const BUSY = 5;

const HEADER = 64;
/**
 * How long to spin before sleeping on Atomics.wait, on both sides. Short:
 * on this 2-core machine a third busy thread (V8's background compilers,
 * GC) is common, and a spinning waiter then holds the core the other side
 * needs; 1 ms spins made translation requests wait 1 ms twice (wake-up and
 * reply), 40-60 ms per run. 50 us keeps back-to-back requests (sync
 * callbacks, QPP calls) on the spinning path.
 */
const SPIN_MS = 0.05;
/**
 * How long an idle worker sleeps on its doorbell before giving its event
 * loop a turn anyway. While it is in that turn (a `setTimeout(0)`, ~1 ms)
 * it cannot see main's requests, so the turns must be rare: a QPP peer
 * that posts a message rings the doorbell, which ends the sleep at once.
 */
const IDLE_WAIT_MS = 25;

/** The worker did not answer in time. */
export class ChannelTimeout extends Error {
  /** Always "ChannelTimeout". */
  override name = "ChannelTimeout";
}

/** The channel was closed: the side that serves it is gone. */
export class ChannelClosed extends Error {
  /** Always "ChannelClosed". */
  override name = "ChannelClosed";
}

const enc = new TextEncoder(), dec = new TextDecoder();
/** The answer to a nested call when the requester takes none. */
const noCalls = (m: ChannelMessage): never => {
  throw new ChannelProtocolError(`unexpected nested call "${m.kind}"`);
};

/**
 * One end of a channel. Main uses `request` (or `send` + `wait`); the worker
 * uses `serve` and, inside a handler, `call`.
 *
 * @example
 * ```ts
 * import { Channel } from "./channel.ts";
 * const ch = Channel.create(4096);
 * // Main writes a request; with no worker serving, it times out.
 * try {
 *   ch.request({ kind: "vcpu", data: { event: "init" } }, 5);
 * } catch (e) {
 *   console.log((e as Error).name); // "ChannelTimeout"
 * }
 * ```
 */
export class Channel {
  /** The shared buffer (post it to the worker). */
  readonly buffer: SharedArrayBuffer;
  /** The doorbell (post it to the worker; QPP consumers get it too). */
  readonly bell: SharedArrayBuffer;
  private readonly ctl: Int32Array;
  private readonly bellWord: Int32Array;
  private readonly bytes: Uint8Array;
  /** Main: a request is in flight (main's own record, not the buffer's). */
  private inFlight = false;
  /** Main: bytes of the drain in flight (0: not a drain). */
  private drainBytes = 0;

  /**
   * Wraps existing buffers (the worker's side). `bell` is the doorbell of
   * whoever serves the channel; `codec` must be the one the other end uses.
   */
  constructor(
    buffer: SharedArrayBuffer,
    bell: SharedArrayBuffer,
    private readonly codec: Codec = jsonCodec,
  ) {
    this.buffer = buffer;
    this.bell = bell;
    this.ctl = new Int32Array(buffer, 0, HEADER / 4);
    this.bellWord = new Int32Array(bell, 0, 1);
    this.bytes = new Uint8Array(buffer, HEADER);
  }

  /** Allocates a channel with room for `size` payload bytes. */
  static create(size = 4 << 20, codec: Codec = jsonCodec): Channel {
    return new Channel(
      new SharedArrayBuffer(HEADER + size),
      new SharedArrayBuffer(4),
      codec,
    );
  }

  /**
   * Closes the channel in `buffer` for good: a request in flight and every
   * later one fail with {@link ChannelClosed} (the host does this when the
   * side serving it is unloaded).
   */
  static close(buffer: SharedArrayBuffer): void {
    const ctl = new Int32Array(buffer, 0, HEADER / 4);
    Atomics.store(ctl, CLOSED, 1);
    Atomics.notify(ctl, STATE);
  }

  /** True once the channel was {@link Channel.close}d. */
  get closed(): boolean {
    return Atomics.load(this.ctl, CLOSED) !== 0;
  }

  /** Main: true when no request is in flight. */
  get idle(): boolean {
    return !this.inFlight;
  }

  private write(m: ChannelMessage): void {
    const text = encodeMessage(m, this.codec);
    const { written } = enc.encodeInto(text, this.bytes);
    if (written === undefined || written >= this.bytes.length) {
      throw new RangeError(
        `channel message "${m.kind}" is larger than ${this.bytes.length} bytes`,
      );
    }
    this.ctl[LEN] = written;
  }

  /** Reads the message in the buffer; a malformed one is a protocol error. */
  private read(): ChannelMessage {
    const len = this.ctl[LEN];
    if (!(len >= 0 && len <= this.bytes.length)) {
      throw new ChannelProtocolError(`message length ${len} is out of range`);
    }
    return decodeMessage(dec.decode(this.bytes.slice(0, len)), this.codec);
  }

  /** Sets the state and wakes whoever waits on it. */
  private set(state: number): void {
    Atomics.store(this.ctl, STATE, state);
    Atomics.notify(this.ctl, STATE);
  }

  /**
   * Sets the state without waking anyone: for states no one waits for
   * (IDLE, BUSY, and REQUEST, which rings the doorbell instead). A notify
   * on BUSY woke a main thread waiting for the reply only to sleep again,
   * twice per request.
   */
  private quietly(state: number): void {
    Atomics.store(this.ctl, STATE, state);
  }

  /** Wakes the serving worker (main's requests and QPP sync calls ring it). */
  ring(): void {
    Atomics.add(this.bellWord, 0, 1);
    Atomics.notify(this.bellWord, 0);
  }

  /** Rings the doorbell `bell` (a channel's {@link Channel.bell}). */
  static ring(bell: SharedArrayBuffer): void {
    const word = new Int32Array(bell, 0, 1);
    Atomics.add(word, 0, 1);
    Atomics.notify(word, 0);
  }

  /** Waits until the state leaves `from`; false on timeout. */
  private await(from: number, deadline: number): boolean {
    const spinUntil = performance.now() + SPIN_MS;
    while (Atomics.load(this.ctl, STATE) === from) {
      const now = performance.now();
      if (now < spinUntil) continue;
      if (now >= deadline) return false;
      Atomics.wait(this.ctl, STATE, from, Math.min(deadline - now, 1000));
    }
    return true;
  }

  // ---- main side ----

  /**
   * Main: posts a request without waiting for the reply. `drainBytes`: the
   * request hands the worker that many bytes of records to deliver (its
   * progress through them may extend the deadline).
   */
  send(m: ChannelMessage, drainBytes = 0): void {
    if (this.inFlight) {
      throw new Error("channel busy: wait() for the previous request first");
    }
    if (this.closed) throw new ChannelClosed("the channel is closed");
    this.write(m);
    this.inFlight = true;
    this.drainBytes = drainBytes;
    Atomics.store(this.ctl, CONSUMED, 0);
    this.quietly(REQUEST);
    this.ring();
  }

  /**
   * Main: waits for the reply to the request in flight, answering nested
   * calls with `onCall`. Throws {@link ChannelTimeout} after `timeoutMs`
   * (nested calls do not extend it; a drain's consumed bytes do, a bounded
   * number of times: {@link DRAIN_STEPS}), {@link ChannelProtocolError} when the worker
   * breaks the protocol and {@link ChannelClosed} when the channel is
   * closed meanwhile. Either way, nothing is in flight afterwards. Without
   * `onCall`, a nested call is answered with an error.
   */
  wait(
    timeoutMs: number,
    onCall: (m: ChannelMessage) => unknown = noCalls,
  ): ChannelMessage {
    if (!this.inFlight) throw new Error("channel: no request in flight");
    try {
      return this.waitReply(timeoutMs, onCall);
    } finally {
      this.inFlight = false;
    }
  }

  private waitReply(
    timeoutMs: number,
    onCall: (m: ChannelMessage) => unknown,
  ): ChannelMessage {
    let deadline = performance.now() + timeoutMs;
    const step = Math.max(16, Math.ceil(this.drainBytes / DRAIN_STEPS));
    let credited = 0;
    for (;;) {
      const s = Atomics.load(this.ctl, STATE);
      if (s === REPLY) {
        const r = this.read();
        this.quietly(IDLE);
        return r;
      }
      if (this.closed) throw new ChannelClosed("the channel is closed");
      if (performance.now() >= deadline) {
        // Only a step of bytes consumed since the last restart counts, and
        // never more than were sent.
        const consumed = Atomics.load(this.ctl, CONSUMED);
        if (consumed <= this.drainBytes && consumed >= credited + step) {
          credited = consumed;
          deadline = performance.now() + timeoutMs;
          continue;
        }
        throw new ChannelTimeout(`no reply within ${timeoutMs} ms`);
      }
      if (s === CALL) {
        const q = this.read();
        let answer: unknown;
        try {
          answer = { ok: onCall(q) ?? null };
        } catch (e) {
          answer = {
            error: { name: (e as Error).name, message: (e as Error).message },
          };
        }
        this.write({ kind: "answer", data: answer });
        this.set(ANSWER);
        continue;
      }
      // Any other state: the worker is still at it (the deadline decides).
      this.await(s, deadline);
    }
  }

  /** Main: `send` then `wait`. */
  request(
    m: ChannelMessage,
    timeoutMs: number,
    onCall: (m: ChannelMessage) => unknown = noCalls,
  ): ChannelMessage {
    this.send(m);
    return this.wait(timeoutMs, onCall);
  }

  // ---- worker side ----

  /**
   * Worker: serves requests forever. Each request goes to `handler`, whose
   * (possibly awaited) return value is the reply's data; `poll` runs other
   * pending work (QPP sync calls) and says whether it did any. Between
   * requests the worker spins briefly, then sleeps on the doorbell and lets
   * its event loop run whenever it wakes without a request, so MessagePort
   * traffic flows (QPP peers ring the doorbell after posting).
   */
  async serve(
    handler: (m: ChannelMessage) => ChannelMessage | Promise<ChannelMessage>,
    poll: () => boolean = () => false,
  ): Promise<never> {
    let lastWork = performance.now();
    for (;;) {
      const bell = Atomics.load(this.bellWord, 0);
      let worked = poll();
      if (Atomics.load(this.ctl, STATE) === REQUEST) {
        const m = this.read();
        this.quietly(BUSY);
        const r = await handler(m);
        try {
          this.write(r);
        } catch (e) {
          // A reply that cannot be sent must still end the request.
          this.write({
            kind: "reply",
            data: {
              error: { name: (e as Error).name, message: (e as Error).message },
            },
          });
        }
        // Main takes the reply and sets IDLE; the loop below only acts on
        // REQUEST, so no need to wait for that (spinning here held the core).
        this.set(REPLY);
        worked = true;
      }
      const now = performance.now();
      if (worked) {
        lastWork = now;
        continue;
      }
      if (now - lastWork < SPIN_MS) continue;
      // Sleep on the doorbell (a thread wake-up is fast); main's requests go
      // straight to the loop. Otherwise (a QPP port message rang, or 2 ms
      // passed) give the event loop a turn so MessagePort traffic is served.
      Atomics.wait(this.bellWord, 0, bell, IDLE_WAIT_MS);
      if (Atomics.load(this.ctl, STATE) === REQUEST) continue;
      await new Promise((r) => setTimeout(r, 0));
    }
  }

  /** Serving side: a request waits to be served (a poll loop's cheap test). */
  get pending(): boolean {
    return Atomics.load(this.ctl, STATE) === REQUEST;
  }

  /**
   * Serving side, from a poll loop: serves the request waiting, if any, with
   * the synchronous `handler` (a throw becomes an `error` reply); true if it
   * served one. QPP's callees use this; `serve` is the host channel's loop.
   */
  serveOne(handler: (m: ChannelMessage) => ChannelMessage): boolean {
    if (Atomics.load(this.ctl, STATE) !== REQUEST) return false;
    let r: ChannelMessage;
    try {
      const m = this.read();
      this.quietly(BUSY);
      r = handler(m);
      this.write(r);
    } catch (e) {
      this.write({
        kind: "error",
        data: { name: (e as Error).name, message: (e as Error).message },
      });
    }
    this.set(REPLY);
    return true;
  }

  /** Worker: tells a waiting main how many bytes of a drain it delivered. */
  consumed(bytes: number): void {
    Atomics.store(this.ctl, CONSUMED, bytes);
  }

  /** Worker, inside a handler: asks main something and waits for the answer. */
  call(m: ChannelMessage): unknown {
    this.write(m);
    this.set(CALL);
    this.await(CALL, Infinity);
    const a = this.read().data as {
      ok?: unknown;
      error?: { name: string; message: string };
    };
    this.quietly(BUSY);
    if (a.error) {
      const e = new RangeError(a.error.message);
      e.name = a.error.name;
      throw e;
    }
    return a.ok;
  }
}
