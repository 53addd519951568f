/**
 * ELF64 loader for riscv64 executables (ET_EXEC, PIE and static-pie) and
 * for the program interpreter (ld.so) that dynamically linked ones name in
 * PT_INTERP, as Linux's fs/binfmt_elf.c loads both.
 *
 * Field offsets follow the System V gABI ("ELF-64 Object File Format",
 * sections "ELF Header", "Program Header Table", "Symbol Table").
 *
 * @module
 */

import type { GuestMemory } from "../memory.ts";
import { pageDown, pageUp } from "../memory.ts";
import { GUEST_MAX, GUEST_MIN, PAGE_SIZE } from "../layout.ts";
import type { Mappings } from "./vma.ts";

const EM_RISCV = 243; // gABI e_machine value for RISC-V
const ET_EXEC = 2; // gABI e_type: executable
const ET_DYN = 3; // gABI e_type: shared object / PIE
const PT_LOAD = 1; // gABI p_type: loadable segment
const PT_INTERP = 3; // gABI p_type: program interpreter path
const PT_PHDR = 6; // gABI p_type: the program header table itself
const SHT_SYMTAB = 2; // gABI sh_type: symbol table
const STT_FUNC = 2; // gABI ELF64_ST_TYPE: function symbol

/**
 * Load address of a position-independent main program (PIE or static-pie).
 * Linux uses ELF_ET_DYN_BASE and qemu-riscv64 7.2 puts it at 2^38; both lie
 * outside the 4 GiB the guest has here, so images go at 1 GiB instead. The
 * interpreter goes where an ordinary mmap would put it (Linux does the same).
 */
export const PIE_BASE = 0x4000_0000;

/** One function symbol from the ELF symbol table (address already relocated). */
export interface ElfSymbol {
  /** Symbol name. */
  name: string;
  /** Guest address. */
  addr: number;
  /** Size in bytes (0 if unknown). */
  size: number;
}

/** What {@link loadElf} produced, for the initial stack's auxv. */
export interface LoadedElf {
  /** Entry point (relocated). */
  entry: number;
  /** Guest address of the program headers (AT_PHDR). */
  phdr: number;
  /** Size of one program header (AT_PHENT). */
  phent: number;
  /** Number of program headers (AT_PHNUM). */
  phnum: number;
  /** Load bias: 0 for ET_EXEC, the chosen base for ET_DYN. */
  base: number;
  /** Initial program break: page-aligned end of the highest segment. */
  brk: number;
  /** Function symbols (empty when stripped). */
  symbols: ElfSymbol[];
  /**
   * Lowest address of the executable segments, and the end of their file
   * contents: QEMU's `start_code` / `end_code` (linux-user/elfload.c), which
   * coverage tools (drcov) use as the module's bounds.
   */
  startCode: number;
  /** See {@link LoadedElf.startCode}. */
  endCode: number;
  /** PT_INTERP: the program interpreter's path, for dynamically linked programs. */
  interp?: string;
  /** Interpreter load address (AT_BASE); 0 when there is none. */
  interpBase?: number;
}

interface Segment {
  offset: number;
  vaddr: number;
  filesz: number;
  memsz: number;
  perm: number;
}

function u64(v: DataView, off: number): number {
  const n = v.getBigUint64(off, true);
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(`ELF field at offset ${off} is out of range (${n})`);
  }
  return Number(n);
}

/**
 * Checks `elf` and maps its PT_LOAD segments into `mem`, recording them in
 * `vm`. Pages shared by two segments get the union of their permissions;
 * bss is zero. Throws a TypeError for anything that is not a static riscv64
 * ELF64 executable, with a message saying what to do.
 *
 * @example
 * ```ts
 * import { loadElf } from "./elf.ts";
 * import { GuestMemory } from "../memory.ts";
 * import { Mappings } from "./vma.ts";
 * try {
 *   loadElf(new GuestMemory(), new Mappings(), new Uint8Array(16));
 * } catch (e) {
 *   console.log((e as Error).message); // "not an ELF file (bad magic number)"
 * }
 * ```
 */
export function loadElf(
  mem: GuestMemory,
  vm: Mappings,
  elf: Uint8Array,
  dynBase: number = PIE_BASE,
): LoadedElf {
  if (
    elf.length < 64 || elf[0] !== 0x7f || elf[1] !== 0x45 || elf[2] !== 0x4c ||
    elf[3] !== 0x46
  ) {
    throw new TypeError("not an ELF file (bad magic number)");
  }
  if (elf[4] !== 2 || elf[5] !== 1) {
    throw new TypeError(
      "not a 64-bit little-endian ELF file: pandeno runs riscv64 (RV64GC) programs",
    );
  }
  const v = new DataView(elf.buffer, elf.byteOffset, elf.byteLength);
  const type = v.getUint16(16, true), machine = v.getUint16(18, true);
  if (machine !== EM_RISCV) {
    throw new TypeError(
      `ELF machine is ${machine}, not RISC-V (243): build the program for riscv64`,
    );
  }
  if (type !== ET_EXEC && type !== ET_DYN) {
    throw new TypeError(
      `ELF type ${type} is not an executable (ET_EXEC or ET_DYN)`,
    );
  }
  const phoff = u64(v, 32),
    phent = v.getUint16(54, true),
    phnum = v.getUint16(56, true);
  if (phent !== 56 || phnum === 0 || phoff + phent * phnum > elf.length) {
    throw new TypeError(
      "corrupt ELF file: program header table is missing or truncated",
    );
  }
  const base = type === ET_DYN ? dynBase : 0;
  const segs: Segment[] = [];
  let phdr = -1;
  let interp: string | undefined;
  for (let i = 0; i < phnum; i++) {
    const o = phoff + i * phent;
    const pt = v.getUint32(o, true);
    if (pt === PT_INTERP) interp = readInterp(elf, v, o);
    if (pt === PT_PHDR) phdr = u64(v, o + 16) + base;
    if (pt !== PT_LOAD) continue;
    const flags = v.getUint32(o + 4, true);
    const seg: Segment = {
      offset: u64(v, o + 8),
      vaddr: u64(v, o + 16) + base,
      filesz: u64(v, o + 32),
      memsz: u64(v, o + 40),
      // PF_X=1, PF_W=2, PF_R=4 -> PERM_X=4, PERM_W=2, PERM_R=1
      perm: ((flags & 4) ? 1 : 0) | (flags & 2) | ((flags & 1) ? 4 : 0),
    };
    if (seg.filesz > seg.memsz || seg.offset + seg.filesz > elf.length) {
      throw new TypeError(
        `corrupt ELF file: segment ${i} extends past the end of the file`,
      );
    }
    if (seg.vaddr < GUEST_MIN || seg.vaddr + seg.memsz > GUEST_MAX) {
      throw new RangeError(
        `ELF segment ${i} at 0x${
          seg.vaddr.toString(16)
        } lies outside the guest address range`,
      );
    }
    segs.push(seg);
    if (
      phdr < 0 && phoff >= seg.offset &&
      phoff + phent * phnum <= seg.offset + seg.filesz
    ) {
      phdr = seg.vaddr + (phoff - seg.offset);
    }
  }
  if (segs.length === 0) {
    throw new TypeError("corrupt ELF file: no PT_LOAD segment");
  }

  // Union of permissions per page, then map runs of equal permission.
  const perms = new Map<number, number>();
  for (const s of segs) {
    for (
      let p = pageDown(s.vaddr);
      p < pageUp(s.vaddr + s.memsz);
      p += PAGE_SIZE
    ) {
      perms.set(p, (perms.get(p) ?? 0) | s.perm);
    }
  }
  for (const [page, perm] of perms) {
    mem.map(page, PAGE_SIZE, perm);
    vm.set(page, PAGE_SIZE, true);
  }
  let end = 0;
  let startCode = Infinity, endCode = 0;
  for (const s of segs) {
    mem.poke(s.vaddr, elf.subarray(s.offset, s.offset + s.filesz));
    end = Math.max(end, s.vaddr + s.memsz);
    if (s.perm & 4) { // PERM_X
      startCode = Math.min(startCode, s.vaddr);
      endCode = Math.max(endCode, s.vaddr + s.filesz);
    }
  }
  return {
    entry: u64(v, 24) + base,
    phdr: phdr < 0 ? 0 : phdr,
    phent,
    phnum,
    base,
    brk: pageUp(end),
    symbols: readSymbols(elf, v, base),
    startCode: startCode === Infinity ? 0 : startCode,
    endCode,
    ...(interp === undefined ? {} : { interp }),
  };
}

/** The NUL-terminated path a PT_INTERP header at `o` points to. */
function readInterp(elf: Uint8Array, v: DataView, o: number): string {
  const off = u64(v, o + 8), size = u64(v, o + 32);
  if (size < 2 || size > 4096 || off + size > elf.length) {
    throw new TypeError("corrupt ELF file: bad PT_INTERP segment");
  }
  const bytes = elf.subarray(off, off + size);
  const nul = bytes.indexOf(0);
  return new TextDecoder().decode(bytes.subarray(0, nul < 0 ? size : nul));
}

/**
 * Bytes of address space an ET_DYN image needs above its load bias: up to
 * the page end of its last PT_LOAD segment (ld.so's first one is at 0).
 * Returns 0 for anything that is not a loadable ELF64 image.
 *
 * @example
 * ```ts
 * import { imageSpan } from "./elf.ts";
 * console.log(imageSpan(new Uint8Array(16))); // 0
 * ```
 */
export function imageSpan(elf: Uint8Array): number {
  if (elf.length < 64 || elf[0] !== 0x7f || elf[4] !== 2) return 0;
  const v = new DataView(elf.buffer, elf.byteOffset, elf.byteLength);
  try {
    const phoff = u64(v, 32), phnum = v.getUint16(56, true);
    if (v.getUint16(54, true) !== 56 || phoff + 56 * phnum > elf.length) {
      return 0;
    }
    let hi = 0;
    for (let i = 0; i < phnum; i++) {
      const o = phoff + i * 56;
      if (v.getUint32(o, true) !== PT_LOAD) continue;
      hi = Math.max(hi, pageUp(u64(v, o + 16) + u64(v, o + 40)));
    }
    return hi;
  } catch {
    return 0;
  }
}

/** Function symbols from SHT_SYMTAB; empty if absent or malformed. */
function readSymbols(elf: Uint8Array, v: DataView, base: number): ElfSymbol[] {
  const out: ElfSymbol[] = [];
  try {
    const shoff = u64(v, 40),
      shent = v.getUint16(58, true),
      shnum = v.getUint16(60, true);
    if (shoff === 0 || shent !== 64 || shoff + shent * shnum > elf.length) {
      return out;
    }
    const dec = new TextDecoder();
    for (let i = 0; i < shnum; i++) {
      const sh = shoff + i * shent;
      if (v.getUint32(sh + 4, true) !== SHT_SYMTAB) continue;
      const off = u64(v, sh + 24),
        size = u64(v, sh + 32),
        link = v.getUint32(sh + 40, true);
      if (link >= shnum || off + size > elf.length) continue;
      const strOff = u64(v, shoff + link * shent + 24);
      const strSize = u64(v, shoff + link * shent + 32);
      if (strOff + strSize > elf.length) continue;
      for (let s = off; s + 24 <= off + size; s += 24) {
        if ((elf[s + 4] & 0xf) !== STT_FUNC) continue;
        const value = u64(v, s + 8);
        if (value === 0) continue;
        const nameAt = strOff + v.getUint32(s, true);
        let e = nameAt;
        while (e < strOff + strSize && elf[e] !== 0) e++;
        out.push({
          name: dec.decode(elf.subarray(nameAt, e)),
          addr: value + base,
          size: u64(v, s + 16),
        });
      }
    }
  } catch {
    return out;
  }
  return out.sort((a, b) => a.addr - b.addr);
}
