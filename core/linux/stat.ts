/**
 * File metadata as the guest sees it, and its encodings as riscv64
 * `struct stat` (asm-generic/stat.h, 128 bytes) and `struct statx`
 * (include/uapi/linux/stat.h, 256 bytes).
 *
 * @module
 */

/** File type bits of st_mode (include/uapi/linux/stat.h). */
export const S_IFMT = 0o170000;
/** Directory. */
export const S_IFDIR = 0o040000;
/** Regular file. */
export const S_IFREG = 0o100000;
/** Symbolic link. */
export const S_IFLNK = 0o120000;
/** Character device. */
export const S_IFCHR = 0o020000;
/** FIFO (pipe). */
export const S_IFIFO = 0o010000;

/** Metadata of one file, in plain numbers. Times are in milliseconds. */
export interface Stat {
  /** Device number (Linux encoding). */
  dev: number;
  /** Inode number. */
  ino: number;
  /** Type and permission bits. */
  mode: number;
  /** Hard link count. */
  nlink: number;
  /** Owner. */
  uid: number;
  /** Group. */
  gid: number;
  /** Device number for device files. */
  rdev: number;
  /** Size in bytes. */
  size: number;
  /** Preferred I/O block size. */
  blksize: number;
  /** 512-byte blocks allocated. */
  blocks: number;
  /** Access time (ms since the epoch). */
  atime: number;
  /** Modification time. */
  mtime: number;
  /** Status change time. */
  ctime: number;
  /** Creation time, when known. */
  btime: number | null;
}

/**
 * Converts a `Deno.FileInfo` into a {@link Stat}.
 *
 * @example
 * ```ts
 * import { statFromDeno, S_IFDIR, S_IFMT } from "./stat.ts";
 * const st = statFromDeno(Deno.statSync("."));
 * console.log((st.mode & S_IFMT) === S_IFDIR); // true
 * ```
 */
export function statFromDeno(i: Deno.FileInfo): Stat {
  let mode = i.mode ?? 0o644;
  if ((mode & S_IFMT) === 0) {
    mode |= i.isDirectory ? S_IFDIR : i.isSymlink ? S_IFLNK : S_IFREG;
  }
  const ms = (d: Date | null) => d?.getTime() ?? 0;
  return {
    dev: i.dev ?? 0,
    ino: i.ino ?? 0,
    mode,
    nlink: i.nlink ?? 1,
    uid: i.uid ?? 0,
    gid: i.gid ?? 0,
    rdev: i.rdev ?? 0,
    size: i.size,
    blksize: i.blksize ?? 4096,
    blocks: i.blocks ?? Math.ceil(i.size / 512),
    atime: ms(i.atime),
    mtime: ms(i.mtime),
    ctime: ms(i.ctime ?? i.mtime),
    btime: i.birthtime ? i.birthtime.getTime() : null,
  };
}

/**
 * A made-up {@link Stat} for synthetic files (devices, virtual directories,
 * pipes, the terminal).
 *
 * @example
 * ```ts
 * import { syntheticStat, S_IFCHR } from "./stat.ts";
 * console.log(syntheticStat(S_IFCHR | 0o666, 0x103).rdev); // 259
 * ```
 */
export function syntheticStat(mode: number, rdev = 0, ino = 1): Stat {
  return {
    dev: 5,
    ino,
    mode,
    nlink: (mode & S_IFMT) === S_IFDIR ? 2 : 1,
    uid: 0,
    gid: 0,
    rdev,
    size: 0,
    blksize: 4096,
    blocks: 0,
    atime: 0,
    mtime: 0,
    ctime: 0,
    btime: null,
  };
}

function setTime(v: DataView, off: number, ms: number, nsecWidth: 4 | 8): void {
  const sec = Math.floor(ms / 1000);
  v.setBigInt64(off, BigInt(sec), true);
  const nsec = Math.round((ms - sec * 1000) * 1e6);
  if (nsecWidth === 8) v.setBigInt64(off + 8, BigInt(nsec), true);
  else v.setUint32(off + 8, nsec, true);
}

/**
 * Encodes `struct stat` for riscv64 (asm-generic layout, 128 bytes).
 *
 * @example
 * ```ts
 * import { encodeStat, syntheticStat } from "./stat.ts";
 * const b = encodeStat(syntheticStat(0o100644));
 * console.log(b.length, new DataView(b.buffer).getUint32(16, true).toString(8)); // 128 "100644"
 * ```
 */
export function encodeStat(s: Stat): Uint8Array {
  const b = new Uint8Array(128);
  const v = new DataView(b.buffer);
  v.setBigUint64(0, BigInt(s.dev), true);
  v.setBigUint64(8, BigInt(s.ino), true);
  v.setUint32(16, s.mode, true);
  v.setUint32(20, s.nlink, true);
  v.setUint32(24, s.uid, true);
  v.setUint32(28, s.gid, true);
  v.setBigUint64(32, BigInt(s.rdev), true);
  v.setBigInt64(48, BigInt(s.size), true);
  v.setInt32(56, s.blksize, true);
  v.setBigInt64(64, BigInt(s.blocks), true);
  setTime(v, 72, s.atime, 8);
  setTime(v, 88, s.mtime, 8);
  setTime(v, 104, s.ctime, 8);
  return b;
}

function major(dev: number): number {
  return Number(
    ((BigInt(dev) >> 8n) & 0xfffn) | ((BigInt(dev) >> 32n) & ~0xfffn),
  );
}

function minor(dev: number): number {
  return Number((BigInt(dev) & 0xffn) | ((BigInt(dev) >> 12n) & ~0xffn));
}

/** statx mask bits: STATX_BASIC_STATS (0x7ff) and STATX_BTIME (0x800). */
const STATX_BASIC_STATS = 0x7ff, STATX_BTIME = 0x800;

/**
 * Encodes `struct statx` (256 bytes).
 *
 * @example
 * ```ts
 * import { encodeStatx, syntheticStat } from "./stat.ts";
 * const b = encodeStatx(syntheticStat(0o40755));
 * console.log(b.length, new DataView(b.buffer).getUint16(28, true).toString(8)); // 256 "40755"
 * ```
 */
export function encodeStatx(s: Stat): Uint8Array {
  const b = new Uint8Array(256);
  const v = new DataView(b.buffer);
  v.setUint32(
    0,
    STATX_BASIC_STATS | (s.btime !== null ? STATX_BTIME : 0),
    true,
  );
  v.setUint32(4, s.blksize, true);
  v.setUint32(16, s.nlink, true);
  v.setUint32(20, s.uid, true);
  v.setUint32(24, s.gid, true);
  v.setUint16(28, s.mode, true);
  v.setBigUint64(32, BigInt(s.ino), true);
  v.setBigUint64(40, BigInt(s.size), true);
  v.setBigUint64(48, BigInt(s.blocks), true);
  setTime(v, 64, s.atime, 4);
  setTime(v, 80, s.btime ?? 0, 4);
  setTime(v, 96, s.ctime, 4);
  setTime(v, 112, s.mtime, 4);
  v.setUint32(128, major(s.rdev), true);
  v.setUint32(132, minor(s.rdev), true);
  v.setUint32(136, major(s.dev), true);
  v.setUint32(140, minor(s.dev), true);
  return b;
}
