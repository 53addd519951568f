/**
 * The initial process stack: argc, argv, envp and the auxiliary vector, laid
 * out as the Linux ELF loader does (fs/binfmt_elf.c `create_elf_tables`).
 *
 * @module
 */

import type { GuestMemory } from "../memory.ts";
import { PERM_R, PERM_W } from "../layout.ts";
import type { Mappings } from "./vma.ts";
import type { LoadedElf } from "./elf.ts";

/** One past the highest stack byte. */
export const STACK_TOP = 0xe000_0000;
/** Size of the main stack mapping (RLIMIT_STACK default, 8 MiB). */
export const STACK_SIZE = 8 * 1024 * 1024;

// Auxiliary vector tags, include/uapi/linux/auxvec.h.
const AT_NULL = 0, AT_PHDR = 3, AT_PHENT = 4, AT_PHNUM = 5, AT_PAGESZ = 6;
const AT_BASE = 7, AT_FLAGS = 8, AT_ENTRY = 9, AT_UID = 11, AT_EUID = 12;
const AT_GID = 13, AT_EGID = 14, AT_HWCAP = 16;
const AT_CLKTCK = 17, AT_SECURE = 23, AT_RANDOM = 25, AT_EXECFN = 31;

/** AT_HWCAP for RV64IMAFDC: bit (letter - 'A') per single-letter extension. */
export const HWCAP_RV64GC = ["I", "M", "A", "F", "D", "C"]
  .reduce((m, c) => m | (1 << (c.charCodeAt(0) - 65)), 0);

/** Inputs of {@link buildStack}. */
export interface StackInfo {
  /** Argument strings. */
  argv: string[];
  /** Environment strings (`KEY=VALUE`). */
  env: string[];
  /** AT_EXECFN: the program path as given. */
  execfn: string;
  /** The loaded image. */
  elf: LoadedElf;
  /** Real and effective user id. */
  uid: number;
  /** Real and effective group id. */
  gid: number;
  /** The 16 AT_RANDOM bytes (default: from the host's generator). */
  random?: Uint8Array;
}

/**
 * Maps the 8 MiB stack below {@link STACK_TOP} and writes the start-up
 * block. Returns the initial sp (16-byte aligned, pointing at argc).
 * Throws a RangeError when the strings do not fit (like E2BIG).
 *
 * @example
 * ```ts
 * import { buildStack } from "./stack.ts";
 * import { GuestMemory } from "../memory.ts";
 * import { Mappings } from "./vma.ts";
 * const mem = new GuestMemory();
 * const elf = { entry: 0x10000, phdr: 0, phent: 56, phnum: 0, base: 0, brk: 0x20000, symbols: [], startCode: 0x10000, endCode: 0x10000 };
 * const sp = buildStack(mem, new Mappings(), { argv: ["a"], env: [], execfn: "a", elf, uid: 0, gid: 0 });
 * console.log(sp % 16, mem.readU64(sp)); // 0 1
 * ```
 */
export function buildStack(
  mem: GuestMemory,
  vm: Mappings,
  info: StackInfo,
): number {
  const bottom = STACK_TOP - STACK_SIZE;
  mem.map(bottom, STACK_SIZE, PERM_R | PERM_W);
  vm.set(bottom, STACK_SIZE, true);
  const enc = new TextEncoder();
  // As qemu-riscv64 7.2 (linux-user/elfload.c): strings start one pointer
  // below the top, and go down in the order it copies them. Their offsets
  // within the page then match qemu's, and so do the instruction counts of
  // guest code whose path depends on alignment (strlen, getenv at start-up).
  let top = STACK_TOP - 8;
  const limit = STACK_TOP - STACK_SIZE / 4;
  const pushString = (s: string): number => {
    const b = enc.encode(s);
    top -= b.length + 1;
    if (top < limit) {
      throw new RangeError(
        "argument list and environment are too long for the stack (E2BIG)",
      );
    }
    mem.poke(top, b);
    mem.u8[top + b.length] = 0;
    return top;
  };
  // Last string first (`copy_elf_strings`), so argv[0] and env[0] lie
  // lowest, each list ascending.
  const pushAll = (list: string[]) =>
    list.toReversed().map(pushString).reverse();
  const execfn = pushString(info.execfn);
  const envp = pushAll(info.env);
  const argv = pushAll(info.argv);
  top = align16(top - 16);
  const random = top;
  const rnd = info.random ?? crypto.getRandomValues(new Uint8Array(16));
  mem.poke(random, rnd.subarray(0, 16));

  const e = info.elf;
  const auxv: [number, number][] = [
    [AT_PHDR, e.phdr],
    [AT_PHENT, e.phent],
    [AT_PHNUM, e.phnum],
    [AT_PAGESZ, 4096],
    [AT_BASE, e.interpBase ?? 0],
    [AT_FLAGS, 0],
    [AT_ENTRY, e.entry],
    [AT_UID, info.uid],
    [AT_EUID, info.uid],
    [AT_GID, info.gid],
    [AT_EGID, info.gid],
    [AT_HWCAP, HWCAP_RV64GC],
    // Same entries, same order as qemu-riscv64 (linux-user/elfload.c), so
    // glibc's start-up runs the same instructions under both.
    [AT_CLKTCK, 100],
    [AT_RANDOM, random],
    [AT_SECURE, 0],
    [AT_EXECFN, execfn],
    [AT_NULL, 0],
  ];
  const words = [info.argv.length, ...argv, 0, ...envp, 0, ...auxv.flat()];
  const sp = align16(top - words.length * 8);
  const block = new DataView(new ArrayBuffer(words.length * 8));
  words.forEach((w, i) => block.setBigUint64(i * 8, BigInt(w), true));
  mem.poke(sp, new Uint8Array(block.buffer));
  return sp;
}

function align16(n: number): number {
  return Math.floor(n / 16) * 16;
}
