/**
 * RV64A atomic instructions (RISC-V Unprivileged ISA, chapter 14).
 *
 * @module
 */

import { load, type Shape, shape, store, XX, XXX } from "./_shapes.ts";
import type { InsnSpec } from "./types.ts";

/** AMO mask: funct5, funct3 and opcode; aq/rl are operands (Unpriv. 14.4). */
const AMO = 0xf800707f;
/** LR additionally requires rs2 = 0 (Unpriv. 14.2). */
const LR = 0xf9f0707f;

/** lr: rd <- mem[x[rs1]], reserving it (Unpriv. 14.2); .w sign-extends. */
const LR_W: Shape = shape("A", "A", XX, load(4, true));
const LR_D: Shape = shape("A", "A", XX, load(8));
/** sc: mem[x[rs1]] <- rs2 if still reserved; rd <- 0 on success. */
const SC_W: Shape = shape("A", "A", XXX, store(4));
const SC_D: Shape = shape("A", "A", XXX, store(8));
/** AMOs: rd <- mem[x[rs1]]; mem[x[rs1]] <- op(that, rs2) (Unpriv. 14.4). */
const AMO_W: Shape = shape("A", "A", XXX, { ...load(4, true), store: true });
const AMO_D: Shape = shape("A", "A", XXX, { ...load(8), store: true });

/**
 * The RV64A table (opcode AMO = 0x2f, funct3 2 = .w, 3 = .d).
 *
 * @example
 * ```ts
 * import { RV64A } from "./rv64a.ts";
 * console.log(RV64A.length); // 22
 * ```
 */
export const RV64A = [
  { name: "lr.w", mask: LR, match: 0x1000202f, ...LR_W },
  { name: "sc.w", mask: AMO, match: 0x1800202f, ...SC_W },
  { name: "amoswap.w", mask: AMO, match: 0x0800202f, ...AMO_W },
  { name: "amoadd.w", mask: AMO, match: 0x0000202f, ...AMO_W },
  { name: "amoxor.w", mask: AMO, match: 0x2000202f, ...AMO_W },
  { name: "amoand.w", mask: AMO, match: 0x6000202f, ...AMO_W },
  { name: "amoor.w", mask: AMO, match: 0x4000202f, ...AMO_W },
  { name: "amomin.w", mask: AMO, match: 0x8000202f, ...AMO_W },
  { name: "amomax.w", mask: AMO, match: 0xa000202f, ...AMO_W },
  { name: "amominu.w", mask: AMO, match: 0xc000202f, ...AMO_W },
  { name: "amomaxu.w", mask: AMO, match: 0xe000202f, ...AMO_W },
  { name: "lr.d", mask: LR, match: 0x1000302f, ...LR_D },
  { name: "sc.d", mask: AMO, match: 0x1800302f, ...SC_D },
  { name: "amoswap.d", mask: AMO, match: 0x0800302f, ...AMO_D },
  { name: "amoadd.d", mask: AMO, match: 0x0000302f, ...AMO_D },
  { name: "amoxor.d", mask: AMO, match: 0x2000302f, ...AMO_D },
  { name: "amoand.d", mask: AMO, match: 0x6000302f, ...AMO_D },
  { name: "amoor.d", mask: AMO, match: 0x4000302f, ...AMO_D },
  { name: "amomin.d", mask: AMO, match: 0x8000302f, ...AMO_D },
  { name: "amomax.d", mask: AMO, match: 0xa000302f, ...AMO_D },
  { name: "amominu.d", mask: AMO, match: 0xc000302f, ...AMO_D },
  { name: "amomaxu.d", mask: AMO, match: 0xe000302f, ...AMO_D },
] as const satisfies readonly InsnSpec[];
