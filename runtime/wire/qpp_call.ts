/**
 * QPP's sync calls and sync callbacks over the one generic {@link Channel}:
 * the caller's Worker plays the requester, the callee serves from its poll
 * loop, with the tagged codec so BigInts and byte arrays cross intact. The
 * host creates a link's channels and closes them when the callee is gone.
 *
 * @module
 */

import { Channel, ChannelClosed, ChannelTimeout } from "./channel.ts";
import { taggedCodec } from "./codec.ts";
import { QppDeadlockError, QppUnavailableError } from "../sdk/qpp_api.ts";

/** Payload bytes of one QPP channel. */
export const QPP_CHANNEL_BYTES = 1 << 20;
/** How long a sync QPP call waits for its callee. */
export const SYNC_TIMEOUT_MS = 5000;

/**
 * Creates the buffer of one QPP channel (the host does, per link and
 * direction).
 *
 * @example
 * ```ts
 * import { createQppChannel } from "./qpp_call.ts";
 * console.log(createQppChannel().byteLength > 1 << 20); // true
 * ```
 */
export function createQppChannel(): SharedArrayBuffer {
  return Channel.create(QPP_CHANNEL_BYTES).buffer;
}

/**
 * Wraps a QPP channel's buffer; `bell` is the doorbell of the side that
 * serves it.
 *
 * @example
 * ```ts
 * import { createQppChannel, qppChannel } from "./qpp_call.ts";
 * const ch = qppChannel(createQppChannel(), new SharedArrayBuffer(4));
 * console.log(ch.idle); // true
 * ```
 */
export function qppChannel(
  buffer: SharedArrayBuffer,
  bell: SharedArrayBuffer,
): Channel {
  return new Channel(buffer, bell, taggedCodec);
}

/**
 * Caller: sends `req` to `who` and blocks for its reply. Throws
 * {@link QppUnavailableError} when `who` is gone, {@link QppDeadlockError}
 * when it does not answer in time, and the callee's own error when it threw.
 *
 * @example
 * ```ts
 * import { createQppChannel, qppCall, qppChannel } from "./qpp_call.ts";
 * import { Channel } from "./channel.ts";
 * const buf = createQppChannel();
 * Channel.close(buf);
 * try {
 *   qppCall(qppChannel(buf, new SharedArrayBuffer(4)), { fn: "f" }, "prov");
 * } catch (e) {
 *   console.log((e as Error).name); // "QppUnavailableError"
 * }
 * ```
 */
export function qppCall(ch: Channel, req: unknown, who: string): unknown {
  let r;
  try {
    r = ch.request({ kind: "qpp", data: req }, SYNC_TIMEOUT_MS);
  } catch (e) {
    if (e instanceof ChannelClosed) {
      throw new QppUnavailableError(`plugin "${who}" is not available`);
    }
    if (e instanceof ChannelTimeout) {
      throw new QppDeadlockError(
        `plugin "${who}" did not answer a sync QPP call within ${SYNC_TIMEOUT_MS} ms (is it blocked calling back?)`,
      );
    }
    throw e;
  }
  if (r.kind === "ok") return (r.data as { ok?: unknown } | null)?.ok;
  const err = r.data as { name?: unknown; message?: unknown } | null;
  const name = typeof err?.name === "string" ? err.name : "Error";
  const message = typeof err?.message === "string"
    ? err.message
    : `plugin "${who}" sent a malformed reply`;
  const e = name === "QppDeadlockError"
    ? new QppDeadlockError(message)
    : new Error(message);
  if (!(e instanceof QppDeadlockError)) e.name = name;
  throw e;
}

/**
 * Callee: serves the sync call waiting on `ch`, if any, with `handle`;
 * true if it served one.
 *
 * @example
 * ```ts
 * import { createQppChannel, qppChannel, qppServe } from "./qpp_call.ts";
 * const ch = qppChannel(createQppChannel(), new SharedArrayBuffer(4));
 * console.log(qppServe(ch, () => 1)); // false (nothing waiting)
 * ```
 */
export function qppServe(
  ch: Channel,
  handle: (req: unknown) => unknown,
): boolean {
  return ch.serveOne((m) => {
    if (m.kind !== "qpp") throw new TypeError(`not a QPP call: "${m.kind}"`);
    return { kind: "ok", data: { ok: handle(m.data) } };
  });
}
