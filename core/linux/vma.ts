/**
 * Which guest pages the process has mapped, independent of their protection.
 *
 * `GuestMemory` keeps only R/W/X bits per page, so a `PROT_NONE` mapping
 * (guard pages, address-space reservations) looks free there. This table
 * remembers every mapping so placement never reuses reserved space.
 *
 * @module
 */

import { GUEST_MAX, GUEST_MIN, PAGE_SHIFT, PAGE_SIZE } from "../layout.ts";

/**
 * One byte per guest page: 1 when mapped (any protection), 0 when free.
 *
 * @example
 * ```ts
 * import { Mappings } from "./vma.ts";
 * const vm = new Mappings();
 * vm.set(0x10000, 0x2000, true);
 * console.log(vm.allMapped(0x10000, 0x2000), vm.findFree(0x1000, 0x13000)); // true 73728
 * ```
 */
export class Mappings {
  private readonly pages = new Uint8Array(GUEST_MAX / PAGE_SIZE);
  /** Bytes mapped in all (the process's address-space size). */
  mappedBytes = 0;

  /** Marks `[addr, addr+len)` (page-aligned start) mapped or free. */
  set(addr: number, len: number, mapped: boolean): void {
    const first = Math.max(0, Math.floor(addr / PAGE_SIZE));
    const last = Math.min(
      this.pages.length,
      Math.ceil((addr + len) / PAGE_SIZE),
    );
    const before = this.countPages(first, last);
    this.pages.fill(mapped ? 1 : 0, first, last);
    this.mappedBytes += ((mapped ? last - first : 0) - before) * PAGE_SIZE;
  }

  /** Bytes already mapped among the pages touching `[addr, addr+len)`. */
  mappedIn(addr: number, len: number): number {
    const first = Math.max(0, Math.floor(addr / PAGE_SIZE));
    const last = Math.min(
      this.pages.length,
      Math.ceil((addr + len) / PAGE_SIZE),
    );
    return this.countPages(first, last) * PAGE_SIZE;
  }

  /** Mapped pages among `[first, last)`. */
  private countPages(first: number, last: number): number {
    let n = 0;
    for (let p = first; p < last; p++) n += this.pages[p];
    return n;
  }

  /** True when every page touching `[addr, addr+len)` is mapped. */
  allMapped(addr: number, len: number): boolean {
    if (addr < GUEST_MIN || addr + len > GUEST_MAX) return false;
    const first = Math.floor(addr / PAGE_SIZE);
    const last = Math.ceil((addr + len) / PAGE_SIZE);
    for (let p = first; p < last; p++) if (!this.pages[p]) return false;
    return true;
  }

  /** True when no page touching `[addr, addr+len)` is mapped. */
  allFree(addr: number, len: number): boolean {
    if (addr < GUEST_MIN || addr + len > GUEST_MAX) return false;
    const first = Math.floor(addr / PAGE_SIZE);
    const last = Math.ceil((addr + len) / PAGE_SIZE);
    for (let p = first; p < last; p++) if (this.pages[p]) return false;
    return true;
  }

  /**
   * Highest free page-aligned hole of `len` bytes ending at or below `top`
   * (top-down placement, like Linux's default mmap layout), or -1.
   */
  findFree(len: number, top: number): number {
    const need = Math.ceil(len / PAGE_SIZE);
    if (need <= 0) return -1;
    let run = 0;
    const lowest = GUEST_MIN >>> PAGE_SHIFT;
    for (
      let p = Math.floor(Math.min(top, GUEST_MAX) / PAGE_SIZE) - 1;
      p >= lowest;
      p--
    ) {
      if (this.pages[p] === 0) {
        if (++run === need) return p * PAGE_SIZE;
      } else run = 0;
    }
    return -1;
  }
}
