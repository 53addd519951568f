/**
 * Writes docs/syscalls.md from the syscall table: `deno task syscalls`.
 *
 * @module
 */

import { coverageMarkdown } from "../core/linux/syscall_coverage.ts";

const out = new URL("./syscalls.md", import.meta.url);
Deno.writeTextFileSync(out, coverageMarkdown());
console.log(`wrote ${out.pathname}`);
