/**
 * What backs the guest's file and shared mappings, and how their bytes stay
 * coherent with files and with other processes.
 *
 * Guest memory is one flat array per process, so a mapping's bytes live in
 * that array and never alias a file or another process's memory. Coherence
 * is kept at synchronisation points instead, exactly enough for a process
 * that runs alone between them (Pandeno runs one vCPU at a time):
 *
 * - A MAP_SHARED file mapping keeps a shadow of the file bytes as last
 *   synchronised. {@link MapTable.flush} writes the pages that differ from
 *   the shadow back to the file (msync, munmap, exit, and before every
 *   system call that reads or writes files); {@link MapTable.reload} reads
 *   the file again after every system call that may have changed one, so a
 *   `write()` is visible through existing mappings. Bytes past the end of
 *   the file are never written back.
 * - A MAP_SHARED anonymous mapping is backed by a {@link SharedRegion}. A
 *   forked child's table ({@link MapTable.fork}) refers to the same regions.
 *   The process model calls {@link MapTable.park} when a process stops
 *   running (switch-out, exit) and {@link MapTable.unpark} before it runs
 *   again: with one process running at a time, every process then sees the
 *   others' stores, atomics included, in the order they happened.
 * - A MAP_PRIVATE file mapping remembers its file, so MADV_DONTNEED gives the
 *   file's contents again (anonymous private memory gives zeros).
 *
 * @module
 */

import type { GuestMemory } from "../memory.ts";
import { PAGE_SIZE } from "../layout.ts";
import type { Description } from "./fd_table.ts";
import { releaseDescription } from "./fd_table.ts";
import { syscallNumber } from "./sysnums.ts";
import { readFileAt, samePage, writeFileAt } from "./_file_bytes.ts";

/** A regular-file description, as mmap accepts it. */
export type FileDescription = Extract<Description, { kind: "file" }>;

/**
 * The memory behind MAP_SHARED|MAP_ANONYMOUS pages, shared by every process
 * that inherited the mapping.
 *
 * @example
 * ```ts
 * import { SharedRegion } from "./map_table.ts";
 * console.log(new SharedRegion(8192).bytes.length); // 8192
 * ```
 */
export class SharedRegion {
  /** The region's current contents (as of the last park). */
  readonly bytes: Uint8Array;
  /** Creates a zero-filled region of `len` bytes. */
  constructor(len: number) {
    this.bytes = new Uint8Array(len);
  }
}

/** One mapping with a backing object: page-aligned `[addr, addr+len)`. */
export type MapRecord =
  & { addr: number; len: number }
  & (
    | {
      kind: "shared-file";
      desc: FileDescription;
      offset: number;
      /** The file's bytes at [offset, offset+len) as last synchronised. */
      shadow: Uint8Array;
    }
    | { kind: "private-file"; desc: FileDescription; offset: number }
    | { kind: "shared-anon"; region: SharedRegion; regionOff: number }
  );

/**
 * The process's file-backed and shared mappings.
 *
 * @example
 * ```ts
 * import { MapTable } from "./map_table.ts";
 * import { GuestMemory } from "../memory.ts";
 * const t = new MapTable(new GuestMemory());
 * console.log(t.hasSharedFiles); // false
 * ```
 */
export class MapTable {
  private records: MapRecord[] = [];
  /** The memory the mappings live in. */
  readonly mem: GuestMemory;

  /** An empty table for the process whose memory is `mem`. */
  constructor(mem: GuestMemory) {
    this.mem = mem;
  }

  /** True while a MAP_SHARED file mapping exists (system calls then sync). */
  get hasSharedFiles(): boolean {
    return this.records.some((r) => r.kind === "shared-file");
  }

  /** The records, in no particular order (for tests and /proc). */
  get all(): readonly MapRecord[] {
    return this.records;
  }

  /** True when `[addr, addr+len)` holds a shared view of a read-only fd. */
  readOnlyShared(addr: number, len: number): boolean {
    return this.records.some((r) =>
      r.kind === "shared-file" && (r.desc.flags & 3) === 0 &&
      r.addr < addr + len && r.addr + r.len > addr
    );
  }

  /** Maps file bytes `[offset, offset+len)` at `addr`, shared or private. */
  addFile(
    addr: number,
    len: number,
    desc: FileDescription,
    offset: number,
    shared: boolean,
  ): void {
    desc.refs++; // the mapping keeps the file open, as Linux does
    if (shared) {
      const shadow = this.mem.u8.slice(addr, addr + len);
      this.records.push({
        kind: "shared-file",
        addr,
        len,
        desc,
        offset,
        shadow,
      });
    } else {
      this.records.push({ kind: "private-file", addr, len, desc, offset });
    }
  }

  /** Backs `[addr, addr+len)` with a fresh shared anonymous region. */
  addSharedAnon(addr: number, len: number): void {
    const region = new SharedRegion(len);
    this.records.push({ kind: "shared-anon", addr, len, region, regionOff: 0 });
  }

  /**
   * Forgets `[addr, addr+len)` (munmap, or a mapping placed over it): shared
   * file pages in it are written back first; records are split at the edges.
   */
  remove(addr: number, len: number): void {
    const end = addr + len, kept: MapRecord[] = [];
    for (const r of this.records) {
      const rEnd = r.addr + r.len;
      if (rEnd <= addr || r.addr >= end) {
        kept.push(r);
        continue;
      }
      if (r.kind === "shared-file") this.flushRecord(r);
      if (r.kind === "shared-anon") this.parkRecord(r);
      if (r.addr < addr) kept.push(this.slice(r, r.addr, addr));
      if (rEnd > end) kept.push(this.slice(r, end, rEnd));
      if (r.kind !== "shared-anon") releaseDescription(r.desc);
    }
    this.records = kept;
  }

  /**
   * mremap: the records in `[from, from+oldLen)` now live at `to`; when the
   * mapping grew, file pages past the old end are read from the file and
   * shared anonymous ones come from the region (grown as needed).
   */
  move(from: number, oldLen: number, to: number, newLen: number): void {
    const moved: MapRecord[] = [];
    this.records = this.records.filter((r) => {
      if (r.addr >= from && r.addr + r.len <= from + oldLen) {
        moved.push(r);
        return false;
      }
      return true;
    });
    for (const r of moved) {
      const addr = to + (r.addr - from);
      const isLast = r.addr + r.len === from + oldLen;
      const len = isLast ? Math.max(0, to + newLen - addr) : r.len;
      if (len === 0) {
        if (r.kind !== "shared-anon") releaseDescription(r.desc);
        continue;
      }
      const grown = Math.max(0, len - r.len);
      if (r.kind === "shared-file") {
        const shadow = new Uint8Array(len);
        shadow.set(r.shadow.subarray(0, Math.min(len, r.len)));
        const n = { ...r, addr, len, shadow };
        if (grown) readFileAt(n.desc, n.offset + r.len, shadow, r.len);
        this.mem.u8.set(shadow.subarray(r.len), addr + r.len);
        this.records.push(n);
      } else if (r.kind === "private-file") {
        const n = { ...r, addr, len };
        if (grown) {
          const tail = this.mem.u8.subarray(addr + r.len, addr + len);
          readFileAt(n.desc, n.offset + r.len, tail, 0);
        }
        this.records.push(n);
      } else {
        let region = r.region;
        if (r.regionOff + len > region.bytes.length) {
          // Only this process sees the grown part (Linux shares it).
          region = new SharedRegion(r.regionOff + len);
          region.bytes.set(r.region.bytes);
        }
        const n = { ...r, addr, len, region };
        this.mem.u8.set(
          region.bytes.subarray(r.regionOff + r.len, r.regionOff + len),
          addr + r.len,
        );
        this.records.push(n);
      }
    }
  }

  /**
   * Writes back shared file pages in `[addr, addr+len)` (all when omitted);
   * when that changed a file, the other mappings read it again, so two
   * views of one file agree.
   */
  flush(addr = 0, len = Infinity): void {
    let wrote = false;
    for (const r of this.records) {
      if (r.kind !== "shared-file") continue;
      if (r.addr + r.len <= addr || r.addr >= addr + len) continue;
      wrote = this.flushRecord(r) || wrote;
    }
    if (wrote && this.records.length > 1) this.reload();
  }

  /** Reads every shared file mapping from its file again. */
  reload(): void {
    for (const r of this.records) {
      if (r.kind !== "shared-file") continue;
      const fresh = new Uint8Array(r.len);
      readFileAt(r.desc, r.offset, fresh, 0);
      this.copyChangedPages(fresh, r.shadow, r.addr);
      r.shadow = fresh;
    }
  }

  /**
   * MADV_DONTNEED on `[addr, addr+len)`: private file pages get the file's
   * bytes again, other private pages get zeros, shared pages keep theirs.
   */
  dontNeed(addr: number, len: number): void {
    const end = addr + len;
    const covered = this.records.filter((r) =>
      r.addr < end && r.addr + r.len > addr
    ).sort((a, b) => a.addr - b.addr);
    let at = addr;
    for (const r of covered) {
      const lo = Math.max(addr, r.addr), hi = Math.min(end, r.addr + r.len);
      if (lo > at) this.zero(at, lo);
      if (r.kind === "private-file") {
        const view = this.mem.u8.subarray(lo, hi);
        view.fill(0);
        readFileAt(r.desc, r.offset + (lo - r.addr), view, 0);
        this.mem.noteWrite(lo, hi - lo);
      }
      at = Math.max(at, hi);
    }
    if (at < end) this.zero(at, end);
  }

  /** Before this process stops running: publish its shared pages. */
  park(): void {
    for (const r of this.records) {
      if (r.kind === "shared-anon") this.parkRecord(r);
      else if (r.kind === "shared-file") this.flushRecord(r);
    }
  }

  /** Before this process runs again: take in the others' shared stores. */
  unpark(): void {
    for (const r of this.records) {
      if (r.kind !== "shared-anon") continue;
      const src = r.region.bytes.subarray(r.regionOff, r.regionOff + r.len);
      this.copyChangedPages(
        src,
        this.mem.u8.subarray(r.addr, r.addr + r.len),
        r.addr,
      );
    }
    this.reload();
  }

  /**
   * The table of a forked child whose memory `childMem` is a copy of this
   * one's: shared regions and files are the same objects; the caller parks
   * this process first.
   */
  fork(childMem: GuestMemory): MapTable {
    const t = new MapTable(childMem);
    t.records = this.records.map((r) => {
      if (r.kind === "shared-anon") return { ...r };
      r.desc.refs++;
      return r.kind === "shared-file"
        ? { ...r, shadow: r.shadow.slice() }
        : { ...r };
    });
    return t;
  }

  /** Process exit (or exec): write everything back and drop the files. */
  close(): void {
    this.park();
    for (const r of this.records) {
      if (r.kind !== "shared-anon") releaseDescription(r.desc);
    }
    this.records = [];
  }

  /** Publishes one shared anonymous record's pages to its region. */
  private parkRecord(r: MapRecord & { kind: "shared-anon" }): void {
    r.region.bytes.set(
      this.mem.u8.subarray(r.addr, r.addr + r.len),
      r.regionOff,
    );
  }

  /** Writes the pages of `r` that differ from its shadow, up to end of file. */
  private flushRecord(r: MapRecord & { kind: "shared-file" }): boolean {
    let size: number;
    try {
      size = r.desc.file.statSync().size;
    } catch {
      return false;
    }
    let wrote = false;
    const limit = Math.min(r.len, Math.max(0, size - r.offset));
    const mem = this.mem.u8;
    let p = 0;
    while (p < limit) {
      if (samePage(mem, r.addr + p, r.shadow, p, limit)) {
        p += PAGE_SIZE;
        continue;
      }
      let q = p + PAGE_SIZE;
      while (q < limit && !samePage(mem, r.addr + q, r.shadow, q, limit)) {
        q += PAGE_SIZE;
      }
      q = Math.min(q, limit);
      const bytes = mem.subarray(r.addr + p, r.addr + q);
      if (writeFileAt(r.desc, r.offset + p, bytes)) {
        r.shadow.set(bytes, p);
        wrote = true;
      }
      p = q;
    }
    return wrote;
  }

  /** Copies `src` pages that differ from `old` to guest `addr`. */
  private copyChangedPages(src: Uint8Array, old: Uint8Array, addr: number) {
    for (let p = 0; p < src.length; p += PAGE_SIZE) {
      if (samePage(src, p, old, p, src.length)) continue;
      const n = Math.min(PAGE_SIZE, src.length - p);
      this.mem.u8.set(src.subarray(p, p + n), addr + p);
      this.mem.noteWrite(addr + p, n);
    }
  }

  /** Zeroes guest `[lo, hi)`. */
  private zero(lo: number, hi: number): void {
    this.mem.u8.fill(0, lo, hi);
    this.mem.noteWrite(lo, hi - lo);
  }

  /** A record's part `[lo, hi)`, as a record of its own. */
  private slice(r: MapRecord, lo: number, hi: number): MapRecord {
    const d = lo - r.addr, len = hi - lo;
    switch (r.kind) {
      case "shared-file":
        r.desc.refs++;
        return {
          ...r,
          addr: lo,
          len,
          offset: r.offset + d,
          shadow: r.shadow.slice(d, d + len),
        };
      case "private-file":
        r.desc.refs++;
        return { ...r, addr: lo, len, offset: r.offset + d };
      case "shared-anon":
        return { ...r, addr: lo, len, regionOff: r.regionOff + d };
    }
  }
}

const names = (s: string) =>
  new Set(
    s.split(" ").map((n) => syscallNumber(n)).filter((n) => n !== undefined),
  );

/**
 * System calls before which shared file mappings are written back: those
 * that read, write, map or sync files, and exit (asm-generic/unistd.h).
 *
 * @example
 * ```ts
 * import { SYNC_BEFORE } from "./map_table.ts";
 * console.log(SYNC_BEFORE.has(63)); // true (read)
 * ```
 */
export const SYNC_BEFORE: ReadonlySet<number> = names(
  "read readv pread64 preadv preadv2 write writev pwrite64 pwritev pwritev2 " +
    "sendfile splice copy_file_range truncate ftruncate fallocate openat " +
    "fsync fdatasync sync syncfs sync_file_range mmap execve execveat",
);

/**
 * System calls after which shared file mappings are read again, because a
 * file may have changed.
 *
 * @example
 * ```ts
 * import { RELOAD_AFTER } from "./map_table.ts";
 * console.log(RELOAD_AFTER.has(64)); // true (write)
 * ```
 */
export const RELOAD_AFTER: ReadonlySet<number> = names(
  "write writev pwrite64 pwritev pwritev2 sendfile splice copy_file_range " +
    "truncate ftruncate fallocate openat",
);
