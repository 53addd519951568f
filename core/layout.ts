/**
 * Where things live in the emulator's single flat memory.
 *
 * The guest's virtual address space is identity-mapped onto one 4 GiB
 * `WebAssembly.Memory`: guest address A is host offset A. Linux never lets a
 * user program map below `mmap_min_addr` (64 KiB), so the emulator keeps the
 * vCPU state and the translator's jump cache in that first 64 KiB, and the
 * per-page permission table in the top 1 MiB, which the guest can never map
 * either. Both engines (interpreter and translator) read the same state here.
 *
 * @module
 */

/** Size of a guest page in bytes (Linux riscv64 uses 4 KiB pages). */
export const PAGE_SIZE = 0x1000;
/** log2 of {@link PAGE_SIZE}. */
export const PAGE_SHIFT = 12;
/** Total size of the flat memory: 4 GiB. */
export const MEMORY_BYTES = 0x1_0000_0000;

/** Lowest guest address that may ever be mapped (Linux `vm.mmap_min_addr`). */
export const GUEST_MIN = 0x1_0000;
/** One past the highest guest address that may be mapped. */
export const GUEST_MAX = 0xf000_0000;

/** Host offset of the permission table: one byte per guest page. */
export const PERM_BASE = 0xfff0_0000;
/** Number of entries in the permission table. */
export const PERM_ENTRIES = MEMORY_BYTES / PAGE_SIZE;

/** Permission bit: the page may be read. */
export const PERM_R = 1;
/** Permission bit: the page may be written. */
export const PERM_W = 2;
/** Permission bit: the page may be executed. */
export const PERM_X = 4;
/**
 * Marker bit: translated code was made from this page, so stores to it must
 * take the slow path that invalidates those translations.
 */
export const PERM_CODE = 8;
/**
 * Derived bit: writable and holding no translated code. Translated stores test
 * only this bit on their fast path; `GuestMemory` keeps it in step.
 */
export const PERM_WFAST = 16;
/** Marker bit: the page is mapped (even with no access, e.g. PROT_NONE). */
export const PERM_MAPPED = 32;

// ---- vCPU state, at host offset 0 (guest page 0, never mappable) ----

/** Offset of integer register x0..x31 (i64 each). */
export const X_BASE = 0x000;
/** Offset of FP register f0..f31 (64 raw bits each; f32 values NaN-boxed). */
export const F_BASE = 0x100;
/** Offset of the program counter (i64). */
export const PC_OFF = 0x200;
/** Offset of the retired-instruction counter (i64). */
export const INSTRET_OFF = 0x208;
/** Offset of the accrued FP exception flags, fflags (i32, low 5 bits). */
export const FFLAGS_OFF = 0x210;
/** Offset of the dynamic rounding mode, frm (i32, low 3 bits). */
export const FRM_OFF = 0x214;
/** Offset of the LR/SC reservation address (i64). */
export const RES_ADDR_OFF = 0x218;
/** Offset of the LR/SC reservation-valid flag (i32). */
export const RES_VALID_OFF = 0x220;
/** Offset of the exit cause written by translated code (i32, see `Exit`). */
export const EXIT_CAUSE_OFF = 0x224;
/** Offset of the faulting address or value of the last exit (i64). */
export const EXIT_TVAL_OFF = 0x228;
/** Offset of the dispatch countdown: blocks left before returning to JS (i32). */
export const BUDGET_OFF = 0x230;
/** Offset of the 32-bit scratch area used by memory slow paths (16 bytes). */
export const SCRATCH_OFF = 0x240;
/** Offset of the translator's profile counters (i64 each; see `jit_profile.ts`). */
export const PROFILE_OFF = 0x300;

/**
 * Host offset of the translator's jump cache: direct-mapped entries of
 * `{ pc: u32, tableIndex: u32 }`, indexed by `(pc >> 1) & (JCACHE_ENTRIES-1)`.
 */
export const JCACHE_BASE = 0x8000;
/** Number of jump-cache entries (power of two). Each entry is 8 bytes. */
export const JCACHE_ENTRIES = 4096;
