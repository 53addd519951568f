/**
 * Emission context for one translated block (TB). Instruction emitters
 * (`emit_*.ts`) call its methods; it keeps guest integer registers in wasm
 * locals (loaded once in the prologue, written back at every exit), guards
 * memory accesses with the page-permission table, and builds precise exits.
 *
 * @module
 */

import {
  EXIT_CAUSE_OFF,
  EXIT_TVAL_OFF,
  F_BASE,
  FRM_OFF,
  GUEST_MAX,
  INSTRET_OFF,
  JCACHE_BASE,
  JCACHE_ENTRIES,
  PC_OFF,
  PERM_BASE,
  PERM_R,
  PERM_WFAST,
  PROFILE_OFF,
} from "../layout.ts";
import { COUNTER } from "./jit_profile.ts";
import { Exit } from "../exit.ts";
import {
  type ExecCall,
  type InlineOp,
  MEM_INFO,
  type MemPlan,
  type PointPlan,
  type RecordOp,
} from "./instrument.ts";
import type { Decoded } from "../isa/types.ts";
import {
  Bytes,
  F64,
  type FuncType,
  I32,
  I64,
  Op,
  type ValType,
} from "./wasm.ts";

const RING_TYPE: FuncType = { params: [I32, I32], results: [] };
const EXEC_TYPE: FuncType = { params: [I32, I32, F64], results: [I32] };
const MEM_TYPE: FuncType = {
  params: [I32, I32, I32, I32, I32, I32, I32],
  results: [],
};
const CMP: Record<string, number> = {
  eq: Op.i64_eq,
  ne: Op.i64_ne,
  lt: Op.i64_lt_u,
  le: Op.i64_le_u,
  gt: Op.i64_gt_u,
  ge: Op.i64_ge_u,
};

/** Scratch i64 local: effective address. */
export const L_ADDR = 0;
/** Scratch i64 locals. */
export const L_T1 = 32, L_T2 = 33, L_T3 = 34;
/** Scratch i32 locals. */
export const L_W = 35, L_W2 = 36, L_W3 = 37;
/** Scratch f64 locals. */
export const L_D1 = 38, L_D2 = 39;
/** Scratch i64 local: the value of an instrumented memory access. */
export const L_V = 40;
/** i32 local of a region: index of the region block to run next. */
export const L_NEXT = 41;
/** Region exit locals: pc (i64), instructions not executed (i64), cause and chain slot (i32). */
export const L_EXIT_PC = 42,
  L_EXIT_UNEXEC = 43,
  L_EXIT_CAUSE = 44,
  L_EXIT_SLOT = 45;
/** i64 local of a region: instret, counted in the local and stored at exits. */
export const L_INSTRET = 46;
/** Local types, in index order. */
export const LOCAL_TYPES: ValType[] = [
  ...Array(35).fill(I64),
  I32,
  I32,
  I32,
  F64,
  F64,
  I64,
  I32,
  I64,
  I64,
  I32,
  I32,
  I64,
];

/** An imported host function a block calls (FPU, CSR, slow paths, hooks). */
export interface HostImport {
  /** Field name under module "h". */
  name: string;
  /** Its signature. */
  type: FuncType;
}

/** One instruction of the block being built. */
export interface BlockInsn {
  /** Its guest address. */
  pc: number;
  /** The decoded form. */
  d: Decoded;
}

/**
 * Builds the body of one block function `() -> i32`.
 *
 * @example
 * ```ts
 * import { BlockBuilder } from "./block_builder.ts";
 * import { Exit } from "../exit.ts";
 * const b = new BlockBuilder(0x10000, 1, false);
 * b.exitAt(Exit.ECALL);
 * console.log(b.code.length > 0); // true
 * ```
 */
export class BlockBuilder {
  /** The body being written. */
  readonly code: Bytes = new Bytes();
  /** Registers read or written so far (bit r). */
  used = 0;
  /** Registers written so far (bit r). */
  written = 0;
  /** Registers to write back at every exit (from the first pass). */
  writeback = 0;
  /** Index of the instruction being emitted. */
  index = 0;
  /** Guest pc of the instruction being emitted. */
  pc = 0;
  /** Guest pc of the next instruction. */
  next = 0;
  /** Raw bits of the instruction being emitted (the tval of ILLEGAL). */
  raw = 0;
  /** Host imports used, by name, in import order (shared by a module's blocks). */
  readonly imports: Map<string, { index: number; type: FuncType }>;
  /** Nesting depth of structured control inside the block body. */
  depth = 0;
  /** True once the instruction ended the block (branch, jump, exit). */
  ended = false;
  /** Memory hooks of the instruction being emitted. */
  memPlans: readonly MemPlan[] | undefined;
  /**
   * Block chaining: the function-table slot through which a jump to `target`
   * tail-calls the target's block directly (undefined: return to the
   * dispatcher). Slot calls need type 0 to be `() -> i32` and table 0.
   */
  chain?: (target: number) => number | undefined;
  /** True once an exit used a chain slot (the module must import the table). */
  chained = false;
  /**
   * Unconditional inline adds not yet written to their scoreboards, by
   * "board:offset". With {@link deferAdds}, adds of constants along the
   * block's straight-line code are summed at translation time and written
   * once where the block leaves: each exit writes the sum of the adds
   * executed before it, so boards are exact whenever the vCPU is outside
   * translated code.
   */
  /**
   * Defer inline adds to the block's exits. Only for blocks whose plan has
   * nothing that could read a board while the block runs: no host calls, no
   * conditions, no stores (see `deferrable` in instrument.ts).
   */
  deferAdds = false;
  /** Records written at every exit (`BlockPlan.exit`). */
  exitRecords: readonly RecordOp[] = [];
  /** Emit profile counters (see `jit_profile.ts`); off, nothing is emitted. */
  profile = false;
  /**
   * In a region (several blocks in one function, see `region.ts`): the
   * region's index of the block starting at a pc, if it is in the region.
   */
  regionTarget?: (pc: number) => number | undefined;
  /** Index of the region block being emitted. */
  regionIndex = 0;
  /** Number of blocks in the region. */
  regionSize = 0;
  /** 1 when the region block being emitted sits in its own wasm loop (it jumps to itself). */
  selfLoop: 0 | 1 = 0;
  private readonly pendingAdds = new Map<
    string,
    { board: number; offset: number; value: bigint }
  >();

  /**
   * Starts an empty block body.
   *
   * @param start guest pc of the block's first instruction
   * @param count number of instructions in the block
   * @param loops whether the block branches back to its own start (emits a wasm loop)
   * @param imports the import table to add to (blocks compiled into one module share one)
   */
  constructor(
    readonly start: number,
    public count: number,
    readonly loops: boolean,
    imports?: Map<string, { index: number; type: FuncType }>,
  ) {
    this.imports = imports ?? new Map();
  }

  // ---- raw emission ----

  /** Emits raw bytes. */
  op(...bytes: number[]): this {
    this.code.bytes(bytes);
    return this;
  }

  /** Pushes an i32 constant. */
  i32(v: number): this {
    this.code.byte(Op.i32_const).s32(v);
    return this;
  }

  /** Pushes an i64 constant (a JS integer within ±2^53, or a BigInt). */
  i64(v: number | bigint): this {
    this.code.byte(Op.i64_const);
    if (typeof v === "bigint") this.code.s64(v);
    else this.code.sNum(v);
    return this;
  }

  /** `local.get n`. */
  get(n: number): this {
    this.code.byte(Op.local_get).u32(n);
    return this;
  }

  /** `local.set n`. */
  set(n: number): this {
    this.code.byte(Op.local_set).u32(n);
    return this;
  }

  /** `local.tee n`. */
  tee(n: number): this {
    this.code.byte(Op.local_tee).u32(n);
    return this;
  }

  /** A memory instruction with alignment hint 0 and a constant offset. */
  mem(opcode: number, offset: number): this {
    this.code.byte(opcode).u32(0).u32(offset);
    return this;
  }

  /** Loads a state word at a fixed offset (address 0 + offset). */
  stateLoad(opcode: number, offset: number): this {
    return this.i32(0).mem(opcode, offset);
  }

  /** Opens `if` with no result. */
  if(): this {
    this.depth++;
    return this.op(Op.if, 0x40);
  }

  /** Opens `if` with a result type. */
  ifResult(t: ValType): this {
    this.depth++;
    return this.op(Op.if, t);
  }

  /** `else`. */
  else(): this {
    return this.op(Op.else);
  }

  /** Closes the innermost structured instruction. */
  end(): this {
    this.depth--;
    return this.op(Op.end);
  }

  /**
   * Pushes instret as counted so far, including the whole current block
   * (regions keep it in a local; single blocks in memory).
   */
  instret(): this {
    if (this.regionSize > 0) return this.get(L_INSTRET);
    return this.stateLoad(Op.i64_load, INSTRET_OFF);
  }

  /** Adds one to a profile counter, when profiling (else emits nothing). */
  tally(counter: keyof typeof COUNTER): this {
    if (!this.profile) return this;
    const off = PROFILE_OFF + COUNTER[counter];
    return this.i32(0).stateLoad(Op.i64_load, off).i64(1).op(Op.i64_add)
      .mem(Op.i64_store, off);
  }

  /** Calls a host import, registering it on first use. */
  call(name: string, type: FuncType): this {
    let im = this.imports.get(name);
    if (!im) {
      im = { index: this.imports.size, type };
      this.imports.set(name, im);
    }
    this.code.byte(Op.call).u32(im.index);
    return this;
  }

  // ---- integer registers ----

  /** Pushes x[r] as i64. */
  getX(r: number): this {
    if (r === 0) return this.i64(0);
    this.used |= 1 << r;
    return this.get(r);
  }

  /** Pops an i64 into x[r] (x0 discards it). */
  setX(r: number): this {
    if (r === 0) return this.op(Op.drop);
    this.used |= 1 << r;
    this.written |= 1 << r;
    return this.set(r);
  }

  /** Pushes the low 32 bits of x[r] as i32. */
  getX32(r: number): this {
    return this.getX(r).op(Op.i32_wrap_i64);
  }

  /** Pops an i32 and writes it sign-extended into x[r]. */
  setX32(r: number): this {
    return this.op(Op.i64_extend_i32_s).setX(r);
  }

  // ---- FP registers (kept in memory) ----

  /** Pushes f[r] raw bits as i64. */
  getFBits(r: number): this {
    return this.stateLoad(Op.i64_load, F_BASE + 8 * r);
  }

  /** Pushes f[r] as f64. */
  getD(r: number): this {
    return this.stateLoad(Op.f64_load, F_BASE + 8 * r);
  }

  /** Pops an f64 into f[r]. */
  setD(r: number): this {
    return this.set(L_D1).i32(0).get(L_D1).mem(Op.f64_store, F_BASE + 8 * r);
  }

  /** Pops an i64 (raw bits) into f[r]. */
  setFBits(r: number): this {
    return this.set(L_T3).i32(0).get(L_T3).mem(Op.i64_store, F_BASE + 8 * r);
  }

  /** Pushes f[r] as an unboxed f32 bit pattern (i32); bad boxes read as canonical NaN. */
  getS(r: number): this {
    this.getFBits(r).tee(L_T3).i64(32).op(Op.i64_shr_u).i64(0xffffffff)
      .op(Op.i64_ne);
    this.ifResult(I32).i32(0x7fc00000).else().get(L_T3).op(Op.i32_wrap_i64);
    return this.end();
  }

  /** Pops an f32 bit pattern (i32) and writes it NaN-boxed into f[r]. */
  setS(r: number): this {
    this.op(Op.i64_extend_i32_u).i64(-0x1_0000_0000).op(Op.i64_or);
    return this.setFBits(r);
  }

  /**
   * Pushes the effective rounding mode (i32) for rm field `rm`; dynamic reads
   * frm and exits with ILLEGAL when it holds a reserved value.
   * Returns false (after emitting the exit) when `rm` itself is reserved.
   */
  roundingMode(rm: number): boolean {
    if (rm === 5 || rm === 6) {
      this.exitAt(Exit.ILLEGAL, () => this.i64(this.raw >>> 0));
      return false;
    }
    if (rm !== 7) {
      this.i32(rm);
      return true;
    }
    this.stateLoad(Op.i32_load, FRM_OFF).tee(L_W3).i32(5).op(Op.i32_ge_u).if();
    this.exitAt(Exit.ILLEGAL, () => this.i64(this.raw >>> 0)).end();
    this.get(L_W3);
    return true;
  }

  // ---- exits ----

  /** Writes back every register the block modifies. */
  flush(): void {
    for (let r = 1; r < 32; r++) {
      if (this.writeback & (1 << r)) {
        this.i32(0).get(r).mem(Op.i64_store, 8 * r);
      }
    }
  }

  /** Corrects instret when leaving after `executed` instructions of this pass. */
  private fixInstret(executed: number): void {
    const unexecuted = this.count - executed;
    if (unexecuted === 0) return;
    this.i32(0).stateLoad(Op.i64_load, INSTRET_OFF).i64(unexecuted)
      .op(Op.i64_sub).mem(Op.i64_store, INSTRET_OFF);
  }

  /**
   * Leaves the block at the current instruction with `cause` (pc = this
   * instruction, which counts as executed). `tval` is pushed by `pushTval`.
   */
  exitAt(cause: number, pushTval?: () => void): this {
    if (this.regionSize > 0) {
      if (pushTval) {
        this.i32(0);
        pushTval();
        this.mem(Op.i64_store, EXIT_TVAL_OFF);
      }
      return this.regionExit(() => this.i64(this.pc), cause, this.index + 1);
    }
    this.leaving();
    this.flush();
    this.fixInstret(this.index + 1);
    this.i32(0).i64(this.pc).mem(Op.i64_store, PC_OFF);
    this.i32(0).i32(cause).mem(Op.i32_store, EXIT_CAUSE_OFF);
    if (pushTval) {
      this.i32(0);
      pushTval();
      this.mem(Op.i64_store, EXIT_TVAL_OFF);
    }
    return this.i32(cause).op(Op.return);
  }

  /** Leaves the block to continue at the next instruction through the dispatcher. */
  exitNext(cause: number = Exit.NONE): this {
    if (this.regionSize > 0) {
      return this.regionExit(() => this.i64(this.next), cause, this.index + 1);
    }
    this.leaving();
    this.flush();
    this.fixInstret(this.index + 1);
    this.i32(0).i64(this.next).mem(Op.i64_store, PC_OFF);
    if (cause !== Exit.NONE) {
      this.i32(0).i32(cause).mem(Op.i32_store, EXIT_CAUSE_OFF);
    }
    return this.i32(cause).op(Op.return);
  }

  /** Ends the block: jump to the i64 target on the stack. */
  jumpDynamic(): this {
    if (this.regionSize > 0) {
      this.ended = true;
      this.inlineLookup();
      return this.regionExit(() => {}, Exit.NONE, this.count);
    }
    this.set(L_T1);
    this.leaving();
    this.flush();
    this.i32(0).get(L_T1).mem(Op.i64_store, PC_OFF);
    this.ended = true;
    this.tally("dynamic");
    return this.i32(Exit.NONE).op(Op.return);
  }

  /** Ends the block: jump to a constant target. */
  jumpTo(target: number): this {
    this.leaving();
    const inRegion = this.regionTarget?.(target);
    if (inRegion !== undefined) {
      // Stay in the region's function, registers in locals: fall through to
      // the next block laid out, or go round the region's dispatch loop.
      this.ended = true;
      this.tally("internal");
      if (inRegion === this.regionIndex + 1 && this.depth === 0) return this;
      this.i32(inRegion).set(L_NEXT);
      if (inRegion === this.regionIndex && this.selfLoop) {
        this.code.byte(Op.br).u32(this.depth); // the block's own loop
        return this;
      }
      const loopDepth = this.depth + this.selfLoop +
        this.regionSize - 1 - this.regionIndex;
      this.code.byte(Op.br).u32(loopDepth);
      return this;
    }
    if (this.loops && target === this.start) {
      // Back to the top of this block's wasm loop, keeping registers in locals.
      this.code.byte(Op.br).u32(this.depth);
      this.ended = true;
      return this;
    }
    if (this.regionSize > 0) {
      this.ended = true;
      const slot = this.chain?.(target);
      if (slot !== undefined) {
        this.chained = true;
        this.tally("chained");
      } else this.tally("dynamic");
      return this.regionExit(
        () => this.i64(target),
        Exit.NONE,
        this.count,
        slot,
      );
    }
    this.flush();
    this.i32(0).i64(target).mem(Op.i64_store, PC_OFF);
    this.ended = true;
    const slot = this.chain?.(target);
    if (slot !== undefined) {
      this.chained = true;
      this.tally("chained");
      this.i32(slot);
      this.code.byte(Op.return_call_indirect).u32(0).u32(0);
      return this;
    }
    this.tally("dynamic");
    return this.i32(Exit.NONE).op(Op.return);
  }

  /**
   * For an indirect jump leaving a region (target i64 on the stack, left
   * there): looks the target up in the jump cache, as the dispatcher would,
   * and on a hit sets the exit's chain slot to tail-call the block directly.
   */
  private inlineLookup(): void {
    const W = L_W, E = L_W2;
    this.tee(L_T1).op(Op.i32_wrap_i64).tee(W).i32(1).op(Op.i32_shr_u)
      .i32(JCACHE_ENTRIES - 1).op(Op.i32_and).i32(3).op(Op.i32_shl).tee(E)
      .mem(Op.i32_load, JCACHE_BASE).get(W).op(Op.i32_eq);
    // Only 32-bit, nonzero targets are in the cache.
    this.get(L_T1).i64(32).op(Op.i64_shr_u).op(Op.i64_eqz).op(Op.i32_and);
    this.get(W).op(Op.i32_eqz).op(Op.i32_eqz).op(Op.i32_and);
    this.if().get(E).mem(Op.i32_load, JCACHE_BASE + 4).set(L_EXIT_SLOT);
    this.tally("inlineHits").else().tally("dynamic").end();
    this.chained = true;
    this.get(L_T1);
  }

  /**
   * Leaves a region through its shared epilogue (see `regionEpilogue`):
   * only the exit's pc, cause, instret correction and chain slot are set
   * here, so that each exit costs a few bytes instead of a register
   * write-back of its own.
   */
  private regionExit(
    pushPc: () => void,
    cause: number,
    executed: number,
    slot?: number,
  ): this {
    pushPc();
    this.set(L_EXIT_PC);
    if (cause !== Exit.NONE) this.i32(cause).set(L_EXIT_CAUSE);
    if (executed !== this.count) {
      this.i64(this.count - executed).set(L_EXIT_UNEXEC);
    }
    if (slot !== undefined) this.i32(slot).set(L_EXIT_SLOT);
    // Past the blocks still open, the region's loop, to its exit block.
    const exitDepth = this.depth + this.selfLoop + this.regionSize -
      this.regionIndex;
    this.code.byte(Op.br).u32(exitDepth);
    return this;
  }

  /**
   * The code after a region's exit block: write back the registers, set pc,
   * correct instret, then return the cause or tail-call the chained block.
   */
  regionEpilogue(): this {
    this.flush();
    this.i32(0).get(L_EXIT_PC).mem(Op.i64_store, PC_OFF);
    this.i32(0).get(L_INSTRET).get(L_EXIT_UNEXEC).op(Op.i64_sub)
      .mem(Op.i64_store, INSTRET_OFF);
    this.get(L_EXIT_CAUSE).if();
    this.i32(0).get(L_EXIT_CAUSE).mem(Op.i32_store, EXIT_CAUSE_OFF);
    this.get(L_EXIT_CAUSE).op(Op.return).end();
    if (this.chained) {
      this.get(L_EXIT_SLOT).if().get(L_EXIT_SLOT);
      this.code.byte(Op.return_call_indirect).u32(0).u32(0);
      this.end();
    }
    return this.i32(Exit.NONE);
  }

  /** Ends the block: branch to `target` if the i32 on the stack is nonzero. */
  branch(target: number): this {
    this.if();
    this.jumpTo(target);
    this.ended = false;
    this.end();
    this.jumpTo(this.next);
    return this;
  }

  // ---- memory ----

  /** Emits the permission test for the address in L_ADDR; leaves i32 1 if it fails. */
  private permFails(size: number, need: number): void {
    this.get(L_ADDR).i64(GUEST_MAX - size).op(Op.i64_gt_u);
    this.get(L_ADDR).op(Op.i32_wrap_i64).tee(L_W).i32(12).op(Op.i32_shr_u)
      .mem(Op.i32_load8_u, PERM_BASE);
    if (size > 1) {
      this.get(L_W).i32(size - 1).op(Op.i32_add).i32(12).op(Op.i32_shr_u)
        .mem(Op.i32_load8_u, PERM_BASE).op(Op.i32_and);
    }
    this.i32(need).op(Op.i32_and);
    // One permission bit: missing when zero; several: when any is missing.
    if ((need & (need - 1)) === 0) this.op(Op.i32_eqz);
    else this.i32(need).op(Op.i32_ne);
    this.op(Op.i32_or);
  }

  /**
   * Pops an i64 address; pushes the loaded value using `loadOp` (an i64 or
   * f64 load opcode). Faults exit with LOAD_FAULT.
   */
  load(loadOp: number, size: number): this {
    this.set(L_ADDR);
    this.permFails(size, PERM_R);
    this.if().exitAt(Exit.LOAD_FAULT, () => this.get(L_ADDR)).end();
    this.get(L_W).mem(loadOp, 0);
    if (this.hooked("r")) {
      this.set(L_V);
      this.memHook("r", size | (isSigned(loadOp) ? MEM_INFO.SIGNED : 0));
      this.get(L_V);
    }
    return this;
  }

  /**
   * Stores: `pushAddr` pushes the i64 address, `pushValue` the value for
   * `storeOp`. Stores to read-only or unmapped pages exit with STORE_FAULT;
   * stores to pages holding translated code go through the host, which
   * invalidates those blocks, and then leave the block.
   */
  store(
    storeOp: number,
    size: number,
    pushAddr: () => void,
    pushValue: () => void,
    valueLocal: number,
  ): this {
    pushAddr();
    this.set(L_ADDR);
    pushValue();
    this.set(valueLocal);
    this.permFails(size, PERM_WFAST);
    this.if();
    this.slowStoreCheck(size);
    this.get(L_W).get(valueLocal).mem(storeOp, 0);
    this.storeHook(size, valueLocal);
    this.exitNext();
    this.end();
    this.get(L_W).get(valueLocal).mem(storeOp, 0);
    this.storeHook(size, valueLocal);
    return this;
  }

  /** Memory hooks for a store whose value is in `valueLocal`. */
  private storeHook(size: number, valueLocal: number): void {
    if (!this.hooked("w")) return;
    this.get(valueLocal).set(L_V);
    this.memHook("w", size | MEM_INFO.STORE);
  }

  /** True when the current instruction has a memory hook for `dir`. */
  hooked(dir: "r" | "w"): boolean {
    return this.memPlans?.some((m) => m.when.includes(dir)) ?? false;
  }

  /** Emits the hooks for an access at L_ADDR with its value in L_V. */
  memHook(dir: "r" | "w", info: number): void {
    for (const m of this.memPlans ?? []) {
      if (!m.when.includes(dir)) continue;
      for (const op of m.inline ?? []) this.inlineOp(op, { info });
      if (m.call === false) continue;
      this.i32(m.id).i32(this.pc).get(L_ADDR).op(Op.i32_wrap_i64);
      this.get(L_ADDR).i64(32).op(Op.i64_shr_u).op(Op.i32_wrap_i64);
      this.i32(info).get(L_V).op(Op.i32_wrap_i64);
      this.get(L_V).i64(32).op(Op.i64_shr_u).op(Op.i32_wrap_i64);
      this.call("hookMem", MEM_TYPE);
    }
  }

  /** Emits one inline operation (scoreboard k is memory k+1). */
  inlineOp(op: InlineOp, mem?: { info: number }): void {
    if (op.op === "record") return this.record(op, mem);
    if (this.deferAdds && op.op === "add" && !op.cond && this.depth === 0) {
      const key = `${op.board}:${op.offset}`;
      const p = this.pendingAdds.get(key);
      if (p) p.value += BigInt(op.value);
      else {
        this.pendingAdds.set(key, {
          board: op.board,
          offset: op.offset,
          value: BigInt(op.value),
        });
      }
      return;
    }
    this.boardOp(op);
  }

  /**
   * What every exit writes: the pending adds (they stay pending on the
   * straight path) and the exit records, counting the instructions whose
   * points ran (up to and including the current one).
   */
  private leaving(executed = Math.min(this.index + 1, this.count)): void {
    this.writeAdds();
    for (const op of this.exitRecords) this.record(op, undefined, executed);
  }

  /** Writes the pending adds. */
  private writeAdds(): void {
    for (const p of this.pendingAdds.values()) {
      this.boardOp({
        op: "add",
        board: p.board,
        offset: p.offset,
        value: p.value,
      });
    }
  }

  /** Emits one scoreboard add or store, with its condition if any. */
  private boardOp(op: Exclude<InlineOp, RecordOp>): void {
    const memIdx = op.board + 1;
    const access = (opcode: number, offset: number) => {
      this.code.byte(opcode).u32(0x43).u32(memIdx).u32(offset);
    };
    if (op.cond) {
      this.i32(0);
      access(Op.i64_load, op.cond.offset);
      this.i64(op.cond.value).op(CMP[op.cond.cmp]).if();
    }
    this.i32(0);
    if (op.op === "add") {
      this.i32(0);
      access(Op.i64_load, op.offset);
      this.i64(op.value).op(Op.i64_add);
    } else {
      this.i64(op.value);
    }
    access(Op.i64_store, op.offset);
    if (op.cond) this.end();
  }

  /** Appends a record to a ring (see `RecordOp`). */
  private record(
    op: RecordOp,
    mem?: { info: number },
    executed = 0,
  ): void {
    const k = op.board + 1;
    const hk = (op.header ?? op.board) + 1;
    const at = (opcode: number, offset: number) => {
      this.code.byte(opcode).u32(0x40).u32(k).u32(offset); // align 1, memory k
    };
    const hat = (opcode: number, offset: number) => {
      this.code.byte(opcode).u32(0x40).u32(hk).u32(offset); // the header's
    };
    // h = head; if h + size > limit: ringFull(); h = head
    this.i32(0);
    hat(Op.i32_load, op.ring);
    this.tee(L_W3).i32(op.size).op(Op.i32_add).i32(0);
    hat(Op.i32_load, op.ring + 4);
    this.op(Op.i32_gt_u).if();
    this.i32(op.board).i32(op.ring).call("ringFull", RING_TYPE);
    this.i32(0);
    hat(Op.i32_load, op.ring);
    this.set(L_W3).end();
    // p = base + h
    this.i32(0);
    hat(Op.i32_load, op.ring + 8);
    this.get(L_W3).op(Op.i32_add).set(L_W2);
    for (const f of op.fields) {
      this.get(L_W2);
      switch (f.src) {
        case "const":
          this.i64(f.value ?? 0);
          break;
        case "pc":
          this.i64(this.pc);
          break;
        case "icount":
          this.stateLoad(Op.i64_load, INSTRET_OFF).i64(this.count - this.index)
            .op(Op.i64_sub);
          break;
        case "x":
          this.getX(f.reg ?? 0);
          break;
        case "f":
          this.getFBits(f.reg ?? 0);
          break;
        case "addr":
          this.get(L_ADDR);
          break;
        case "value":
          this.get(L_V);
          break;
        case "info":
          this.i64((f.value ?? 0) + (mem?.info ?? 0) * 2 ** (f.shift ?? 0));
          break;
        case "executed":
          this.i64(executed);
          break;
        case "icount0":
          this.stateLoad(Op.i64_load, INSTRET_OFF).i64(this.count)
            .op(Op.i64_sub);
          break;
      }
      at(f.width === 8 ? Op.i64_store : Op.i64_store32, f.offset);
    }
    // head = h + size
    this.i32(0).get(L_W3).i32(op.size).op(Op.i32_add);
    hat(Op.i32_store, op.ring);
  }

  /** Emits a point plan (calls and inline ops) before the current instruction. */
  point(plan: PointPlan): void {
    for (const op of plan.inline ?? []) this.inlineOp(op);
    for (const c of plan.calls ?? []) {
      if (c.cond) {
        this.i32(0);
        this.code.byte(Op.i64_load).u32(0x43).u32(c.cond.board + 1)
          .u32(c.cond.offset);
        this.i64(c.cond.value).op(CMP[c.cond.cmp]).if();
      }
      this.call1(c);
      if (c.cond) this.end();
    }
  }

  /** Emits one host call of a point plan. */
  private call1(c: ExecCall): void {
    if (c.regs !== "none") {
      this.flush();
      this.i32(0).i64(this.pc).mem(Op.i64_store, PC_OFF);
    }
    this.i32(c.id).i32(this.pc);
    this.stateLoad(Op.i64_load, INSTRET_OFF).i64(this.count - this.index)
      .op(Op.i64_sub).op(0xba); // f64.convert_i64_u
    this.call("hookExec", EXEC_TYPE);
    if (c.regs === "rw") {
      this.set(L_W2);
      for (let r = 1; r < 32; r++) {
        if (this.used & (1 << r)) this.i32(0).mem(Op.i64_load, 8 * r).set(r);
      }
      this.get(L_W2);
    }
    this.if();
    if (c.regs === "none") {
      this.flush();
      this.i32(0).i64(this.pc).mem(Op.i64_store, PC_OFF);
    }
    // Leaving before this instruction: it runs (and is reported) on resuming.
    this.leaving(this.index);
    this.fixInstret(this.index);
    this.i32(0).i32(Exit.HOOK).mem(Op.i32_store, EXIT_CAUSE_OFF);
    this.i32(Exit.HOOK).op(Op.return).end();
  }

  /**
   * Asks the host whether the access at L_ADDR may write (and read); exits
   * with STORE_FAULT if not. The host invalidates translated code there.
   */
  slowStoreCheck(size: number): this {
    this.get(L_ADDR).op(Op.i32_wrap_i64).get(L_ADDR).i64(32).op(Op.i64_shr_u)
      .op(Op.i32_wrap_i64).i32(size);
    this.call("storeCheck", { params: [I32, I32, I32], results: [I32] });
    this.op(Op.i32_eqz).if().exitAt(Exit.STORE_FAULT, () => this.get(L_ADDR))
      .end();
    return this;
  }

  /**
   * For atomics: pops an i64 address into L_ADDR and L_W, exits MISALIGNED if
   * it is not `size`-aligned, and checks read+fast-write permission; when the
   * fast check fails it asks the host (which drops translations on the page).
   * `loadOnly` (LR) checks only read permission and faults as a load.
   */
  atomicAddress(size: number, loadOnly = false): void {
    this.set(L_ADDR);
    this.get(L_ADDR).i64(size - 1).op(Op.i64_and).op(Op.i64_eqz).op(Op.i32_eqz);
    this.if().exitAt(Exit.MISALIGNED, () => this.get(L_ADDR)).end();
    if (loadOnly) {
      this.permFails(size, PERM_R);
      this.if().exitAt(Exit.LOAD_FAULT, () => this.get(L_ADDR)).end();
      return;
    }
    this.permFails(size, PERM_R | PERM_WFAST);
    this.if().slowStoreCheck(size).end();
  }
}

function isSigned(loadOp: number): boolean {
  return loadOp === Op.i64_load8_s || loadOp === Op.i64_load16_s ||
    loadOp === Op.i64_load32_s;
}
