/**
 * The translator's instrumentation seam. At translation time an
 * `Instrumenter` sees each block and its instructions and answers with a
 * `BlockPlan`: calls before the block or an instruction, inline operations on
 * shared-memory scoreboards, and hooks on memory accesses. The translator
 * compiles exactly what the plan asks for into the block, so an empty plan
 * (or no instrumenter) costs nothing.
 *
 * This file knows nothing of plugins: ids are opaque numbers the
 * instrumenter hands out and receives back.
 *
 * @module
 */

import { type InsnFacts, insnFacts } from "../isa/insn_facts.ts";
import type { Decoded } from "../isa/types.ts";

/** One instruction of a block, as the instrumenter sees it. */
export interface InsnView {
  /** Guest address. */
  readonly pc: number;
  /** Length in bytes (2 or 4). */
  readonly size: number;
  /** The raw instruction bytes (a copy). */
  readonly bytes: Uint8Array;
  /** The decoded instruction. */
  readonly decoded: Decoded;
  /**
   * What the instruction is, as plain structured-cloneable data (mnemonic,
   * operands, disassembly, control flow, memory access, system-call
   * registers): see `insnFacts`. Computed on first read, then kept.
   */
  readonly facts: InsnFacts;
}

/** An InsnView whose facts are computed on first read. */
class LazyInsnView implements InsnView {
  #facts: InsnFacts | undefined;

  constructor(
    readonly pc: number,
    readonly bytes: Uint8Array,
    readonly decoded: Decoded,
  ) {}

  get size(): number {
    return this.decoded.size;
  }

  get facts(): InsnFacts {
    return this.#facts ??= insnFacts(this.decoded, this.pc);
  }
}

/**
 * The view of instruction `decoded` at `pc` with raw `bytes`. Its `facts`
 * cost nothing until an instrumenter reads them.
 *
 * @example
 * ```ts
 * import { insnView } from "./instrument.ts";
 * import { decode } from "../isa/decode.ts";
 * const v = insnView(0x10000, new Uint8Array([0x82, 0x80]), decode(0x8082)!);
 * console.log(v.size, v.facts.disasm, v.facts.flow); // 2 c.jr ra return
 * ```
 */
export function insnView(
  pc: number,
  bytes: Uint8Array,
  decoded: Decoded,
): InsnView {
  return new LazyInsnView(pc, bytes, decoded);
}

/** A block about to be translated. */
export interface BlockView {
  /** Guest address of the first instruction. */
  readonly pc: number;
  /** Its instructions, in order. */
  readonly insns: readonly InsnView[];
}

/** How much vCPU state a call needs (QEMU's `qemu_plugin_cb_flags`). */
export type RegAccess = "none" | "read" | "rw";

/**
 * An inline operation on a 64-bit little-endian slot of a scoreboard
 * memory: `add` adds `value`, `store` stores it. `board` indexes
 * `Instrumenter.boards`; `offset` is the slot's byte offset (8-aligned).
 */
export type InlineOp = ScoreboardOp | RecordOp;

/** An add or store on a 64-bit scoreboard slot. */
export interface ScoreboardOp {
  /** Add or store. */
  readonly op: "add" | "store";
  /** Which scoreboard memory. */
  readonly board: number;
  /** Byte offset of the 64-bit slot. */
  readonly offset: number;
  /** The immediate (a safe integer, or a BigInt for full 64-bit values). */
  readonly value: number | bigint;
  /**
   * Only if: run the op only when the slot `cond.offset` of the same board,
   * compared unsigned with `cond.value`, satisfies `cond.cmp`.
   */
  readonly cond?: {
    readonly offset: number;
    readonly cmp: "eq" | "ne" | "lt" | "le" | "gt" | "ge";
    readonly value: number | bigint;
  };
}

/**
 * Appends a record to a ring buffer in a scoreboard memory, with no host
 * call on the way: this is how events are batched. The ring header at byte
 * `ring` holds four u32: `head` (bytes written), `limit` (bytes that fit),
 * `base` (byte offset of the buffer records go to) and a spare word. When a
 * record would pass `limit`, the block first calls
 * `Instrumenter.ringFull(board, ring)`; the host drains the buffer (or
 * switches `base` to another one) and resets `head`. Records of different
 * sizes may share a ring.
 */
export interface RecordOp {
  /** Discriminant. */
  readonly op: "record";
  /** Which scoreboard memory holds the ring. */
  readonly board: number;
  /** Byte offset of the ring header. */
  readonly ring: number;
  /**
   * Which scoreboard memory holds the ring header (default: `board`). A
   * header kept in a memory only the host writes cannot be turned into an
   * out-of-bounds store by whoever reads the records.
   */
  readonly header?: number;
  /** Bytes per record. */
  readonly size: number;
  /** What to write, at which offset within the record. */
  readonly fields: readonly RecordField[];
}

/**
 * One field of a record. `src`: a constant, the instruction's pc, the
 * instruction count before it, integer register `reg`, FP register `reg`
 * (raw bits), or (memory hooks only) the access's address, value or info.
 */
export interface RecordField {
  /** Byte offset within the record. */
  readonly offset: number;
  /** Stored width in bytes (4 truncates). */
  readonly width: 4 | 8;
  /** Where the value comes from. */
  readonly src:
    | "const"
    | "pc"
    | "icount"
    | "x"
    | "f"
    | "addr"
    | "value"
    | "info"
    | "executed"
    | "icount0";
  /**
   * The constant (`src: "const"`). `"executed"` is the number of the
   * block's instructions whose points ran before it left (exit records
   * only), `"icount0"` the instruction count at the block's start. With
   * `src: "info"`, the field is `value` plus the info shifted left by
   * `shift`, so an id and the info can share one word.
   */
  readonly value?: number;
  /** Left shift of the info (`src: "info"`; default 0). */
  readonly shift?: number;
  /** Register number (`src: "x"` or `"f"`). */
  readonly reg?: number;
}

/** A host call from translated code: `Instrumenter.exec(id, pc, icount)`. */
export interface ExecCall {
  /** Opaque id passed back to `exec`. */
  readonly id: number;
  /** Registers the callee reads ("read") or may change ("rw"). */
  readonly regs: RegAccess;
  /** Only call when this scoreboard slot condition holds. */
  readonly cond?: SlotCondition;
}

/** An unsigned comparison of a scoreboard slot with an immediate. */
export interface SlotCondition {
  /** Which scoreboard memory. */
  readonly board: number;
  /** Byte offset of the 64-bit slot. */
  readonly offset: number;
  /** The comparison. */
  readonly cmp: "eq" | "ne" | "lt" | "le" | "gt" | "ge";
  /** The immediate. */
  readonly value: number | bigint;
}

/** What to do at one point (before the block, or before an instruction). */
export interface PointPlan {
  /** Host calls, in order. */
  readonly calls?: readonly ExecCall[];
  /** Inline scoreboard operations, in order. */
  readonly inline?: readonly InlineOp[];
}

/** Memory-access hook on one instruction. */
export interface MemPlan {
  /** Opaque id passed back to `mem`. */
  readonly id: number;
  /** Which accesses: "r" loads, "w" stores, "rw" both. */
  readonly when: "r" | "w" | "rw";
  /** Inline ops to run on each matching access, besides or instead of a call. */
  readonly inline?: readonly InlineOp[];
  /** False to skip the host call and only run `inline`. Default true. */
  readonly call?: boolean;
}

/** The instrumentation of one block. */
export interface BlockPlan {
  /** Before the block's first instruction, each time it runs. */
  readonly block?: PointPlan;
  /** Before instruction i (index into `BlockView.insns`). */
  readonly insns?: ReadonlyMap<number, PointPlan>;
  /** Memory hooks on instruction i. */
  readonly mem?: ReadonlyMap<number, readonly MemPlan[]>;
  /**
   * Records written once each time the block leaves, wherever it leaves
   * (see the `"executed"` field): one record per block run standing for
   * per-instruction events.
   */
  readonly exit?: readonly RecordOp[];
}

/** Bit layout of the `info` argument of {@link Instrumenter.mem}. */
export const MEM_INFO = {
  /** Low 8 bits: access size in bytes. */
  SIZE_MASK: 0xff,
  /** Set for stores (and the write half of atomics). */
  STORE: 0x100,
  /** Set when a load sign-extends. */
  SIGNED: 0x200,
} as const;

/**
 * What the translator asks of whoever instruments it.
 *
 * `exec` returns 0 to continue; any other value makes the block leave with
 * `Exit.HOOK` before the instruction, with registers written back and
 * `Cpu.pc` at that instruction, so the host can stop the vCPU or move its pc
 * (whatever the callee wrote to `Cpu.pc` is where execution resumes).
 * `mem` runs after the access and cannot stop it.
 *
 * @example
 * ```ts
 * import type { Instrumenter } from "./instrument.ts";
 * // Count executed blocks in a scoreboard, inline.
 * const board = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
 * const counter: Instrumenter = {
 *   boards: [board],
 *   plan: () => ({ block: { inline: [{ op: "add", board: 0, offset: 0, value: 1 }] } }),
 *   exec: () => 0,
 *   mem: () => {},
 *   ringFull: () => {},
 * };
 * console.log(counter.boards.length); // 1
 * ```
 */
export interface Instrumenter {
  /** Scoreboard memories inline ops may address (imported by every block). */
  readonly boards: readonly WebAssembly.Memory[];
  /** Decides a block's instrumentation at translation time. */
  plan(block: BlockView): BlockPlan | undefined;
  /**
   * Decides several blocks' instrumentation at once (the translator
   * translates ahead in groups); without it, `plan` is called per block.
   */
  planMany?(blocks: readonly BlockView[]): readonly (BlockPlan | undefined)[];
  /**
   * False while no plan can instrument anything (no plugin looks at
   * translation): the translator then does not decode and plan ahead.
   */
  readonly planning?: boolean;
  /** Called when a ring is full (see {@link RecordOp}); must make room. */
  ringFull(board: number, ring: number): void;
  /**
   * The translation of the block at `pc` was dropped (its code changed, or
   * a flush): what was registered for it may be freed.
   */
  dropped?(pc: number): void;
  /** Every translation and every plan made ahead was dropped. */
  flushed?(): void;
  /** Called from translated code for an `ExecCall`. `icount` counts instructions before this point. */
  exec(id: number, pc: number, icount: number): number;
  /**
   * Called after a matching memory access. The value is split into 32-bit
   * halves (`valueLo` unsigned bits, `valueHi`) to keep BigInt off the path.
   */
  mem(
    id: number,
    pc: number,
    addrLo: number,
    addrHi: number,
    info: number,
    valueLo: number,
    valueHi: number,
  ): void;
}

/**
 * True when nothing in `plan` can observe a scoreboard while the block runs
 * (no host calls, no conditions, no store ops), so its inline adds may be
 * summed and written at the block's exits instead of per instruction.
 *
 * @example
 * ```ts
 * import { deferrable } from "./instrument.ts";
 * const add = { op: "add", board: 0, offset: 0, value: 1n } as const;
 * console.log(deferrable({ block: { inline: [add] } })); // true
 * console.log(deferrable({ block: { calls: [{ id: 1, regs: "none" }] } })); // false
 * ```
 */
export function deferrable(plan: BlockPlan | undefined): boolean {
  if (!plan) return false;
  const simple = (p: PointPlan | undefined) =>
    !p?.calls?.length &&
    (p?.inline ?? []).every((o) =>
      o.op === "record" || (o.op === "add" && !o.cond)
    );
  if (!simple(plan.block)) return false;
  for (const p of plan.insns?.values() ?? []) if (!simple(p)) return false;
  for (const ms of plan.mem?.values() ?? []) {
    for (const m of ms) {
      if (m.call !== false) return false;
      if (!simple({ inline: m.inline })) return false;
    }
  }
  return true;
}
