import assert from "node:assert/strict";
import { POLL, readiness } from "./poll.ts";
import { newPipe } from "./pipe_buffer.ts";
import type { Description } from "./fd_table.ts";

const end = (
  pipe: ReturnType<typeof newPipe>,
  e: "r" | "w",
): Description => ({ kind: "pipe", pipe, end: e, flags: 0, refs: 1 });

Deno.test("a pipe's read end is readable with data and hangs up without writers", () => {
  const p = newPipe();
  assert.equal(readiness(end(p, "r")), 0);
  p.chunks.push(new Uint8Array(1));
  p.size = 1;
  assert.equal(readiness(end(p, "r")) & POLL.IN, POLL.IN);
  p.writers = 0;
  assert.equal(readiness(end(p, "r")) & POLL.HUP, POLL.HUP);
});

Deno.test("a pipe's write end is writable with room and errs without readers", () => {
  const p = newPipe();
  assert.equal(readiness(end(p, "w")) & POLL.OUT, POLL.OUT);
  p.size = p.capacity;
  assert.equal(readiness(end(p, "w")), 0);
  p.readers = 0;
  assert.equal(readiness(end(p, "w")) & POLL.ERR, POLL.ERR);
});
