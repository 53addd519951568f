/**
 * execve: replaces the calling process's program (placeholder until written).
 *
 * @module
 */

import type { SyscallHandler } from "./kernel.ts";

/**
 * Handlers for execve, keyed by riscv64 number.
 *
 * @example
 * ```ts
 * import { EXEC_SYSCALLS } from "./exec.ts";
 * console.log(Object.keys(EXEC_SYSCALLS).length >= 0); // true
 * ```
 */
export const EXEC_SYSCALLS: Record<number, SyscallHandler> = {};
