/**
 * Locking a plugin Worker down before any plugin code runs (measured on Deno
 * 2.9.6; see runtime/worker/bootstrap.ts for the list and the reasons).
 *
 * @module
 */

import type { Message } from "../wire/protocol.ts";

/** What the lock-down needs from the Worker's bootstrap. */
export interface LockDownIo {
  /** Posts a control message to the host. */
  post(m: Message): void;
  /** Closes the Worker for real. */
  close(): void;
  /** Writes plugin text to the plugin log. */
  log(text: string): void;
}

/** The worker global, typed without the `deno.worker` lib. */
const scope = globalThis as unknown as {
  process?: Record<string, unknown>;
};

let post: (m: Message) => void = () => {};
let realClose: () => void = () => {};
let pluginLog: (text: string) => void = () => {};

function lock(obj: object, key: string, value: unknown): void {
  try {
    Object.defineProperty(obj, key, {
      value,
      writable: false,
      configurable: false,
      enumerable: false,
    });
  } catch {
    // Already non-configurable: nothing a plugin can change either.
  }
}

function refused(what: string): never {
  throw new Deno.errors.NotCapable(
    `${what} is not allowed inside a plugin worker`,
  );
}

/**
 * Makes exits visible to the host and closes escalation paths; printing goes
 * to `log`.
 *
 * @example
 * ```ts ignore
 * // Only in a plugin Worker, before any plugin code runs:
 * lockDown({ post: (m) => postMessage(m), close: () => close(), log: () => {} });
 * ```
 */
export function lockDown(io: LockDownIo): void {
  post = io.post;
  realClose = io.close;
  pluginLog = io.log;
  lock(Deno, "exit", (code = 0) => {
    post({ type: "exit", code: Number(code) || 0, via: "Deno.exit" });
    throw new Deno.errors.NotCapable(
      `Deno.exit(${code}) is not allowed inside a plugin worker`,
    );
  });
  const proc = scope.process;
  if (proc) {
    for (const key of ["exit", "reallyExit"]) {
      lock(proc, key, (code = 0) => {
        post({ type: "exit", code: Number(code) || 0, via: `process.${key}` });
        throw new Deno.errors.NotCapable(
          `process.${key}(${code}) is not allowed inside a plugin worker`,
        );
      });
    }
    lock(proc, "abort", () => refused("process.abort()"));
    lock(proc, "kill", () => refused("process.kill()"));
    // Built-ins by name, around deno.json's map (runtime/worker/denied_builtin.ts).
    for (
      const key of ["getBuiltinModule", "binding", "_linkedBinding", "dlopen"]
    ) {
      lock(proc, key, () => refused(`process.${key}()`));
    }
  }
  // Deno.kill(Deno.pid, signal) needs no permission at all, even in a
  // sandboxed worker: it would kill the host.
  lock(Deno, "kill", () => refused("Deno.kill()"));
  redirectStdio();
  // Deno[Deno.internal] exposes runtime internals (core ops); hide it.
  lock(Deno, (Deno as unknown as { internal: string }).internal, undefined);
  // The Cache API writes to DENO_DIR with no permission at all, and is
  // shared by every plugin and every run; BroadcastChannel reaches the
  // other plugins' workers.
  lock(globalThis, "caches", undefined);
  lock(globalThis, "BroadcastChannel", function BroadcastChannel() {
    refused("BroadcastChannel");
  });
  lock(globalThis, "close", () => {
    post({ type: "close" });
    realClose();
  });
  const perms = Deno.permissions;
  for (const target of [perms, Object.getPrototypeOf(perms)]) {
    lock(
      target,
      "request",
      () =>
        Promise.reject(
          new Deno.errors.NotCapable(
            "permission requests are not allowed inside a plugin worker; use --allow-plugin",
          ),
        ),
    );
    lock(
      target,
      "requestSync",
      () => refused("Deno.permissions.requestSync()"),
    );
  }
  lock(globalThis, "Worker", function Worker() {
    refused("starting a Worker");
  });
  lock(Deno, "permissions", perms);
}

/** A stand-in for `Deno.stdout`/`Deno.stderr` that writes to the plugin log. */
function logStream(): object {
  const decoder = new TextDecoder();
  const put = (b: Uint8Array) => {
    pluginLog(decoder.decode(b, { stream: true }));
    return b.byteLength;
  };
  return Object.freeze({
    writeSync: put,
    write: (b: Uint8Array) => Promise.resolve(put(b)),
    writable: new WritableStream<Uint8Array>({ write: (b) => void put(b) }),
    isTerminal: () => false,
    close() {},
  });
}

/**
 * Plugin output must not mix into the guest's stdout, and a plugin must not
 * read the guest's stdin: `console`, `Deno.stdout`/`stderr` and
 * `process.stdout`/`stderr` go to the plugin log; stdin is refused.
 * (`node:fs` calls on descriptors 0-2 reach the process's stdio directly;
 * deno.json keeps `node:fs` from plugin code: runtime/worker/denied_builtin.ts.)
 */
function redirectStdio(): void {
  const internal = (Deno as unknown as Record<string, unknown>)[
    (Deno as unknown as { internal: string }).internal
  ] as { Console?: new (print: (msg: string) => void) => Console } | undefined;
  const PluginConsole = internal?.Console;
  if (PluginConsole) {
    // Patched in place: node:console hands out this same object's methods.
    const original = globalThis.console as unknown as Record<string, unknown>;
    const logging = new PluginConsole(pluginLog) as unknown as Record<
      string,
      unknown
    >;
    for (const key of Object.keys(original)) {
      if (typeof original[key] === "function") {
        lock(original, key, logging[key]);
      }
    }
    lock(globalThis, "console", original);
  }
  const stdin = Object.freeze({
    read: () => refused("reading standard input"),
    readSync: () => refused("reading standard input"),
    get readable(): never {
      return refused("reading standard input");
    },
    isTerminal: () => false,
    close() {},
  });
  lock(Deno, "stdin", stdin);
  lock(Deno, "stdout", logStream());
  lock(Deno, "stderr", logStream());
  const proc = scope.process;
  if (!proc) return;
  const nodeStream = (): object => {
    const s = {
      write(chunk: unknown, enc?: unknown, cb?: unknown): boolean {
        pluginLog(
          typeof chunk === "string"
            ? chunk
            : new TextDecoder().decode(chunk as Uint8Array),
        );
        const done = typeof enc === "function" ? enc : cb;
        if (typeof done === "function") queueMicrotask(() => done());
        return true;
      },
      end: () => s,
      on: () => s,
      once: () => s,
      off: () => s,
      removeListener: () => s,
      emit: () => false,
      listenerCount: () => 0,
      isTTY: false,
    };
    return s;
  };
  lock(proc, "stdout", nodeStream());
  lock(proc, "stderr", nodeStream());
  lock(proc, "stdin", stdin);
}
