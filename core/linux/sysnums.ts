/**
 * System call numbers for riscv64 Linux, which uses the asm-generic table
 * (include/uapi/asm-generic/unistd.h) plus the riscv-specific calls from
 * arch/riscv/include/uapi/asm/unistd.h.
 *
 * @module
 */

// "number name" pairs, as in include/uapi/asm-generic/unistd.h.
const TABLE = `
0 io_setup 1 io_destroy 2 io_submit 3 io_cancel 4 io_getevents 5 setxattr
6 lsetxattr 7 fsetxattr 8 getxattr 9 lgetxattr 10 fgetxattr 11 listxattr
12 llistxattr 13 flistxattr 14 removexattr 15 lremovexattr 16 fremovexattr
17 getcwd 18 lookup_dcookie 19 eventfd2 20 epoll_create1 21 epoll_ctl
22 epoll_pwait 23 dup 24 dup3 25 fcntl 26 inotify_init1 27 inotify_add_watch
28 inotify_rm_watch 29 ioctl 30 ioprio_set 31 ioprio_get 32 flock 33 mknodat
34 mkdirat 35 unlinkat 36 symlinkat 37 linkat 38 renameat 39 umount2 40 mount
41 pivot_root 42 nfsservctl 43 statfs 44 fstatfs 45 truncate 46 ftruncate
47 fallocate 48 faccessat 49 chdir 50 fchdir 51 chroot 52 fchmod 53 fchmodat
54 fchownat 55 fchown 56 openat 57 close 58 vhangup 59 pipe2 60 quotactl
61 getdents64 62 lseek 63 read 64 write 65 readv 66 writev 67 pread64
68 pwrite64 69 preadv 70 pwritev 71 sendfile 72 pselect6 73 ppoll 74 signalfd4
75 vmsplice 76 splice 77 tee 78 readlinkat 79 newfstatat 80 fstat 81 sync
82 fsync 83 fdatasync 84 sync_file_range 85 timerfd_create 86 timerfd_settime
87 timerfd_gettime 88 utimensat 89 acct 90 capget 91 capset 92 personality
93 exit 94 exit_group 95 waitid 96 set_tid_address 97 unshare 98 futex
99 set_robust_list 100 get_robust_list 101 nanosleep 102 getitimer
103 setitimer 104 kexec_load 105 init_module 106 delete_module 107 timer_create
108 timer_gettime 109 timer_getoverrun 110 timer_settime 111 timer_delete
112 clock_settime 113 clock_gettime 114 clock_getres 115 clock_nanosleep
116 syslog 117 ptrace 118 sched_setparam 119 sched_setscheduler
120 sched_getscheduler 121 sched_getparam 122 sched_setaffinity
123 sched_getaffinity 124 sched_yield 125 sched_get_priority_max
126 sched_get_priority_min 127 sched_rr_get_interval 128 restart_syscall
129 kill 130 tkill 131 tgkill 132 sigaltstack 133 rt_sigsuspend 134 rt_sigaction
135 rt_sigprocmask 136 rt_sigpending 137 rt_sigtimedwait 138 rt_sigqueueinfo
139 rt_sigreturn 140 setpriority 141 getpriority 142 reboot 143 setregid
144 setgid 145 setreuid 146 setuid 147 setresuid 148 getresuid 149 setresgid
150 getresgid 151 setfsuid 152 setfsgid 153 times 154 setpgid 155 getpgid
156 getsid 157 setsid 158 getgroups 159 setgroups 160 uname 161 sethostname
162 setdomainname 163 getrlimit 164 setrlimit 165 getrusage 166 umask 167 prctl
168 getcpu 169 gettimeofday 170 settimeofday 171 adjtimex 172 getpid
173 getppid 174 getuid 175 geteuid 176 getgid 177 getegid 178 gettid
179 sysinfo 180 mq_open 181 mq_unlink 182 mq_timedsend 183 mq_timedreceive
184 mq_notify 185 mq_getsetattr 186 msgget 187 msgctl 188 msgrcv 189 msgsnd
190 semget 191 semctl 192 semtimedop 193 semop 194 shmget 195 shmctl 196 shmat
197 shmdt 198 socket 199 socketpair 200 bind 201 listen 202 accept 203 connect
204 getsockname 205 getpeername 206 sendto 207 recvfrom 208 setsockopt
209 getsockopt 210 shutdown 211 sendmsg 212 recvmsg 213 readahead 214 brk
215 munmap 216 mremap 217 add_key 218 request_key 219 keyctl 220 clone
221 execve 222 mmap 223 fadvise64 224 swapon 225 swapoff 226 mprotect
227 msync 228 mlock 229 munlock 230 mlockall 231 munlockall 232 mincore
233 madvise 234 remap_file_pages 235 mbind 236 get_mempolicy 237 set_mempolicy
238 migrate_pages 239 move_pages 240 rt_tgsigqueueinfo 241 perf_event_open
242 accept4 243 recvmmsg 258 riscv_hwprobe 259 riscv_flush_icache 260 wait4
261 prlimit64 262 fanotify_init 263 fanotify_mark 264 name_to_handle_at
265 open_by_handle_at 266 clock_adjtime 267 syncfs 268 setns 269 sendmmsg
270 process_vm_readv 271 process_vm_writev 272 kcmp 273 finit_module
274 sched_setattr 275 sched_getattr 276 renameat2 277 seccomp 278 getrandom
279 memfd_create 280 bpf 281 execveat 282 userfaultfd 283 membarrier 284 mlock2
285 copy_file_range 286 preadv2 287 pwritev2 288 pkey_mprotect 289 pkey_alloc
290 pkey_free 291 statx 292 io_pgetevents 293 rseq 294 kexec_file_load
424 pidfd_send_signal 425 io_uring_setup 426 io_uring_enter
427 io_uring_register 428 open_tree 429 move_mount 430 fsopen 431 fsconfig
432 fsmount 433 fspick 434 pidfd_open 435 clone3 436 close_range 437 openat2
438 pidfd_getfd 439 faccessat2 440 process_madvise 441 epoll_pwait2
442 mount_setattr 443 quotactl_fd 444 landlock_create_ruleset
445 landlock_add_rule 446 landlock_restrict_self 447 memfd_secret
448 process_mrelease 449 futex_waitv 450 set_mempolicy_home_node 451 cachestat
452 fchmodat2 453 map_shadow_stack 454 futex_wake 455 futex_wait
456 futex_requeue 457 statmount 458 listmount 459 lsm_get_self_attr
460 lsm_set_self_attr 461 lsm_list_modules 462 mseal
`;

function parse(): { names: Map<number, string>; numbers: Map<string, number> } {
  const names = new Map<number, string>();
  const numbers = new Map<string, number>();
  const words = TABLE.trim().split(/\s+/);
  for (let i = 0; i + 1 < words.length; i += 2) {
    const nr = Number(words[i]);
    names.set(nr, words[i + 1]);
    numbers.set(words[i + 1], nr);
  }
  return { names, numbers };
}

const { names: NAMES, numbers: NUMBERS } = parse();

/**
 * The name of riscv64 system call `nr`, or `undefined` if it has none.
 *
 * @example
 * ```ts
 * import { syscallName } from "./sysnums.ts";
 * console.log(syscallName(64)); // "write"
 * ```
 */
export function syscallName(nr: number): string | undefined {
  return NAMES.get(nr);
}

/**
 * The riscv64 number of the system call called `name`, or `undefined`.
 *
 * @example
 * ```ts
 * import { syscallNumber } from "./sysnums.ts";
 * console.log(syscallNumber("exit_group")); // 94
 * ```
 */
export function syscallNumber(name: string): number | undefined {
  return NUMBERS.get(name);
}

/**
 * Numbers of the system calls the Linux layer handles, by name. Handler
 * tables are keyed by these, so a typo is a compile-time error.
 *
 * @example
 * ```ts
 * import { NR } from "./sysnums.ts";
 * console.log(NR.openat); // 56
 * ```
 */
export const NR = {
  getcwd: 17,
  dup: 23,
  dup3: 24,
  fcntl: 25,
  ioctl: 29,
  mkdirat: 34,
  unlinkat: 35,
  symlinkat: 36,
  linkat: 37,
  utimensat: 88,
  renameat: 38,
  truncate: 45,
  ftruncate: 46,
  faccessat: 48,
  chdir: 49,
  fchdir: 50,
  fchmod: 52,
  fchmodat: 53,
  openat: 56,
  close: 57,
  pipe2: 59,
  getdents64: 61,
  lseek: 62,
  read: 63,
  write: 64,
  readv: 65,
  writev: 66,
  pread64: 67,
  pwrite64: 68,
  readlinkat: 78,
  newfstatat: 79,
  fstat: 80,
  sync: 81,
  fsync: 82,
  fdatasync: 83,
  exit: 93,
  exit_group: 94,
  set_tid_address: 96,
  futex: 98,
  set_robust_list: 99,
  nanosleep: 101,
  clock_gettime: 113,
  clock_getres: 114,
  clock_nanosleep: 115,
  sched_getaffinity: 123,
  sched_yield: 124,
  kill: 129,
  tkill: 130,
  tgkill: 131,
  sigaltstack: 132,
  rt_sigaction: 134,
  rt_sigprocmask: 135,
  rt_sigpending: 136,
  rt_sigreturn: 139,
  times: 153,
  getpgid: 155,
  uname: 160,
  getrlimit: 163,
  setrlimit: 164,
  getrusage: 165,
  umask: 166,
  gettimeofday: 169,
  getpid: 172,
  getppid: 173,
  getuid: 174,
  geteuid: 175,
  getgid: 176,
  getegid: 177,
  gettid: 178,
  sysinfo: 179,
  brk: 214,
  munmap: 215,
  mremap: 216,
  mmap: 222,
  mprotect: 226,
  msync: 227,
  madvise: 233,
  prlimit64: 261,
  renameat2: 276,
  getrandom: 278,
  statx: 291,
  faccessat2: 439,
} as const;
