/**
 * Finds the module specifiers in a plugin module's source text, so the host
 * can check every one against the allowlist and rewrite it before Deno's
 * resolver sees the module.
 *
 * Two passes, and the second does not trust the first:
 * - a lexer (strings, templates, comments, regular expressions) says which
 *   `import`/`export` keywords are code; their specifiers are the module's
 *   imports, to be checked and rewritten;
 * - a raw scan looks at EVERY whole word `import`/`export` in the text,
 *   whatever the lexer thought it was. `import(`, `import.` (dynamic
 *   imports, `import.meta.resolve`) are refused anywhere, and a static import
 *   whose specifier would be dangerous if left unrewritten (a bare name,
 *   `node:`, `npm:`, `jsr:`, `data:`, `blob:`...) is refused even inside what
 *   the lexer took for a comment or a string. So a source crafted to make the
 *   lexer lose track (the regular-expression/division ambiguity) can hide
 *   nothing that loads code.
 * Deno's comment directives that name modules (`@ts-types`, `@deno-types`,
 * `@jsxImportSource`, triple-slash references) are refused as well.
 *
 * @module
 */

/** One static import or re-export found in code. */
export interface ModuleImport {
  /** The specifier as written. */
  readonly specifier: string;
  /** Offset of the opening quote of the specifier literal. */
  readonly start: number;
  /** Offset just past the closing quote. */
  readonly end: number;
  /** `import type`/`export type`: erased by the TypeScript transpiler. */
  readonly typeOnly: boolean;
}

/** What {@link moduleImports} found. */
export interface ModuleImports {
  /** Static imports and re-exports in code, in source order. */
  readonly imports: readonly ModuleImport[];
  /** Why the module cannot be loaded (empty when it can). */
  readonly refusals: readonly string[];
}

import { ID, inertRanges, lineOf, type Range } from "./_lexer.ts";

/** Specifiers that are harmless if a static import escaped rewriting. */
const INERT_RE = /^(\.{1,2}\/|https?:\/\/)/;
const DIRECTIVE_RE =
  /@(?:ts-types|deno-types|jsxImportSource|jsxImportSourceTypes|jsxRuntime|jsxFrag|jsx)\b|\/\/\/\s*<reference\b/;

/** Skips white space and comments from `i`; returns the next offset. */
function skipSpace(text: string, i: number): number {
  for (;;) {
    while (i < text.length && /\s/.test(text[i])) i++;
    if (text.startsWith("//", i)) {
      while (i < text.length && text[i] !== "\n" && text[i] !== "\r") i++;
    } else if (text.startsWith("/*", i)) {
      const e = text.indexOf("*/", i + 2);
      i = e < 0 ? text.length : e + 2;
    } else return i;
  }
}

/** A quoted string at `i`: its value and end, or undefined. */
function stringAt(
  text: string,
  i: number,
): { value: string; end: number } | undefined {
  const q = text[i];
  if (q !== "'" && q !== '"') return undefined;
  let j = i + 1;
  let value = "";
  while (j < text.length && text[j] !== q) {
    if (text[j] === "\n") return undefined;
    if (text[j] === "\\") {
      // Escapes in a specifier are a hiding place; keep them as written so
      // the allowlist check sees something that matches nothing.
      value += text.slice(j, j + 2);
      j += 2;
      continue;
    }
    value += text[j++];
  }
  return j < text.length ? { value, end: j + 1 } : undefined;
}

/** An identifier at `i` (ASCII letters, digits, `_`, `$`, escapes, non-ASCII). */
function wordAt(text: string, i: number): string | undefined {
  let j = i;
  while (
    j < text.length &&
    (ID.test(text[j]) || text[j] === "\\" ||
      (text.charCodeAt(j) > 127 && !/\s/.test(text[j])))
  ) j++;
  return j > i && !/[0-9]/.test(text[i]) ? text.slice(i, j) : undefined;
}

/**
 * Reads a static import/export-from declaration whose keyword ends at
 * `from` (the grammar, with comments allowed between tokens). Returns its
 * specifier literal, or undefined when the text there is not one.
 */
function declarationAt(
  text: string,
  from: number,
  keyword: "import" | "export",
):
  | { value: string; start: number; end: number; typeOnly: boolean }
  | undefined {
  let i = skipSpace(text, from);
  let typeOnly = false;
  const direct = keyword === "import" ? stringAt(text, i) : undefined;
  if (direct) return { ...direct, start: i, typeOnly };
  if (text.startsWith("type", i) && !ID.test(text[i + 4] ?? "")) {
    const after = skipSpace(text, i + 4);
    const next = text[after];
    const nextWord = wordAt(text, after);
    if (next === "{" || next === "*") typeOnly = true;
    else if (nextWord !== undefined && nextWord !== "from") typeOnly = true;
    else if (nextWord === "from") {
      const afterFrom = skipSpace(text, after + 4);
      typeOnly = wordAt(text, afterFrom) === "from";
    }
  }
  if (keyword === "export") {
    const k = typeOnly ? skipSpace(text, i + 4) : i;
    if (text[k] !== "{" && text[k] !== "*") return undefined;
  }
  let depth = 0;
  let afterFrom = false;
  for (let steps = 0; steps < 4096 && i < text.length; steps++) {
    i = skipSpace(text, i);
    const c = text[i];
    if (c === "{") depth++;
    else if (c === "}") {
      if (--depth < 0) return undefined;
    } else if (c === "," || c === "*") {
      // part of the clause
    } else if (c === "'" || c === '"') {
      const s = stringAt(text, i);
      if (!s) return undefined;
      if (depth === 0) {
        return afterFrom ? { ...s, start: i, typeOnly } : undefined;
      }
      i = s.end;
      afterFrom = false;
      continue;
    } else {
      const w = wordAt(text, i);
      if (w === undefined) return undefined;
      afterFrom = depth === 0 && w === "from";
      i += w.length;
      continue;
    }
    afterFrom = false;
    i++;
  }
  return undefined;
}

function isInert(ranges: Range[], pos: number): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = ranges[mid];
    if (pos < r.start) hi = mid - 1;
    else if (pos >= r.end) lo = mid + 1;
    else return true;
  }
  return false;
}

/** `import` at `pos` right after a member dot (`ctx.qpp.import(...)`). */
function afterMemberDot(text: string, pos: number): boolean {
  return text[pos - 1] === "." && text[pos - 2] !== "." &&
    !/[0-9]/.test(text[pos - 2] ?? "");
}

/**
 * The static imports and re-exports of a module's source, and the reasons it
 * cannot be loaded: a dynamic `import()`, `import.meta`, an `import` that is
 * not a declaration (`import x = require(...)`), a module-naming comment
 * directive, an unterminated literal, or a dangerous specifier hidden where
 * the lexer saw no code.
 *
 * @example
 * ```ts
 * import { moduleImports } from "./module_imports.ts";
 * const r = moduleImports(`import { a } from "./a.ts";\nconst fs = await import("node:fs");`);
 * console.log(r.imports.map((i) => i.specifier)); // ["./a.ts"]
 * console.log(r.refusals.length); // 1
 * ```
 */
export function moduleImports(text: string): ModuleImports {
  const imports: ModuleImport[] = [];
  const refusals: string[] = [];
  const { ranges, error } = inertRanges(text);
  if (error) refusals.push(`it cannot be read as a module (${error})`);
  const directive = DIRECTIVE_RE.exec(text);
  if (directive) {
    refusals.push(
      `line ${lineOf(text, directive.index)}: the directive "${
        directive[0]
      }" names a module; plugins may not use module directives`,
    );
  }
  const words = /import|export/g;
  for (const m of text.matchAll(words)) {
    const pos = m.index;
    const word = m[0] as "import" | "export";
    const end = pos + word.length;
    if (pos > 0 && ID.test(text[pos - 1])) continue;
    if (end < text.length && (ID.test(text[end]) || text[end] === "\\")) {
      continue;
    }
    const inert = error ? false : isInert(ranges, pos);
    const next = text[skipSpace(text, end)];
    const line = () => `line ${lineOf(text, pos)}`;
    if (word === "import" && (next === "(" || next === ".")) {
      if (afterMemberDot(text, pos)) continue;
      refusals.push(
        next === "("
          ? `${line()}: dynamic import() is not allowed in plugins; import the SDK and your own files statically`
          : `${line()}: import.meta is not available to plugins`,
      );
      continue;
    }
    const decl = declarationAt(text, end, word);
    if (inert) {
      if (decl && !INERT_RE.test(decl.value) && decl.value !== "pandeno/sdk") {
        refusals.push(
          `${line()}: "${decl.value}" appears in an import statement; plugins may import only the SDK and their own files`,
        );
      }
      continue;
    }
    if (decl) {
      imports.push({
        specifier: decl.value,
        start: decl.start,
        end: decl.end,
        typeOnly: decl.typeOnly,
      });
      continue;
    }
    if (word === "export" || next === ":" || afterMemberDot(text, pos)) {
      continue;
    }
    refusals.push(
      `${line()}: this "import" is not a static import declaration (import x = require() and the like are not allowed in plugins)`,
    );
  }
  return { imports, refusals };
}
