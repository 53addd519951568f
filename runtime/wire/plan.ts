/**
 * A block's instrumentation plan as a plugin's Worker sends it to the host.
 *
 * @module
 */

/** A sync call or record request at one point, as sent to the host. */
export interface PointReq {
  /** Sync calls: callback id, register access, optional condition. */
  calls?: { id: number; access: string; cond?: CondReq }[];
  /** Batched records: callback id and captured register names. */
  recs?: { id: number; regs: string[] }[];
  /** Inline scoreboard operations. */
  inline?: { op: "add" | "store"; offset: number; value: string }[];
}

/** A scoreboard condition, as sent to the host. */
export interface CondReq {
  /** Byte offset of the slot in the board. */
  offset: number;
  /** Comparison. */
  cmp: string;
  /** Immediate, decimal. */
  value: string;
}

/** A memory registration, as sent to the host. */
export interface MemReq {
  /** Callback id (sync or batched). */
  id?: number;
  /** "batched" | "sync" | "inline". */
  mode: string;
  /** Which accesses. */
  when: "r" | "w" | "rw";
  /** Inline op for `mode: "inline"`. */
  inline?: { op: "add"; offset: number; value: string };
}

/** A block's instrumentation, as sent to the host. */
export interface PlanReq {
  /** Before the block. */
  block?: PointReq;
  /** Before instruction i. */
  insns: [number, PointReq][];
  /** Memory registrations of instruction i. */
  mem: [number, MemReq[]][];
  /**
   * The block-record handler standing for every batched per-instruction
   * record of the block: the host writes one record (handler, instructions
   * executed, icount at block start) when the block leaves.
   */
  compact?: number;
}
