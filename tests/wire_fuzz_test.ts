/**
 * Fuzzing the host's side of the wire: 100,000 random and mutated plugin
 * messages through every host decoder, 100,000 random writes of the shared
 * channel memory under the host's channel, and a plugin sending 100,000
 * random nested calls and board writes while `insn` and `strace` run
 * beside it. Nothing may throw but the errors the host turns into an
 * unload, and the guest and the other plugins must not notice.
 */

import assert from "node:assert/strict";
import {
  Channel,
  ChannelProtocolError,
  ChannelTimeout,
} from "../runtime/wire/channel.ts";
import { validatePlans } from "../runtime/wire/plan.ts";
import {
  checkAnswerArgs,
  validateFilterResult,
  validateReply,
} from "../runtime/wire/replies.ts";
import { guest, REPO } from "./_harness.ts";

function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

const VALID_PLAN = {
  block: { calls: [{ id: 1, access: "read" }] },
  insns: [[0, {
    calls: [{
      id: 2,
      access: "rw",
      cond: { offset: 4096, cmp: "eq", value: "0" },
    }],
    recs: [{ id: 3, regs: ["a0"] }],
    inline: [{ op: "add", offset: 4104, value: "1" }],
  }]],
  mem: [[1, [{ mode: "batched", id: 4, when: "rw" }, {
    mode: "inline",
    when: "r",
    inline: { op: "add", offset: 4112, value: "1" },
  }]]],
  compact: 5,
};

/** A random value, or `base` with one random part replaced. */
function mutate(rnd: () => number, base: unknown, depth = 0): unknown {
  const atoms = [
    0,
    -1,
    1.5,
    NaN,
    2 ** 31,
    2 ** 53,
    1e308,
    "",
    "1.5",
    "x".repeat(50),
    null,
    true,
    {},
    [],
    "9".repeat(25),
    { __proto__: null },
  ];
  if (rnd() < 0.3 || depth > 5) {
    return atoms[Math.floor(rnd() * atoms.length)];
  }
  if (Array.isArray(base)) {
    const out = [...base];
    if (out.length && rnd() < 0.8) {
      const k = Math.floor(rnd() * out.length);
      out[k] = mutate(rnd, out[k], depth + 1);
    } else out.push(mutate(rnd, undefined, depth + 1));
    return out;
  }
  if (base && typeof base === "object") {
    const out: Record<string, unknown> = { ...base };
    const keys = Object.keys(out);
    const k = keys[Math.floor(rnd() * keys.length)] ?? "x";
    out[k] = mutate(rnd, out[k], depth + 1);
    return out;
  }
  return atoms[Math.floor(rnd() * atoms.length)];
}

const limits = {
  scoreStart: 4096,
  scoreEnd: 1 << 20,
  isId: (id: unknown) =>
    Number.isInteger(id) && (id as number) >= 0 && (id as number) < 1 << 20,
  isReg: (n: string) => /^(a[0-7]|x\d+)$/.test(n),
};

Deno.test("100,000 mutated plans, replies, filter results and nested calls never make a decoder throw", () => {
  const rnd = prng(11);
  const kinds = [
    "log",
    "registers",
    "readreg",
    "writereg",
    "setpc",
    "readmem",
    "readstr",
    "writemem",
    "x",
  ];
  let accepted = 0;
  for (let i = 0; i < 100_000; i++) {
    const plans = mutate(rnd, [VALID_PLAN, VALID_PLAN]);
    const v = validatePlans(plans, [2, 2], limits);
    if (typeof v !== "string") {
      accepted++;
      // What passes holds only in-range ids and offsets.
      for (const p of v) {
        for (const [, pt] of p.insns) {
          for (const c of pt.calls ?? []) assert.ok(limits.isId(c.id));
          for (const o of pt.inline ?? []) {
            assert.ok(o.offset >= 4096 && o.offset + 8 <= 1 << 20);
          }
        }
      }
    }
    validateReply({
      kind: rnd() < 0.9 ? "reply" : "x",
      data: mutate(rnd, { r: 1, log: "a", error: { name: "E", message: "m" } }),
    });
    validateFilterResult(mutate(rnd, { skip: true, ret: "5" }));
    checkAnswerArgs({
      kind: kinds[Math.floor(rnd() * kinds.length)],
      data: mutate(rnd, [4096, 8]),
    });
  }
  assert.ok(accepted > 0 && accepted < 100_000, `${accepted} accepted`);
});

Deno.test("100,000 random writes of the channel's shared memory end every wait in a timeout, a protocol error or a reply", () => {
  const rnd = prng(7);
  const ch = Channel.create(4096);
  const ctl = new Int32Array(ch.buffer, 0, 16);
  const bytes = new Uint8Array(ch.buffer, 64);
  const enc = new TextEncoder();
  const seen = { timeout: 0, protocol: 0, reply: 0, call: 0 };
  for (let i = 0; i < 100_000; i++) {
    ch.send({ kind: "exec", data: { id: 1 } }, Math.floor(rnd() * 4096));
    // What a hostile worker may leave: any state, length, progress, bytes.
    ctl[0] = [0, 1, 2, 3, 4, 5, -1, 2 ** 31 - 1][Math.floor(rnd() * 8)];
    ctl[1] = rnd() < 0.5
      ? Math.floor(rnd() * 64)
      : Math.floor(rnd() * 2 ** 32) | 0;
    ctl[3] = Math.floor(rnd() * 2 ** 32) | 0;
    if (rnd() < 0.5) {
      enc.encodeInto(
        JSON.stringify(mutate(rnd, ["reply", { r: null }])),
        bytes,
      );
    } else {
      for (let k = 0; k < 16; k++) bytes[k] = Math.floor(rnd() * 256);
    }
    try {
      ch.wait(0, () => {
        seen.call++;
        return null;
      });
      seen.reply++;
    } catch (e) {
      if (e instanceof ChannelTimeout) seen.timeout++;
      else if (e instanceof ChannelProtocolError) seen.protocol++;
      else throw e;
    }
    assert.ok(ch.idle);
  }
  assert.ok(
    seen.timeout > 0 && seen.protocol > 0 && seen.reply > 0,
    JSON.stringify(seen),
  );
});

Deno.test("a plugin sending 100,000 random nested calls and board writes changes nothing for the guest, insn or strace", async () => {
  const run = async (plugins: string[]) => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-all",
        "--unstable-worker-options",
        "--no-check",
        `${REPO}mod.ts`,
        ...plugins.flatMap((p) => ["--plugin", p]),
        guest("hello"),
      ],
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(300_000),
    }).output();
    const stderr = new TextDecoder().decode(out.stderr);
    return {
      code: out.code,
      stdout: new TextDecoder().decode(out.stdout),
      stderr,
      others: stderr.split("\n").filter((l) =>
        !l.includes("fuzz_wire") && !/^(set_tid_address|getrandom)\(/.test(l)
      ),
    };
  };
  const fuzz = new URL("./plugins/fuzz_wire.ts", import.meta.url).pathname;
  const alone = await run(["insn", "strace"]);
  const r = await run([`${fuzz},seed=3`, "insn", "strace"]);
  assert.equal(r.code, alone.code, r.stderr);
  assert.equal(r.stdout, alone.stdout);
  assert.deepEqual(r.others, alone.others);
  // The plugin sends its one undecodable message only after all its calls.
  const lines = r.stderr.split("\n").filter((l) => l.includes("fuzz_wire"));
  assert.deepEqual(lines, [
    'pandeno: plugin "fuzz_wire" unloaded: it broke the channel protocol: a message is not valid JSON',
  ]);
});
