/**
 * The progress line shown on a terminal during long runs: instructions,
 * guest MIPS, elapsed time and the number of plugins, redrawn at most four
 * times a second and erased before anything else is written and at exit.
 *
 * @module
 */

/** Options for {@linkcode Progress}. */
export interface ProgressOptions {
  /** Writes raw text to the terminal (stderr). */
  write(text: string): void;
  /** Number of plugins loaded. */
  plugins: number;
  /** Milliseconds before the first line (short runs show nothing). */
  delayMs?: number;
  /** Milliseconds between redraws (at least 250). */
  intervalMs?: number;
  /** The clock (default `performance.now`). */
  now?: () => number;
}

/** Erase the current terminal line: carriage return, erase to end (ECMA-48 EL). */
const ERASE = "\r\x1b[K";

/**
 * Formats a count with an SI suffix: `1.23 G`.
 *
 * @example
 * ```ts
 * import { si } from "./progress.ts";
 * console.log(si(1_234_567_890), si(999)); // "1.23 G" "999"
 * ```
 */
export function si(n: number): string {
  if (n < 1e3) return String(Math.round(n));
  const units = ["k", "M", "G", "T"];
  let i = -1;
  while (n >= 1e3 && i < units.length - 1) {
    n /= 1e3;
    i++;
  }
  return `${n.toPrecision(3)} ${units[i]}`;
}

/**
 * A throttled progress line.
 *
 * @example
 * ```ts
 * import { Progress } from "./progress.ts";
 * let t = 0;
 * let screen = "";
 * const p = new Progress({ write: (s) => screen += s, plugins: 2, now: () => t });
 * t = 2000;
 * p.update(600_000_000);
 * console.log(screen.includes("600 M insns")); // true
 * p.clear();
 * ```
 */
export class Progress {
  readonly #opts: ProgressOptions;
  readonly #now: () => number;
  readonly #start: number;
  readonly #interval: number;
  #next: number;
  #shown = false;

  /** Starts the clock. */
  constructor(opts: ProgressOptions) {
    this.#opts = opts;
    this.#now = opts.now ?? (() => performance.now());
    this.#start = this.#now();
    this.#interval = Math.max(250, opts.intervalMs ?? 250);
    this.#next = this.#start + (opts.delayMs ?? 1000);
  }

  /** Redraws the line with `insns` executed so far, if it is time to. */
  update(insns: number): void {
    const now = this.#now();
    if (now < this.#next) return;
    this.#next = now + this.#interval;
    const s = (now - this.#start) / 1000;
    const mips = s > 0 ? insns / s / 1e6 : 0;
    const plugins = this.#opts.plugins;
    this.#opts.write(
      `${ERASE}pandeno: ${si(insns)} insns  ${mips.toFixed(0)} MIPS  ${
        s.toFixed(1)
      } s  ${plugins} plugin${plugins === 1 ? "" : "s"}`,
    );
    this.#shown = true;
  }

  /** Erases the line, if one is shown (before other output, and at exit). */
  clear(): void {
    if (!this.#shown) return;
    this.#opts.write(ERASE);
    this.#shown = false;
  }
}
