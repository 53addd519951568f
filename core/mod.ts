/**
 * The machine: RV64GC ISA tables, the reference interpreter, the WebAssembly
 * translator, guest memory and the Linux user-mode ABI. It knows nothing of
 * plugins; instrumentation attaches at translation time.
 *
 * @example
 * ```ts
 * import { decode, disassemble } from "./mod.ts";
 * const d = decode(0x00a50533)!; // add a0,a0,a0
 * console.log(disassemble(d, 0x10000)); // "add a0,a0,a0"
 * ```
 *
 * @module
 */

export {
  type DiscontinuityKind,
  type EngineName,
  Machine,
  type MachineHooks,
  type MachineOptions,
  type RunResult,
  SIG,
  signalName,
} from "./machine.ts";
export { GuestMemory, pageDown, pageUp } from "./memory.ts";
export { Cpu } from "./cpu.ts";
export { Exit, type ExitCause, exitName } from "./exit.ts";
export * from "./layout.ts";
export * from "./jit/mod.ts";
export * from "./isa/mod.ts";
export * from "./fpu/mod.ts";
export * from "./interp/mod.ts";
export * from "./linux/mod.ts";
export { findRegister, type RegisterInfo, REGISTERS } from "./registers.ts";
