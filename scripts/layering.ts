/**
 * The layering check (`deno task check` runs it): reads every import of
 * core/, runtime/ and plugins/ and fails on one that crosses the house's
 * rooms the wrong way (../shared/STYLE.md, runtime_layout):
 *
 * - core/ imports nothing from runtime/ or plugins/;
 * - runtime/host/ and runtime/worker/ never import each other (both may use
 *   runtime/wire/ and runtime/sdk/); wire/ and sdk/ import neither, nor cli/;
 * - plugins/ import only the SDK (runtime/sdk/mod.ts, `pandeno/sdk`) and
 *   their own files;
 * - runtime/ does not import core/isa/ (instruction facts come from core's
 *   seam); it may import its types (`import type`, erased before loading)
 *   and the system-call convention (core/isa/syscall_abi.ts, which decodes
 *   nothing), and nothing listed in {@link KNOWN_CROSSINGS}.
 *
 * Usage: deno run --allow-read scripts/layering.ts [ROOT]
 *
 * @module
 */

import { dirname, join, relative, resolve } from "node:path";

/**
 * Crossings that exist and are being removed: reported, not failed on.
 * Empty since the runtime takes core's instruction facts (issue 11 part 6);
 * keep it that way.
 */
export const KNOWN_CROSSINGS: ReadonlySet<string> = new Set<string>([]);

/** What the runtime may load from core/isa/: data, no decoder. */
const ISA_ALLOWED: ReadonlySet<string> = new Set([
  "core/isa/syscall_abi.ts",
]);

/** One import that crosses the layering the wrong way. */
export interface Crossing {
  /** The importing file, relative to the root. */
  from: string;
  /** The imported file (or specifier), relative to the root. */
  to: string;
  /** The rule it breaks. */
  rule: string;
}

const IMPORT =
  /(?:^|[\s;])(?:import|export)\s*(?:[^"'();]*?\sfrom\s*)?["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

/** One import: its specifier, and whether only types are imported. */
interface Import {
  spec: string;
  typeOnly: boolean;
}

/** The imports of a source file (comment lines skipped). */
function importsOf(text: string): Import[] {
  const code = text.split("\n").filter((l) => {
    const t = l.trimStart();
    return !t.startsWith("*") && !t.startsWith("//") && !t.startsWith("/*");
  }).join("\n");
  return [...code.matchAll(IMPORT)].map((m) => ({
    spec: m[1] ?? m[2],
    typeOnly: /^[\s;]*(?:import|export)\s+type\s/.test(m[0]),
  }));
}

/** The rule `from` importing `to` breaks, if any (paths relative to root). */
function broken(
  from: string,
  to: string,
  typeOnly = false,
): string | undefined {
  const under = (p: string, dir: string) => p.startsWith(dir + "/");
  if (under(from, "core") && (under(to, "runtime") || under(to, "plugins"))) {
    return "core/ imports nothing from runtime/ or plugins/";
  }
  if (under(from, "runtime/host") && under(to, "runtime/worker")) {
    return "host/ never imports worker/ (use wire/)";
  }
  if (under(from, "runtime/worker") && under(to, "runtime/host")) {
    return "worker/ never imports host/ (use wire/)";
  }
  if (
    (under(from, "runtime/wire") || under(from, "runtime/sdk")) &&
    ["host", "worker", "cli"].some((d) => under(to, `runtime/${d}`))
  ) {
    return "wire/ and sdk/ import neither side";
  }
  if (
    under(from, "runtime") && under(to, "core/isa") && !typeOnly &&
    !ISA_ALLOWED.has(to)
  ) {
    return "runtime/ does not decode RISC-V (use core's instruction facts)";
  }
  if (
    under(from, "plugins") && !under(to, "plugins") &&
    to !== "runtime/sdk/mod.ts"
  ) {
    return "plugins/ import only the SDK (runtime/sdk/mod.ts) and their own files";
  }
  return undefined;
}

async function* sources(dir: string): AsyncGenerator<string> {
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(dir));
  } catch {
    return;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory) yield* sources(p);
    else if (/\.(ts|js|mts|mjs)$/.test(e.name)) yield p;
  }
}

/**
 * Every crossing import under `root` (core/, runtime/, plugins/).
 *
 * @example
 * ```ts ignore
 * import { crossings } from "./layering.ts";
 * console.log(await crossings(".")); // []
 * ```
 */
export async function crossings(root: string): Promise<Crossing[]> {
  const out: Crossing[] = [];
  for (const top of ["core", "runtime", "plugins"]) {
    for await (const file of sources(join(root, top))) {
      const from = relative(root, file);
      for (
        const { spec, typeOnly } of importsOf(await Deno.readTextFile(file))
      ) {
        let to: string;
        if (spec.startsWith(".")) {
          to = relative(root, resolve(dirname(file), spec.split("?")[0]));
        } else if (spec === "pandeno/sdk") to = "runtime/sdk/mod.ts";
        else if (/^(node|npm|jsr|https?|data|blob):/.test(spec) || !spec) {
          to = spec;
        } else to = spec;
        if (from.startsWith("plugins/") && /^node:/.test(spec)) {
          out.push({
            from,
            to,
            rule: "plugins/ import only the SDK and their own files",
          });
          continue;
        }
        const rule = broken(from, to, typeOnly);
        if (rule) out.push({ from, to, rule });
      }
    }
  }
  return out;
}

if (import.meta.main) {
  const root = resolve(Deno.args[0] ?? ".");
  const found = await crossings(root);
  let failed = 0;
  for (const c of found) {
    const key = `${c.from} -> ${c.to}`;
    if (KNOWN_CROSSINGS.has(key)) {
      console.error(`layering: known, being removed: ${key}`);
      continue;
    }
    failed++;
    console.error(`layering: ${key}: ${c.rule}`);
  }
  if (failed > 0) Deno.exit(1);
}
