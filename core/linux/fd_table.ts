/**
 * Open file descriptions and the process's file descriptor table.
 *
 * A description is shared by every fd that `dup`/`fcntl(F_DUPFD)` made from
 * it (same offset and status flags); close-on-exec belongs to the fd.
 *
 * @module
 */

import type { DeviceName, Mount } from "./vfs.ts";
import { Errno } from "./errno.ts";
import type { UnixSocket } from "./unix_socket.ts";

/** An in-process pipe: bytes written to one end are read from the other. */
export interface Pipe {
  /** Queued chunks, oldest first. */
  chunks: Uint8Array[];
  /** Bytes queued (the sum of the chunks' lengths). */
  size: number;
  /** Most bytes that may be queued (F_GETPIPE_SZ). */
  capacity: number;
  /** Open read ends. */
  readers: number;
  /** Open write ends. */
  writers: number;
}

/** Fields shared by all descriptions. */
export interface DescriptionCommon {
  /** O_ACCMODE bits plus status flags (O_APPEND, O_NONBLOCK, ...). */
  flags: number;
  /** Number of fds referring to this description. */
  refs: number;
}

/** What an fd refers to. */
export type Description =
  & DescriptionCommon
  & (
    | { kind: "stdio"; hostFd: 0 | 1 | 2 }
    | {
      kind: "file";
      file: Deno.FsFile;
      guest: string;
      host: string;
      mount: Mount;
    }
    | {
      kind: "dir";
      guest: string;
      host?: string;
      mount?: Mount;
      /** getdents64 snapshot, taken on the first call or after a rewind. */
      entries?: { name: string; ino: number; type: number }[];
      pos: number;
    }
    | {
      kind: "dev";
      dev: DeviceName;
      guest: string;
    }
    | {
      /** A generated read-only file (/proc, /sys), snapshot at open. */
      kind: "mem";
      data: Uint8Array;
      pos: number;
      guest: string;
    }
    | { kind: "pipe"; pipe: Pipe; end: "r" | "w" }
    | { kind: "socket"; sock: UnixSocket }
    | { kind: "anon"; name: string; file: AnonFile }
  );

/**
 * A kernel object behind an fd with no file behind it (Linux's anon_inode:
 * eventfd, timerfd, epoll). Its owner implements the operations.
 */
export interface AnonFile {
  /** read(2) into `buf`: bytes, or -errno (-EAGAIN: would block). */
  read(buf: Uint8Array): number;
  /** write(2) of `data`: bytes, or -errno (-EAGAIN: would block). */
  write(data: Uint8Array): number;
  /** What it is ready for now, as poll(2) bits. */
  poll(): number;
  /** The last fd referring to it was closed. */
  release?(): void;
}

/** One fd slot. */
export interface FdEntry {
  /** The open file description. */
  desc: Description;
  /** FD_CLOEXEC. */
  cloexec: boolean;
}

/**
 * The fd table. fds 0, 1 and 2 start as the host's stdin, stdout, stderr.
 *
 * @example
 * ```ts
 * import { FdTable } from "./fd_table.ts";
 * const t = new FdTable();
 * console.log(t.dup(1, 0, false), t.close(3), t.close(3)); // 3 0 -9
 * ```
 */
export class FdTable {
  private readonly slots: (FdEntry | undefined)[] = [];
  /** RLIMIT_NOFILE soft limit: fds must be below it. */
  limit = 1024;

  /** Creates the table with the three standard descriptors. */
  constructor() {
    for (const fd of [0, 1, 2] as const) {
      this.slots[fd] = {
        desc: { kind: "stdio", hostFd: fd, flags: fd === 0 ? 0 : 1, refs: 1 },
        cloexec: false,
      };
    }
  }

  /** The entry for `fd`, if open. */
  get(fd: number): FdEntry | undefined {
    return Number.isInteger(fd) && fd >= 0 ? this.slots[fd] : undefined;
  }

  /** Installs `desc` (whose refs already count this fd) at the lowest free fd >= `min`; -EMFILE if none. */
  install(desc: Description, cloexec: boolean, min = 0): number {
    for (let fd = Math.max(0, min); fd < this.limit; fd++) {
      if (!this.slots[fd]) {
        this.slots[fd] = { desc, cloexec };
        return fd;
      }
    }
    release(desc);
    return -Errno.EMFILE;
  }

  /** Duplicates `fd` to the lowest free fd >= `min`. */
  dup(fd: number, min: number, cloexec: boolean): number {
    const e = this.get(fd);
    if (!e) return -Errno.EBADF;
    if (min >= this.limit) return -Errno.EINVAL;
    e.desc.refs++;
    return this.install(e.desc, cloexec, min);
  }

  /** Makes `newfd` refer to `oldfd`'s description (closing `newfd` first). */
  dupTo(oldfd: number, newfd: number, cloexec: boolean): number {
    const e = this.get(oldfd);
    if (!e) return -Errno.EBADF;
    if (!Number.isInteger(newfd) || newfd < 0 || newfd >= this.limit) {
      return -Errno.EBADF;
    }
    if (oldfd === newfd) return -Errno.EINVAL;
    e.desc.refs++;
    this.close(newfd);
    this.slots[newfd] = { desc: e.desc, cloexec };
    return newfd;
  }

  /** Closes `fd`: 0, or -EBADF. */
  close(fd: number): number {
    const e = this.get(fd);
    if (!e) return -Errno.EBADF;
    this.slots[fd] = undefined;
    release(e.desc);
    return 0;
  }

  /** The open fds, ascending. */
  openFds(): number[] {
    const out: number[] = [];
    this.slots.forEach((e, fd) => e && out.push(fd));
    return out;
  }

  /** Closes every fd (process exit). */
  closeAll(): void {
    for (let fd = 0; fd < this.slots.length; fd++) {
      if (this.slots[fd]) this.close(fd);
    }
  }
}

/**
 * Drops one reference to `desc`, closing host resources on the last. For
 * holders other than fds, such as file mappings, that took a reference
 * with `desc.refs++`.
 *
 * @example
 * ```ts
 * import { releaseDescription } from "./fd_table.ts";
 * const d = { kind: "dev", dev: "null", guest: "/dev/null", flags: 0, refs: 2 } as const;
 * const desc = { ...d };
 * releaseDescription(desc);
 * console.log(desc.refs); // 1
 * ```
 */
export function releaseDescription(desc: Description): void {
  release(desc);
}

/** Drops one reference to `desc`, closing host resources on the last. */
function release(desc: Description): void {
  if (--desc.refs > 0) return;
  if (desc.kind === "file") {
    try {
      desc.file.close();
    } catch { /* already closed */ }
  } else if (desc.kind === "anon") {
    desc.file.release?.();
  } else if (desc.kind === "pipe") {
    if (desc.end === "r") desc.pipe.readers--;
    else desc.pipe.writers--;
  } else if (desc.kind === "socket") {
    desc.sock.close();
  }
}
