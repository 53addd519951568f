/**
 * RV64A atomic instructions (RISC-V Unprivileged ISA, chapter 14).
 *
 * @module
 */

import type { InsnSpec } from "./types.ts";

/** AMO mask: funct5, funct3 and opcode; aq/rl are operands (Unpriv. 14.4). */
const AMO = 0xf800707f;
/** LR additionally requires rs2 = 0 (Unpriv. 14.2). */
const LR = 0xf9f0707f;

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
  { name: "lr.w", mask: LR, match: 0x1000202f, format: "A", ext: "A" },
  { name: "sc.w", mask: AMO, match: 0x1800202f, format: "A", ext: "A" },
  { name: "amoswap.w", mask: AMO, match: 0x0800202f, format: "A", ext: "A" },
  { name: "amoadd.w", mask: AMO, match: 0x0000202f, format: "A", ext: "A" },
  { name: "amoxor.w", mask: AMO, match: 0x2000202f, format: "A", ext: "A" },
  { name: "amoand.w", mask: AMO, match: 0x6000202f, format: "A", ext: "A" },
  { name: "amoor.w", mask: AMO, match: 0x4000202f, format: "A", ext: "A" },
  { name: "amomin.w", mask: AMO, match: 0x8000202f, format: "A", ext: "A" },
  { name: "amomax.w", mask: AMO, match: 0xa000202f, format: "A", ext: "A" },
  { name: "amominu.w", mask: AMO, match: 0xc000202f, format: "A", ext: "A" },
  { name: "amomaxu.w", mask: AMO, match: 0xe000202f, format: "A", ext: "A" },
  { name: "lr.d", mask: LR, match: 0x1000302f, format: "A", ext: "A" },
  { name: "sc.d", mask: AMO, match: 0x1800302f, format: "A", ext: "A" },
  { name: "amoswap.d", mask: AMO, match: 0x0800302f, format: "A", ext: "A" },
  { name: "amoadd.d", mask: AMO, match: 0x0000302f, format: "A", ext: "A" },
  { name: "amoxor.d", mask: AMO, match: 0x2000302f, format: "A", ext: "A" },
  { name: "amoand.d", mask: AMO, match: 0x6000302f, format: "A", ext: "A" },
  { name: "amoor.d", mask: AMO, match: 0x4000302f, format: "A", ext: "A" },
  { name: "amomin.d", mask: AMO, match: 0x8000302f, format: "A", ext: "A" },
  { name: "amomax.d", mask: AMO, match: 0xa000302f, format: "A", ext: "A" },
  { name: "amominu.d", mask: AMO, match: 0xc000302f, format: "A", ext: "A" },
  { name: "amomaxu.d", mask: AMO, match: 0xe000302f, format: "A", ext: "A" },
] as const satisfies readonly InsnSpec[];
