/**
 * Instruction class histogram, a port of QEMU 7.2's
 * `contrib/plugins/howvec.c` with a RISC-V class table
 * ({@link RISCV_CLASSES}; QEMU has none for RISC-V and counts every RISC-V
 * instruction individually). Prints, at exit:
 * ```text
 * Instruction Classes:
 * Class: Loads                   	(1246 hits)
 * Class: Unclassified            	counted individually
 * Individual Instructions:
 * Instr: ...                     	(12 hits)	(op=0x00000073/System)
 * ```
 * Classes with no hits are left out unless `verbose=on`. Individual rows
 * (at most 50, most executed first; like QEMU, never the last of the
 * sorted list) are keyed by opcode.
 *
 * Arguments: `inline=on` (inline scoreboard adds instead of batched
 * callbacks), `verbose=on`, `count=<opt>` to count a class's instructions
 * individually and `count=!<opt>` not to count it (opts: load, store,
 * branch, jump, alui, alur, muldiv, atomic, fpldst, fp, csr, sys, unclas).
 *
 * @module
 */

import {
  definePlugin,
  type PluginDefinition,
  type ScoreboardEntry,
} from "../runtime/sdk/mod.ts";
import { hex, left, SlotAllocator, topBy } from "./_util.ts";
import { classIndex, RISCV_CLASSES } from "./_insn_class.ts";

/** Individual rows printed, as QEMU's `limit`. */
const LIMIT = 50;

type CountType = "class" | "individual" | "none";

interface Counter {
  n: number;
  slot?: ScoreboardEntry;
}

interface Individual extends Counter {
  disas: string;
  opcode: number;
  cls: string;
}

/**
 * The `howvec` plugin definition.
 *
 * @example
 * ```ts ignore
 * // deno task run --plugin howvec,count=sys ./tests/guests/bin/hello.elf
 * import howvec from "./howvec.ts";
 * console.log(howvec.name); // "howvec"
 * ```
 */
export default definePlugin({
  name: "howvec",
  version: "1.0.0",
  api: "^1.0",
  description: "instruction mix by class and opcode (QEMU's howvec)",
  args: {
    inline: {
      type: "bool",
      default: false,
      doc: "count with inline scoreboard adds",
    },
    verbose: {
      type: "bool",
      default: false,
      doc: "also list classes with no hits",
    },
    count: {
      type: "string",
      doc:
        "count a class individually (load, store, branch, ...), or !class not at all",
    },
  },
  install(ctx, args) {
    const verbose = args.bool("verbose", false);
    const slots = args.bool("inline", false)
      ? new SlotAllocator(ctx)
      : undefined;
    const what: CountType[] = RISCV_CLASSES.map((_, i) =>
      i === RISCV_CLASSES.length - 1 ? "individual" : "class"
    );
    if (args.has("count")) {
      let value = args.string("count", "");
      const type: CountType = value.startsWith("!") ? "none" : "individual";
      if (type === "none") value = value.slice(1);
      const i = RISCV_CLASSES.findIndex((c) => c.opt === value);
      if (i >= 0) what[i] = type; // QEMU ignores an unknown class silently
    }
    const newCounter = <T extends object>(extra: T): T & Counter => ({
      ...extra,
      n: 0,
      slot: slots?.next(),
    });
    const classCounts = RISCV_CLASSES.map(() => newCounter({}));
    const individuals = new Map<number, Individual>();

    ctx.onTbTrans((tb) => {
      for (const insn of tb.insns) {
        const ci = classIndex(insn.mnemonic);
        let counter: Counter;
        if (what[ci] === "none") continue;
        if (what[ci] === "class") {
          counter = classCounts[ci];
        } else {
          let opcode = 0;
          insn.bytes.forEach((b, k) => opcode += b * 2 ** (8 * k));
          let rec = individuals.get(opcode);
          if (!rec) {
            rec = newCounter({
              disas: insn.disas,
              opcode,
              cls: RISCV_CLASSES[ci].name,
            });
            individuals.set(opcode, rec);
          }
          counter = rec;
        }
        if (counter.slot) insn.inlineAdd(counter.slot, 1);
        else insn.onExec(() => counter.n++);
      }
    });

    ctx.onAtExit(() => {
      const total = (c: Counter) => c.slot && slots ? slots.read(c.slot) : c.n;
      let out = "Instruction Classes:\n";
      RISCV_CLASSES.forEach((c, i) => {
        const name = left(c.name, 24);
        if (what[i] === "class") {
          const n = total(classCounts[i]);
          if (n || verbose) out += `Class: ${name}\t(${n} hits)\n`;
        } else if (what[i] === "individual") {
          out += `Class: ${name}\tcounted individually\n`;
        } else {
          out += `Class: ${name}\tnot counted\n`;
        }
      });
      if (individuals.size > 1) {
        out += "Individual Instructions:\n";
        const sorted = topBy(individuals.values(), total);
        for (const r of sorted.slice(0, Math.min(LIMIT, sorted.length - 1))) {
          out += `Instr: ${left(r.disas, 24)}\t(${total(r)} hits)\t(op=0x${
            hex(r.opcode, 8)
          }/${r.cls})\n`;
        }
      }
      ctx.log(out);
    });
  },
}) as PluginDefinition;
