/**
 * The reference interpreter: fetch, decode (memoized by instruction word, so
 * self-modifying code stays correct), execute via per-extension semantic
 * maps. It is the correctness reference for the translator.
 *
 * @module
 */

import type { Cpu } from "../cpu.ts";
import { Exit, type ExitCause } from "../exit.ts";
import { decode } from "../isa/decode.ts";
import type { InsnName } from "../isa/mod.ts";
import type { Decoded } from "../isa/types.ts";
import { GUEST_MAX, PAGE_SHIFT, PERM_X } from "../layout.ts";
import type { GuestMemory } from "../memory.ts";
import { type ExecFn, Hart } from "./_hart.ts";
import { EXEC_RV64A } from "./exec_rv64a.ts";
import { EXEC_RV64D } from "./exec_rv64d.ts";
import { EXEC_RV64F } from "./exec_rv64f.ts";
import { EXEC_RV64I } from "./exec_rv64i.ts";
import { EXEC_RV64M } from "./exec_rv64m.ts";
import { EXEC_ZICSR } from "./exec_zicsr.ts";
import type { FpuOps } from "./fpu_ops.ts";

/** All semantics, by base mnemonic. */
const EXEC: Record<InsnName, ExecFn> = {
  ...EXEC_RV64I,
  ...EXEC_RV64M,
  ...EXEC_RV64A,
  ...EXEC_RV64F,
  ...EXEC_RV64D,
  ...EXEC_ZICSR,
};

/** A decoded instruction bound to its semantics. */
interface Entry {
  readonly d: Decoded | undefined;
  readonly fn: ExecFn;
  /** Length in bytes (2 or 4), also for illegal words. */
  readonly size: number;
  /** Raw bits (the tval of an illegal-instruction exit). */
  readonly raw: number;
}

const illegal: ExecFn = () => Exit.ILLEGAL;

/** Memo from instruction word to entry, shared by every interpreter. */
const entries = new Map<number, Entry>();
const ENTRY_LIMIT = 1 << 20;

function entryFor(word: number): Entry {
  let e = entries.get(word);
  if (e === undefined) {
    const d = decode(word);
    const size = (word & 3) === 3 ? 4 : 2;
    const raw = size === 4 ? word >>> 0 : word & 0xffff;
    e = { d, fn: d ? EXEC[d.name as InsnName] : illegal, size, raw };
    if (entries.size >= ENTRY_LIMIT) entries.clear();
    entries.set(word, e);
  }
  return e;
}

/**
 * Executes guest code one instruction at a time.
 *
 * Conventions: `instret` counts every instruction that begins execution,
 * including one that exits (not a fetch fault). On an exit `cpu.pc` is the
 * exiting instruction, except after `fence.i` (pc already past it);
 * `cpu.exitCause`/`cpu.exitTval` are set. `x0` is forced to zero after
 * every instruction.
 *
 * @example
 * ```ts
 * import { Interpreter } from "./interpreter.ts";
 * import type { FpuOps } from "./fpu_ops.ts";
 * import { GuestMemory } from "../memory.ts";
 * import { Cpu } from "../cpu.ts";
 * import { Exit } from "../exit.ts";
 * import { PERM_R, PERM_X } from "../layout.ts";
 * const mem = new GuestMemory();
 * const cpu = new Cpu(mem.memory.buffer);
 * mem.map(0x10000, 0x1000, PERM_R | PERM_X);
 * mem.view.setUint32(0x10000, 0x02a00513, true); // addi a0,zero,42
 * mem.view.setUint32(0x10004, 0x00000073, true); // ecall
 * cpu.pc = 0x10000;
 * const interp = new Interpreter(mem, cpu, {} as FpuOps); // no FP used here
 * console.log(interp.run(100) === Exit.ECALL, cpu.getX(10), cpu.instret); // true 42 2
 * ```
 */
export class Interpreter {
  private readonly h: Hart;

  /** Binds the interpreter to a memory, a vCPU and an FPU. */
  constructor(mem: GuestMemory, cpu: Cpu, fpu: FpuOps) {
    this.h = new Hart(mem, cpu, fpu);
  }

  /** Executes the instruction at `cpu.pc`; `Exit.NONE` if it did not exit. */
  step(): ExitCause {
    const r = this.run(1);
    if (r === Exit.BUDGET) {
      this.h.cpu.exitCause = Exit.NONE;
      return Exit.NONE;
    }
    return r;
  }

  /**
   * Runs until an exit, or returns `Exit.BUDGET` after `maxInsns`
   * instructions (pc then names the next one).
   */
  run(maxInsns: number): ExitCause {
    const h = this.h, cpu = h.cpu, x32 = h.x32, perm = h.perm, view = h.view;
    h.pc = cpu.pc;
    h.instret = cpu.instret;
    const stop = h.instret + maxInsns;
    let cause: number = Exit.BUDGET;
    let raw = 0;
    while (h.instret < stop) {
      const pc = h.pc;
      // Fetch: PERM_X on every page the instruction occupies.
      if (
        !(pc >= 0 && pc + 2 <= GUEST_MAX) ||
        (perm[pc >>> PAGE_SHIFT] & PERM_X) === 0
      ) {
        h.setTval(pc);
        cause = Exit.FETCH_FAULT;
        break;
      }
      let word = view.getUint16(pc, true);
      if ((word & 3) === 3) {
        if ((pc & 0xfff) === 0xffe) {
          if (
            pc + 4 > GUEST_MAX || (perm[(pc + 2) >>> PAGE_SHIFT] & PERM_X) === 0
          ) {
            h.setTval(pc + 2);
            cause = Exit.FETCH_FAULT;
            break;
          }
        }
        word = view.getInt32(pc, true);
      }
      const e = entryFor(word);
      h.npc = pc + e.size;
      h.instret++;
      const r = e.fn(h, e.d!);
      x32[0] = 0;
      x32[1] = 0;
      if (r !== 0) {
        cause = r;
        raw = e.raw;
        break;
      }
      h.pc = h.npc;
    }
    switch (cause) {
      case Exit.ILLEGAL:
        h.setTval(raw);
        break;
      case Exit.ECALL:
      case Exit.EBREAK:
      case Exit.BUDGET:
        h.setTval(0);
        break;
      case Exit.FENCE_I:
        h.setTval(0);
        h.pc = h.npc;
        break;
    }
    cpu.pc = h.pc;
    cpu.instret = h.instret;
    cpu.exitCause = cause;
    return cause as ExitCause;
  }
}
