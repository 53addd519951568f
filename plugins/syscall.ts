/**
 * System call statistics, a port of QEMU 7.2's `tests/plugin/syscall.c`.
 *
 * By default it prints, at exit, a table sorted by number of calls:
 * ```text
 * syscall no.  calls  errors
 * 214          5      0
 * ```
 * (`%-13d%-6d %d`: number, calls, and returns below zero). With
 * `print=on` it instead prints every call as `syscall #N` and every return
 * as `syscall #N returned -> R`. (QEMU 7.2 means to offer that as a bare
 * `print` argument, but its own option parser turns it into `print=on`,
 * which the plugin then refuses.)
 *
 * @module
 */

import { definePlugin, type PluginDefinition } from "../runtime/sdk/mod.ts";
import { left, topBy } from "./_util.ts";

interface Stats {
  num: number;
  calls: number;
  errors: number;
}

/**
 * The `syscall` plugin definition.
 *
 * @example
 * ```ts ignore
 * // deno task run --plugin syscall,print=on ./tests/guests/bin/hello.elf
 * // stderr: syscall #214
 * //         syscall #214 returned -> 663552 ...
 * import syscall from "./syscall.ts";
 * console.log(syscall.name); // "syscall"
 * ```
 */
export default definePlugin({
  name: "syscall",
  version: "1.0.0",
  api: "^1.0",
  description:
    "system call statistics, or every call with print=on (QEMU's syscall)",
  args: {
    print: {
      type: "bool",
      default: false,
      doc: "print every system call and its result as it happens",
    },
  },
  install(ctx, args) {
    const print = args.bool("print", false);
    const stats = new Map<number, Stats>();
    const entry = (num: number): Stats => {
      let s = stats.get(num);
      if (!s) stats.set(num, s = { num, calls: 0, errors: 0 });
      return s;
    };

    ctx.onSyscall((e) => {
      if (print) ctx.log(`syscall #${e.num}\n`);
      else entry(e.num).calls++;
    });
    ctx.onSyscallReturn((e) => {
      if (print) ctx.log(`syscall #${e.num} returned -> ${e.ret}\n`);
      else if (e.ret < 0n) entry(e.num).errors++;
    });

    ctx.onAtExit(() => {
      if (print) return;
      let out = "syscall no.  calls  errors\n";
      for (const s of topBy(stats.values(), (s) => s.calls)) {
        out += `${left(s.num, 13)}${left(s.calls, 6)} ${s.errors}\n`;
      }
      ctx.log(out);
    });
  },
}) as PluginDefinition;
