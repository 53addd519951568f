/**
 * docs/syscalls.md is generated from the syscall table; this fails when
 * someone adds or removes a handler without running `deno task syscalls`.
 *
 * @module
 */

import assert from "node:assert/strict";
import { coverageMarkdown } from "../core/linux/syscall_coverage.ts";
import { REPO } from "./_harness.ts";

Deno.test("docs/syscalls.md matches the syscall table (run `deno task syscalls` after changing handlers)", () => {
  const committed = Deno.readTextFileSync(`${REPO}docs/syscalls.md`);
  assert.equal(committed, coverageMarkdown());
});
