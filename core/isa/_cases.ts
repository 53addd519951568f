/**
 * Engine-independent instruction test cases: hand-assembled words plus the
 * machine state before and after. The interpreter's tests run them, and the
 * translator's tests run the very same cases through {@link runCase}.
 *
 * @module
 */

import { equal } from "node:assert/strict";
import { Cpu } from "../cpu.ts";
import { Exit, type ExitCause, exitName } from "../exit.ts";
import { Fpu } from "../fpu/fpu.ts";
import { EXIT_TVAL_OFF, PERM_R, PERM_W, PERM_X } from "../layout.ts";
import { GuestMemory } from "../memory.ts";
import { abiName, fpName } from "./disasm.ts";

/** Where case code is loaded and starts (one R|X page). */
export const CODE = 0x10000;
/** Two read-write data pages, [DATA, DATA + 0x2000). */
export const DATA = 0x20000;
/** One read-only page. */
export const RO = 0x30000;
/** An unmapped page. */
export const UNMAPPED = 0x40000;
/** Appended after every case's words: `ebreak`, the default way out. */
export const EBREAK = 0x00100073;

/** Initial or expected memory contents at `addr`. */
export interface MemBytes {
  readonly addr: number;
  /** Little-endian 64-bit value, or raw bytes. */
  readonly u64?: bigint;
  readonly bytes?: readonly number[];
}

/** What must hold after the run. */
export interface Expect {
  /** Integer registers by ABI name. */
  readonly x?: Readonly<Record<string, bigint>>;
  /** FP registers by ABI name, as raw 64-bit patterns. */
  readonly f?: Readonly<Record<string, bigint>>;
  readonly mem?: readonly MemBytes[];
  /** Default: `Exit.EBREAK` on the appended ebreak. */
  readonly exit?: ExitCause;
  /** Exit tval (default: not checked, except 0 for the final ebreak). */
  readonly tval?: bigint;
  /** Final pc (default: the appended ebreak when `exit` is defaulted). */
  readonly pc?: number;
  /** Final instret (counting the exiting instruction). */
  readonly instret?: number;
  readonly fflags?: number;
  readonly frm?: number;
}

/** One instruction test. */
export interface Case {
  /** The assembly, for messages. */
  readonly asm: string;
  /** Instruction words; a value whose low two bits are not 0b11 is 16-bit. */
  readonly words: readonly number[];
  /** Initial integer registers by ABI name. */
  readonly x?: Readonly<Record<string, bigint>>;
  /** Initial FP registers (raw bits) by ABI name. */
  readonly f?: Readonly<Record<string, bigint>>;
  readonly fflags?: number;
  readonly frm?: number;
  readonly mem?: readonly MemBytes[];
  readonly expect: Expect;
}

/** Something that runs guest code (the interpreter, the translator). */
export interface Engine {
  run(max: number): ExitCause;
}

/** Builds an engine over the given machine. */
export type MakeEngine = (mem: GuestMemory, cpu: Cpu, fpu: Fpu) => Engine;

let shared: GuestMemory | undefined;

/** One 4 GiB memory reused by every case (reset between cases). */
function machine(): GuestMemory {
  shared ??= new GuestMemory();
  return shared;
}

const XREG = new Map(Array.from({ length: 32 }, (_, i) => [abiName(i), i]));
const FREG = new Map(Array.from({ length: 32 }, (_, i) => [fpName(i), i]));

function reg(map: Map<string, number>, name: string): number {
  const r = map.get(name);
  if (r === undefined) throw new TypeError(`unknown register "${name}"`);
  return r;
}

function bytesOf(m: MemBytes): Uint8Array {
  if (m.bytes) return Uint8Array.from(m.bytes);
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, m.u64 ?? 0n), true);
  return b;
}

const hex = (v: bigint) => "0x" + BigInt.asUintN(64, v).toString(16);

/**
 * Loads `c` at {@link CODE}, runs it on a fresh engine and asserts the
 * expectations (throws an AssertionError naming the case on a mismatch).
 *
 * @example
 * ```ts
 * import { runCase } from "./_cases.ts";
 * import { Interpreter } from "../interp/interpreter.ts";
 * runCase((mem, cpu, fpu) => new Interpreter(mem, cpu, fpu), {
 *   asm: "add a0,a0,a1",
 *   words: [0x00b50533], // add a0,a0,a1
 *   x: { a0: 2n, a1: 3n },
 *   expect: { x: { a0: 5n } },
 * });
 * ```
 */
export function runCase(makeEngine: MakeEngine, c: Case): void {
  const mem = machine();
  mem.unmap(CODE, UNMAPPED + 0x1000 - CODE);
  mem.u8.fill(0, 0, 0x1000); // vCPU state
  mem.map(CODE, 0x1000, PERM_R | PERM_X);
  mem.map(DATA, 0x2000, PERM_R | PERM_W);
  mem.map(RO, 0x1000, PERM_R);
  const cpu = new Cpu(mem.memory.buffer);
  let pc = CODE;
  for (const w of [...c.words, EBREAK]) {
    if ((w & 3) === 3) {
      mem.view.setUint32(pc, w >>> 0, true);
      pc += 4;
    } else {
      mem.view.setUint16(pc, w, true);
      pc += 2;
    }
  }
  const end = pc - 4;
  for (const m of c.mem ?? []) mem.poke(m.addr, bytesOf(m));
  for (const [n, v] of Object.entries(c.x ?? {})) cpu.x[reg(XREG, n)] = v;
  for (const [n, v] of Object.entries(c.f ?? {})) {
    cpu.fbits[reg(FREG, n)] = BigInt.asUintN(64, v);
  }
  cpu.fflags = c.fflags ?? 0;
  cpu.frm = c.frm ?? 0;
  cpu.pc = CODE;
  const fpu = new Fpu(new Int32Array(mem.memory.buffer), Cpu.FFLAGS_INDEX);
  const cause = makeEngine(mem, cpu, fpu).run(10_000);

  const e = c.expect, at = `[${c.asm}]`;
  const exit = e.exit ?? Exit.EBREAK;
  equal(exitName(cause), exitName(exit), `${at} exit cause`);
  equal(cpu.exitCause, exit, `${at} cpu.exitCause`);
  if (e.pc !== undefined) {
    equal(hex(BigInt(cpu.pc)), hex(BigInt(e.pc)), `${at} pc`);
  } else if (e.exit === undefined) {
    equal(cpu.pc, end, `${at} pc at final ebreak`);
  }
  if (e.tval !== undefined) {
    // Read the exact 64 bits: Cpu.exitTval is a number and rounds above 2^53.
    const tval = new BigInt64Array(mem.memory.buffer, EXIT_TVAL_OFF, 1)[0];
    equal(hex(tval), hex(e.tval), `${at} tval`);
  }
  if (e.instret !== undefined) equal(cpu.instret, e.instret, `${at} instret`);
  for (const [n, v] of Object.entries(e.x ?? {})) {
    equal(hex(cpu.x[reg(XREG, n)]), hex(v), `${at} ${n}`);
  }
  for (const [n, v] of Object.entries(e.f ?? {})) {
    equal(hex(cpu.fbits[reg(FREG, n)]), hex(v), `${at} ${n}`);
  }
  for (const m of e.mem ?? []) {
    const want = bytesOf(m);
    const got = mem.u8.slice(m.addr, m.addr + want.length);
    equal(
      [...got].join(","),
      [...want].join(","),
      `${at} memory at ${hex(BigInt(m.addr))}`,
    );
  }
  if (e.fflags !== undefined) equal(cpu.fflags, e.fflags, `${at} fflags`);
  if (e.frm !== undefined) equal(cpu.frm, e.frm, `${at} frm`);
}

/** f64 raw bits of a number (for case data). */
export function d64(v: number): bigint {
  const b = new DataView(new ArrayBuffer(8));
  b.setFloat64(0, v, true);
  return b.getBigUint64(0, true);
}

/** NaN-boxed f32 raw bits of a number, rounded to single (for case data). */
export function s32(v: number): bigint {
  const b = new DataView(new ArrayBuffer(4));
  b.setFloat32(0, v, true);
  return 0xffff_ffff_0000_0000n | BigInt(b.getUint32(0, true));
}
