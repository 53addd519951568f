/**
 * Every message a {@link Channel} carries, as one typed union of kinds, and
 * its one encoder and decoder. The decoder is an allowlist: text that is
 * not a `[kind, data]` pair of a known kind is a
 * {@link ChannelProtocolError}, whatever the codec. What each kind's data
 * may hold is checked by the validators beside it (`replies.ts`:
 * `validateReply`, `checkAnswerArgs`, `validateFilterResult`).
 *
 * @module
 */

import type { Codec } from "./codec.ts";

/** Host -> a plugin's worker: the requests the worker serves. */
export const HOST_REQUEST_KINDS = [
  "tb",
  "drain",
  "exec",
  "mem",
  "syscall",
  "syscall_ret",
  "syscall_filter",
  "discon",
  "vcpu",
  "flush",
  "atexit",
  "qpp_flush",
  "qpp_gone",
] as const;
/** Worker -> host, inside a request: the nested calls the host answers. */
export const WORKER_CALL_KINDS = [
  "log",
  "registers",
  "readreg",
  "writereg",
  "setpc",
  "readmem",
  "readstr",
  "writemem",
  "facts",
] as const;
/** The ends of an exchange: a request's reply, a nested call's answer. */
export const REPLY_KINDS = ["reply", "answer"] as const;
/** QPP between two workers: a sync call or callback, and its outcomes. */
export const QPP_KINDS = ["qpp", "ok", "error"] as const;

/** A request the host sends a plugin. */
export type HostRequestKind = typeof HOST_REQUEST_KINDS[number];
/** A nested call a plugin makes while it handles a request. */
export type WorkerCallKind = typeof WORKER_CALL_KINDS[number];
/** A reply or an answer. */
export type ReplyKind = typeof REPLY_KINDS[number];
/** A QPP call or its outcome. */
export type QppKind = typeof QPP_KINDS[number];
/** Every kind a channel carries. */
export type ChannelKind =
  | HostRequestKind
  | WorkerCallKind
  | ReplyKind
  | QppKind;

const KINDS: ReadonlySet<string> = new Set<string>([
  ...HOST_REQUEST_KINDS,
  ...WORKER_CALL_KINDS,
  ...REPLY_KINDS,
  ...QPP_KINDS,
]);

/** A message: its kind and payload. */
export interface ChannelMessage<K extends ChannelKind = ChannelKind> {
  /** What it is (`tb`, `exec`, `drain`, ...). */
  kind: K;
  /** Its data (as the channel's codec carries it; checked per kind). */
  data: unknown;
}

/** The other end broke the channel's protocol. */
export class ChannelProtocolError extends Error {
  /** Always "ChannelProtocolError". */
  override name = "ChannelProtocolError";
}

/**
 * The text of `m` in `codec`.
 *
 * @example
 * ```ts
 * import { encodeMessage } from "./channel_message.ts";
 * import { jsonCodec } from "./codec.ts";
 * console.log(encodeMessage({ kind: "vcpu", data: { event: "init" } }, jsonCodec));
 * // ["vcpu",{"event":"init"}]
 * ```
 */
export function encodeMessage(m: ChannelMessage, codec: Codec): string {
  return codec.encode([m.kind, m.data]);
}

/**
 * The message `text` holds; a {@link ChannelProtocolError} when it is not
 * valid in `codec`, not a `[kind, data]` pair, or of an unknown kind.
 *
 * @example
 * ```ts
 * import { decodeMessage } from "./channel_message.ts";
 * import { jsonCodec } from "./codec.ts";
 * console.log(decodeMessage('["reply",{"r":1}]', jsonCodec).kind); // "reply"
 * ```
 */
export function decodeMessage(text: string, codec: Codec): ChannelMessage {
  let m: unknown;
  try {
    m = codec.decode(text);
  } catch {
    throw new ChannelProtocolError("a message is not valid JSON");
  }
  if (!Array.isArray(m) || m.length !== 2 || typeof m[0] !== "string") {
    throw new ChannelProtocolError("a message is not a [kind, data] pair");
  }
  if (!KINDS.has(m[0])) {
    throw new ChannelProtocolError(
      `unknown message kind "${m[0].slice(0, 40)}"`,
    );
  }
  return { kind: m[0] as ChannelKind, data: m[1] };
}
