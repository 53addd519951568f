/**
 * A small WebAssembly binary writer: just what the translator needs to emit
 * one module per translated block (types, imports, one or more functions,
 * exports). Opcodes follow the WebAssembly core spec, section 5.4.
 *
 * @module
 */

/** Value types (spec 5.3.1). */
export const I32 = 0x7f, I64 = 0x7e, F32 = 0x7d, F64 = 0x7c;
/** A wasm value type byte. */
export type ValType = typeof I32 | typeof I64 | typeof F32 | typeof F64;

/** Instruction opcodes used by the translator (spec 5.4). */
export const Op = {
  unreachable: 0x00,
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  else: 0x05,
  end: 0x0b,
  br: 0x0c,
  br_if: 0x0d,
  br_table: 0x0e,
  return: 0x0f,
  call: 0x10,
  call_indirect: 0x11,
  return_call: 0x12,
  return_call_indirect: 0x13,
  drop: 0x1a,
  select: 0x1b,
  local_get: 0x20,
  local_set: 0x21,
  local_tee: 0x22,
  i32_load: 0x28,
  i64_load: 0x29,
  f32_load: 0x2a,
  f64_load: 0x2b,
  i32_load8_s: 0x2c,
  i32_load8_u: 0x2d,
  i32_load16_s: 0x2e,
  i32_load16_u: 0x2f,
  i64_load8_s: 0x30,
  i64_load8_u: 0x31,
  i64_load16_s: 0x32,
  i64_load16_u: 0x33,
  i64_load32_s: 0x34,
  i64_load32_u: 0x35,
  i32_store: 0x36,
  i64_store: 0x37,
  f32_store: 0x38,
  f64_store: 0x39,
  i32_store8: 0x3a,
  i32_store16: 0x3b,
  i64_store8: 0x3c,
  i64_store16: 0x3d,
  i64_store32: 0x3e,
  i32_const: 0x41,
  i64_const: 0x42,
  i32_eqz: 0x45,
  i32_eq: 0x46,
  i32_ne: 0x47,
  i32_lt_s: 0x48,
  i32_lt_u: 0x49,
  i32_gt_u: 0x4b,
  i32_ge_u: 0x4f,
  i64_eqz: 0x50,
  i64_eq: 0x51,
  i64_ne: 0x52,
  i64_lt_s: 0x53,
  i64_lt_u: 0x54,
  i64_gt_s: 0x55,
  i64_gt_u: 0x56,
  i64_le_s: 0x57,
  i64_le_u: 0x58,
  i64_ge_s: 0x59,
  i64_ge_u: 0x5a,
  i32_add: 0x6a,
  i32_sub: 0x6b,
  i32_mul: 0x6c,
  i32_and: 0x71,
  i32_or: 0x72,
  i32_xor: 0x73,
  i32_shl: 0x74,
  i32_shr_s: 0x75,
  i32_shr_u: 0x76,
  i64_clz: 0x79,
  i64_add: 0x7c,
  i64_sub: 0x7d,
  i64_mul: 0x7e,
  i64_div_s: 0x7f,
  i64_div_u: 0x80,
  i64_rem_s: 0x81,
  i64_rem_u: 0x82,
  i64_and: 0x83,
  i64_or: 0x84,
  i64_xor: 0x85,
  i64_shl: 0x86,
  i64_shr_s: 0x87,
  i64_shr_u: 0x88,
  i32_wrap_i64: 0xa7,
  i64_extend_i32_s: 0xac,
  i64_extend_i32_u: 0xad,
  i64_trunc_f64_s: 0xb0,
  f64_convert_i64_s: 0xb9,
  i32_reinterpret_f32: 0xbc,
  i64_reinterpret_f64: 0xbd,
  f32_reinterpret_i32: 0xbe,
  f64_reinterpret_i64: 0xbf,
  i64_extend32_s: 0xc4,
} as const;

/** Prefix 0xFC opcodes: saturating truncations (spec 5.4.7). */
export const OpFC = {
  i64_trunc_sat_f64_s: 6,
  i64_trunc_sat_f64_u: 7,
} as const;

/** Block type for blocks that take and return nothing. */
export const VOID = 0x40;

const utf8 = new TextEncoder();

/**
 * A growable byte buffer with LEB128 writers.
 *
 * @example
 * ```ts
 * import { Bytes } from "./wasm.ts";
 * const b = new Bytes();
 * b.u32(624485);
 * console.log([...b.finish()]); // [229, 142, 38]
 * ```
 */
export class Bytes {
  // A plain array: allocating and growing typed arrays costs microseconds
  // each (external memory, zeroing), far more than the bytes themselves.
  private readonly buf: number[] = [];

  /** Number of bytes written. */
  get length(): number {
    return this.buf.length;
  }

  /** Appends one byte. */
  byte(b: number): this {
    this.buf.push(b & 0xff);
    return this;
  }

  /** Appends raw bytes. */
  bytes(data: ArrayLike<number>): this {
    const buf = this.buf;
    for (let i = 0; i < data.length; i++) buf.push(data[i]);
    return this;
  }

  /** Appends everything written to `other`. */
  append(other: Bytes): this {
    return this.bytes(other.buf);
  }

  /** Appends an unsigned LEB128 (values up to 2^32). */
  u32(v: number): this {
    v = v >>> 0;
    do {
      let b = v & 0x7f;
      v >>>= 7;
      if (v !== 0) b |= 0x80;
      this.byte(b);
    } while (v !== 0);
    return this;
  }

  /** Appends a signed LEB128 of a 32-bit integer. */
  s32(v: number): this {
    v |= 0;
    for (;;) {
      const b = v & 0x7f;
      v >>= 7;
      if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
        return this.byte(b);
      }
      this.byte(b | 0x80);
    }
  }

  /** Appends a signed LEB128 of a safe integer (|v| <= 2^53), without BigInt. */
  sNum(v: number): this {
    if (v >= -0x8000_0000 && v <= 0x7fff_ffff) return this.s32(v);
    for (;;) {
      const b = ((v % 128) + 128) % 128;
      v = (v - b) / 128;
      if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
        return this.byte(b);
      }
      this.byte(b | 0x80);
    }
  }

  /** Appends a signed LEB128 of a 64-bit integer given as a BigInt. */
  s64(v: bigint): this {
    v = BigInt.asIntN(64, v);
    for (;;) {
      const b = Number(v & 0x7fn);
      v >>= 7n;
      if ((v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0)) {
        return this.byte(b);
      }
      this.byte(b | 0x80);
    }
  }

  /** Appends a length-prefixed UTF-8 name. */
  name(s: string): this {
    const e = utf8.encode(s);
    return this.u32(e.length).bytes(e);
  }

  /** Returns a copy of the written bytes. */
  finish(): Uint8Array<ArrayBuffer> {
    return new Uint8Array(this.buf);
  }
}

/** A function signature. */
export interface FuncType {
  /** Parameter types. */
  params: ValType[];
  /** Result types. */
  results: ValType[];
}

/** An imported function. */
export interface FuncImport {
  /** Module name. */
  module: string;
  /** Field name. */
  name: string;
  /** Signature. */
  type: FuncType;
}

/** A function defined by the module. */
export interface FuncDef {
  /** Signature. */
  type: FuncType;
  /** Extra locals beyond the parameters. */
  locals: ValType[];
  /** The body's instructions, without the final `end`. */
  body: ArrayLike<number> | Bytes;
  /** Export name, if exported. */
  export?: string;
}

/** What a module imports besides functions. */
export interface ModuleImports {
  /** Memories imported as `(module, name)` in order (index 0, 1, ...). */
  memories?: {
    module: string;
    name: string;
    shared?: boolean;
    pages: number;
  }[];
  /** A funcref table imported as `(module, name)`, min size. */
  table?: { module: string; name: string; min: number };
}

function typeKey(t: FuncType): string {
  return t.params.join(",") + ">" + t.results.join(",");
}

/**
 * Assembles a module from function imports and definitions.
 *
 * @example
 * ```ts
 * import { buildModule, I32, Op } from "./wasm.ts";
 * const bytes = buildModule([], [{
 *   type: { params: [], results: [I32] },
 *   locals: [],
 *   body: new Uint8Array([Op.i32_const, 42]),
 *   export: "f",
 * }]);
 * const { instance } = await WebAssembly.instantiate(bytes);
 * console.log((instance.exports.f as () => number)()); // 42
 * ```
 */
export function buildModule(
  imports: FuncImport[],
  funcs: FuncDef[],
  other: ModuleImports = {},
): Uint8Array<ArrayBuffer> {
  const types: FuncType[] = [];
  const typeIndex = new Map<string, number>();
  const idx = (t: FuncType) => {
    const k = typeKey(t);
    let i = typeIndex.get(k);
    if (i === undefined) {
      i = types.length;
      types.push(t);
      typeIndex.set(k, i);
    }
    return i;
  };
  // Defined functions' types first: a module with one function `() -> i32`
  // can then name that type as index 0 (call_indirect / return_call_indirect).
  for (const f of funcs) idx(f.type);
  for (const im of imports) idx(im.type);

  const out = new Bytes().bytes([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
  const section = (id: number, body: Bytes) => {
    out.byte(id).u32(body.length).append(body);
  };

  const ts = new Bytes().u32(types.length);
  for (const t of types) {
    ts.byte(0x60).u32(t.params.length).bytes(t.params);
    ts.u32(t.results.length).bytes(t.results);
  }
  section(1, ts);

  const mems = other.memories ?? [];
  const nImports = imports.length + mems.length + (other.table ? 1 : 0);
  if (nImports > 0) {
    const is = new Bytes().u32(nImports);
    for (const m of mems) {
      is.name(m.module).name(m.name).byte(2);
      is.byte(m.shared ? 3 : 1).u32(m.pages).u32(m.pages);
    }
    if (other.table) {
      is.name(other.table.module).name(other.table.name).byte(1);
      is.byte(0x70).byte(0).u32(other.table.min);
    }
    for (const im of imports) {
      is.name(im.module).name(im.name).byte(0).u32(idx(im.type));
    }
    section(2, is);
  }

  const fs = new Bytes().u32(funcs.length);
  for (const f of funcs) fs.u32(idx(f.type));
  section(3, fs);

  const exported = funcs.map((f, i) => ({ f, i })).filter((x) => x.f.export);
  const es = new Bytes().u32(exported.length);
  for (const { f, i } of exported) {
    es.name(f.export!).byte(0).u32(imports.length + i);
  }
  section(7, es);

  const cs = new Bytes().u32(funcs.length);
  for (const f of funcs) {
    const body = new Bytes();
    // Run-length encode the locals.
    const runs: [number, number][] = [];
    for (const t of f.locals) {
      const last = runs[runs.length - 1];
      if (last && last[1] === t) last[0]++;
      else runs.push([1, t]);
    }
    body.u32(runs.length);
    for (const [n, t] of runs) body.u32(n).byte(t);
    if (f.body instanceof Bytes) body.append(f.body);
    else body.bytes(f.body);
    body.byte(Op.end);
    cs.u32(body.length).append(body);
  }
  section(10, cs);
  return out.finish();
}
