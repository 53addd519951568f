/**
 * `strace`: prints every system call in strace's style, one line each, to
 * the plugin log, built on the `syscalls` provider (QPP):
 * ```text
 * openat(AT_FDCWD, "/etc/passwd", O_RDONLY) = -1 ENOENT (No such file or directory)
 * write(1, "Hello from RISC-V!\n", 19) = 19
 * exit_group(0) = ?
 * ```
 * A line is printed when the call returns (with its outputs); a call that
 * never returns (`exit_group`) is printed at entry with `= ?`. The sequence
 * of names is the one `qemu-riscv64 -strace` prints.
 *
 * Arguments: `summary=on` adds strace `-c`'s idea at exit: calls and errors
 * per system call, from `syscalls`'s `stats()`.
 *
 * @module
 */

import { definePlugin, type PluginDefinition } from "../runtime/sdk/mod.ts";
import { left } from "./_util.ts";
import { straceLine } from "./_syscall_decode.ts";
import type {
  SyscallEntry,
  SyscallReturn,
  SyscallsApi,
  SyscallsEvents,
} from "./syscalls.ts";

/**
 * System calls `strace` reports as data (ctx.report) at most: a report is
 * at most 1 MiB of JSON, and a call takes up to ~250 bytes.
 */
const REPORTED = 4000;

/**
 * The `strace` plugin definition.
 *
 * @example
 * ```ts ignore
 * // deno task run --plugin strace ./tests/guests/bin/hello.elf
 * // stderr: write(1, "Hello from RISC-V!\n", 19) = 19 ...
 * import strace from "./strace.ts";
 * console.log(strace.requires); // { syscalls: "^1.2" }
 * ```
 */
export default definePlugin({
  name: "strace",
  version: "1.0.0",
  api: "^1.0",
  description:
    "prints every system call in strace's style (QPP consumer of syscalls)",
  args: {
    summary: {
      type: "bool",
      default: false,
      doc: "add strace -c's summary of calls and errors at exit",
    },
  },
  requires: { syscalls: "^1.2" },
  install(ctx, args) {
    const summary = args.bool("summary", false);
    const sys = ctx.qpp.importSync<SyscallsApi>("syscalls", "^1.2");
    // The entry whose return has not arrived yet.
    let open: SyscallEntry | undefined;
    // Reported as data at exit (ctx.report), at most REPORTED calls.
    const calls: {
      name: string;
      num: number;
      ret?: number;
      errno?: string;
      icount: number;
      line: string;
    }[] = [];
    const record = (e: SyscallEntry | SyscallReturn, line: string) => {
      if (calls.length >= REPORTED) return;
      const r = "ret" in e
        ? { ret: Number(e.ret), ...(e.errno ? { errno: e.errno } : {}) }
        : {};
      calls.push({ name: e.name, num: e.num, ...r, icount: e.icount, line });
    };
    const print = (e: SyscallEntry | SyscallReturn) => {
      const line = straceLine(e);
      record(e, line);
      ctx.log(line + "\n");
    };
    const unfinished = () => {
      if (open) print(open);
      open = undefined;
    };

    ctx.qpp.on<SyscallsEvents, "on_syscall_enter">(
      "syscalls",
      "on_syscall_enter",
      (e) => {
        unfinished();
        if (e.name === "exit" || e.name === "exit_group") print(e);
        else open = e;
      },
    );
    ctx.qpp.on<SyscallsEvents, "on_syscall_return">(
      "syscalls",
      "on_syscall_return",
      (e) => {
        open = undefined;
        print(e);
      },
    );

    ctx.onAtExit(() => {
      unfinished();
      ctx.report({ syscalls: calls, truncated: calls.length >= REPORTED });
      if (!summary) return;
      let out = "calls  errors syscall\n";
      for (const s of sys.stats().sort((a, b) => b.calls - a.calls)) {
        out += `${left(s.calls, 6)} ${left(s.errors || "", 6)} ${s.name}\n`;
      }
      ctx.log(out);
    });
  },
}) as PluginDefinition;
