/**
 * strace's renderings of system call values, for the `syscalls` plugin:
 * quoted strings with strace's escapes, symbolic flag sets, named
 * constants, and errno names with strace's (glibc's) descriptions. Pure: no
 * plugin API, so tests use it directly.
 *
 * @module
 */

/** strace's default string limit (`-s 32`). */
export const STRING_LIMIT = 32;

/**
 * Quotes bytes as strace does: printable ASCII as is, `\"` `\\` `\t` `\n`
 * `\v` `\f` `\r`, anything else in octal with as few digits as possible
 * (three when an octal digit follows). `truncated` appends `...` after the
 * closing quote, as strace does when the data is longer than `-s`.
 *
 * @example
 * ```ts
 * import { quote } from "./_strace_format.ts";
 * const s = quote(new TextEncoder().encode('Hi "x"\n\x001'), false);
 * console.log(s); // "Hi \"x\"\n\0001"
 * console.log(quote(new Uint8Array([27, 65]), true)); // "\33A"...
 * ```
 */
export function quote(bytes: Uint8Array, truncated: boolean): string {
  let s = '"';
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    switch (c) {
      case 0x22:
        s += '\\"';
        continue;
      case 0x5c:
        s += "\\\\";
        continue;
      case 0x09:
        s += "\\t";
        continue;
      case 0x0a:
        s += "\\n";
        continue;
      case 0x0b:
        s += "\\v";
        continue;
      case 0x0c:
        s += "\\f";
        continue;
      case 0x0d:
        s += "\\r";
        continue;
    }
    if (c >= 0x20 && c < 0x7f) {
      s += String.fromCharCode(c);
      continue;
    }
    const next = bytes[i + 1];
    const octalFollows = next !== undefined && next >= 0x30 && next <= 0x37;
    s += "\\";
    if (octalFollows) s += String(c >> 6) + String((c >> 3) & 7);
    else if (c >> 3) s += (c >> 6 ? String(c >> 6) : "") + String((c >> 3) & 7);
    s += String(c & 7);
  }
  return s + '"' + (truncated ? "..." : "");
}

/**
 * Renders a string read from the guest: at most `limit` bytes, quoted, with
 * `...` when it was longer.
 *
 * @example
 * ```ts
 * import { quoteLimited } from "./_strace_format.ts";
 * console.log(quoteLimited(new TextEncoder().encode("abcdef"), 4)); // "abcd"...
 * ```
 */
export function quoteLimited(
  bytes: Uint8Array,
  limit: number = STRING_LIMIT,
): string {
  return quote(bytes.subarray(0, limit), bytes.length > limit);
}

/** A flag table: names with their bit values, in strace's printing order. */
export type FlagTable = readonly (readonly [string, number])[];

/**
 * Renders `value` as `A|B|0x40` from `table`; `zero` names the empty set
 * (strace prints `0` unless the table has a name for it).
 *
 * @example
 * ```ts
 * import { flags, MMAP_PROT } from "./_strace_format.ts";
 * console.log(flags(3, MMAP_PROT, "PROT_NONE")); // "PROT_READ|PROT_WRITE"
 * console.log(flags(0x40, [["A", 1]])); // "0x40"
 * ```
 */
export function flags(value: number, table: FlagTable, zero = "0"): string {
  if (value === 0) return zero;
  const parts: string[] = [];
  let rest = value;
  for (const [name, bit] of table) {
    if (bit !== 0 && (rest & bit) === bit) {
      parts.push(name);
      rest &= ~bit;
    }
  }
  if (rest !== 0) parts.push("0x" + (rest >>> 0).toString(16));
  return parts.join("|");
}

/** `open(2)` flags other than the access mode (asm-generic/fcntl.h, octal). */
export const OPEN_FLAGS: FlagTable = [
  ["O_CREAT", 0o100],
  ["O_EXCL", 0o200],
  ["O_NOCTTY", 0o400],
  ["O_TRUNC", 0o1000],
  ["O_APPEND", 0o2000],
  ["O_NONBLOCK", 0o4000],
  ["O_SYNC", 0o4010000],
  ["O_DSYNC", 0o10000],
  ["O_ASYNC", 0o20000],
  ["O_DIRECT", 0o40000],
  ["O_LARGEFILE", 0o100000],
  ["O_TMPFILE", 0o20200000],
  ["O_DIRECTORY", 0o200000],
  ["O_NOFOLLOW", 0o400000],
  ["O_NOATIME", 0o1000000],
  ["O_CLOEXEC", 0o2000000],
  ["O_PATH", 0o10000000],
];

/**
 * `open(2)` flags: access mode first, then the rest (`O_RDONLY|O_CLOEXEC`).
 *
 * @example
 * ```ts
 * import { openFlags } from "./_strace_format.ts";
 * console.log(openFlags(0o2000000)); // "O_RDONLY|O_CLOEXEC"
 * console.log(openFlags(0o1102)); // "O_RDWR|O_CREAT|O_TRUNC"
 * ```
 */
export function openFlags(value: number): string {
  const acc = ["O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE"][value & 3];
  const rest = flags(value & ~3, OPEN_FLAGS, "");
  return rest ? `${acc}|${rest}` : acc;
}

/** `mmap`/`mprotect` protection bits (asm-generic/mman-common.h). */
export const MMAP_PROT: FlagTable = [
  ["PROT_READ", 1],
  ["PROT_WRITE", 2],
  ["PROT_EXEC", 4],
  ["PROT_SEM", 8],
  ["PROT_GROWSDOWN", 0x01000000],
  ["PROT_GROWSUP", 0x02000000],
];

/** `mmap` flags (asm-generic/mman-common.h, linux/mman.h). */
export const MMAP_FLAGS: FlagTable = [
  ["MAP_SHARED_VALIDATE", 3],
  ["MAP_SHARED", 1],
  ["MAP_PRIVATE", 2],
  ["MAP_FIXED", 0x10],
  ["MAP_ANONYMOUS", 0x20],
  ["MAP_GROWSDOWN", 0x100],
  ["MAP_DENYWRITE", 0x800],
  ["MAP_EXECUTABLE", 0x1000],
  ["MAP_LOCKED", 0x2000],
  ["MAP_NORESERVE", 0x4000],
  ["MAP_POPULATE", 0x8000],
  ["MAP_NONBLOCK", 0x10000],
  ["MAP_STACK", 0x20000],
  ["MAP_HUGETLB", 0x40000],
  ["MAP_SYNC", 0x80000],
  ["MAP_FIXED_NOREPLACE", 0x100000],
];

/** Named constants by value, for enumerations (clock ids, `whence`, ...). */
export type ConstTable = Readonly<Record<number, string>>;

/**
 * A named constant, or its decimal value when the table has no name.
 *
 * @example
 * ```ts
 * import { constant, CLOCKS } from "./_strace_format.ts";
 * console.log(constant(1, CLOCKS), constant(99, CLOCKS)); // CLOCK_MONOTONIC 99
 * ```
 */
export function constant(value: number, table: ConstTable): string {
  return table[value] ?? String(value);
}

/** Clock ids (linux/time.h). */
export const CLOCKS: ConstTable = {
  0: "CLOCK_REALTIME",
  1: "CLOCK_MONOTONIC",
  2: "CLOCK_PROCESS_CPUTIME_ID",
  3: "CLOCK_THREAD_CPUTIME_ID",
  4: "CLOCK_MONOTONIC_RAW",
  5: "CLOCK_REALTIME_COARSE",
  6: "CLOCK_MONOTONIC_COARSE",
  7: "CLOCK_BOOTTIME",
};

/** Signal names by number (asm-generic/signal.h). */
const SIGNALS = [
  "0",
  "SIGHUP",
  "SIGINT",
  "SIGQUIT",
  "SIGILL",
  "SIGTRAP",
  "SIGABRT",
  "SIGBUS",
  "SIGFPE",
  "SIGKILL",
  "SIGUSR1",
  "SIGSEGV",
  "SIGUSR2",
  "SIGPIPE",
  "SIGALRM",
  "SIGTERM",
  "SIGSTKFLT",
  "SIGCHLD",
  "SIGCONT",
  "SIGSTOP",
  "SIGTSTP",
  "SIGTTIN",
  "SIGTTOU",
  "SIGURG",
  "SIGXCPU",
  "SIGXFSZ",
  "SIGVTALRM",
  "SIGPROF",
  "SIGWINCH",
  "SIGIO",
  "SIGPWR",
  "SIGSYS",
];

/**
 * A signal's name as strace prints it (`SIGSEGV`, `SIGRT_2`), or the number.
 *
 * @example
 * ```ts
 * import { signalName } from "./_strace_format.ts";
 * console.log(signalName(11), signalName(34), signalName(99)); // SIGSEGV SIGRT_2 99
 * ```
 */
export function signalName(n: number): string {
  if (n >= 0 && n < SIGNALS.length) return SIGNALS[n];
  if (n === 32) return "SIGRTMIN";
  if (n > 32 && n <= 64) return `SIGRT_${n - 32}`;
  return String(n);
}

/**
 * errno names and strace's descriptions (glibc's `strerror`), by number
 * (asm-generic/errno-base.h, asm-generic/errno.h, linux/errno.h).
 */
const ERRNOS: Readonly<Record<number, readonly [string, string]>> = {
  1: ["EPERM", "Operation not permitted"],
  2: ["ENOENT", "No such file or directory"],
  3: ["ESRCH", "No such process"],
  4: ["EINTR", "Interrupted system call"],
  5: ["EIO", "Input/output error"],
  6: ["ENXIO", "No such device or address"],
  7: ["E2BIG", "Argument list too long"],
  8: ["ENOEXEC", "Exec format error"],
  9: ["EBADF", "Bad file descriptor"],
  10: ["ECHILD", "No child processes"],
  11: ["EAGAIN", "Resource temporarily unavailable"],
  12: ["ENOMEM", "Cannot allocate memory"],
  13: ["EACCES", "Permission denied"],
  14: ["EFAULT", "Bad address"],
  15: ["ENOTBLK", "Block device required"],
  16: ["EBUSY", "Device or resource busy"],
  17: ["EEXIST", "File exists"],
  18: ["EXDEV", "Invalid cross-device link"],
  19: ["ENODEV", "No such device"],
  20: ["ENOTDIR", "Not a directory"],
  21: ["EISDIR", "Is a directory"],
  22: ["EINVAL", "Invalid argument"],
  23: ["ENFILE", "Too many open files in system"],
  24: ["EMFILE", "Too many open files"],
  25: ["ENOTTY", "Inappropriate ioctl for device"],
  26: ["ETXTBSY", "Text file busy"],
  27: ["EFBIG", "File too large"],
  28: ["ENOSPC", "No space left on device"],
  29: ["ESPIPE", "Illegal seek"],
  30: ["EROFS", "Read-only file system"],
  31: ["EMLINK", "Too many links"],
  32: ["EPIPE", "Broken pipe"],
  33: ["EDOM", "Numerical argument out of domain"],
  34: ["ERANGE", "Numerical result out of range"],
  35: ["EDEADLK", "Resource deadlock avoided"],
  36: ["ENAMETOOLONG", "File name too long"],
  37: ["ENOLCK", "No locks available"],
  38: ["ENOSYS", "Function not implemented"],
  39: ["ENOTEMPTY", "Directory not empty"],
  40: ["ELOOP", "Too many levels of symbolic links"],
  42: ["ENOMSG", "No message of desired type"],
  61: ["ENODATA", "No data available"],
  62: ["ETIME", "Timer expired"],
  75: ["EOVERFLOW", "Value too large for defined data type"],
  84: ["EILSEQ", "Invalid or incomplete multibyte or wide character"],
  88: ["ENOTSOCK", "Socket operation on non-socket"],
  95: ["EOPNOTSUPP", "Operation not supported"],
  97: ["EAFNOSUPPORT", "Address family not supported by protocol"],
  98: ["EADDRINUSE", "Address already in use"],
  104: ["ECONNRESET", "Connection reset by peer"],
  110: ["ETIMEDOUT", "Connection timed out"],
  111: ["ECONNREFUSED", "Connection refused"],
  125: ["ECANCELED", "Operation canceled"],
  512: ["ERESTARTSYS", "To be restarted if SA_RESTART is set"],
  513: ["ERESTARTNOINTR", "To be restarted"],
  514: ["ERESTARTNOHAND", "To be restarted if no handler"],
  516: ["ERESTART_RESTARTBLOCK", "Interrupted by signal"],
};

/**
 * The symbolic name of errno `code` (positive), or `E<code>` if unknown.
 *
 * @example
 * ```ts
 * import { errnoName } from "./_strace_format.ts";
 * console.log(errnoName(2), errnoName(4000)); // ENOENT E4000
 * ```
 */
export function errnoName(code: number): string {
  return ERRNOS[code]?.[0] ?? `E${code}`;
}

/**
 * strace's text for a failed call: `-1 ENOENT (No such file or directory)`.
 *
 * @example
 * ```ts
 * import { errnoText } from "./_strace_format.ts";
 * console.log(errnoText(25)); // -1 ENOTTY (Inappropriate ioctl for device)
 * ```
 */
export function errnoText(code: number): string {
  const e = ERRNOS[code];
  return e ? `-1 ${e[0]} (${e[1]})` : `-1 E${code} (Unknown error ${code})`;
}

/**
 * A guest pointer as strace prints it: `NULL` or `0x` hex.
 *
 * @example
 * ```ts
 * import { pointer } from "./_strace_format.ts";
 * console.log(pointer(0n), pointer(0x7ffc10n)); // NULL 0x7ffc10
 * ```
 */
export function pointer(v: bigint): string {
  return v === 0n ? "NULL" : "0x" + v.toString(16);
}

/**
 * A file mode as strace prints it: octal with a leading zero (`0644`).
 *
 * @example
 * ```ts
 * import { octalMode } from "./_strace_format.ts";
 * console.log(octalMode(0o644), octalMode(0)); // 0644 000
 * ```
 */
export function octalMode(v: number): string {
  return "0" + v.toString(8).padStart(2, "0");
}

/** File type bits of `st_mode` (linux/stat.h), for `{st_mode=S_IFREG|0644, ...}`. */
const FILE_TYPES: ConstTable = {
  0o140000: "S_IFSOCK",
  0o120000: "S_IFLNK",
  0o100000: "S_IFREG",
  0o060000: "S_IFBLK",
  0o040000: "S_IFDIR",
  0o020000: "S_IFCHR",
  0o010000: "S_IFIFO",
};

/**
 * `st_mode` as strace prints it: `S_IFREG|0644`.
 *
 * @example
 * ```ts
 * import { statMode } from "./_strace_format.ts";
 * console.log(statMode(0o100644), statMode(0o40755)); // S_IFREG|0644 S_IFDIR|0755
 * ```
 */
export function statMode(mode: number): string {
  const type = FILE_TYPES[mode & 0o170000];
  const perm = octalMode(mode & 0o7777);
  return type ? `${type}|${perm}` : perm;
}
