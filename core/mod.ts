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

export { Machine, type MachineOptions, type RunResult, signalName } from "./machine.ts";
export { GuestMemory } from "./memory.ts";
export { Cpu } from "./cpu.ts";
export { Exit, type ExitCause, exitName } from "./exit.ts";
export { Translator, type TranslatorStats } from "./jit/translator.ts";
export { decode, decodeAt } from "./isa/decode.ts";
export { disassemble } from "./isa/disasm.ts";
export type { Decoded, InsnSpec } from "./isa/types.ts";
