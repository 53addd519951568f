/**
 * `syscalls`: a QPP provider that decodes riscv64 Linux system calls, the
 * plugin the QPP RFC proposed for other plugins to build on (`strace` and
 * `files` do). It prints nothing itself.
 *
 * Callbacks ({@link SyscallsEvents}), built only when some consumer listens:
 * - `on_syscall_enter`: `{ num, name, args, pc, icount }`, each argument
 *   `{ name, kind, raw, text, str?, bytes?, omit? }` with strings and input
 *   buffers read from guest memory at entry;
 * - `on_syscall_return`: the entry plus `ret`, `retText` (strace's
 *   rendering: `3`, `-1 ENOENT (No such file or directory)`, `0x5000` for
 *   brk/mmap) and `errno`, with output buffers (read, readlinkat,
 *   getdents64, fstat, clock_gettime, ...) read at return, at most 32 bytes
 *   as strace's default `-s 32`.
 *
 * `exit` and `exit_group` never return: consumers only see their entry.
 *
 * Functions ({@link SyscallsApi}): `stats()` (calls and errors per system
 * call, in first-call order), `name(num)`, `errnoName(code)`.
 *
 * @module
 */

import { definePlugin, type PluginDefinition } from "../runtime/sdk/mod.ts";
import { syscallSpec } from "./_riscv_syscalls.ts";
import { errnoName } from "./_strace_format.ts";
import {
  decodeEntry,
  decodeReturn,
  type SyscallEntry,
  type SyscallReturn,
} from "./_syscall_decode.ts";

export type {
  SyscallArg,
  SyscallEntry,
  SyscallReturn,
} from "./_syscall_decode.ts";
export type { ArgKind } from "./_riscv_syscalls.ts";

/**
 * Per-system-call statistics, as `stats()` returns them.
 *
 * @example
 * ```ts
 * import type { SyscallStat } from "./syscalls.ts";
 * const s: SyscallStat = { num: 63, name: "read", calls: 3, errors: 1 };
 * console.log(s.calls - s.errors); // 2
 * ```
 */
export interface SyscallStat {
  /** riscv64 number. */
  num: number;
  /** Name. */
  name: string;
  /** Calls entered. */
  calls: number;
  /** Calls that returned -errno. */
  errors: number;
}

/**
 * The functions `syscalls` exports (import with
 * `ctx.qpp.import<SyscallsApi>("syscalls", "^1.2")`).
 *
 * @example
 * ```ts ignore
 * const sys = ctx.qpp.importSync<SyscallsApi>("syscalls", "^1.2");
 * ctx.onAtExit(() => ctx.log(`${sys.name(56)}: ${sys.errnoName(2)}\n`)); // openat: ENOENT
 * ```
 */
export interface SyscallsApi {
  /** Calls and errors per system call, in order of first call. */
  stats(): SyscallStat[];
  /** The name of system call `num` (`syscall_N` if unknown). */
  name(num: number): string;
  /** The symbolic name of errno `code` (positive): `ENOENT`. */
  errnoName(code: number): string;
}

/**
 * The callbacks `syscalls` runs, by event name.
 *
 * @example
 * ```ts ignore
 * ctx.qpp.on<SyscallsEvents, "on_syscall_return">("syscalls", "on_syscall_return", (e) => {
 *   if (e.errno) ctx.log(`${e.name} failed: ${e.errno}\n`);
 * });
 * ```
 */
export interface SyscallsEvents {
  /** A system call is entered. */
  on_syscall_enter: SyscallEntry;
  /** A system call returned (never for exit and exit_group). */
  on_syscall_return: SyscallReturn;
}

/**
 * The `syscalls` plugin definition.
 *
 * @example
 * ```ts ignore
 * // deno task run --plugin strace ./tests/guests/bin/hello.elf  (loads syscalls on its own)
 * import syscalls from "./syscalls.ts";
 * console.log(syscalls.name, syscalls.version); // syscalls 1.2.0
 * ```
 */
export default definePlugin({
  name: "syscalls",
  version: "1.2.0",
  api: "^1.0",
  description: "decodes Linux system calls for other plugins (QPP provider)",
  args: {},
  install(ctx) {
    const stats = new Map<number, SyscallStat>();
    const hostNames = new Map<number, string>();
    const events = ctx.qpp.callbacks<SyscallsEvents>();
    // One vCPU: at most one call is in flight between entry and return.
    let pending: SyscallEntry | undefined;

    ctx.qpp.export<SyscallsApi>({
      stats: () => [...stats.values()].map((s) => ({ ...s })),
      name: (num) => syscallSpec(num, hostNames.get(num)).name,
      errnoName: (code) => errnoName(code),
    });

    ctx.onSyscall((e) => {
      hostNames.set(e.num, e.name);
      const name = syscallSpec(e.num, e.name).name;
      let s = stats.get(e.num);
      if (!s) stats.set(e.num, s = { num: e.num, name, calls: 0, errors: 0 });
      s.calls++;
      const wantEnter = events.wanted("on_syscall_enter");
      const wantReturn = events.wanted("on_syscall_return");
      if (!wantEnter && !wantReturn) return;
      const entry = decodeEntry(e.num, e.args, e.pc, e.icount, ctx, e.name);
      pending = wantReturn ? entry : undefined;
      if (wantEnter) events.run("on_syscall_enter", entry);
    });

    ctx.onSyscallReturn((e) => {
      if (e.ret < 0n && e.ret >= -4095n) {
        const s = stats.get(e.num);
        if (s) s.errors++;
      }
      if (!pending || pending.num !== e.num) return;
      const entry = pending;
      pending = undefined;
      events.run("on_syscall_return", decodeReturn(entry, e.ret, ctx));
    });
  },
}) as PluginDefinition;
