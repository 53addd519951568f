/**
 * The plugin instrumentation API, version 1: what `install(ctx, args)` can
 * do. It follows QEMU's TCG plugin API v7 (`qemu-plugin.h`): one entry
 * point, registration functions named by scope and event, opaque handles
 * whose validity is documented, and a version handshake.
 *
 * Every callback runs inside the plugin's own Worker. Events reach it in one
 * of three delivery modes, chosen per registration:
 * - **inline**: `inlineAdd` / `inlineStore` on a {@link Scoreboard}; compiled
 *   into the translated code, no cross-thread work per event. The plugin
 *   reads its scoreboard directly (shared memory).
 * - **batched** (default for exec and memory events): translated code writes
 *   a record per event into a shared ring, which the worker drains in
 *   batches. Records capture what the plugin asked for (`regs`) at the
 *   event's moment. The vCPU waits when the ring is full; nothing is
 *   dropped; all events are delivered before `onAtExit` callbacks run.
 * - **sync**: the vCPU holds until the callback returns. Needed to read or
 *   write registers and memory, move the pc, or filter system calls.
 *   Translation callbacks (`onTbTrans`), system call callbacks and filters
 *   are always sync.
 *
 * Changelog:
 * - 1.0.0: first version.
 *
 * @module
 */

import type { PluginArgs } from "./plugin_args.ts";
import type { Qpp } from "./qpp_api.ts";

/** How a callback's events are delivered. */
export type DeliveryMode = "batched" | "sync";

/** How much vCPU state a sync exec callback uses (QEMU's `qemu_plugin_cb_flags`). */
export type RegAccess = "none" | "read" | "rw";

/** Options of an exec callback. */
export interface ExecOptions {
  /** Delivery mode; default "batched". */
  readonly mode?: DeliveryMode;
  /**
   * Batched: integer registers (ABI or `xN` names) captured into each event.
   * Sync: ignored; use `access` and `ctx.readRegister`.
   */
  readonly regs?: readonly string[];
  /** Sync only: register access (default "read"). */
  readonly access?: RegAccess;
}

/** Options of a memory callback. */
export interface MemOptions {
  /** Which accesses: loads "r", stores "w", or both "rw" (default). */
  readonly when?: "r" | "w" | "rw";
  /** Delivery mode; default "batched". */
  readonly mode?: DeliveryMode;
}

/**
 * An executed block or instruction. The object is reused between events:
 * copy what you keep.
 */
export interface ExecEvent {
  /** vCPU index (always 0: user mode runs one vCPU). */
  readonly vcpu: number;
  /** Guest pc of the block or instruction. */
  readonly pc: number;
  /** Guest instructions executed before this point. */
  readonly icount: number;
  /** A register captured for this event (batched: those in `regs`). */
  reg(name: string): bigint;
}

/** A guest memory access. Reused between events: copy what you keep. */
export interface MemEvent {
  /** vCPU index. */
  readonly vcpu: number;
  /** Guest pc of the accessing instruction. */
  readonly pc: number;
  /** Guest virtual address. */
  readonly addr: number;
  /** Access size in bytes (1, 2, 4, 8). */
  readonly size: number;
  /** True for stores (and the store half of atomics). */
  readonly isStore: boolean;
  /** True when a load sign-extends. */
  readonly signExtended: boolean;
  /** Always false: RISC-V is little-endian. */
  readonly bigEndian: boolean;
  /** The value loaded or stored (zero-extended to 64 bits). */
  readonly value: bigint;
}

/** Comparison of a scoreboard slot with an immediate (unsigned). */
export type CondOp = "eq" | "ne" | "lt" | "le" | "gt" | "ge";

/** One 64-bit slot of a scoreboard, for inline operations. */
export interface ScoreboardEntry {
  /** The scoreboard. */
  readonly board: Scoreboard;
  /** Slot index. */
  readonly slot: number;
}

/**
 * Per-vCPU 64-bit counters in shared memory (QEMU's `qemu_plugin_scoreboard`).
 * Translated code updates them inline; the plugin reads them directly.
 */
export interface Scoreboard {
  /** Slots per vCPU. */
  readonly slots: number;
  /** The entry for `slot`, to use in inline operations. */
  entry(slot: number): ScoreboardEntry;
  /** Reads a slot of a vCPU (default vCPU 0). */
  get(slot: number, vcpu?: number): bigint;
  /** Writes a slot of a vCPU. */
  set(slot: number, value: bigint, vcpu?: number): void;
  /** Sum of a slot over all vCPUs. */
  sum(slot: number): bigint;
}

/** A condition on a scoreboard entry (conditional callbacks). */
export interface Condition {
  /** The slot compared. */
  readonly entry: ScoreboardEntry;
  /** How. */
  readonly op: CondOp;
  /** With what. */
  readonly value: number | bigint;
}

/** Things every point of instrumentation (a block, an instruction) offers. */
export interface ExecPoint {
  /** Calls `cb` each time execution reaches this point. */
  onExec(cb: (e: ExecEvent) => void, opts?: ExecOptions): void;
  /** Calls `cb` when `cond` holds at this point (always sync). */
  onExecIf(
    cond: Condition,
    cb: (e: ExecEvent) => void,
    opts?: ExecOptions,
  ): void;
  /** Adds `value` to a scoreboard entry, inline, each time. */
  inlineAdd(entry: ScoreboardEntry, value: number | bigint): void;
  /** Stores `value` into a scoreboard entry, inline, each time. */
  inlineStore(entry: ScoreboardEntry, value: number | bigint): void;
}

/**
 * An instruction of a block being translated. Valid only during the
 * `onTbTrans` callback that received it; its properties may be copied.
 */
export interface InsnHandle extends ExecPoint {
  /** Guest virtual address. */
  readonly vaddr: number;
  /** Host address: with our flat memory, the same as `vaddr`. */
  readonly haddr: number;
  /** Length in bytes (2 or 4). */
  readonly size: number;
  /** The raw bytes. */
  readonly bytes: Uint8Array;
  /** Disassembly, objdump style (`addi a0,sp,16`). */
  readonly disas: string;
  /** Mnemonic of the decoded instruction (base form: `addi` for `c.addi`). */
  readonly mnemonic: string;
  /** Name of the function symbol containing it, if the ELF has symbols. */
  readonly symbol: string | undefined;
  /** Calls `cb` on each memory access this instruction makes. */
  onMem(cb: (e: MemEvent) => void, opts?: MemOptions): void;
  /** Adds `value` to an entry, inline, on each matching memory access. */
  inlineMemAdd(
    entry: ScoreboardEntry,
    value: number | bigint,
    when?: "r" | "w" | "rw",
  ): void;
}

/**
 * A block being translated (QEMU's `qemu_plugin_tb`). Valid only during the
 * `onTbTrans` callback that received it.
 */
export interface TbHandle extends ExecPoint {
  /** Guest address of the first instruction. */
  readonly vaddr: number;
  /** Number of instructions. */
  readonly nInsns: number;
  /** Total size in bytes. */
  readonly size: number;
  /** Its instructions. */
  readonly insns: readonly InsnHandle[];
  /** Instruction `i`. */
  insn(i: number): InsnHandle;
}

/** A system call at entry. Valid during the callback. */
export interface SyscallEvent {
  /** vCPU index. */
  readonly vcpu: number;
  /** riscv64 system call number (a7). */
  readonly num: number;
  /** Its name (`openat`), or `syscall_N` if unknown. */
  readonly name: string;
  /** The six argument registers a0-a5, as unsigned 64-bit values. */
  readonly args: readonly bigint[];
  /** pc of the `ecall`. */
  readonly pc: number;
  /** Instructions executed before the `ecall`. */
  readonly icount: number;
}

/** A system call at return. */
export interface SyscallReturnEvent extends SyscallEvent {
  /** The result (a0), signed: negative values are -errno. */
  readonly ret: bigint;
}

/** What a syscall filter decides: skip the call and return `ret` instead. */
export type SyscallFilterResult = {
  readonly skip: true;
  readonly ret: bigint | number;
} | undefined;

/** A change of control flow other than a branch (QEMU's discontinuities). */
export interface DiscontinuityEvent {
  /** vCPU index. */
  readonly vcpu: number;
  /** What happened. */
  readonly kind: "ecall" | "ebreak" | "exception" | "signal" | "sigreturn";
  /** pc before. */
  readonly from: number;
  /** pc after. */
  readonly to: number;
  /** The signal number, for `signal`. */
  readonly signal?: number;
}

/** A register the plugin may read (QEMU's `qemu_plugin_reg_descriptor`). */
export interface RegisterDescriptor {
  /** Name: `pc`, `x0`..`x31` (ABI names accepted too), `f0`..`f31`, `fflags`, `frm`, `fcsr`. */
  readonly name: string;
  /** Size in bytes. */
  readonly size: number;
  /** Feature group: "cpu", "fpu" or "csr". */
  readonly feature: string;
}

/**
 * The guest program, as QEMU's `qemu_plugin_path_to_binary`,
 * `qemu_plugin_start_code`, `qemu_plugin_end_code` and
 * `qemu_plugin_entry_code` describe it.
 */
export interface GuestBinary {
  /** The program path as the user gave it. */
  readonly path: string;
  /** Lowest address of its executable segments. */
  readonly startCode: number;
  /** End of its executable segments' file contents. */
  readonly endCode: number;
  /** Entry point. */
  readonly entryCode: number;
}

/** A function symbol of the guest's ELF. */
export interface GuestSymbol {
  /** Name. */
  readonly name: string;
  /** Start address. */
  readonly addr: number;
  /** Size in bytes. */
  readonly size: number;
}

/**
 * What `install(ctx, args)` receives. Registration functions may be called
 * during `install` and (for per-block registrations) inside `onTbTrans`.
 * State access follows QEMU's callback flags, and the host enforces it:
 * reading (`readRegister`, `readMemory`, `readCString`) works only while a
 * callback that may read runs: a sync exec callback registered with
 * `access` "read" or "rw", a sync memory callback, a system call callback
 * or filter, a discontinuity callback. Writing (`writeRegister`,
 * `writeMemory`, `setPc`) works only while a sync exec callback registered
 * with `access` "rw", or a system call filter, runs. Anything else throws
 * an error named `NotCapable` that says which access is missing.
 */
export interface PluginContext {
  /** The plugin's manifest name. */
  readonly name: string;
  /** The plugin's command-line arguments. */
  readonly args: PluginArgs;
  /** The host's plugin API version. */
  readonly apiVersion: string;
  /** Number of vCPUs (1 in user mode). */
  readonly vcpus: number;
  /** Plugin-to-plugin functions and callbacks (see `qpp_api.ts`). */
  readonly qpp: Qpp;
  /** Writes text to the plugin log (stderr, or the `-D` file), like `qemu_plugin_outs`. */
  log(text: string): void;

  /** A vCPU starts. */
  onVcpuInit(cb: (vcpu: number) => void): void;
  /** A vCPU stops for good. */
  onVcpuExit(cb: (vcpu: number) => void): void;
  /** A vCPU goes idle (blocks in a sleeping system call). */
  onVcpuIdle(cb: (vcpu: number) => void): void;
  /** A vCPU resumes after idling. */
  onVcpuResume(cb: (vcpu: number) => void): void;
  /** A block is translated: register per-block and per-instruction instrumentation. */
  onTbTrans(cb: (tb: TbHandle) => void): void;
  /** A system call is entered. */
  onSyscall(cb: (e: SyscallEvent) => void): void;
  /** A system call returns. */
  onSyscallReturn(cb: (e: SyscallReturnEvent) => void): void;
  /** Decides whether to skip a system call and what it returns. */
  onSyscallFilter(cb: (e: SyscallEvent) => SyscallFilterResult): void;
  /** Control leaves the straight path: ecall, ebreak, exception, signal. */
  onDiscontinuity(cb: (e: DiscontinuityEvent) => void): void;
  /** Translations were flushed (fence.i, reset). */
  onFlush(cb: () => void): void;
  /** The guest has exited and every event was delivered. */
  onAtExit(cb: () => void): void;

  /** Allocates a scoreboard with `slots` 64-bit slots per vCPU. */
  scoreboard(slots: number): Scoreboard;
  /** The guest's function symbols (empty if the ELF is stripped). */
  symbols(): readonly GuestSymbol[];
  /** The guest program: its path, code bounds and entry point. */
  binary(): GuestBinary;
  /** The registers that can be read. */
  registers(): readonly RegisterDescriptor[];
  /** Reads a register (sync callbacks only). */
  readRegister(name: string): bigint;
  /** Writes a register (sync exec callbacks with access "rw"; syscall filters). */
  writeRegister(name: string, value: bigint): void;
  /** Moves the pc: execution resumes there after the callback (access "rw"). */
  setPc(pc: number): void;
  /** Reads guest memory (sync callbacks only); throws RangeError if unmapped. */
  readMemory(addr: number, len: number): Uint8Array;
  /** Reads a NUL-terminated guest string (sync callbacks only). */
  readCString(addr: number, max?: number): string;
  /** Writes guest memory (access "rw", syscall filters); throws RangeError if not writable. */
  writeMemory(addr: number, data: Uint8Array): void;
  /**
   * Leaves a structured result (a JSON value, at most 1 MiB as JSON) for
   * whoever runs the emulator: the latest one wins, and the host keeps it
   * after the run (`reports()` of the plugin set). Throws TypeError if the
   * value is not JSON or too large.
   */
  report(value: unknown): void;
  /** Removes this plugin: no more callbacks; `onAtExit` callbacks still run. */
  uninstall(): void;
  /** Drops every registration of this plugin and re-translates. */
  reset(): void;
}
