/**
 * Guest virtual memory: one flat 4 GiB `WebAssembly.Memory`, identity-mapped,
 * with R/W/X permissions per 4 KiB page (see `layout.ts`).
 *
 * Host-side accessors never throw because of the guest: a bad address gives
 * `undefined` / `false`, and the caller turns it into `-EFAULT` or a signal.
 *
 * @module
 */

import {
  GUEST_MAX,
  GUEST_MIN,
  MEMORY_BYTES,
  PAGE_SHIFT,
  PAGE_SIZE,
  PERM_BASE,
  PERM_CODE,
  PERM_ENTRIES,
  PERM_MAPPED,
  PERM_R,
  PERM_W,
  PERM_WFAST,
} from "./layout.ts";

/** Rounds `n` up to a whole number of pages. */
export function pageUp(n: number): number {
  return Math.ceil(n / PAGE_SIZE) * PAGE_SIZE;
}

/** Rounds `n` down to a page boundary. */
export function pageDown(n: number): number {
  return Math.floor(n / PAGE_SIZE) * PAGE_SIZE;
}

/**
 * The guest's address space.
 *
 * @example
 * ```ts
 * import { GuestMemory } from "./memory.ts";
 * import { PERM_R, PERM_W } from "./layout.ts";
 * const mem = new GuestMemory();
 * mem.map(0x10000, 0x1000, PERM_R | PERM_W);
 * mem.writeU32(0x10000, 42);
 * console.log(mem.readU32(0x10000)); // 42
 * ```
 */
export class GuestMemory {
  /** The backing memory, imported by translated code. */
  readonly memory: WebAssembly.Memory;
  /** Byte view of the whole 4 GiB. */
  readonly u8: Uint8Array;
  /** DataView over the whole 4 GiB (little-endian accessors). */
  readonly view: DataView;
  /** Permission table: one byte per page (`PERM_*` bits). */
  readonly perm: Uint8Array;
  /** Pages that were ever mapped (and so may hold stale bytes). */
  private readonly used = new Uint8Array(PERM_ENTRIES);
  /**
   * Called when a page holding translated code is written, unmapped or
   * re-protected, so the translator can drop its blocks from that page.
   */
  onCodeChange: (page: number) => void = () => {};

  /** Creates an empty address space (nothing mapped). */
  constructor() {
    const pages = MEMORY_BYTES / 65536;
    this.memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
    this.u8 = new Uint8Array(this.memory.buffer);
    this.view = new DataView(this.memory.buffer);
    this.perm = this.u8.subarray(PERM_BASE, PERM_BASE + PERM_ENTRIES);
  }

  /** True when `[addr, addr+len)` lies inside the mappable guest range. */
  inRange(addr: number, len: number): boolean {
    return Number.isSafeInteger(addr) && addr >= GUEST_MIN && len >= 0 &&
      addr + len <= GUEST_MAX;
  }

  /**
   * Maps `[addr, addr+len)` (page-aligned) with permissions `prot`, zeroing
   * the pages. Returns false if the range is outside the guest range.
   */
  map(addr: number, len: number, prot: number): boolean {
    if (addr % PAGE_SIZE !== 0 || !this.inRange(addr, len)) return false;
    const end = pageUp(addr + len);
    this.dropCode(addr, end);
    this.zeroUsed(addr >>> PAGE_SHIFT, end >>> PAGE_SHIFT);
    this.perm.fill(withFast(prot), addr >>> PAGE_SHIFT, end >>> PAGE_SHIFT);
    return true;
  }

  /**
   * Zeroes the pages in `[first, last)` that were ever mapped. Pages never
   * mapped are still zero from the host, so a huge fresh mapping costs no
   * host memory until the guest touches it.
   */
  private zeroUsed(first: number, last: number): void {
    let run = -1;
    for (let p = first; p <= last; p++) {
      if (p < last && this.used[p]) {
        if (run < 0) run = p;
        continue;
      }
      if (run >= 0) {
        this.u8.fill(0, run << PAGE_SHIFT >>> 0, p << PAGE_SHIFT >>> 0);
        run = -1;
      }
    }
    this.used.fill(1, first, last);
  }

  /** Unmaps `[addr, addr+len)`; unmapped pages fault on any access. */
  unmap(addr: number, len: number): boolean {
    if (addr % PAGE_SIZE !== 0 || !this.inRange(addr, len)) return false;
    const end = pageUp(addr + len);
    this.dropCode(addr, end);
    this.perm.fill(0, addr >>> PAGE_SHIFT, end >>> PAGE_SHIFT);
    return true;
  }

  /**
   * Changes permissions of mapped pages in `[addr, addr+len)`. Returns false
   * if any page in the range is unmapped (Linux gives ENOMEM then).
   */
  protect(addr: number, len: number, prot: number): boolean {
    if (addr % PAGE_SIZE !== 0 || !this.inRange(addr, len)) return false;
    const first = addr >>> PAGE_SHIFT, last = pageUp(addr + len) >>> PAGE_SHIFT;
    for (let p = first; p < last; p++) {
      if ((this.perm[p] & PERM_MAPPED) === 0) return false;
    }
    this.dropCode(addr, last << PAGE_SHIFT);
    this.perm.fill(withFast(prot), first, last);
    return true;
  }

  /** True when every page of `[addr, addr+len)` is mapped (any permission). */
  isMapped(addr: number, len: number): boolean {
    if (!this.inRange(addr, Math.max(len, 1))) return false;
    const first = Math.floor(addr / PAGE_SIZE);
    const last = Math.floor((addr + Math.max(len, 1) - 1) / PAGE_SIZE);
    for (let p = first; p <= last; p++) {
      if ((this.perm[p] & PERM_MAPPED) === 0) return false;
    }
    return true;
  }

  /** True when every page of `[addr, addr+len)` has all bits of `need`. */
  check(addr: number, len: number, need: number): boolean {
    if (len === 0) return true;
    if (
      !Number.isSafeInteger(addr) || !Number.isSafeInteger(len) || addr < 0 ||
      len < 0 || addr + len > GUEST_MAX
    ) {
      return false;
    }
    const first = Math.floor(addr / PAGE_SIZE);
    const last = Math.floor((addr + len - 1) / PAGE_SIZE);
    for (let p = first; p <= last; p++) {
      if ((this.perm[p] & need) !== need) return false;
    }
    return true;
  }

  /** Marks a page as holding translated code (stores to it take the slow path). */
  markCode(page: number): void {
    this.perm[page] = (this.perm[page] | PERM_CODE) & ~PERM_WFAST;
  }

  /** Clears code marks in `[start, end)` and tells the translator. */
  private dropCode(start: number, end: number): void {
    for (let p = start >>> PAGE_SHIFT; p < end >>> PAGE_SHIFT; p++) {
      if (this.perm[p] & PERM_CODE) this.clearCode(p);
    }
  }

  /** Drops the code mark of page `p`, restoring fast stores if writable. */
  private clearCode(p: number): void {
    this.perm[p] = withFast(this.perm[p] & 7);
    this.onCodeChange(p);
  }

  /** Notes a host-side write to `[addr, addr+len)` (invalidates code there). */
  noteWrite(addr: number, len: number): void {
    if (len <= 0) return;
    const first = Math.floor(addr / PAGE_SIZE);
    const last = Math.floor((addr + len - 1) / PAGE_SIZE);
    for (let p = first; p <= last; p++) {
      if (this.perm[p] & PERM_CODE) this.clearCode(p);
    }
  }

  /** Copies guest bytes out, or `undefined` if any byte is unreadable. */
  read(addr: number, len: number): Uint8Array | undefined {
    if (!this.check(addr, len, PERM_R)) return undefined;
    return this.u8.slice(addr, addr + len);
  }

  /**
   * Copies bytes into the guest; false (nothing written) if unwritable.
   * Writing nothing always succeeds, whatever `addr` is (as Linux's
   * `copy_to_user` of zero bytes).
   */
  write(addr: number, data: Uint8Array): boolean {
    if (data.length === 0) return true;
    if (!this.check(addr, data.length, PERM_W)) return false;
    this.u8.set(data, addr);
    this.noteWrite(addr, data.length);
    return true;
  }

  /**
   * Reads a NUL-terminated string of at most `max` bytes (UTF-8 decoded), or
   * `undefined` if it runs into unreadable memory or is too long.
   */
  readCString(addr: number, max = 4096): string | undefined {
    const bytes = this.readCBytes(addr, max);
    return bytes && new TextDecoder().decode(bytes);
  }

  /** Like {@link readCString} but returns the raw bytes (without the NUL). */
  readCBytes(addr: number, max = 4096): Uint8Array | undefined {
    for (let i = 0; i < max; i++) {
      const a = addr + i;
      if (i === 0 || a % PAGE_SIZE === 0) {
        if (!this.check(a, 1, PERM_R)) return undefined;
      }
      if (this.u8[a] === 0) return this.u8.slice(addr, a);
    }
    return undefined;
  }

  /** Reads a u8, or `undefined` on a fault. */
  readU8(addr: number): number | undefined {
    return this.check(addr, 1, PERM_R) ? this.u8[addr] : undefined;
  }

  /** Reads a little-endian u32, or `undefined` on a fault. */
  readU32(addr: number): number | undefined {
    return this.check(addr, 4, PERM_R)
      ? this.view.getUint32(addr, true)
      : undefined;
  }

  /**
   * Reads a little-endian 64-bit value as a JS number, or `undefined` on a
   * fault. Values above 2^53 lose precision: use it for pointers and sizes.
   */
  readU64(addr: number): number | undefined {
    if (!this.check(addr, 8, PERM_R)) return undefined;
    return this.view.getUint32(addr, true) +
      this.view.getUint32(addr + 4, true) * 0x1_0000_0000;
  }

  /** Writes a little-endian u32; false on a fault. */
  writeU32(addr: number, v: number): boolean {
    if (!this.check(addr, 4, PERM_W)) return false;
    this.view.setUint32(addr, v >>> 0, true);
    this.noteWrite(addr, 4);
    return true;
  }

  /** Writes a little-endian 64-bit value given as a JS number; false on a fault. */
  writeU64(addr: number, v: number): boolean {
    if (!this.check(addr, 8, PERM_W)) return false;
    this.view.setBigUint64(addr, BigInt.asUintN(64, BigInt(v)), true);
    this.noteWrite(addr, 8);
    return true;
  }

  /** Writes a little-endian 64-bit BigInt; false on a fault. */
  writeBig64(addr: number, v: bigint): boolean {
    if (!this.check(addr, 8, PERM_W)) return false;
    this.view.setBigUint64(addr, BigInt.asUintN(64, v), true);
    this.noteWrite(addr, 8);
    return true;
  }

  /**
   * Finds a free, page-aligned hole of `len` bytes at or below `top`, searching
   * downward like Linux's top-down mmap. Returns -1 if none.
   */
  findFree(len: number, top: number): number {
    const need = pageUp(len) / PAGE_SIZE;
    let run = 0;
    for (
      let p = (pageDown(top) >>> PAGE_SHIFT) - 1;
      p >= GUEST_MIN >>> PAGE_SHIFT;
      p--
    ) {
      if (this.perm[p] === 0) {
        if (++run === need) return p << PAGE_SHIFT >>> 0;
      } else run = 0;
    }
    return -1;
  }

  /** Writes bytes without permission checks (loader and signal frames use it). */
  poke(addr: number, data: Uint8Array): void {
    this.u8.set(data, addr);
    this.noteWrite(addr, data.length);
  }
}

/** Permission byte for `prot` (R/W/X bits) on a page without translated code. */
function withFast(prot: number): number {
  return (prot & 7) | PERM_MAPPED | ((prot & PERM_W) ? PERM_WFAST : 0);
}
