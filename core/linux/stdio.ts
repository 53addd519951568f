/**
 * The process's standard streams, injectable so tests and embedders can
 * capture output.
 *
 * @module
 */

/** Synchronous access to the guest's fds 0, 1 and 2. */
export interface Stdio {
  /** Reads into `buf`; returns bytes read, or null at end of input. */
  read(fd: 0, buf: Uint8Array): number | null;
  /** Writes all of `data`. */
  write(fd: 1 | 2, data: Uint8Array): void;
  /** True when host fd `fd` is a terminal. */
  isTerminal(fd: number): boolean;
  /**
   * Metadata of host fd `fd` (what it really is: pipe, file, /dev/null),
   * when known; the kernel otherwise reports a pipe or a terminal.
   */
  stat?(fd: number): Deno.FileInfo | undefined;
}

/**
 * Deno's stdin/stdout/stderr, used synchronously.
 *
 * @example
 * ```ts
 * import { defaultStdio } from "./stdio.ts";
 * defaultStdio().write(1, new TextEncoder().encode("hi\n"));
 * ```
 */
export function defaultStdio(): Stdio {
  return {
    read: (_fd, buf) => Deno.stdin.readSync(buf),
    write(fd, data) {
      const out = fd === 1 ? Deno.stdout : Deno.stderr;
      let off = 0;
      while (off < data.length) off += out.writeSync(data.subarray(off));
    },
    isTerminal(fd) {
      try {
        return [Deno.stdin, Deno.stdout, Deno.stderr][fd]?.isTerminal() ??
          false;
      } catch {
        return false;
      }
    },
    stat(fd) {
      try {
        // The host's own descriptor, as the kernel sees it (pipe, file, char device).
        return Deno.statSync(`/proc/self/fd/${fd}`);
      } catch {
        return undefined;
      }
    },
  };
}
