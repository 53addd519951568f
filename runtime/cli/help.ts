/**
 * `pandeno --help`, generated from the option table so that every option
 * is listed, in its group.
 *
 * @module
 */

import { GROUPS, type OptionDef, OPTIONS } from "./options.ts";

const GROUP_TITLES: Record<typeof GROUPS[number], string> = {
  Guest: "The guest program",
  Files: "What the guest sees of the host file system",
  Plugins: "Plugins (each runs in its own sandboxed Worker)",
  Output: "Output",
  Pandeno: "Pandeno itself",
};

/**
 * Wraps `text` to `width` columns, every line indented by `indent`.
 *
 * @example
 * ```ts
 * import { wrap } from "./help.ts";
 * console.log(wrap("a b c", 3, "  ")); // "  a\n  b\n  c"
 * ```
 */
export function wrap(text: string, width: number, indent: string): string {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (line && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(indent + line);
  return lines.join("\n");
}

function optionLine(def: OptionDef): string {
  const head = "  " + def.names.join(", ") +
    (def.value ? ` ${def.value}` : "");
  const body = wrap(def.help, 79, " ".repeat(22));
  return head.length < 22
    ? head.padEnd(22) + body.trimStart()
    : `${head}\n${body}`;
}

/**
 * The text of `--help`: usage, then every option of `table` by group.
 *
 * @example
 * ```ts
 * import { helpText } from "./help.ts";
 * console.log(helpText().includes("--allow-plugin")); // true
 * ```
 */
export function helpText(table: readonly OptionDef[] = OPTIONS): string {
  let out =
    `pandeno: run a RISC-V (RV64GC) Linux program, optionally instrumented.

Usage: pandeno [options] PROGRAM [ARGS...]
       pandeno plugins              list the in-tree plugins and their arguments
       pandeno new-plugin DIR       create a plugin folder with a test

PROGRAM is a riscv64 Linux ELF: static, static-pie, or dynamically linked (then
give its sysroot with -L or QEMU_LD_PREFIX); relative paths are relative to
your folder. Its stdout and stderr are the program's own;
pandeno exits with the program's exit status, or 128+N if signal N killed it
(SIGSEGV 139, SIGILL 132, SIGFPE 136). Options come before PROGRAM; everything
after it goes to the guest.
`;
  for (const group of GROUPS) {
    const rows = table.filter((d) => d.group === group);
    if (rows.length === 0) continue;
    out += `\n${GROUP_TITLES[group]}:\n`;
    for (const d of rows) out += optionLine(d) + "\n";
  }
  out += `
The guest sees the host file system only through mapped directories; any other
path gives ENOENT. Its working directory (and $PWD) is the folder you ran
pandeno from. It gets your environment, changed by -E and -U; what npx and
deno task add to it (npm_* variables, INIT_CWD, ...) is removed first.

Examples:
  pandeno ./hello.elf
  pandeno -E LANG=C -U HOME ./prog.elf --its-own-flag
  pandeno --ro --map /data:/mnt/data:ro ./prog.elf /mnt/data/input
  pandeno --plugin insn ./prog.elf
  pandeno --plugin drcov,filename=prog.drcov ./prog.elf
  pandeno -D plugins.log --plugin hotblocks --plugin mem,inline=on ./prog.elf
`;
  return out;
}
