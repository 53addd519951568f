/**
 * Linux errno values (asm-generic/errno-base.h, asm-generic/errno.h) and the
 * translation of Deno's file-system errors into them.
 *
 * @module
 */

/**
 * Errno numbers used by the Linux layer. Syscalls return them negated.
 *
 * @example
 * ```ts
 * import { Errno } from "./errno.ts";
 * console.log(-Errno.ENOENT); // -2
 * ```
 */
export const Errno = {
  EPERM: 1,
  ENOENT: 2,
  ESRCH: 3,
  EINTR: 4,
  EIO: 5,
  ENXIO: 6,
  E2BIG: 7,
  ENOEXEC: 8,
  EBADF: 9,
  ECHILD: 10,
  EAGAIN: 11,
  ENOMEM: 12,
  EACCES: 13,
  EFAULT: 14,
  EBUSY: 16,
  EEXIST: 17,
  EXDEV: 18,
  ENODEV: 19,
  ENOTDIR: 20,
  EISDIR: 21,
  EINVAL: 22,
  ENFILE: 23,
  EMFILE: 24,
  ENOTTY: 25,
  ETXTBSY: 26,
  EFBIG: 27,
  ENOSPC: 28,
  ESPIPE: 29,
  EROFS: 30,
  EMLINK: 31,
  EPIPE: 32,
  EDOM: 33,
  ERANGE: 34,
  EDEADLK: 35,
  ENAMETOOLONG: 36,
  ENOLCK: 37,
  ENOSYS: 38,
  ENOTEMPTY: 39,
  ELOOP: 40,
  ENODATA: 61,
  EOVERFLOW: 75,
  EILSEQ: 84,
  ENOTSOCK: 88,
  EDESTADDRREQ: 89,
  EMSGSIZE: 90,
  EPROTOTYPE: 91,
  ENOPROTOOPT: 92,
  EPROTONOSUPPORT: 93,
  ESOCKTNOSUPPORT: 94,
  EOPNOTSUPP: 95,
  EAFNOSUPPORT: 97,
  EADDRINUSE: 98,
  EADDRNOTAVAIL: 99,
  ENETUNREACH: 101,
  ECONNRESET: 104,
  EISCONN: 106,
  ENOTCONN: 107,
  ETIMEDOUT: 110,
  ECONNREFUSED: 111,
  EDQUOT: 122,
} as const;

const BY_CLASS: [string, number][] = [
  ["NotFound", Errno.ENOENT],
  ["PermissionDenied", Errno.EACCES],
  ["NotCapable", Errno.EACCES],
  ["AlreadyExists", Errno.EEXIST],
  ["IsADirectory", Errno.EISDIR],
  ["NotADirectory", Errno.ENOTDIR],
  ["FilesystemLoop", Errno.ELOOP],
  ["BrokenPipe", Errno.EPIPE],
  ["WouldBlock", Errno.EAGAIN],
  ["Interrupted", Errno.EINTR],
  ["TimedOut", Errno.ETIMEDOUT],
  ["Busy", Errno.EBUSY],
  ["NotSupported", Errno.EOPNOTSUPP],
  ["BadResource", Errno.EBADF],
  ["InvalidData", Errno.EINVAL],
];

/**
 * Maps an error thrown by a `Deno.*` file API to a positive errno. Uses the
 * OS error code Deno attaches (`err.code === "ENOTEMPTY"`) when present, then
 * the error class, and falls back to EIO.
 *
 * @example
 * ```ts
 * import { errnoOf } from "./errno.ts";
 * console.log(errnoOf(new Deno.errors.NotFound("x"))); // 2
 * ```
 */
export function errnoOf(err: unknown): number {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === "string" && code in Errno) {
    return Errno[code as keyof typeof Errno];
  }
  for (const [name, errno] of BY_CLASS) {
    const cls = (Deno.errors as Record<string, unknown>)[name];
    if (typeof cls === "function" && err instanceof cls) return errno;
  }
  return Errno.EIO;
}
