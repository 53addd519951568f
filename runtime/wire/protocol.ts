/**
 * The wire protocol between the host and a plugin's Worker: one
 * discriminated union on `type`. Requests carry an `id` and their replies are
 * matched through {@linkcode PendingRequests}. Control traffic (`error`,
 * `exit`, `close`, `terminate`) is kept apart from data ({@linkcode isControl}).
 * Anything that does not decode becomes a `protocol-error` value, never an
 * exception.
 *
 * To add a message: add its interface to the union and a validator to
 * `VALIDATORS`; `deno check` then fails until both agree.
 *
 * @module
 */

/** An error as it crosses the boundary. */
export interface ErrorInfo {
  /** The error's class name, e.g. `TypeError`, `NotCapable`. */
  name: string;
  /** Its message. */
  message: string;
  /** Its stack, when there is one. */
  stack?: string;
}

/** Which load phase a worker is in. */
export type Phase = "probe" | "install";

/** main -> worker: import the plugin, then reply `manifest` (probe) or install it. */
export interface InitMessage {
  /** The message kind (the union's discriminant). */
  type: "init";
  /** Request id; the reply carries the same id. */
  id: number;
  /** `probe` (reply with the manifest) or `install`. */
  phase: Phase;
  /** The plugin's name (its label until the manifest is known). */
  name: string;
  /** Its `key=value` arguments. */
  args: [string, string][];
  /** Install phase: the channel, board and symbols of the instrumentation API. */
  env?: {
    channel: SharedArrayBuffer;
    bell: SharedArrayBuffer;
    board: SharedArrayBuffer;
    symbols: { name: string; addr: number; size: number }[];
    /** The program (QEMU's path_to_binary, start_code, end_code, entry_code). */
    binary?: {
      path: string;
      startCode: number;
      endCode: number;
      entryCode: number;
    };
    qpp?: {
      provider: string;
      version: string;
      port: MessagePort;
      callSlot: SharedArrayBuffer;
      cbSlot: SharedArrayBuffer;
      providerBell: SharedArrayBuffer;
    }[];
  };
}
/** main -> worker (a QPP provider): a consumer was linked to it. */
export interface QppLinkMessage {
  /** The message kind (the union's discriminant). */
  type: "qpp-link";
  /** The consumer's name. */
  consumer: string;
  /** The consumer's load order. */
  order: number;
  /** Port to the consumer. */
  port: MessagePort;
  /** Slot for the consumer's sync calls. */
  callSlot: SharedArrayBuffer;
  /** Slot for sync callbacks to the consumer. */
  cbSlot: SharedArrayBuffer;
  /** The consumer's doorbell. */
  consumerBell: SharedArrayBuffer;
}

/** worker -> main: the plugin's default export, minus `install`. */
export interface ManifestMessage {
  /** The message kind (the union's discriminant). */
  type: "manifest";
  /** Request id; the reply carries the same id. */
  id: number;
  /** Raw: validated by the host with `validateManifest`. */
  manifest: unknown;
}
/** worker -> main: `install` returned. */
export interface InstalledMessage {
  /** The message kind (the union's discriminant). */
  type: "installed";
  /** Request id; the reply carries the same id. */
  id: number;
  /** The hooks `install` registered (`tb_trans`, `syscall`, ...). */
  hooks?: string[];
}
/** worker -> main: importing or installing the plugin failed. */
export interface InstallErrorMessage {
  /** The message kind (the union's discriminant). */
  type: "install-error";
  /** Request id; the reply carries the same id. */
  id: number;
  /** Where it failed. */
  stage: "import" | "manifest" | "install";
  /** What went wrong. */
  error: ErrorInfo;
}
/** worker -> main: one line for the host's log. */
export interface LogMessage {
  /** The message kind (the union's discriminant). */
  type: "log";
  /** The line, without a newline. */
  text: string;
}
/** control, worker -> main: something failed outside any request. */
export interface ErrorMessage {
  /** The message kind (the union's discriminant). */
  type: "error";
  /** What went wrong. */
  error: ErrorInfo;
}
/** control, worker -> main: the plugin called `Deno.exit` / `process.exit`. */
export interface ExitMessage {
  /** The message kind (the union's discriminant). */
  type: "exit";
  /** The exit code the plugin asked for. */
  code: number;
  /** The function it called, e.g. `Deno.exit`. */
  via: string;
}
/** control, worker -> main: the plugin closed its worker (`self.close()`). */
export interface CloseMessage {
  /** The message kind (the union's discriminant). */
  type: "close";
}
/** control, main -> worker: finish up; the host terminates the worker next. */
export interface TerminateMessage {
  /** The message kind (the union's discriminant). */
  type: "terminate";
}
/** Host-side only: a message from the worker that did not decode. */
export interface ProtocolErrorMessage {
  /** The message kind (the union's discriminant). */
  type: "protocol-error";
  /** Why it did not decode (never echoes the payload). */
  reason: string;
}

/** Every message either side may send. */
export type Message =
  | InitMessage
  | ManifestMessage
  | InstalledMessage
  | QppLinkMessage
  | InstallErrorMessage
  | LogMessage
  | ErrorMessage
  | ExitMessage
  | CloseMessage
  | TerminateMessage;

/** A message that answers a request, matched by `id`. */
export type Reply = ManifestMessage | InstalledMessage | InstallErrorMessage;

/** Messages of the control channel. */
export type ControlMessage =
  | ErrorMessage
  | ExitMessage
  | CloseMessage
  | TerminateMessage;

/** Longest log line kept; longer ones are cut (a plugin cannot flood the host log). */
export const MAX_LOG_TEXT = 64 * 1024;

type Obj = Record<string, unknown>;
const isStr = (v: unknown): v is string => typeof v === "string";
const isId = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;
const isErr = (v: unknown) =>
  typeof v === "object" && v !== null && isStr((v as Obj).name) &&
  isStr((v as Obj).message);
const isPairs = (v: unknown) =>
  Array.isArray(v) &&
  v.every((p) =>
    Array.isArray(p) && p.length === 2 && isStr(p[0]) && isStr(p[1])
  );

const isEnv = (v: unknown) => {
  const e = v as Record<string, unknown>;
  return typeof e === "object" && e !== null &&
    e.channel instanceof SharedArrayBuffer &&
    e.bell instanceof SharedArrayBuffer &&
    e.board instanceof SharedArrayBuffer && Array.isArray(e.symbols) &&
    (e.qpp === undefined || Array.isArray(e.qpp));
};

const VALIDATORS: { [T in Message["type"]]: (m: Obj) => boolean } = {
  "init": (m) =>
    isId(m.id) && (m.phase === "probe" || m.phase === "install") &&
    isStr(m.name) && isPairs(m.args) && (m.env === undefined || isEnv(m.env)),
  "manifest": (m) => isId(m.id) && "manifest" in m,
  "qpp-link": (m) =>
    isStr(m.consumer) && typeof m.order === "number" &&
    m.port instanceof MessagePort && m.callSlot instanceof SharedArrayBuffer &&
    m.cbSlot instanceof SharedArrayBuffer &&
    m.consumerBell instanceof SharedArrayBuffer,
  "installed": (m) =>
    isId(m.id) &&
    (m.hooks === undefined ||
      (Array.isArray(m.hooks) && m.hooks.every(isStr))),
  "install-error": (m) =>
    isId(m.id) &&
    (m.stage === "import" || m.stage === "manifest" || m.stage === "install") &&
    isErr(m.error),
  "log": (m) => isStr(m.text),
  "error": (m) => isErr(m.error),
  "exit": (m) => typeof m.code === "number" && isStr(m.via),
  "close": () => true,
  "terminate": () => true,
};

const CONTROL = new Set<string>(["error", "exit", "close", "terminate"]);

/**
 * Decodes a received `data` into a {@linkcode Message}, or a
 * `protocol-error` saying why it is not one. Never throws. Long log lines
 * are cut to {@linkcode MAX_LOG_TEXT}.
 *
 * @example
 * ```ts
 * import { decodeMessage } from "./protocol.ts";
 * console.log(decodeMessage({ type: "log", text: "hi" }).type); // "log"
 * console.log(decodeMessage(42)); // { type: "protocol-error", reason: "not an object: number" }
 * ```
 */
export function decodeMessage(data: unknown): Message | ProtocolErrorMessage {
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    const what = data === null
      ? "null"
      : Array.isArray(data)
      ? "array"
      : typeof data;
    return { type: "protocol-error", reason: `not an object: ${what}` };
  }
  const m = data as Obj;
  const type = m.type;
  if (!isStr(type) || !Object.hasOwn(VALIDATORS, type)) {
    const shown = isStr(type) ? JSON.stringify(type.slice(0, 40)) : typeof type;
    return { type: "protocol-error", reason: `unknown message type ${shown}` };
  }
  let ok = false;
  try {
    ok = VALIDATORS[type as Message["type"]](m);
  } catch {
    ok = false;
  }
  if (!ok) {
    return { type: "protocol-error", reason: `malformed "${type}" message` };
  }
  if (type === "log" && (m.text as string).length > MAX_LOG_TEXT) {
    const text = m.text as string;
    return {
      type: "log",
      text: `${text.slice(0, MAX_LOG_TEXT)}... [${
        text.length - MAX_LOG_TEXT
      } more characters dropped]`,
    };
  }
  return m as unknown as Message;
}

/**
 * Whether `m` belongs to the control channel (error, exit, close,
 * terminate) rather than data.
 *
 * @example
 * ```ts
 * import { isControl } from "./protocol.ts";
 * console.log(isControl({ type: "exit", code: 3, via: "Deno.exit" }), isControl({ type: "log", text: "" })); // true false
 * ```
 */
export function isControl(m: Message): m is ControlMessage {
  return CONTROL.has(m.type);
}

/**
 * Converts anything thrown into an {@linkcode ErrorInfo}.
 *
 * @example
 * ```ts
 * import { toErrorInfo } from "./protocol.ts";
 * console.log(toErrorInfo(new RangeError("x")).name); // "RangeError"
 * ```
 */
export function toErrorInfo(e: unknown): ErrorInfo {
  if (e instanceof Error) {
    return { name: e.name, message: e.message, stack: e.stack };
  }
  return { name: "Error", message: `non-error thrown: ${String(e)}` };
}

/**
 * Requests awaiting their replies, matched by `id`.
 *
 * @example
 * ```ts
 * import { PendingRequests } from "./protocol.ts";
 * const pending = new PendingRequests();
 * const reply = pending.request((id) => queueMicrotask(() => pending.settle({ type: "installed", id })), 1000);
 * console.log((await reply).type); // "installed"
 * ```
 */
export class PendingRequests {
  #next = 1;
  #waiting = new Map<
    number,
    {
      resolve(r: Reply): void;
      reject(e: Error): void;
      timer: ReturnType<typeof setTimeout>;
    }
  >();

  /**
   * Allocates an id, calls `send(id)`, and resolves with the reply carrying
   * that id; rejects after `timeoutMs` with a TimeoutError.
   */
  request(send: (id: number) => void, timeoutMs: number): Promise<Reply> {
    const id = this.#next++;
    return new Promise<Reply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(id);
        const e = new Error(`no reply within ${timeoutMs} ms`);
        e.name = "TimeoutError";
        reject(e);
      }, timeoutMs);
      this.#waiting.set(id, { resolve, reject, timer });
      try {
        send(id);
      } catch (e) {
        this.#waiting.delete(id);
        clearTimeout(timer);
        reject(e);
      }
    });
  }

  /** Delivers a reply; false if nothing waits for its id. */
  settle(reply: Reply): boolean {
    const w = this.#waiting.get(reply.id);
    if (!w) return false;
    this.#waiting.delete(reply.id);
    clearTimeout(w.timer);
    w.resolve(reply);
    return true;
  }

  /** Rejects every waiting request with `error` (the worker is gone). */
  rejectAll(error: Error): void {
    for (const w of this.#waiting.values()) {
      clearTimeout(w.timer);
      w.reject(error);
    }
    this.#waiting.clear();
  }
}
