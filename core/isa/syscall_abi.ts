/**
 * The Linux riscv64 system-call convention, so that nothing else has to
 * spell out register numbers.
 *
 * @module
 */

import { ABI } from "./_names.ts";

/** An integer register by number and ABI name. */
export interface RegRef {
  /** Register number, 0..31. */
  readonly index: number;
  /** ABI name (`a7`). */
  readonly name: string;
}

/** Which registers carry a system call's number, arguments and result. */
export interface SyscallAbi {
  /** The system-call number. */
  readonly number: RegRef;
  /** The arguments, first to sixth. */
  readonly args: readonly RegRef[];
  /** The return value (a negative errno on failure). */
  readonly ret: RegRef;
}

const ref = (index: number): RegRef => ({ index, name: ABI[index] });

/**
 * Linux riscv64: `ecall` with the number in a7 (x17), arguments in a0..a5
 * (x10..x15), the result in a0 (Linux `arch/riscv/include/asm/syscall.h`;
 * `syscall(2)`, "Architecture calling conventions").
 *
 * @example
 * ```ts
 * import { LINUX_SYSCALL_ABI } from "./syscall_abi.ts";
 * console.log(LINUX_SYSCALL_ABI.number.name, LINUX_SYSCALL_ABI.args.map((r) => r.index));
 * // a7 [ 10, 11, 12, 13, 14, 15 ]
 * ```
 */
export const LINUX_SYSCALL_ABI: SyscallAbi = Object.freeze({
  number: Object.freeze(ref(17)),
  args: Object.freeze(
    [10, 11, 12, 13, 14, 15].map((r) => Object.freeze(ref(r))),
  ),
  ret: Object.freeze(ref(10)),
});
