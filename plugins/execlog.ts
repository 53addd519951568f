/**
 * Execution log, a port of QEMU 7.2's `contrib/plugins/execlog.c`: one
 * line per executed instruction, in execution order, with its memory
 * accesses appended:
 * ```text
 * 0, 0x1057a, 0x6582, "ld a1,0(sp)", load, 0x4000800e40
 * ```
 * (vCPU, pc, opcode, disassembly, then `, load|store, 0x<vaddr>` per
 * access). Differences from QEMU's text: the disassembly is Pandeno's
 * objdump style (QEMU's prints the raw bytes and pads the columns), and a
 * compressed instruction's opcode is its 16 bits (QEMU 7.2 reads 32 bits,
 * the upper half being whatever followed in its buffer).
 *
 * Arguments:
 * - `ifilter=PREFIX`: log only instructions whose disassembly starts with
 *   PREFIX (and the memory accesses of the instruction that follows, as
 *   QEMU's filter "latches"). Several prefixes: `ifilter=ld|sd`.
 * - `afilter=HEXADDR`: log only the instruction at that address
 *   (`0x` optional); several: `afilter=1056c|10570`.
 * - `reg=NAME`: also report when an integer register changes, as QEMU 9's
 *   execlog does: `, a0 -> 0x0000000000000001` on the line of the
 *   instruction that changed it. Several: `reg=a0|sp`; `reg=*` for all.
 *
 * @module
 */

import {
  definePlugin,
  type ExecEvent,
  type PluginDefinition,
} from "../runtime/sdk/mod.ts";
import { hex } from "./_util.ts";
import { ABI_NAMES as ABI } from "./_riscv_control.ts";

/** Splits a `|`-separated argument value, dropping empty parts. */
function list(v: string): string[] {
  return v.split("|").filter((s) => s.length > 0);
}

/**
 * The `execlog` plugin definition.
 *
 * @example
 * ```ts ignore
 * // deno task run --plugin execlog,ifilter=ecall ./tests/guests/bin/hello.elf
 * import execlog from "./execlog.ts";
 * console.log(execlog.name); // "execlog"
 * ```
 */
export default definePlugin({
  name: "execlog",
  version: "1.0.0",
  api: "^1.0",
  description:
    "logs every executed instruction with its memory accesses (QEMU's execlog)",
  args: {
    ifilter: {
      type: "string",
      doc:
        "log only instructions whose disassembly starts with one of these prefixes (ld|sd)",
    },
    afilter: {
      type: "string",
      doc: "log only the instructions at these hex addresses (1056c|10570)",
    },
    reg: {
      type: "string",
      doc:
        "also report changes of these integer registers (a0|sp, or * for all)",
    },
  },
  install(ctx, args) {
    const imatches = args.has("ifilter")
      ? list(args.string("ifilter", ""))
      : undefined;
    const amatches = args.has("afilter")
      ? list(args.string("afilter", "")).map((a) => {
        const v = parseInt(a.replace(/^0x/i, ""), 16);
        if (!Number.isSafeInteger(v)) {
          throw new TypeError(
            `plugin "execlog": afilter=${a} is not a hex address`,
          );
        }
        return v;
      })
      : undefined;
    const wanted = args.has("reg") ? list(args.string("reg", "")) : [];
    const regs = wanted.includes("*")
      ? ABI.slice(1)
      : ABI.filter((r) => wanted.includes(r));
    const unknownReg = wanted.find((r) => r !== "*" && !ABI.includes(r));
    if (unknownReg) {
      throw new TypeError(
        `plugin "execlog": reg=${unknownReg} is not an integer register (use ABI names: a0, sp, ...)`,
      );
    }
    const last = new Map<string, bigint>();
    let line = "";

    const checkRegs = (e: ExecEvent) => {
      for (const r of regs) {
        const v = e.reg(r);
        const prev = last.get(r);
        if (prev !== undefined && prev !== v) {
          line += `, ${r} -> 0x${hex(v, 16)}`;
        }
        last.set(r, v);
      }
    };
    const flush = () => {
      if (line) ctx.log(line + "\n");
      line = "";
    };

    ctx.onTbTrans((tb) => {
      let skip = imatches !== undefined || amatches !== undefined;
      for (const insn of tb.insns) {
        if (
          skip && imatches && imatches.some((m) => insn.disas.startsWith(m))
        ) skip = false;
        if (skip && amatches && amatches.includes(insn.vaddr)) skip = false;
        if (skip) continue;
        let opcode = 0;
        insn.bytes.forEach((b, k) => opcode += b * 2 ** (8 * k));
        const text = `0x${hex(insn.vaddr)}, 0x${hex(opcode)}, "${insn.disas}"`;
        insn.onMem((m) => {
          line += `${m.isStore ? ", store" : ", load"}, 0x${hex(m.addr, 8)}`;
        });
        insn.onExec((e) => {
          if (regs.length) checkRegs(e);
          flush();
          line = `${e.vcpu}, ${text}`;
        }, regs.length ? { regs } : undefined);
        skip = imatches !== undefined || amatches !== undefined;
      }
    });

    ctx.onAtExit(flush);
  },
}) as PluginDefinition;
