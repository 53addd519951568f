/**
 * Which riscv64 system calls the Linux layer implements, generated from the
 * syscall table and the kernel's handler table so the documentation cannot
 * drift: `deno task syscalls` writes docs/syscalls.md from
 * {@link coverageMarkdown}, and a test fails when the committed file is
 * stale.
 *
 * @module
 */

import { implementedSyscalls } from "./kernel.ts";
import { syscallName } from "./sysnums.ts";

/** How Pandeno answers one system call. */
export type CoverageStatus = "implemented" | "enosys-by-design" | "missing";

/** One row of the coverage table. */
export interface CoverageRow {
  /** riscv64 syscall number. */
  nr: number;
  /** Its name in include/uapi/asm-generic/unistd.h. */
  name: string;
  /** What Pandeno does with it. */
  status: CoverageStatus;
  /** Why, for calls answered ENOSYS on purpose. */
  note?: string;
}

const HOST_ADMIN = "administers the host, not the process";
const NO_NAMESPACES = "namespaces and mount trees are the host's";

/**
 * Calls answered ENOSYS on purpose, with the reason. A handler may exist
 * and still answer ENOSYS by design (set_robust_list, as qemu-riscv64 does).
 */
const BY_DESIGN: Readonly<Record<string, string>> = {
  set_robust_list:
    "qemu-riscv64 answers ENOSYS too; glibc then takes the same path",
  kexec_load: HOST_ADMIN,
  kexec_file_load: HOST_ADMIN,
  init_module: HOST_ADMIN,
  finit_module: HOST_ADMIN,
  delete_module: HOST_ADMIN,
  reboot: HOST_ADMIN,
  swapon: HOST_ADMIN,
  swapoff: HOST_ADMIN,
  acct: HOST_ADMIN,
  quotactl: HOST_ADMIN,
  quotactl_fd: HOST_ADMIN,
  syslog: HOST_ADMIN,
  settimeofday: HOST_ADMIN,
  clock_settime: HOST_ADMIN,
  adjtimex: HOST_ADMIN,
  clock_adjtime: HOST_ADMIN,
  sethostname: HOST_ADMIN,
  setdomainname: HOST_ADMIN,
  nfsservctl: "removed from Linux",
  lookup_dcookie: "removed from Linux",
  vhangup: HOST_ADMIN,
  mount: NO_NAMESPACES,
  umount2: NO_NAMESPACES,
  pivot_root: NO_NAMESPACES,
  chroot: NO_NAMESPACES,
  unshare: NO_NAMESPACES,
  setns: NO_NAMESPACES,
  open_tree: NO_NAMESPACES,
  move_mount: NO_NAMESPACES,
  fsopen: NO_NAMESPACES,
  fsconfig: NO_NAMESPACES,
  fsmount: NO_NAMESPACES,
  fspick: NO_NAMESPACES,
  mount_setattr: NO_NAMESPACES,
  statmount: NO_NAMESPACES,
  listmount: NO_NAMESPACES,
  name_to_handle_at: "file handles would name host files outside the mappings",
  open_by_handle_at: "file handles would name host files outside the mappings",
  ptrace: "one emulated process has no tracer; use plugins to observe",
  bpf: "host kernel programs",
  perf_event_open: "host performance counters; use plugins to count",
  kcmp: "compares host kernel objects",
  process_vm_readv: "reads another process's memory",
  process_vm_writev: "writes another process's memory",
  fanotify_init: "watches host file systems",
  fanotify_mark: "watches host file systems",
  userfaultfd: "the emulator owns page faults",
  io_uring_setup: "asynchronous host I/O rings",
  io_uring_enter: "asynchronous host I/O rings",
  io_uring_register: "asynchronous host I/O rings",
  landlock_create_ruleset: "the sandbox is Pandeno's mappings",
  landlock_add_rule: "the sandbox is Pandeno's mappings",
  landlock_restrict_self: "the sandbox is Pandeno's mappings",
  lsm_get_self_attr: "host security modules",
  lsm_set_self_attr: "host security modules",
  lsm_list_modules: "host security modules",
  pkey_mprotect: "RISC-V has no memory protection keys",
  pkey_alloc: "RISC-V has no memory protection keys",
  pkey_free: "RISC-V has no memory protection keys",
  map_shadow_stack: "no shadow stacks on RV64GC",
  memfd_secret: "secret memory needs the host kernel's direct map",
};

/** The highest syscall number in the table, plus one. */
const NR_LIMIT = 512;

/**
 * Every named riscv64 syscall with its status, by number.
 *
 * @example
 * ```ts
 * import { syscallCoverage } from "./syscall_coverage.ts";
 * const write = syscallCoverage().find((r) => r.name === "write");
 * console.log(write?.status); // "implemented"
 * ```
 */
export function syscallCoverage(): CoverageRow[] {
  const handled = new Set(implementedSyscalls());
  const rows: CoverageRow[] = [];
  for (let nr = 0; nr < NR_LIMIT; nr++) {
    const name = syscallName(nr);
    if (name === undefined) continue;
    const note = BY_DESIGN[name];
    const status: CoverageStatus = note !== undefined
      ? "enosys-by-design"
      : handled.has(nr)
      ? "implemented"
      : "missing";
    rows.push(note ? { nr, name, status, note } : { nr, name, status });
  }
  return rows;
}

/**
 * docs/syscalls.md: counts, then one table row per syscall.
 *
 * @example
 * ```ts
 * import { coverageMarkdown } from "./syscall_coverage.ts";
 * console.log(coverageMarkdown().startsWith("# System call coverage")); // true
 * ```
 */
export function coverageMarkdown(): string {
  const rows = syscallCoverage();
  const count = (s: CoverageStatus) =>
    rows.filter((r) => r.status === s).length;
  const label: Record<CoverageStatus, string> = {
    "implemented": "implemented",
    "enosys-by-design": "ENOSYS by design",
    "missing": "missing (ENOSYS)",
  };
  return [
    "# System call coverage",
    "",
    "Generated by `deno task syscalls` from the riscv64 syscall table",
    "(`core/linux/sysnums.ts`) and the kernel's handlers; do not edit by hand.",
    "A test fails when this file is stale.",
    "",
    `- implemented: ${count("implemented")}`,
    `- ENOSYS by design: ${count("enosys-by-design")}`,
    `- missing (answered ENOSYS, reported once unless --quiet-enosys): ${
      count("missing")
    }`,
    "",
    "| nr | name | status | note |",
    "| --: | --- | --- | --- |",
    ...rows.map((r) =>
      `| ${r.nr} | \`${r.name}\` | ${label[r.status]} | ${r.note ?? ""} |`
    ),
    "",
  ].join("\n");
}
