/**
 * Closes every route from a plugin's Worker to the process that Deno's
 * permissions do not govern. It runs in the Worker before any plugin code;
 * SECURITY.md has the whole inventory (each global, `Deno.*` and `process.*`
 * API reachable from a zero-permission Worker, what it would allow, how it
 * is closed). Measured on Deno 2.9.6, with every permission denied:
 *
 * - `Deno.addSignalListener` and `process.on("SIGINT")` need no permission
 *   and are process-wide: one listener and the emulator ignores Ctrl-C.
 *   Refused.
 * - `Deno.kill(Deno.pid, 9)`, `process.kill`, `process._kill` kill the
 *   emulator; `process.abort` aborts it. Refused.
 * - `Deno.exit`, `process.exit`, `process.reallyExit` and `close()` end the
 *   Worker silently; they are reported to the host first (`onExit`).
 * - `eval`, `Function` and the async/generator function constructors
 *   compile strings, and the compiled code may use `import()`, which the
 *   module-graph check (host/graph.ts) can only refuse in source text.
 *   Refused, so the checked source is all the code that runs.
 * - `process._rawDebug`, `process.emitWarning`, `console`, `Deno.stdout`,
 *   `Deno.stderr`, `process.stdout`, `process.stderr` write to the
 *   process's stdio (the guest's stdout, or around the `-D` log): they go to
 *   the plugin log. Standard input is the guest's: refused.
 * - `process.binding`, `_linkedBinding`, `getBuiltinModule`, `dlopen`,
 *   `report`, `openStdin` and `Deno[Deno.internal]` reach runtime internals
 *   or built-in modules by name: removed or refused.
 * - `Deno.permissions.request` prompts on a TTY and can escalate; `Worker`
 *   would start an un-locked global; `caches` writes to DENO_DIR;
 *   `BroadcastChannel` reaches other plugins. Refused or removed.
 * - `Deno.chdir` and `Deno.umask` (the latter with `sys`) change the
 *   process's working directory and file-creation mask, which the guest
 *   shares (its new files came out mode 000). Refused.
 * - `Deno.cwd`, `process.cwd`, `Deno.execPath`, `process.execPath`,
 *   `process.argv`, `process.title` reveal the user's paths: harmless
 *   answers (`.`, `deno`).
 * - `process.exitCode`: reads undefined, writes ignored. (`Deno.exitCode`
 *   is a non-configurable accessor, but it sets the Worker's own exit code,
 *   not the process's.)
 *
 * @module
 */

import type { Message } from "../wire/protocol.ts";

/** What the lock-down needs from the Worker's bootstrap. */
export interface LockDownIo {
  /** Posts a control message (`exit`, `close`) to the host. */
  post(m: Message): void;
  /** Closes the Worker for real. */
  close(): void;
  /** Writes plugin text to the plugin log. */
  log(text: string): void;
}

/** The lock-down's view of the bootstrap: exits reported, text logged. */
interface LockdownHooks {
  onExit(code: number, via: string): void;
  onClose(): void;
  log(text: string): void;
}

/** The worker global, typed without the `deno.worker` lib. */
const scope = globalThis as unknown as {
  process?: Record<string, unknown>;
};

function lock(obj: object, key: PropertyKey, value: unknown): void {
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

/** `Deno.internal`: the symbol keying runtime internals (not in Deno's types). */
const INTERNAL = (Deno as unknown as { internal: symbol }).internal;

function refused(what: string): never {
  throw new Deno.errors.NotCapable(
    `${what} is not allowed inside a plugin worker`,
  );
}

const SIGNAL_RE = /^SIG[A-Z0-9]+$/;

/** Refuses code compiled from strings: `eval`, `Function` and kin. */
function closeCodeGeneration(): void {
  const kinds = [
    function () {},
    async function () {},
    function* () {},
    async function* () {},
  ];
  for (const fn of kinds) {
    const proto = Object.getPrototypeOf(fn) as object;
    const name = (proto.constructor as { name: string }).name;
    const stand = function () {
      refused(`compiling code from a string (${name})`);
    };
    Object.defineProperty(stand, "name", { value: name });
    stand.prototype = proto;
    lock(proto, "constructor", stand);
    if (name === "Function") lock(globalThis, "Function", stand);
  }
  const noEval = () => refused("compiling code from a string (eval)");
  Object.defineProperty(noEval, "name", { value: "eval" });
  lock(globalThis, "eval", noEval);
  for (const key of ["setTimeout", "setInterval"] as const) {
    const original = globalThis[key] as unknown as (...a: unknown[]) => number;
    lock(globalThis, key, function (handler: unknown, ...rest: unknown[]) {
      if (typeof handler !== "function") {
        refused(`${key} with a string`);
      }
      return original.call(globalThis, handler, ...rest);
    });
  }
}

/** Signals are process-wide and need no permission: refused. */
function closeSignals(proc?: Record<string, unknown>): void {
  lock(Deno, "addSignalListener", () => refused("Deno.addSignalListener()"));
  lock(
    Deno,
    "removeSignalListener",
    () => refused("Deno.removeSignalListener()"),
  );
  if (!proc) return;
  for (
    const key of [
      "on",
      "once",
      "addListener",
      "prependListener",
      "prependOnceListener",
    ]
  ) {
    const original = proc[key];
    if (typeof original !== "function") continue;
    lock(
      proc,
      key,
      function (this: unknown, event: unknown, ...rest: unknown[]) {
        if (typeof event === "string" && SIGNAL_RE.test(event)) {
          refused(`listening for ${event}`);
        }
        return (original as (...a: unknown[]) => unknown).call(
          this,
          event,
          ...rest,
        );
      },
    );
  }
}

/** Exits are reported, kills refused, internals hidden, answers harmless. */
function closeProcess(hooks: LockdownHooks, proc?: Record<string, unknown>) {
  lock(Deno, "exit", (code = 0) => {
    hooks.onExit(Number(code) || 0, "Deno.exit");
    refused(`Deno.exit(${code})`);
  });
  lock(Deno, "kill", () => refused("Deno.kill()"));
  lock(Deno, "cwd", () => ".");
  // The working directory and the umask belong to the process, which the
  // guest shares: a plugin's umask(0o777) made the guest's files mode 000.
  lock(Deno, "chdir", () => refused("Deno.chdir()"));
  lock(Deno, "umask", () => refused("Deno.umask()"));
  lock(Deno, "execPath", () => "deno");
  lock(Deno, INTERNAL, undefined);
  if (!proc) return;
  for (const key of ["exit", "reallyExit"]) {
    lock(proc, key, (code = 0) => {
      hooks.onExit(Number(code) || 0, `process.${key}`);
      refused(`process.${key}(${code})`);
    });
  }
  for (
    const key of [
      "abort",
      "kill",
      "_kill",
      "binding",
      "_linkedBinding",
      "getBuiltinModule",
      "dlopen",
      "openStdin",
      "_debugProcess",
      "_debugEnd",
      "_startProfilerIdleNotifier",
      "loadEnvFile",
      "setSourceMapsEnabled",
    ]
  ) lock(proc, key, () => refused(`process.${key}()`));
  lock(proc, "mainModule", undefined);
  lock(proc, "cwd", () => ".");
  lock(proc, "chdir", () => refused("process.chdir()"));
  lock(proc, "umask", () => refused("process.umask()"));
  lock(proc, "execPath", "deno");
  lock(proc, "argv", Object.freeze(["deno"]));
  lock(proc, "argv0", "deno");
  lock(proc, "execArgv", Object.freeze([]));
  lock(proc, "_rawDebug", (...a: unknown[]) => hooks.log(a.join(" ") + "\n"));
  lock(proc, "emitWarning", (w: unknown) => {
    hooks.log(
      `Warning: ${w instanceof Error ? w.message : String(w)}\n`,
    );
  });
  // report (writeReport), execPath, exitCode and title are non-configurable
  // accessors of the process object; the global is configurable, so plugins
  // get a view of it that answers these harmlessly.
  const fixed: Record<PropertyKey, unknown> = {
    report: undefined,
    execPath: "deno",
    exitCode: undefined,
    title: "deno",
  };
  const view = new Proxy(proc, {
    get: (t, k) => Object.hasOwn(fixed, k) ? fixed[k] : Reflect.get(t, k, t),
    set: (t, k, v) => Object.hasOwn(fixed, k) || Reflect.set(t, k, v, t),
    defineProperty: (t, k, d) =>
      !Object.hasOwn(fixed, k) && Reflect.defineProperty(t, k, d),
  });
  lock(globalThis, "process", view);
}

/** A stand-in for `Deno.stdout`/`Deno.stderr` that writes to the plugin log. */
function logStream(log: (text: string) => void): object {
  const decoder = new TextDecoder();
  const put = (b: Uint8Array) => {
    log(decoder.decode(b, { stream: true }));
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

/** Output to the plugin log, never the guest's stdout; stdin refused. */
function redirectStdio(
  log: (text: string) => void,
  proc?: Record<string, unknown>,
): void {
  const internal = (Deno as unknown as Record<symbol, unknown>)[INTERNAL] as {
    Console?: new (print: (msg: string) => void) => Console;
  } | undefined;
  const PluginConsole = internal?.Console;
  if (PluginConsole) {
    // Patched in place: node:console hands out this same object's methods.
    const original = globalThis.console as unknown as Record<string, unknown>;
    const logging = new PluginConsole(log) as unknown as Record<
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
    setRaw: () => refused("reading standard input"),
    get readable(): never {
      return refused("reading standard input");
    },
    isTerminal: () => false,
    close() {},
  });
  lock(Deno, "stdin", stdin);
  lock(Deno, "stdout", logStream(log));
  lock(Deno, "stderr", logStream(log));
  if (!proc) return;
  const nodeStream = (): object => {
    const s = {
      write(chunk: unknown, enc?: unknown, cb?: unknown): boolean {
        log(
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

/** Permission prompts, nested Workers, DENO_DIR's cache, cross-plugin channels. */
function closeEscalation(
  hooks: LockdownHooks,
  realClose: () => void,
): void {
  lock(globalThis, "caches", undefined);
  lock(globalThis, "BroadcastChannel", function BroadcastChannel() {
    refused("BroadcastChannel");
  });
  lock(globalThis, "close", () => {
    hooks.onClose();
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

/**
 * Locks the current Worker down (see the module doc). Call once, before any
 * plugin code is imported; it changes globals, so it refuses to run outside
 * a Worker.
 *
 * @example
 * ```ts ignore
 * // In a plugin Worker's bootstrap, before the plugin is imported:
 * import { lockDown } from "./lockdown.ts";
 * lockDown({
 *   post: (m) => postMessage(m),
 *   close: () => close(),
 *   log: (text) => postMessage({ type: "log", text }),
 * });
 * ```
 */
export function lockDown(io: LockDownIo): void {
  if (!isWorker()) {
    throw new Error("lockDown() only runs inside a plugin Worker");
  }
  const hooks: LockdownHooks = {
    onExit: (code, via) => io.post({ type: "exit", code, via }),
    onClose: () => io.post({ type: "close" }),
    log: io.log,
  };
  const proc = scope.process;
  redirectStdio(hooks.log, proc); // first: it needs Deno[Deno.internal]
  closeSignals(proc);
  closeProcess(hooks, proc);
  closeEscalation(hooks, io.close);
  closeCodeGeneration();
}

/**
 * Whether this code runs in a Worker (where {@link lockDown} applies).
 *
 * @example
 * ```ts
 * import { isWorker } from "./lockdown.ts";
 * console.log(isWorker()); // false on the main thread
 * ```
 */
export function isWorker(): boolean {
  const g = globalThis as unknown as { WorkerGlobalScope?: typeof Object };
  return g.WorkerGlobalScope !== undefined &&
    globalThis instanceof g.WorkerGlobalScope;
}
