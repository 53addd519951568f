/**
 * The Linux user-mode ABI for riscv64: ELF loading, the initial stack,
 * system calls, signals and the sandboxed guest file system.
 *
 * @example
 * ```ts
 * import { Kernel } from "./mod.ts";
 * console.log(Kernel.syscallName(93)); // "exit"
 * ```
 *
 * @module
 */

export { Kernel, type KernelOptions, type SyscallHandler } from "./kernel.ts";
export type { Mount } from "./vfs.ts";
export type { Resume } from "./resume.ts";
export type { Stdio } from "./stdio.ts";
export { syscallName, syscallNumber } from "./sysnums.ts";
export { PIE_BASE } from "./elf.ts";
export { STACK_SIZE, STACK_TOP } from "./stack.ts";
export { Sig } from "./signal_state.ts";
export { Vfs } from "./vfs.ts";
export { Signals } from "./signal_state.ts";
export { Mappings } from "./vma.ts";
export { FdTable } from "./fd_table.ts";
export { type Clock, hostClock, virtualClock } from "./clock.ts";
export { hostRandom, type RandomSource, seededRandom } from "./random.ts";
export type { DeviceName, Resolved, SyntheticFs } from "./vfs.ts";
export {
  type ProcessEntry,
  type ProcessTable,
  ProcFs,
  type ProcNode,
  singleProcess,
} from "./procfs.ts";
export { MapTable, SharedRegion } from "./map_table.ts";
export { UnixSocket } from "./unix_socket.ts";
export type { Creds, Message, Received, UnixName } from "./unix_socket.ts";
export type { FileDescription, MapRecord } from "./map_table.ts";
export type { SigAction } from "./signal_state.ts";
export type { SigInfo } from "./signal_frame.ts";
export type {
  AnonFile,
  Description,
  DescriptionCommon,
  FdEntry,
  Pipe,
} from "./fd_table.ts";
export type { Wait } from "./wait.ts";
export {
  DEFAULT_QUANTUM,
  MAX_PROCESSES,
  type Runner,
  Scheduler,
  type SchedulerHooks,
} from "./scheduler.ts";
export { Process, type ProcessEnd } from "./process.ts";
export { Task, TASK_STATE_BYTES } from "./task.ts";
export { FutexTable, type FutexWaiter } from "./futex_table.ts";
