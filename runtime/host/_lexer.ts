/**
 * A JavaScript/TypeScript lexer just deep enough to tell code from strings,
 * template literals, comments and regular expressions (the last told from
 * division by the previous token, as tokenizers do; TypeScript's `x!` and
 * generics included). Private to module_imports.ts, which does not rely on
 * it for safety (see there).
 *
 * @module
 */

/** Characters of an ASCII identifier. */
export const ID: RegExp = /[A-Za-z0-9_$]/;

/** Keywords after which a `/` starts a regular expression. */
const BEFORE_EXPR = new Set([
  "return",
  "typeof",
  "instanceof",
  "in",
  "of",
  "new",
  "delete",
  "void",
  "throw",
  "case",
  "do",
  "else",
  "yield",
  "await",
  "extends",
]);
/** Keywords whose `( ... )` is followed by a statement, not an operator. */
const PAREN_STATEMENT = new Set(["if", "while", "for", "with"]);
/** Tokens after which `{` opens a block rather than an object literal. */
const BLOCK_AFTER = new Set([
  ";",
  "{",
  "}",
  ")",
  "=>",
  "else",
  "do",
  "try",
  "finally",
  "",
]);

/** A span of source text: [start, end). */
export interface Range {
  start: number;
  end: number;
}

/** Line number (1-based) of `pos`, for messages. */
export function lineOf(text: string, pos: number): number {
  let n = 1;
  for (let i = 0; i < pos && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) n++;
  }
  return n;
}

/**
 * Lexes `text` enough to tell code from strings, templates, comments and
 * regular expressions. Returns the ranges that are not code, or a message
 * when a literal or comment is unterminated.
 */
export function inertRanges(text: string): { ranges: Range[]; error?: string } {
  const ranges: Range[] = [];
  let i = 0;
  let last = ""; // last significant token ("" at start)
  let lastEndsExpr = false;
  let beforeLast = "";
  const parens: boolean[] = []; // true: the ( follows if/while/for/with
  const braces: ("block" | "expr" | "template")[] = [];
  let closedParenStatement = false;
  let closedBlock = false;
  const n = text.length;
  const fail = (what: string, at: number) => ({
    ranges,
    error: `unterminated ${what} at line ${lineOf(text, at)}`,
  });
  const push = (t: string, endsExpr: boolean) => {
    beforeLast = last;
    last = t;
    lastEndsExpr = endsExpr;
  };
  /** Lexes a template from just after "`" or "}"; returns the end or -1. */
  const template = (from: number): { end: number; expr: boolean } => {
    let j = from;
    while (j < n) {
      const c = text[j];
      if (c === "\\") j += 2;
      else if (c === "`") return { end: j + 1, expr: false };
      else if (c === "$" && text[j + 1] === "{") {
        return { end: j + 2, expr: true };
      } else j++;
    }
    return { end: -1, expr: false };
  };
  if (text.startsWith("#!")) {
    const e = text.indexOf("\n");
    ranges.push({ start: 0, end: e < 0 ? n : e });
    i = e < 0 ? n : e;
  }
  while (i < n) {
    const c = text[i];
    if (c === " " || c === "\t" || c === "\n" || c === "\r" || /\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "/" && text[i + 1] === "/") {
      let e = i + 2;
      while (e < n && text[e] !== "\n" && text[e] !== "\r") e++;
      ranges.push({ start: i, end: e });
      i = e;
      continue;
    }
    if (c === "/" && text[i + 1] === "*") {
      const e = text.indexOf("*/", i + 2);
      if (e < 0) return fail("comment", i);
      ranges.push({ start: i, end: e + 2 });
      i = e + 2;
      continue;
    }
    if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < n && text[j] !== c) {
        if (text[j] === "\\") j++;
        else if (text[j] === "\n") return fail("string", i);
        j++;
      }
      if (j >= n) return fail("string", i);
      ranges.push({ start: i, end: j + 1 });
      i = j + 1;
      push("str", true);
      continue;
    }
    if (c === "`") {
      const t = template(i + 1);
      if (t.end < 0) return fail("template literal", i);
      ranges.push({ start: i, end: t.end });
      i = t.end;
      if (t.expr) {
        braces.push("template");
        push("${", false);
      } else push("tpl", true);
      continue;
    }
    if (c === "/") {
      let regex: boolean;
      if (last === ")") regex = closedParenStatement;
      else if (last === "}") regex = closedBlock;
      else if (/^[A-Za-z_$]/.test(last)) {
        regex = BEFORE_EXPR.has(last) && beforeLast !== ".";
      } else regex = !lastEndsExpr;
      if (regex) {
        let j = i + 1;
        let inClass = false;
        while (j < n) {
          const d = text[j];
          if (d === "\n" || d === "\r") return fail("regular expression", i);
          if (d === "\\") j++;
          else if (d === "[") inClass = true;
          else if (d === "]") inClass = false;
          else if (d === "/" && !inClass) break;
          j++;
        }
        if (j >= n) return fail("regular expression", i);
        j++;
        while (j < n && ID.test(text[j])) j++;
        ranges.push({ start: i, end: j });
        i = j;
        push("re", true);
        continue;
      }
    }
    if (ID.test(c) || c === "\\" || c.charCodeAt(0) > 127) {
      let j = i + 1;
      while (
        j < n &&
        (ID.test(text[j]) || text[j] === "\\" || text.charCodeAt(j) > 127) &&
        !/\s/.test(text[j])
      ) j++;
      const word = text.slice(i, j);
      i = j;
      if (/^[0-9]/.test(word)) {
        // A number; a decimal point or exponent sign may continue it.
        while (i < n && /[0-9A-Za-z_.]/.test(text[i])) i++;
        push("num", true);
      } else {
        const keyword = BEFORE_EXPR.has(word) && last !== ".";
        push(word, !keyword);
      }
      continue;
    }
    // Punctuators.
    if (c === "(") {
      parens.push(PAREN_STATEMENT.has(last) && beforeLast !== ".");
      push("(", false);
      i++;
    } else if (c === ")") {
      closedParenStatement = parens.pop() ?? false;
      push(")", !closedParenStatement);
      i++;
    } else if (c === "{") {
      braces.push(
        BLOCK_AFTER.has(last) || /^[A-Za-z_$]/.test(last) ? "block" : "expr",
      );
      push("{", false);
      i++;
    } else if (c === "}") {
      const kind = braces.pop();
      if (kind === "template") {
        const t = template(i + 1);
        if (t.end < 0) return fail("template literal", i);
        ranges.push({ start: i, end: t.end });
        i = t.end;
        if (t.expr) {
          braces.push("template");
          push("${", false);
        } else push("tpl", true);
        continue;
      }
      closedBlock = kind !== "expr";
      push("}", !closedBlock);
      i++;
    } else if (c === "]") {
      push("]", true);
      i++;
    } else if (c === "." && text[i + 1] === "." && text[i + 2] === ".") {
      push("...", false);
      i += 3;
    } else if (c === "." && !/[0-9]/.test(text[i + 1] ?? "")) {
      push(".", false);
      i++;
    } else if (c === "=" && text[i + 1] === ">") {
      push("=>", false);
      i += 2;
    } else if (c === "!" && lastEndsExpr && text[i + 1] !== "=") {
      push("!", true); // TypeScript's non-null assertion: x!
      i++;
    } else if (
      (c === "+" || c === "-") && text[i + 1] === c && lastEndsExpr
    ) {
      push(c + c, true); // postfix ++ / --
      i += 2;
    } else {
      push(c, false);
      i++;
    }
  }
  return { ranges };
}
