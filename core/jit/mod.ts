/**
 * The translator: guest basic blocks compiled to WebAssembly, with the
 * instrumentation seam that the plugin runtime builds on.
 *
 * @example
 * ```ts
 * import { buildModule, I32, Op } from "./mod.ts";
 * const bytes = buildModule([], [{
 *   type: { params: [], results: [I32] },
 *   locals: [],
 *   body: new Uint8Array([Op.i32_const, 7]),
 *   export: "f",
 * }]);
 * console.log(WebAssembly.validate(bytes)); // true
 * ```
 *
 * @module
 */

export { EMITTERS, Translator, type TranslatorStats } from "./translator.ts";
export type {
  BlockPlan,
  BlockView,
  ExecCall,
  InlineOp,
  InsnView,
  Instrumenter,
  MemPlan,
  PointPlan,
  RecordField,
  RecordOp,
  RegAccess,
  ScoreboardOp,
  SlotCondition,
} from "./instrument.ts";
export { insnView, MEM_INFO } from "./instrument.ts";
export { COUNTER, JitProfile, type ProfileTimes } from "./jit_profile.ts";
export { type EmitFn } from "./emit_int.ts";
export {
  BlockBuilder,
  type BlockInsn,
  type HostImport,
} from "./block_builder.ts";
export {
  buildModule,
  Bytes,
  F32,
  F64,
  type FuncDef,
  type FuncImport,
  type FuncType,
  I32,
  I64,
  type ModuleImports,
  Op,
  OpFC,
  type ValType,
  VOID,
} from "./wasm.ts";
