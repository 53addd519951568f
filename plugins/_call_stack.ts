/**
 * The `callstack` plugin's stack machine, pure: calls push, returns pop,
 * tail calls replace the top frame, and a return to an address only an
 * older frame expects (longjmp, exceptions) unwinds to that frame. Plus
 * the symbolizer both use.
 *
 * @module
 */

/** A function symbol (the shape of the SDK's `GuestSymbol`). */
export interface FunctionSymbol {
  /** Name. */
  readonly name: string;
  /** Entry address. */
  readonly addr: number;
  /** Size in bytes (0 if unknown). */
  readonly size: number;
}

/**
 * Maps addresses to the function containing them, by binary search.
 *
 * @example
 * ```ts
 * import { Symbolizer } from "./_call_stack.ts";
 * const s = new Symbolizer([{ name: "main", addr: 0x1000, size: 0x20 }]);
 * console.log(s.name(0x1010), s.name(0x1020), s.entries.has(0x1000)); // main 0x1020 true
 * ```
 */
export class Symbolizer {
  /** Entry addresses of every function. */
  readonly entries: ReadonlySet<number>;
  readonly #syms: FunctionSymbol[];

  /** Indexes `symbols` (any order; zero-size symbols cover only their entry). */
  constructor(symbols: readonly FunctionSymbol[]) {
    this.#syms = [...symbols].sort((a, b) => a.addr - b.addr);
    this.entries = new Set(this.#syms.map((s) => s.addr));
  }

  /** The symbol containing `addr`, if any. */
  lookup(addr: number): FunctionSymbol | undefined {
    let lo = 0, hi = this.#syms.length - 1, found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#syms[mid].addr <= addr) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    const s = this.#syms[found];
    if (!s) return undefined;
    return addr < s.addr + Math.max(s.size, 1) ? s : undefined;
  }

  /** The name of the function containing `addr`, or `0x<addr>`. */
  name(addr: number): string {
    return this.lookup(addr)?.name ?? "0x" + addr.toString(16);
  }
}

/** One frame: the function running and where it returns to. */
export interface Frame {
  /** Function name (or `0x<entry>` without symbols). */
  fn: string;
  /** Function entry (the call's target). */
  addr: number;
  /** Return address expected by the caller (-1 for the root frame). */
  ret: number;
}

/** What a return did to the stack. */
export interface ReturnResult {
  /** Frames popped (0 for an unmatched return). */
  popped: number;
  /** "return": to the top frame's caller; "unwind": past it; "unmatched": nowhere known. */
  how: "return" | "unwind" | "unmatched";
}

/**
 * A call stack driven by calls, returns and tail calls. A root frame for
 * the function where tracking started is never popped; beyond `maxDepth`
 * the oldest frames above the root are dropped, so memory stays bounded
 * under unbounded recursion.
 *
 * @example
 * ```ts
 * import { CallStack, Symbolizer } from "./_call_stack.ts";
 * const sym = new Symbolizer([
 *   { name: "main", addr: 0x100, size: 0x100 },
 *   { name: "f", addr: 0x200, size: 0x100 },
 * ]);
 * const s = new CallStack(sym);
 * s.call(0x110, 0x200, 0x114); // main calls f
 * console.log(s.depth(), s.top().fn); // 1 f
 * console.log(s.ret(0x210, 0x114).how, s.top().fn); // return main
 * ```
 */
export class CallStack {
  readonly #sym: Symbolizer;
  readonly #max: number;
  readonly #frames: Frame[] = [];
  /** Frames dropped to respect `maxDepth`. */
  dropped = 0;
  /** Deepest depth reached. */
  maxDepth = 0;

  /** A stack symbolized by `sym`, at most `maxDepth` frames above the root. */
  constructor(sym: Symbolizer, maxDepth = 10_000) {
    this.#sym = sym;
    this.#max = maxDepth;
  }

  #frame(addr: number, ret: number): Frame {
    const s = this.#sym.lookup(addr);
    return {
      fn: s?.name ?? "0x" + addr.toString(16),
      addr: s?.addr ?? addr,
      ret,
    };
  }

  /** Makes sure a root frame exists, for the function containing `pc`. */
  #root(pc: number): void {
    if (this.#frames.length === 0) this.#frames.push(this.#frame(pc, -1));
  }

  /** Calls above the root. */
  depth(): number {
    return Math.max(0, this.#frames.length - 1);
  }

  /** The running frame (the root before any event: `?`). */
  top(): Frame {
    return this.#frames[this.#frames.length - 1] ??
      { fn: "?", addr: 0, ret: -1 };
  }

  /** The frames, innermost first. */
  frames(): Frame[] {
    return [...this.#frames].reverse();
  }

  /** A call at `from` to `to` that will return to `retAddr`. */
  call(from: number, to: number, retAddr: number): void {
    this.#root(from);
    this.#frames.push(this.#frame(to, retAddr));
    if (this.#frames.length - 1 > this.#max) {
      this.#frames.splice(1, 1);
      this.dropped++;
    }
    this.maxDepth = Math.max(this.maxDepth, this.depth());
  }

  /** A jump at `from` to the entry `to` of a function: it replaces the top frame. */
  tail(from: number, to: number): void {
    this.#root(from);
    const top = this.#frames[this.#frames.length - 1];
    this.#frames[this.#frames.length - 1] = this.#frame(to, top.ret);
  }

  /**
   * A return at `from` to `to`. Pops the top frame if it expected `to`;
   * otherwise unwinds to the newest older frame that expected `to`, or
   * failing that to the newest frame whose function contains `to` (a
   * `longjmp` lands after the `setjmp` call, inside the caller); otherwise
   * leaves the stack alone (returns from code entered without a call:
   * signal handlers, the first frame).
   */
  ret(from: number, to: number): ReturnResult {
    this.#root(from);
    const f = this.#frames;
    const n = f.length;
    if (n > 1 && f[n - 1].ret === to) {
      f.pop();
      return { popped: 1, how: "return" };
    }
    for (let i = n - 2; i >= 1; i--) {
      if (f[i].ret === to) {
        f.length = i;
        return { popped: n - i, how: "unwind" };
      }
    }
    const fn = this.#sym.lookup(to);
    if (fn) {
      for (let i = n - 2; i >= 0; i--) {
        if (f[i].addr === fn.addr) {
          f.length = i + 1;
          return { popped: n - i - 1, how: "unwind" };
        }
      }
    }
    return { popped: 0, how: "unmatched" };
  }
}
