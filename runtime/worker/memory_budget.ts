/**
 * A plugin's memory budget, kept inside its Worker. Deno 2.9.6 has no
 * per-Worker heap limit, and V8 running out of memory in any Worker aborts
 * the whole process; so the budget must stop a plugin before that.
 *
 * Measured on Deno 2.9.6 (2 cores, 23 GB, tests/hostile_memory_test.ts and
 * SECURITY.md): the fast ways to the abort are not the JS heap (filling it
 * with objects, arrays or strings took more than 60 s without reaching
 * V8's limit, the collector slowing the loop as the heap grows) but
 * WebAssembly memories (a loop of `new WebAssembly.Memory({initial: 1})`
 * aborted the process, exit 133, in 7 s: each reserves ~10 GB of address
 * space) and array buffers (untouched they cost nothing, touched they reach
 * the machine's memory in seconds). So:
 *
 * - every constructor that makes a new backing store (`ArrayBuffer`,
 *   `SharedArrayBuffer`, the typed arrays, through `constructor` and species
 *   too, `ArrayBuffer.prototype.transfer`) checks a large allocation (64 KiB
 *   or more) against the budget before it allocates (a resizable buffer by
 *   its `maxByteLength`); live buffers are measured by
 *   `Deno.memoryUsage().external`, so freed ones stop counting when
 *   collected;
 * - a WebAssembly memory must declare a `maximum`, and is charged that
 *   maximum (a module's own memories too: the binary's memory section is
 *   read when it is compiled), so `memory.grow` inside WebAssembly code
 *   cannot pass the budget; at most {@link MAX_WASM_MEMORIES} live at once;
 * - the JS heap and buffers (`heapUsed + external`) are sampled on a timer,
 *   from allocations at most every 16 ms (the call costs ~130 us), and
 *   whenever {@link MemoryBudget.check} is called.
 *
 * Going over throws a `RangeError` named `BudgetExceeded` at the allocation
 * and reports once through `onExceeded`, so the host unloads the plugin
 * with one line; every later allocation throws too.
 *
 * @module
 */

/** Milliseconds between memory samples taken from allocations. */
const HEAP_SAMPLE_MS = 16;
/** Allocations below this are not checked one by one (the samples see them). */
const SMALL = 64 * 1024;
/** Most WebAssembly memories a plugin may hold at once. */
export const MAX_WASM_MEMORIES = 16;
const PAGE = 64 * 1024;
const MAX_PAGES = 65536;

/** Options for {@link installMemoryBudget}. */
export interface MemoryBudgetOptions {
  /** The budget in bytes (JS heap + buffers + WebAssembly memories). */
  readonly bytes: number;
  /** Called once, when the budget is first exceeded, with what happened. */
  onExceeded(message: string): void;
  /** Milliseconds between heap samples (default 50; 0: no timer). */
  readonly sampleMs?: number;
}

/** A plugin's memory budget (see the module doc). */
export interface MemoryBudget {
  /** The budget in bytes. */
  readonly bytes: number;
  /** Bytes charged for live WebAssembly memories (their maxima). */
  charged(): number;
  /** Why the budget was exceeded, once it was. */
  exceeded(): string | undefined;
  /** Samples the heap; throws BudgetExceeded if over (or already over). */
  check(): void;
}

function budgetError(message: string): RangeError {
  const e = new RangeError(message);
  e.name = "BudgetExceeded";
  return e;
}

function readLeb(bytes: Uint8Array, at: number): [number, number] {
  let value = 0;
  let shift = 0;
  for (let i = at; i < bytes.length && shift < 35; i++) {
    value += (bytes[i] & 0x7f) * 2 ** shift;
    shift += 7;
    if ((bytes[i] & 0x80) === 0) return [value, i + 1];
  }
  throw new RangeError("malformed WebAssembly binary");
}

/**
 * The maximum sizes, in pages, of the memories a WebAssembly binary
 * defines itself (imported ones are charged where they were made); a
 * memory without a maximum counts as 65536 pages (4 GiB).
 *
 * @example
 * ```ts
 * import { wasmOwnMemoryPages } from "./memory_budget.ts";
 * // (module (memory 1 2))
 * const bin = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 5, 4, 1, 1, 1, 2]);
 * console.log(wasmOwnMemoryPages(bin)); // [2]
 * ```
 */
export function wasmOwnMemoryPages(bytes: Uint8Array): number[] {
  const pages: number[] = [];
  let i = 8;
  while (i < bytes.length) {
    const id = bytes[i];
    const [size, body] = readLeb(bytes, i + 1);
    if (id === 5) {
      let [count, at] = readLeb(bytes, body);
      for (; count > 0; count--) {
        const flags = bytes[at];
        if (flags > 3) {
          throw new RangeError(
            "64-bit WebAssembly memories are not allowed in plugins",
          );
        }
        let min: number;
        [min, at] = readLeb(bytes, at + 1);
        let max = MAX_PAGES;
        if (flags & 1) [max, at] = readLeb(bytes, at);
        pages.push(Math.max(min, max));
      }
    }
    i = body + size;
  }
  return pages;
}

type Ctor = new (...args: unknown[]) => object;

/**
 * Installs the budget in the current Worker (see the module doc). Call
 * once, before plugin code runs.
 *
 * @example
 * ```ts ignore
 * import { installMemoryBudget } from "./memory_budget.ts";
 * const budget = installMemoryBudget({ bytes: 256 << 20, onExceeded: (m) => postMessage({ type: "error", error: { name: "BudgetExceeded", message: m } }) });
 * budget.check(); // between callbacks
 * ```
 */
export function installMemoryBudget(opts: MemoryBudgetOptions): MemoryBudget {
  const limit = opts.bytes;
  let charged = 0;
  let wasmLive = 0;
  let over: string | undefined;
  const freed = new FinalizationRegistry<{ bytes: number; wasm: boolean }>(
    (c) => {
      charged -= c.bytes;
      if (c.wasm) wasmLive--;
    },
  );
  const mb = (n: number) => `${Math.round(n / 1048576)} MiB`;
  const exceed = (what: string): never => {
    if (over === undefined) {
      over = `memory budget of ${
        mb(limit)
      } exceeded (${what}); raise it with --plugin-memory`;
      try {
        opts.onExceeded(over);
      } catch {
        // reporting must not hide the refusal
      }
    }
    throw budgetError(over);
  };
  // Deno.memoryUsage() costs ~130 us (measured in a Worker): sample at most
  // every HEAP_SAMPLE_MS from allocations, at once for a large one. Its
  // heapUsed + external covers the JS heap and every live buffer (freed
  // ones drop out when collected), so buffers are measured, not tracked.
  let used = 0;
  let sampledAt = -Infinity;
  const measured = (force: boolean) => {
    const now = performance.now();
    if (force || now - sampledAt >= HEAP_SAMPLE_MS) {
      const m = Deno.memoryUsage();
      used = m.heapUsed + m.external;
      sampledAt = now;
    }
    return used + charged;
  };
  /** Refuses an allocation of `bytes` that would pass the budget. */
  const precheck = (bytes: number, what: string) => {
    if (over !== undefined) throw budgetError(over);
    if (!Number.isFinite(bytes) || bytes < SMALL) return;
    const total = measured(bytes >= 1 << 20) + bytes;
    if (total > limit) {
      exceed(`${what} of ${mb(bytes)}, with ${mb(total - bytes)} in use`);
    }
  };
  /** Charges a WebAssembly memory's reservation until it is collected. */
  const charge = (bytes: number, what: string, target: object) => {
    precheck(Math.max(bytes, SMALL), what);
    charged += bytes;
    freed.register(target, { bytes, wasm: true });
  };

  const guard = (
    Real: Ctor,
    name: string,
    size: (args: unknown[]) => number,
  ) => {
    const proxy: Ctor = new Proxy(Real, {
      construct(t, args, newTarget): object {
        precheck(size(args), name);
        return Reflect.construct(t, args, newTarget === proxy ? t : newTarget);
      },
    });
    lock(globalThis, name, proxy);
    lock(Real.prototype, "constructor", proxy);
  };
  const lengthArg = (v: unknown) => typeof v === "number" ? v : Number(v) || 0;
  for (const name of ["ArrayBuffer", "SharedArrayBuffer"]) {
    const Real = (globalThis as unknown as Record<string, Ctor>)[name];
    guard(Real, name, (a) => {
      const max = (a[1] as { maxByteLength?: number } | undefined)
        ?.maxByteLength;
      return Math.max(lengthArg(a[0]), max ?? 0);
    });
  }
  const typed = [
    "Int8Array",
    "Uint8Array",
    "Uint8ClampedArray",
    "Int16Array",
    "Uint16Array",
    "Int32Array",
    "Uint32Array",
    "Float16Array",
    "Float32Array",
    "Float64Array",
    "BigInt64Array",
    "BigUint64Array",
  ];
  for (const name of typed) {
    const Real = (globalThis as unknown as Record<
      string,
      Ctor & { BYTES_PER_ELEMENT: number }
    >)[name];
    if (!Real) continue;
    const bpe = Real.BYTES_PER_ELEMENT;
    guard(Real, name, (a) => {
      const src = a[0];
      if (typeof src === "number") return src * bpe;
      if (src instanceof ArrayBuffer || src instanceof SharedArrayBuffer) {
        return 0;
      }
      const len = (src as { length?: unknown } | null)?.length;
      return typeof len === "number" ? len * bpe : 0;
    });
  }
  const abProto = ArrayBuffer.prototype as unknown as Record<
    string,
    (...a: number[]) => unknown
  >;
  const resize = abProto.resize;
  lock(abProto, "resize", function (this: ArrayBuffer, n: number) {
    // A resizable buffer was charged its maxByteLength when made.
    return resize.call(this, n);
  });
  for (const key of ["transfer", "transferToFixedLength"]) {
    const original = abProto[key];
    if (typeof original !== "function") continue;
    lock(abProto, key, function (this: ArrayBuffer, n?: number) {
      const bytes = n ?? this.byteLength;
      precheck(bytes, `ArrayBuffer.${key}`);
      return original.call(this, bytes);
    });
  }

  // WebAssembly: memories must be bounded, and are charged their maximum.
  const W = WebAssembly as unknown as Record<string, unknown>;
  const RealMemory = WebAssembly.Memory as unknown as Ctor;
  const memoryProxy: Ctor = new Proxy(RealMemory, {
    construct(t, args, newTarget): object {
      const d = (args[0] ?? {}) as { initial?: number; maximum?: number };
      if (typeof d.maximum !== "number") {
        throw new TypeError(
          "a WebAssembly.Memory in a plugin must declare a maximum (it is charged to the plugin's memory budget)",
        );
      }
      const obj: object = Reflect.construct(
        t,
        args,
        newTarget === memoryProxy ? t : newTarget,
      );
      chargeWasm(1, d.maximum * PAGE, obj);
      return obj;
    },
  });
  const chargeWasm = (count: number, bytes: number, target: object) => {
    if (wasmLive + count > MAX_WASM_MEMORIES) {
      exceed(`more than ${MAX_WASM_MEMORIES} WebAssembly memories`);
    }
    charge(bytes, "WebAssembly memory", target);
    wasmLive += count;
  };
  lock(W, "Memory", memoryProxy);
  lock(RealMemory.prototype, "constructor", memoryProxy);
  const modulePages = new WeakMap<object, number[]>();
  const RealModule = WebAssembly.Module as unknown as Ctor;
  const bytesOf = (src: unknown): Uint8Array => {
    if (src instanceof Uint8Array) return src;
    if (ArrayBuffer.isView(src)) {
      return new Uint8Array(src.buffer, src.byteOffset, src.byteLength);
    }
    if (src instanceof ArrayBuffer || src instanceof SharedArrayBuffer) {
      return new Uint8Array(src);
    }
    throw new TypeError("WebAssembly source must be a buffer source");
  };
  const compileSync = (src: unknown): WebAssembly.Module => {
    const pages = wasmOwnMemoryPages(bytesOf(src));
    const mod = Reflect.construct(RealModule, [src]) as WebAssembly.Module;
    modulePages.set(mod, pages);
    return mod;
  };
  const moduleProxy = new Proxy(RealModule, {
    construct: (_t, args) => compileSync(args[0]),
  });
  lock(W, "Module", moduleProxy);
  lock(RealModule.prototype, "constructor", moduleProxy);
  const RealInstance = WebAssembly.Instance as unknown as Ctor;
  const instantiateSync = (mod: WebAssembly.Module, imports?: object) => {
    const pages = modulePages.get(mod);
    if (pages === undefined) throw new TypeError("unknown WebAssembly module");
    if (over !== undefined) throw budgetError(over);
    const inst = Reflect.construct(RealInstance, [mod, imports]) as object;
    if (pages.length > 0) {
      chargeWasm(pages.length, pages.reduce((a, b) => a + b, 0) * PAGE, inst);
    }
    return inst;
  };
  const instanceProxy = new Proxy(RealInstance, {
    construct: (_t, args) =>
      instantiateSync(args[0] as WebAssembly.Module, args[1] as object),
  });
  lock(W, "Instance", instanceProxy);
  lock(RealInstance.prototype, "constructor", instanceProxy);
  lock(
    W,
    "compile",
    (src: unknown) => Promise.resolve().then(() => compileSync(src)),
  );
  lock(
    W,
    "instantiate",
    (src: unknown, imports?: object) =>
      Promise.resolve().then(() => {
        if (src instanceof WebAssembly.Module) {
          return instantiateSync(src, imports);
        }
        const module = compileSync(src);
        return { module, instance: instantiateSync(module, imports) };
      }),
  );
  lock(
    W,
    "compileStreaming",
    async (src: Response | Promise<Response>) =>
      compileSync(await (await src).arrayBuffer()),
  );
  lock(
    W,
    "instantiateStreaming",
    async (src: Response | Promise<Response>, imports?: object) => {
      const module = compileSync(await (await src).arrayBuffer());
      return { module, instance: instantiateSync(module, imports) };
    },
  );

  const check = () => {
    if (over !== undefined) throw budgetError(over);
    const total = measured(true);
    if (total > limit) {
      exceed(
        `JS heap and buffers of ${mb(used)}, WebAssembly memories of ${
          mb(charged)
        }`,
      );
    }
  };
  const sampleMs = opts.sampleMs ?? 50;
  if (sampleMs > 0) {
    const timer = setInterval(() => {
      try {
        check();
      } catch {
        clearInterval(timer); // reported through onExceeded
      }
    }, sampleMs);
    Deno.unrefTimer(timer as unknown as number);
  }
  return {
    bytes: limit,
    charged: () => charged,
    exceeded: () => over,
    check,
  };
}

function lock(obj: object, key: string, value: unknown): void {
  try {
    Object.defineProperty(obj, key, {
      value,
      writable: false,
      configurable: false,
      enumerable: false,
    });
  } catch {
    // Already non-configurable.
  }
}
