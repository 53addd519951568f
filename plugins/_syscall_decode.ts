/**
 * Decodes riscv64 system calls into strace-style typed events: the
 * `syscalls` plugin's logic, pure apart from a {@link GuestMemory} to read
 * strings and buffers through (the plugin passes `ctx`; tests pass a fake).
 *
 * @module
 */

import { type ArgKind, syscallSpec } from "./_riscv_syscalls.ts";
import {
  CLOCKS,
  constant,
  errnoText,
  flags,
  type FlagTable,
  MMAP_FLAGS,
  MMAP_PROT,
  octalMode,
  OPEN_FLAGS,
  openFlags,
  pointer,
  quote,
  quoteLimited,
  signalName,
  statMode,
  STRING_LIMIT,
} from "./_strace_format.ts";

/** What the decoder reads guest memory with (a `PluginContext` in a sync callback). */
export interface GuestMemory {
  /** Reads `len` bytes; throws if unmapped. */
  readMemory(addr: number, len: number): Uint8Array;
  /** Reads a NUL-terminated string of at most `max` bytes; throws if unmapped. */
  readCString(addr: number, max?: number): string;
}

/** One decoded argument. Structured-cloneable. */
export interface SyscallArg {
  /** Its name in the man page (`pathname`). */
  name: string;
  /** How it was decoded. */
  kind: ArgKind;
  /** The register value (unsigned 64-bit). */
  raw: bigint;
  /** strace's rendering: `"\"/etc/passwd\""`, `O_RDONLY|O_CLOEXEC`, `AT_FDCWD`, `0x7ffc10`. */
  text: string;
  /** The string read from the guest (paths, `str`, `str_out`). */
  str?: string;
  /** The bytes read from the guest (buffers, at most 32 of them). */
  bytes?: Uint8Array;
  /** True when strace leaves the argument out (openat's mode without O_CREAT). */
  omit?: boolean;
}

/** A system call at entry. Structured-cloneable. */
export interface SyscallEntry {
  /** riscv64 number. */
  num: number;
  /** Name (`openat`). */
  name: string;
  /** Its arguments, decoded at entry (outputs show as pointers). */
  args: SyscallArg[];
  /** pc of the `ecall`. */
  pc: number;
  /** Guest instructions executed before the `ecall`. */
  icount: number;
}

/** A system call at return: its entry with the outputs decoded and the result. */
export interface SyscallReturn extends SyscallEntry {
  /** The result (a0), signed; -4095..-1 are -errno. */
  ret: bigint;
  /** strace's rendering: `3`, `-1 ENOENT (No such file or directory)`, `0x5000`, `?`. */
  retText: string;
  /** The errno name when the call failed (`ENOENT`). */
  errno?: string;
}

const AT_FDCWD = -100;
const FD_FLAGS: FlagTable = OPEN_FLAGS.filter(([n]) =>
  n === "O_CLOEXEC" || n === "O_NONBLOCK" || n === "O_DIRECT"
);
const AT_FLAGS: FlagTable = [
  ["AT_SYMLINK_NOFOLLOW", 0x100],
  ["AT_REMOVEDIR", 0x200],
  ["AT_SYMLINK_FOLLOW", 0x400],
  ["AT_NO_AUTOMOUNT", 0x800],
  ["AT_EMPTY_PATH", 0x1000],
  ["AT_STATX_FORCE_SYNC", 0x2000],
  ["AT_STATX_DONT_SYNC", 0x4000],
];
const ACCESS: FlagTable = [["R_OK", 4], ["W_OK", 2], ["X_OK", 1]];
const GRND: FlagTable = [
  ["GRND_NONBLOCK", 1],
  ["GRND_RANDOM", 2],
  ["GRND_INSECURE", 4],
];
const MREMAP: FlagTable = [
  ["MREMAP_MAYMOVE", 1],
  ["MREMAP_FIXED", 2],
  ["MREMAP_DONTUNMAP", 4],
];
const RENAME: FlagTable = [
  ["RENAME_NOREPLACE", 1],
  ["RENAME_EXCHANGE", 2],
  ["RENAME_WHITEOUT", 4],
];
const WHENCE = {
  0: "SEEK_SET",
  1: "SEEK_CUR",
  2: "SEEK_END",
  3: "SEEK_DATA",
  4: "SEEK_HOLE",
};
const FCNTL = {
  0: "F_DUPFD",
  1: "F_GETFD",
  2: "F_SETFD",
  3: "F_GETFL",
  4: "F_SETFL",
  5: "F_GETLK",
  6: "F_SETLK",
  7: "F_SETLKW",
  1030: "F_DUPFD_CLOEXEC",
};
const SIG_HOW = { 0: "SIG_BLOCK", 1: "SIG_UNBLOCK", 2: "SIG_SETMASK" };
const IOCTLS = {
  0x5401: "TCGETS",
  0x5402: "TCSETS",
  0x5403: "TCSETSW",
  0x540f: "TIOCGPGRP",
  0x5410: "TIOCSPGRP",
  0x5413: "TIOCGWINSZ",
  0x5414: "TIOCSWINSZ",
  0x541b: "FIONREAD",
  0x5421: "FIONBIO",
};
const RLIMITS = {
  0: "RLIMIT_CPU",
  1: "RLIMIT_FSIZE",
  2: "RLIMIT_DATA",
  3: "RLIMIT_STACK",
  4: "RLIMIT_CORE",
  5: "RLIMIT_RSS",
  6: "RLIMIT_NPROC",
  7: "RLIMIT_NOFILE",
  8: "RLIMIT_MEMLOCK",
  9: "RLIMIT_AS",
};
const MADVISE = {
  0: "MADV_NORMAL",
  1: "MADV_RANDOM",
  2: "MADV_SEQUENTIAL",
  3: "MADV_WILLNEED",
  4: "MADV_DONTNEED",
  8: "MADV_FREE",
  14: "MADV_HUGEPAGE",
  15: "MADV_NOHUGEPAGE",
};

const i32 = (v: bigint) => Number(BigInt.asIntN(32, v));
const u32 = (v: bigint) => Number(BigInt.asUintN(32, v));
const enc = new TextEncoder();

/** Renders a value that needs no guest memory. */
function scalar(kind: ArgKind, raw: bigint): string {
  switch (kind) {
    case "int":
    case "fd":
      return String(i32(raw));
    case "dirfd":
      return i32(raw) === AT_FDCWD ? "AT_FDCWD" : String(i32(raw));
    case "long":
      return String(BigInt.asIntN(64, raw));
    case "uint":
      return String(raw);
    case "hex":
      return "0x" + raw.toString(16);
    case "mode":
      return octalMode(u32(raw));
    case "open_flags":
      return openFlags(u32(raw));
    case "o_flags":
      return flags(u32(raw), FD_FLAGS);
    case "at_flags":
    case "unlink_flags":
      return flags(u32(raw), AT_FLAGS);
    case "access_mode":
      return flags(u32(raw), ACCESS, "F_OK");
    case "prot":
      return flags(u32(raw), MMAP_PROT, "PROT_NONE");
    case "mmap_flags":
      return flags(u32(raw), MMAP_FLAGS);
    case "signal":
      return signalName(i32(raw));
    case "clock":
      return constant(i32(raw), CLOCKS);
    case "whence":
      return constant(u32(raw), WHENCE);
    case "fcntl_cmd":
      return constant(u32(raw), FCNTL);
    case "sig_how":
      return constant(u32(raw), SIG_HOW);
    case "ioctl":
      return constant(u32(raw), IOCTLS);
    case "resource":
      return constant(u32(raw), RLIMITS);
    case "grnd_flags":
      return flags(u32(raw), GRND);
    case "madvise":
      return constant(u32(raw), MADVISE);
    case "mremap_flags":
      return flags(u32(raw), MREMAP);
    case "rename_flags":
      return flags(u32(raw), RENAME);
    default:
      return pointer(raw);
  }
}

/** Reads a little-endian signed 64-bit field. */
function i64At(b: Uint8Array, off: number): bigint {
  return new DataView(b.buffer, b.byteOffset, b.byteLength).getBigInt64(
    off,
    true,
  );
}

/** Decodes one argument at entry. */
function entryArg(
  name: string,
  kind: ArgKind,
  raw: bigint,
  all: readonly bigint[],
  len: number | undefined,
  mem: GuestMemory | undefined,
): SyscallArg {
  const arg: SyscallArg = { name, kind, raw, text: scalar(kind, raw) };
  if (!mem || raw === 0n) return arg;
  const addr = Number(raw);
  try {
    if (kind === "path" || kind === "str") {
      const str = mem.readCString(addr, 4096);
      arg.str = str;
      const bytes = enc.encode(str);
      arg.text = kind === "path" ? quote(bytes, false) : quoteLimited(bytes);
    } else if (kind === "buf_in") {
      const n = Number(all[len ?? 0]);
      const bytes = mem.readMemory(addr, Math.min(n, STRING_LIMIT));
      arg.bytes = bytes;
      arg.text = quote(bytes, n > STRING_LIMIT);
    } else if (kind === "timespec_in") {
      arg.text = timeText(mem.readMemory(addr, 16), "tv_nsec");
    }
  } catch {
    // Unmapped: strace shows the pointer, and so do we.
  }
  return arg;
}

function timeText(b: Uint8Array, sub: "tv_nsec" | "tv_usec"): string {
  return `{tv_sec=${i64At(b, 0)}, ${sub}=${i64At(b, 8)}}`;
}

/**
 * Decodes a system call at entry: names, kinds and strace renderings of its
 * arguments, with strings and input buffers read from `mem` (omit `mem` to
 * decode registers only).
 *
 * @example
 * ```ts
 * import { decodeEntry } from "./_syscall_decode.ts";
 * const path = new TextEncoder().encode("/etc/passwd\0");
 * const mem = {
 *   readMemory: (a: number, n: number) => path.slice(a - 0x1000, a - 0x1000 + n),
 *   readCString: () => "/etc/passwd",
 * };
 * const e = decodeEntry(56, [-100n & 0xffffffffffffffffn, 0x1000n, 0x80000n, 0n, 0n, 0n], 0x10078, 42, mem);
 * console.log(e.name, e.args.filter((a) => !a.omit).map((a) => a.text).join(", "));
 * // openat AT_FDCWD, "/etc/passwd", O_RDONLY|O_CLOEXEC
 * ```
 */
export function decodeEntry(
  num: number,
  raw: readonly bigint[],
  pc: number,
  icount: number,
  mem?: GuestMemory,
  hostName?: string,
): SyscallEntry {
  const spec = syscallSpec(num, hostName);
  const args = spec.args.map((a, i) =>
    entryArg(a.name, a.kind, raw[i] ?? 0n, raw, a.len, mem)
  );
  if (spec.name === "openat" && (u32(raw[2] ?? 0n) & 0o20200100) === 0) {
    args[3].omit = true; // mode only with O_CREAT or O_TMPFILE
  }
  if (spec.name === "fcntl") {
    const cmd = u32(raw[1] ?? 0n), arg = args[2];
    if (cmd === 1 || cmd === 3) arg.omit = true; // F_GETFD, F_GETFL
    else if (cmd === 4) arg.text = openFlags(u32(arg.raw));
    else if (cmd === 2) arg.text = u32(arg.raw) & 1 ? "FD_CLOEXEC" : "0";
    else if (cmd === 0 || cmd === 1030) arg.text = String(i32(arg.raw));
  }
  return { num, name: spec.name, args, pc, icount };
}

/** Decodes an output argument at return (the call succeeded). */
function outputArg(
  arg: SyscallArg,
  ret: bigint,
  mem: GuestMemory,
): void {
  const addr = Number(arg.raw);
  switch (arg.kind) {
    case "buf_out": {
      const n = Number(ret);
      const bytes = mem.readMemory(addr, Math.min(n, STRING_LIMIT));
      arg.bytes = bytes;
      arg.text = quote(bytes, n > STRING_LIMIT);
      return;
    }
    case "str_out": {
      arg.str = mem.readCString(addr, 4096);
      arg.text = quote(enc.encode(arg.str), false);
      return;
    }
    case "dirents_out": {
      const all = mem.readMemory(addr, Math.min(Number(ret), 1 << 16));
      let n = 0;
      for (let off = 0; off + 18 <= all.length; n++) {
        const reclen = all[off + 16] | (all[off + 17] << 8);
        if (reclen === 0) break;
        off += reclen;
      }
      arg.bytes = all.slice(0, STRING_LIMIT);
      arg.text = `${pointer(arg.raw)} /* ${n} entries */`;
      return;
    }
    case "stat_out": {
      const b = mem.readMemory(addr, 128);
      arg.bytes = b;
      const mode = b[16] | (b[17] << 8) | (b[18] << 16) | (b[19] << 24);
      arg.text = `{st_mode=${statMode(mode >>> 0)}, st_size=${
        i64At(b, 48)
      }, ...}`;
      return;
    }
    case "timespec_out":
      arg.text = timeText(mem.readMemory(addr, 16), "tv_nsec");
      return;
    case "timeval_out":
      arg.text = timeText(mem.readMemory(addr, 16), "tv_usec");
      return;
    case "utsname_out": {
      const field = (i: number) => mem.readCString(addr + 65 * i, 65);
      arg.text = `{sysname=${quote(enc.encode(field(0)), false)}, nodename=${
        quote(enc.encode(field(1)), false)
      }, ...}`;
      return;
    }
    case "fdpair_out": {
      const b = mem.readMemory(addr, 8);
      const dv = new DataView(b.buffer, b.byteOffset, 8);
      arg.text = `[${dv.getInt32(0, true)}, ${dv.getInt32(4, true)}]`;
      return;
    }
  }
}

/**
 * Completes an entry with the result: outputs read from `mem` (only when
 * the call succeeded: `min(ret, 32)` bytes of a read buffer, a stat
 * struct's mode and size, ...) and the result rendered as strace does.
 * `entry` is not modified.
 *
 * @example
 * ```ts
 * import { decodeEntry, decodeReturn } from "./_syscall_decode.ts";
 * const e = decodeEntry(56, [0n, 0n, 0n, 0n, 0n, 0n], 0, 0);
 * console.log(decodeReturn(e, -2n).retText); // -1 ENOENT (No such file or directory)
 * console.log(decodeReturn(decodeEntry(214, [0n], 0, 0), 0x5000n).retText); // 0x5000
 * ```
 */
export function decodeReturn(
  entry: SyscallEntry,
  ret: bigint,
  mem?: GuestMemory,
): SyscallReturn {
  const spec = syscallSpec(entry.num, entry.name);
  const args = entry.args.map((a) => ({ ...a }));
  const failed = ret < 0n && ret >= -4095n;
  if (mem && !failed) {
    for (const a of args) {
      if (a.raw === 0n || !a.kind.endsWith("_out")) continue;
      try {
        outputArg(a, ret, mem);
      } catch {
        // Unmapped: keep the pointer.
      }
    }
  }
  const out: SyscallReturn = { ...entry, args, ret, retText: "" };
  if (spec.ret === "none") out.retText = "?";
  else if (failed) {
    out.retText = errnoText(Number(-ret));
    out.errno = out.retText.split(" ")[1];
  } else if (spec.ret === "hex") {
    out.retText = "0x" + BigInt.asUintN(64, ret).toString(16);
  } else out.retText = String(ret);
  return out;
}

/**
 * An strace line without the newline: `name(args) = ret` (`= ?` when the
 * call does not return).
 *
 * @example
 * ```ts
 * import { decodeEntry, decodeReturn, straceLine } from "./_syscall_decode.ts";
 * const e = decodeEntry(94, [0n], 0, 0);
 * console.log(straceLine(e)); // exit_group(0) = ?
 * console.log(straceLine(decodeReturn(decodeEntry(172, [], 0, 0), 7n))); // getpid() = 7
 * ```
 */
export function straceLine(e: SyscallEntry | SyscallReturn): string {
  const args = e.args.filter((a) => !a.omit).map((a) => a.text).join(", ");
  const ret = "retText" in e ? e.retText : "?";
  return `${e.name}(${args}) = ${ret}`;
}
