/**
 * The `report` plugin's page: one self-contained HTML file (inline style
 * and script, a Content-Security-Policy that forbids any network access)
 * whose script builds the tables from the JSON data embedded in it, with
 * `textContent` only, so guest-controlled names cannot inject markup.
 *
 * @module
 */

/** The data the page shows. */
export interface ReportData {
  /** Program path. */
  program: string;
  /** Guest instructions executed. */
  insns: number;
  /** Coverage per function: bytes of its code executed, of its size. */
  functions: {
    name: string;
    addr: number;
    size: number;
    covered: number;
    self: number;
  }[];
  /** Functions with a symbol that never ran. */
  neverRan: number;
  /** Most executed blocks. */
  hotBlocks: {
    start: number;
    size: number;
    insns: number;
    count: number;
    fn: string;
  }[];
  /** System calls by name. */
  syscalls: { name: string; count: number; errors: number }[];
}

const SCRIPT = `
const d = JSON.parse(document.getElementById("data").textContent);
const hex = (n) => "0x" + n.toString(16);
const pct = (a, b) => b ? (100 * a / b).toFixed(1) + "%" : "-";
function table(id, head, rows) {
  const t = document.getElementById(id);
  const tr = t.createTHead().insertRow();
  for (const h of head) { const th = document.createElement("th"); th.textContent = h; tr.appendChild(th); }
  const body = t.createTBody();
  for (const r of rows) {
    const row = body.insertRow();
    for (const c of r) row.insertCell().textContent = String(c);
  }
}
document.getElementById("summary").textContent =
  d.program + ": " + d.insns + " guest instructions, " + d.functions.length +
  " functions ran, " + d.neverRan + " never ran, " +
  d.syscalls.reduce((a, s) => a + s.count, 0) + " system calls";
table("hot-functions", ["function", "self instructions", "share"],
  [...d.functions].sort((a, b) => b.self - a.self).slice(0, 25)
    .map((f) => [f.name, f.self, pct(f.self, d.insns)]));
table("hot-blocks", ["block", "function", "size", "instructions", "executions", "share"],
  d.hotBlocks.map((b) => [hex(b.start), b.fn, b.size, b.insns, b.count, pct(b.insns * b.count, d.insns)]));
table("coverage", ["function", "address", "size", "bytes run", "coverage"],
  d.functions.map((f) => [f.name, hex(f.addr), f.size, f.covered, pct(f.covered, f.size)]));
table("syscalls", ["system call", "calls", "errors"],
  d.syscalls.map((s) => [s.name, s.count, s.errors]));
document.body.dataset.rendered = "yes";
`;

/**
 * Renders `data` as the report page.
 *
 * @example
 * ```ts
 * import { reportHtml } from "./_report_html.ts";
 * const html = reportHtml({ program: "a<b>", insns: 1, functions: [], neverRan: 0, hotBlocks: [], syscalls: [] });
 * console.log(html.includes("a<b>")); // false: "<" is escaped in the data
 * ```
 */
export function reportHtml(data: ReportData): string {
  // "<" escaped so no name can close the script element.
  const json = JSON.stringify(data).replaceAll("<", "\\u003c");
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<title>Pandeno report</title>
<style>
body { font: 14px system-ui, sans-serif; margin: 2em; color: #222; }
h1 { font-size: 1.4em; } h2 { font-size: 1.1em; margin-top: 2em; }
table { border-collapse: collapse; } td, th { padding: 2px 10px; text-align: right; }
td:first-child, th:first-child { text-align: left; font-family: monospace; }
tr:nth-child(even) { background: #f3f3f3; }
</style></head>
<body>
<h1>Pandeno report</h1>
<p id="summary">This page needs JavaScript to draw its tables.</p>
<h2>Hottest functions</h2><table id="hot-functions"></table>
<h2>Hottest blocks</h2><table id="hot-blocks"></table>
<h2>System calls</h2><table id="syscalls"></table>
<h2>Coverage per function</h2><table id="coverage"></table>
<script type="application/json" id="data">${json}</script>
<script>${SCRIPT}</script>
</body></html>
`;
}
