/**
 * riscv64 Linux system calls for the `syscalls` plugin: numbers and names
 * from include/uapi/asm-generic/unistd.h (riscv64 uses the generic table),
 * and each argument's name and kind, which says how strace renders it.
 * Data, not code: one line per call.
 *
 * @module
 */

/**
 * How an argument is read and rendered.
 * - numbers: `int` (signed 32-bit), `long` (signed 64), `uint` (unsigned),
 *   `hex`, `ptr` (`NULL` or hex), `fd`, `dirfd` (`AT_FDCWD`), `mode` (octal);
 * - strings read at entry: `path` (whole), `str` (`-s 32`), `buf_in`
 *   (bytes, length from another argument);
 * - outputs read at return: `buf_out` (length from the result), `str_out`
 *   (NUL-terminated), `dirents_out`, `stat_out`, `timespec_out`,
 *   `timeval_out`, `utsname_out`, `fdpair_out`; `timespec_in` is read at
 *   entry;
 * - symbolic: the flag sets and enumerations named after what they decode.
 */
export type ArgKind =
  | "int"
  | "long"
  | "uint"
  | "hex"
  | "ptr"
  | "fd"
  | "dirfd"
  | "mode"
  | "path"
  | "str"
  | "buf_in"
  | "buf_out"
  | "str_out"
  | "dirents_out"
  | "stat_out"
  | "timespec_in"
  | "timespec_out"
  | "timeval_out"
  | "utsname_out"
  | "fdpair_out"
  | "open_flags"
  | "o_flags"
  | "at_flags"
  | "unlink_flags"
  | "access_mode"
  | "prot"
  | "mmap_flags"
  | "signal"
  | "clock"
  | "whence"
  | "fcntl_cmd"
  | "sig_how"
  | "ioctl"
  | "resource"
  | "grnd_flags"
  | "madvise"
  | "mremap_flags"
  | "rename_flags";

/** One argument of a system call's signature. */
export interface ArgSpec {
  /** Its name in the man page (`pathname`, `count`). */
  readonly name: string;
  /** How it is read and rendered. */
  readonly kind: ArgKind;
  /** For `buf_in`: the index of the argument holding the length. */
  readonly len?: number;
}

/** A system call's signature. */
export interface SyscallSpec {
  /** riscv64 number. */
  readonly num: number;
  /** Name, as strace prints it. */
  readonly name: string;
  /** Its arguments, in order. */
  readonly args: readonly ArgSpec[];
  /** How the result renders: decimal, hex (brk, mmap), or `?` (never returns). */
  readonly ret: "dec" | "hex" | "none";
}

// "number name kind:arg ..." (a `buf_in` names its length argument: buf_in@2).
const TABLE = `
17 getcwd str_out:buf uint:size
23 dup fd:oldfd
24 dup3 fd:oldfd fd:newfd o_flags:flags
25 fcntl fd:fd fcntl_cmd:cmd hex:arg
29 ioctl fd:fd ioctl:request ptr:argp
34 mkdirat dirfd:dirfd path:pathname mode:mode
35 unlinkat dirfd:dirfd path:pathname unlink_flags:flags
36 symlinkat path:target dirfd:newdirfd path:linkpath
37 linkat dirfd:olddirfd path:oldpath dirfd:newdirfd path:newpath at_flags:flags
38 renameat dirfd:olddirfd path:oldpath dirfd:newdirfd path:newpath
43 statfs path:path ptr:buf
44 fstatfs fd:fd ptr:buf
45 truncate path:path long:length
46 ftruncate fd:fd long:length
48 faccessat dirfd:dirfd path:pathname access_mode:mode
49 chdir path:path
50 fchdir fd:fd
52 fchmod fd:fd mode:mode
53 fchmodat dirfd:dirfd path:pathname mode:mode
55 fchown fd:fd int:owner int:group
56 openat dirfd:dirfd path:pathname open_flags:flags mode:mode
57 close fd:fd
59 pipe2 fdpair_out:pipefd o_flags:flags
61 getdents64 fd:fd dirents_out:dirp uint:count
62 lseek fd:fd long:offset whence:whence
63 read fd:fd buf_out:buf uint:count
64 write fd:fd buf_in@2:buf uint:count
65 readv fd:fd ptr:iov int:iovcnt
66 writev fd:fd ptr:iov int:iovcnt
67 pread64 fd:fd buf_out:buf uint:count long:offset
68 pwrite64 fd:fd buf_in@2:buf uint:count long:offset
73 ppoll ptr:fds uint:nfds ptr:tmo_p ptr:sigmask uint:sigsetsize
78 readlinkat dirfd:dirfd path:pathname buf_out:buf uint:bufsiz
79 newfstatat dirfd:dirfd path:pathname stat_out:statbuf at_flags:flags
80 fstat fd:fd stat_out:statbuf
82 fsync fd:fd
83 fdatasync fd:fd
88 utimensat dirfd:dirfd path:pathname ptr:times at_flags:flags
93 exit int:status
94 exit_group int:status
96 set_tid_address ptr:tidptr
98 futex ptr:uaddr int:futex_op int:val ptr:timeout ptr:uaddr2 int:val3
99 set_robust_list ptr:head uint:len
101 nanosleep timespec_in:req ptr:rem
113 clock_gettime clock:clockid timespec_out:tp
114 clock_getres clock:clockid timespec_out:res
115 clock_nanosleep clock:clockid int:flags timespec_in:request ptr:remain
122 sched_setaffinity int:pid uint:cpusetsize ptr:mask
123 sched_getaffinity int:pid uint:cpusetsize ptr:mask
124 sched_yield
129 kill int:pid signal:sig
130 tkill int:tid signal:sig
131 tgkill int:tgid int:tid signal:sig
132 sigaltstack ptr:ss ptr:old_ss
133 rt_sigsuspend ptr:mask uint:sigsetsize
134 rt_sigaction signal:signum ptr:act ptr:oldact uint:sigsetsize
135 rt_sigprocmask sig_how:how ptr:set ptr:oldset uint:sigsetsize
136 rt_sigpending ptr:set uint:sigsetsize
139 rt_sigreturn
153 times ptr:buf
160 uname utsname_out:buf
163 getrlimit resource:resource ptr:rlim
165 getrusage int:who ptr:usage
166 umask mode:mask
167 prctl int:option hex:arg2 hex:arg3 hex:arg4 hex:arg5
169 gettimeofday timeval_out:tv ptr:tz
172 getpid
173 getppid
174 getuid
175 geteuid
176 getgid
177 getegid
178 gettid
179 sysinfo ptr:info
214 brk ptr:addr
215 munmap ptr:addr uint:length
216 mremap ptr:old_address uint:old_size uint:new_size mremap_flags:flags ptr:new_address
220 clone hex:flags ptr:stack ptr:parent_tid ptr:tls ptr:child_tid
221 execve path:pathname ptr:argv ptr:envp
222 mmap ptr:addr uint:length prot:prot mmap_flags:flags fd:fd long:offset
226 mprotect ptr:addr uint:len prot:prot
233 madvise ptr:addr uint:length madvise:advice
258 riscv_hwprobe ptr:pairs uint:pair_count uint:cpusetsize ptr:cpus uint:flags
259 riscv_flush_icache ptr:start ptr:end hex:flags
260 wait4 int:pid ptr:wstatus int:options ptr:rusage
261 prlimit64 int:pid resource:resource ptr:new_limit ptr:old_limit
276 renameat2 dirfd:olddirfd path:oldpath dirfd:newdirfd path:newpath rename_flags:flags
278 getrandom buf_out:buf uint:buflen grnd_flags:flags
279 memfd_create path:name hex:flags
291 statx dirfd:dirfd path:pathname at_flags:flags hex:mask ptr:statxbuf
439 faccessat2 dirfd:dirfd path:pathname access_mode:mode at_flags:flags
`;

const HEX_RESULT = new Set(["brk", "mmap", "mremap"]);
const NO_RESULT = new Set(["exit", "exit_group"]);

function parse(table: string): Map<number, SyscallSpec> {
  const out = new Map<number, SyscallSpec>();
  for (const line of table.trim().split("\n")) {
    const [num, name, ...args] = line.trim().split(/\s+/);
    out.set(Number(num), {
      num: Number(num),
      name,
      args: args.map((a) => {
        const [kindLen, argName] = a.split(":");
        const [kind, len] = kindLen.split("@");
        return len === undefined
          ? { name: argName, kind: kind as ArgKind }
          : { name: argName, kind: kind as ArgKind, len: Number(len) };
      }),
      ret: NO_RESULT.has(name) ? "none" : HEX_RESULT.has(name) ? "hex" : "dec",
    });
  }
  return out;
}

/**
 * The known riscv64 system calls by number.
 *
 * @example
 * ```ts
 * import { SYSCALLS } from "./_riscv_syscalls.ts";
 * const openat = SYSCALLS.get(56)!;
 * console.log(openat.name, openat.args.map((a) => a.kind).join(","));
 * // openat dirfd,path,open_flags,mode
 * ```
 */
export const SYSCALLS: ReadonlyMap<number, SyscallSpec> = parse(TABLE);

/**
 * The spec of system call `num`; an unknown call gets six `hex` arguments
 * and the name the emulator gave it (or `syscall_N`).
 *
 * @example
 * ```ts
 * import { syscallSpec } from "./_riscv_syscalls.ts";
 * console.log(syscallSpec(64).name, syscallSpec(999).name); // write syscall_999
 * console.log(syscallSpec(999, "frob").args.length); // 6
 * ```
 */
export function syscallSpec(num: number, fallbackName?: string): SyscallSpec {
  const known = SYSCALLS.get(num);
  if (known) return known;
  return {
    num,
    name: fallbackName ?? `syscall_${num}`,
    args: ["a0", "a1", "a2", "a3", "a4", "a5"].map((name) => ({
      name,
      kind: "hex" as const,
    })),
    ret: "dec",
  };
}
