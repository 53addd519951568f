/**
 * What a plugin's Worker may send back on its channel, and how the host
 * checks it: request replies, syscall filter results, the arguments of
 * nested calls, and the vCPU state access each request allows. Every
 * function here returns what is wrong as a string (or an error to hand
 * back to the plugin); none throws on bad input.
 *
 * @module
 */

/** What a request lets a plugin do with vCPU state: bit flags. */
export type Access = number;
/** Read registers and guest memory. */
export const CAN_READ = 1;
/** Write registers and guest memory, move the pc. */
export const CAN_WRITE = 2;

/** Longest guest memory read or write one nested call may ask for. */
export const MAX_MEMORY_CALL = 1 << 20;
/** Longest log text one nested call may carry (UTF-16 units). */
export const MAX_LOG_CALL = 1 << 20;
/** Longest structured report (`ctx.report`), as JSON text. */
export const MAX_REPORT_BYTES = 1 << 20;

/** A request's reply, once checked. */
export interface Reply {
  /** The request's result. */
  r?: unknown;
  /** Log text produced while handling it. */
  log?: string;
  /** What the plugin threw. */
  error?: { name: string; message: string };
  /** The plugin asked to be uninstalled. */
  uninstall?: boolean;
  /** The plugin asked to drop its registrations. */
  reset?: boolean;
  /** Its latest structured report (`ctx.report`), as JSON text. */
  report?: string;
}

type Obj = Record<string, unknown>;
/** A value in a message, safely (objects may lack a prototype). */
function show(v: unknown): string {
  if (typeof v === "object" && v !== null) {
    return Array.isArray(v) ? "a list" : "an object";
  }
  return typeof v === "symbol" ? "a symbol" : `${v as string}`.slice(0, 40);
}
const isObj = (v: unknown): v is Obj =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const isAddr = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;
const DECIMAL = /^-?\d{1,20}$/;
const I64_MIN = -(2n ** 63n), U64_MAX = 2n ** 64n - 1n;

/**
 * A 64-bit integer written in decimal (signed or unsigned), or undefined.
 *
 * @example
 * ```ts
 * import { parseInt64 } from "./replies.ts";
 * console.log(parseInt64("-1"), parseInt64("1.5")); // -1n undefined
 * ```
 */
export function parseInt64(v: unknown): bigint | undefined {
  if (typeof v !== "string" || !DECIMAL.test(v)) return undefined;
  const n = BigInt(v);
  return n >= I64_MIN && n <= U64_MAX ? n : undefined;
}

/**
 * Checks a reply: a `reply` message whose data holds only known fields of
 * the right types. Returns it, or what is wrong.
 *
 * @example
 * ```ts
 * import { validateReply } from "./replies.ts";
 * console.log(validateReply({ kind: "reply", data: { r: 1 } })); // { r: 1 }
 * console.log(validateReply({ kind: "reply", data: { log: 5 } })); // "log is not text"
 * ```
 */
export function validateReply(
  m: { readonly kind: string; readonly data: unknown },
): Reply | string {
  if (m.kind !== "reply") return `"${m.kind.slice(0, 40)}" is not a reply`;
  const d = m.data;
  if (!isObj(d)) return "its data is not an object";
  if (d.log !== undefined && typeof d.log !== "string") {
    return "log is not text";
  }
  if (d.error !== undefined) {
    const e = d.error as Obj;
    if (
      !isObj(e) || typeof e.name !== "string" || typeof e.message !== "string"
    ) return "error is not { name, message }";
  }
  if (d.report !== undefined) {
    if (typeof d.report !== "string" || d.report.length > MAX_REPORT_BYTES) {
      return `a report is JSON of at most ${MAX_REPORT_BYTES} characters`;
    }
    try {
      JSON.parse(d.report);
    } catch {
      return "a report is not JSON";
    }
  }
  for (const k of ["uninstall", "reset"] as const) {
    if (d[k] !== undefined && typeof d[k] !== "boolean") {
      return `${k} is not a boolean`;
    }
  }
  return d as Reply;
}

/**
 * Checks a syscall filter's result: nothing (let the call run), or
 * `{ skip: true, ret }` with a 64-bit decimal `ret`. Returns undefined, the
 * value to return, or what is wrong.
 *
 * @example
 * ```ts
 * import { validateFilterResult } from "./replies.ts";
 * console.log(validateFilterResult({ skip: true, ret: "-2" })); // { ret: -2n }
 * console.log(validateFilterResult({ skip: true, ret: "1.5" })); // "ret 1.5, not a 64-bit integer"
 * ```
 */
export function validateFilterResult(
  v: unknown,
): { ret: bigint } | undefined | string {
  if (v === undefined || v === null) return undefined;
  if (!isObj(v) || v.skip !== true) return "something other than { skip, ret }";
  const ret = parseInt64(v.ret);
  if (ret === undefined) {
    return `ret ${show(v.ret).slice(0, 40)}, not a 64-bit integer`;
  }
  return { ret };
}

/**
 * Checks a nested call's kind and arguments before the host acts on it.
 * Returns what is wrong, or undefined.
 *
 * @example
 * ```ts
 * import { checkAnswerArgs } from "./replies.ts";
 * console.log(checkAnswerArgs({ kind: "readmem", data: [0x1000, 8] })); // undefined
 * console.log(checkAnswerArgs({ kind: "readmem", data: [0x1000, 1e12] })); // "length 1000000000000 is not 0..1048576"
 * ```
 */
export function checkAnswerArgs(
  q: { readonly kind: string; readonly data: unknown },
): string | undefined {
  const d = q.data;
  const pair = Array.isArray(d) && d.length === 2;
  const len = (n: unknown) =>
    Number.isInteger(n) && (n as number) >= 0 &&
      (n as number) <= MAX_MEMORY_CALL
      ? undefined
      : `length ${show(n)} is not 0..${MAX_MEMORY_CALL}`;
  switch (q.kind) {
    case "log":
      return typeof d === "string" && d.length <= MAX_LOG_CALL
        ? undefined
        : `text of at most ${MAX_LOG_CALL} characters expected`;
    case "registers":
      return undefined;
    case "readreg":
      return typeof d === "string" && d.length <= 16
        ? undefined
        : "a register name expected";
    case "writereg":
      return pair && typeof d[0] === "string" && parseInt64(d[1]) !== undefined
        ? undefined
        : "[register name, 64-bit decimal value] expected";
    case "setpc":
      return isAddr(d) ? undefined : "an address expected";
    case "facts":
      return Number.isSafeInteger(d) && (d as number) >= 0
        ? undefined
        : "a block index expected";
    case "readmem":
      return pair && isAddr(d[0]) ? len(d[1]) : "[address, length] expected";
    case "readstr":
      return pair && isAddr(d[0]) ? len(d[1]) : "[address, max] expected";
    case "writemem":
      return pair && isAddr(d[0]) && typeof d[1] === "string" &&
          d[1].length % 2 === 0 && d[1].length <= 2 * MAX_MEMORY_CALL &&
          /^[0-9a-f]*$/.test(d[1])
        ? undefined
        : "[address, hex bytes] expected";
  }
  return `unknown call "${q.kind.slice(0, 40)}"`;
}

const ACCESS_NAMES: Record<string, string> = {
  readreg: "readRegister",
  readmem: "readMemory",
  readstr: "readCString",
  writereg: "writeRegister",
  writemem: "writeMemory",
  setpc: "setPc",
};

/**
 * The error a plugin gets for using vCPU state its callback may not use.
 *
 * @example
 * ```ts
 * import { accessError, CAN_WRITE } from "./replies.ts";
 * console.log(accessError("p", "writereg", CAN_WRITE).message.slice(0, 46));
 * // 'plugin "p": writeRegister needs write access:'
 * ```
 */
export function accessError(
  plugin: string,
  kind: string,
  need: Access,
): Error {
  const what = ACCESS_NAMES[kind] ?? kind;
  const e = new Error(
    need & CAN_WRITE
      ? `plugin "${plugin}": ${what} needs write access: it works only while a sync exec callback registered with access "rw" runs (or a syscall filter)`
      : `plugin "${plugin}": ${what} needs read access: it works only while a sync callback registered with access "read" or "rw" runs, or a syscall or discontinuity callback`,
  );
  e.name = "NotCapable";
  return e;
}
