/**
 * The text of the generated /proc and /sys files, in Linux's formats
 * (Documentation/filesystems/proc.rst). Per-process files read the
 * process's own state; machine-wide ones describe the emulated machine on
 * this host (its CPU count and memory, which Deno reports without
 * `--allow-all`, unlike the host's own /proc files).
 *
 * @module
 */

import type { Kernel } from "./kernel.ts";
import { PAGE_SIZE } from "../layout.ts";
import { STACK_SIZE, STACK_TOP } from "./stack.ts";
import { creds } from "./identity.ts";
import { CLOCK } from "./clock.ts";

/**
 * Host CPUs, as qemu-riscv64 shows them (it passes the host's files).
 *
 * @example
 * ```ts
 * import { cpuCount } from "./proc_files.ts";
 * console.log(cpuCount() >= 1); // true
 * ```
 */
export function cpuCount(): number {
  const n = globalThis.navigator?.hardwareConcurrency;
  return Number.isInteger(n) && n > 0 ? n : 1;
}

/**
 * `0` or `0-N`: /sys/devices/system/cpu/{online,possible}.
 *
 * @example
 * ```ts
 * import { cpuList } from "./proc_files.ts";
 * console.log(/^0(-\d+)?\n$/.test(cpuList())); // true
 * ```
 */
export function cpuList(): string {
  const n = cpuCount();
  return n === 1 ? "0\n" : `0-${n - 1}\n`;
}

/**
 * /proc/cpuinfo as riscv64 Linux prints it (arch/riscv/kernel/cpu.c).
 *
 * @example
 * ```ts
 * import { cpuinfo } from "./proc_files.ts";
 * console.log(cpuinfo().startsWith("processor\t: 0\n")); // true
 * ```
 */
export function cpuinfo(): string {
  let s = "";
  for (let i = 0; i < cpuCount(); i++) {
    s += `processor\t: ${i}\nhart\t\t: ${i}\nisa\t\t: rv64imafdc\n` +
      `mmu\t\t: sv48\nuarch\t\t: pandeno,rv64gc\n\n`;
  }
  return s;
}

/**
 * /proc/meminfo from the host's memory figures (kB).
 *
 * @example
 * ```ts
 * import { meminfo } from "./proc_files.ts";
 * console.log(meminfo().startsWith("MemTotal:")); // true
 * ```
 */
export function meminfo(): string {
  let m = { total: 0, free: 0, available: 0, buffers: 0, cached: 0 };
  let swap = { swapTotal: 0, swapFree: 0 };
  try {
    const i = Deno.systemMemoryInfo();
    m = i;
    swap = i;
  } catch { /* no --allow-sys: zeros */ }
  const kb = (n: number) => `${String(Math.floor(n / 1024)).padStart(8)} kB`;
  return [
    ["MemTotal", m.total],
    ["MemFree", m.free],
    ["MemAvailable", m.available],
    ["Buffers", m.buffers],
    ["Cached", m.cached],
    ["SwapTotal", swap.swapTotal],
    ["SwapFree", swap.swapFree],
  ].map(([k, v]) => `${(k + ":").padEnd(16)}${kb(v as number)}\n`).join("");
}

/**
 * /proc/stat with the CPU lines and boot time (counters are zero).
 *
 * @example
 * ```ts
 * import { procStat } from "./proc_files.ts";
 * import { testProc } from "./_test_util.ts";
 * console.log(procStat(testProc().k).startsWith("cpu ")); // true
 * ```
 */
export function procStat(k: Kernel): string {
  const zeros = " 0 0 0 0 0 0 0 0 0 0";
  const up = k.clock.now(CLOCK.BOOTTIME)! / 1_000_000_000n;
  const btime = k.clock.now(CLOCK.REALTIME)! / 1_000_000_000n - up;
  let s = `cpu ${zeros}\n`;
  for (let i = 0; i < cpuCount(); i++) s += `cpu${i}${zeros}\n`;
  return s + `intr 0\nctxt 0\nbtime ${btime}\nprocesses 1\n` +
    `procs_running 1\nprocs_blocked 0\nsoftirq 0 0 0 0 0 0 0 0 0 0 0\n`;
}

/** The short command name: argv[0]'s last component, 15 bytes at most. */
function comm(k: Kernel): string {
  const a0 = k.opts.argv[0] ?? k.opts.exe.guestPath;
  return a0.slice(a0.lastIndexOf("/") + 1).slice(0, 15);
}

/**
 * /proc/PID/stat: the 52 fields of `proc_pid_stat`, with those the
 * emulator knows (pid, comm, state, ppid, pgrp, session, num_threads,
 * starttime, vsize, rss, rsslim, startstack) and zeros elsewhere.
 *
 * @example
 * ```ts
 * import { pidStat } from "./proc_files.ts";
 * import { testProc } from "./_test_util.ts";
 * console.log(pidStat(testProc().k, 1).split(" ")[1]); // "(t)"
 * ```
 */
export function pidStat(k: Kernel, ppid: number): string {
  const ticks = k.clock.now(CLOCK.BOOTTIME)! / 10_000_000n; // USER_HZ
  const f: (string | number | bigint)[] = new Array(52).fill(0);
  f[0] = k.pid;
  f[1] = `(${comm(k)})`;
  f[2] = "R";
  f[3] = ppid;
  f[4] = k.pid;
  f[5] = k.pid;
  f[19] = 1; // num_threads
  f[21] = ticks;
  f[22] = k.vm.mappedBytes;
  f[23] = Math.ceil(k.vm.mappedBytes / PAGE_SIZE);
  f[24] = "18446744073709551615";
  f[27] = STACK_TOP - 8;
  return f.join(" ") + "\n";
}

/**
 * /proc/PID/status: the fields programs read (Name, ids, sizes, masks).
 *
 * @example
 * ```ts
 * import { pidStatus } from "./proc_files.ts";
 * import { testProc } from "./_test_util.ts";
 * console.log(pidStatus(testProc().k, 1).split("\n")[0]); // "Name:\tt"
 * ```
 */
export function pidStatus(k: Kernel, ppid: number): string {
  const c = creds(k);
  const kb = (n: number) => `${String(Math.floor(n / 1024)).padStart(8)} kB`;
  const mask = (set: Iterable<number>) => {
    let m = 0n;
    for (const s of set) m |= 1n << BigInt(s - 1);
    return m.toString(16).padStart(16, "0");
  };
  const blocked = BigInt.asUintN(64, k.signals.mask).toString(16)
    .padStart(16, "0");
  return [
    `Name:\t${comm(k)}`,
    `Umask:\t${k.umask.toString(8).padStart(4, "0")}`,
    "State:\tR (running)",
    `Tgid:\t${k.pid}`,
    "Ngid:\t0",
    `Pid:\t${k.pid}`,
    `PPid:\t${ppid}`,
    "TracerPid:\t0",
    `Uid:\t${c.uid.join("\t")}`,
    `Gid:\t${c.gid.join("\t")}`,
    `FDSize:\t${k.fds.limit}`,
    `Groups:\t${c.groups.join(" ")} `,
    `VmPeak:\t${kb(k.vm.mappedBytes)}`,
    `VmSize:\t${kb(k.vm.mappedBytes)}`,
    `VmStk:\t${kb(STACK_SIZE)}`,
    "Threads:\t1",
    `SigPnd:\t${mask(k.signals.pending.keys())}`,
    "ShdPnd:\t0000000000000000",
    `SigBlk:\t${blocked}`,
    `Cpus_allowed_list:\t${cpuList().trim()}`,
    "",
  ].join("\n");
}

/** One line of /proc/PID/maps, padded as Linux pads it (show_vma_header_prefix). */
function mapsLine(
  start: number,
  end: number,
  perm: number,
  name: string,
): string {
  const p = (perm & 1 ? "r" : "-") + (perm & 2 ? "w" : "-") +
    (perm & 4 ? "x" : "-") + "p";
  const head = `${start.toString(16).padStart(8, "0")}-${
    end.toString(16).padStart(8, "0")
  } ${p} 00000000 00:00 0`;
  return name ? head.padEnd(73) + name : head + " ";
}

/**
 * /proc/PID/maps: runs of pages with the same protection, labelled
 * `[heap]` (the brk area) and `[stack]`, the executable's own pages with
 * its guest path.
 *
 * @example
 * ```ts
 * import { pidMaps } from "./proc_files.ts";
 * import { testProc } from "./_test_util.ts";
 * console.log(pidMaps(testProc().k).startsWith("00200000-00210000 rw-p")); // true
 * ```
 */
export function pidMaps(k: Kernel): string {
  const lines: string[] = [];
  const pages = STACK_TOP / PAGE_SIZE;
  const stackLo = STACK_TOP - STACK_SIZE;
  const label = (a: number) =>
    a >= stackLo && a < STACK_TOP
      ? "[stack]"
      : a >= k.brkStart && a < Math.max(k.brk, k.brkStart + 1)
      ? "[heap]"
      : a < k.brkStart
      ? k.opts.exe.guestPath
      : "";
  let start = -1, perm = -1, name = "";
  for (let p = 16; p <= pages; p++) {
    const a = p * PAGE_SIZE;
    const mapped = p < pages && k.vm.mappedIn(a, PAGE_SIZE) > 0;
    const pr = mapped ? k.mem.perm[p] & 7 : -1;
    const nm = mapped ? label(a) : "";
    if (start >= 0 && (pr !== perm || nm !== name)) {
      lines.push(mapsLine(start, a, perm, name));
      start = -1;
    }
    if (mapped && start < 0) {
      start = a;
      perm = pr;
      name = nm;
    }
  }
  return lines.map((l) => l + "\n").join("");
}
