/**
 * The reference interpreter and the FPU contract it is written against.
 *
 * @example
 * ```ts
 * import { Interpreter } from "./mod.ts";
 * console.log(typeof Interpreter); // "function"
 * ```
 *
 * @module
 */

export { Interpreter } from "./interpreter.ts";
export type { FpuOps } from "./fpu_ops.ts";
export {
  CSR_CYCLE,
  CSR_FCSR,
  CSR_FFLAGS,
  CSR_FRM,
  CSR_INSTRET,
  CSR_TIME,
} from "./exec_zicsr.ts";
