/**
 * ioctl(2): the terminal queries C libraries make (TCGETS, TIOCGWINSZ, ...)
 * and FIONREAD. Only fds that are the host's terminal answer as a tty.
 *
 * @module
 */

import type { Kernel, SyscallHandler } from "./kernel.ts";
import { Errno } from "./errno.ts";
import { NR } from "./sysnums.ts";

// ioctl requests, include/uapi/asm-generic/ioctls.h.
const TCGETS = 0x5401, TCSETS = 0x5402, TCSETSW = 0x5403, TCSETSF = 0x5404;
const TIOCGPGRP = 0x540f, TIOCGWINSZ = 0x5413, TIOCSWINSZ = 0x5414;
const FIONREAD = 0x541b, FIONBIO = 0x5421;

/** A plausible cooked-mode termios: ICRNL|IXON, OPOST|ONLCR, B38400|CS8|CREAD, ISIG|ICANON|ECHO... */
function termios(): Uint8Array {
  const b = new Uint8Array(36);
  const v = new DataView(b.buffer);
  v.setUint32(0, 0x500, true);
  v.setUint32(4, 0x5, true);
  v.setUint32(8, 0xbf, true);
  v.setUint32(12, 0x8a3b, true);
  // c_cc: VINTR ^C, VQUIT ^\, VERASE DEL, VKILL ^U, VEOF ^D, VTIME 0, VMIN 1
  b.set([
    3,
    0x1c,
    0x7f,
    0x15,
    4,
    0,
    1,
    0,
    0x11,
    0x13,
    0x1a,
    0,
    0x12,
    0x0f,
    0x17,
    0x16,
  ], 17);
  return b;
}

function ioctl(k: Kernel, fd: number, req: number, arg: number): number {
  const e = k.fds.get(fd);
  if (!e) return -Errno.EBADF;
  const d = e.desc;
  const tty = d.kind === "stdio" && k.stdio.isTerminal(d.hostFd);
  switch (req) {
    case TCGETS:
      if (!tty) return -Errno.ENOTTY;
      return k.mem.write(arg, termios()) ? 0 : -Errno.EFAULT;
    case TCSETS:
    case TCSETSW:
    case TCSETSF:
    case TIOCSWINSZ:
      return tty ? 0 : -Errno.ENOTTY;
    case TIOCGWINSZ: {
      if (!tty) return -Errno.ENOTTY;
      let rows = 24, cols = 80;
      try {
        const s = Deno.consoleSize();
        rows = s.rows;
        cols = s.columns;
      } catch { /* not a console after all: keep 80x24 */ }
      const b = new Uint8Array(8);
      new DataView(b.buffer).setUint16(0, rows, true);
      new DataView(b.buffer).setUint16(2, cols, true);
      return k.mem.write(arg, b) ? 0 : -Errno.EFAULT;
    }
    case TIOCGPGRP:
      if (!tty) return -Errno.ENOTTY;
      return k.mem.writeU32(arg, k.pid) ? 0 : -Errno.EFAULT;
    case FIONREAD: {
      let n = 0;
      if (d.kind === "pipe") {
        n = d.pipe.size;
      } else if (d.kind === "file") {
        try {
          n = Math.max(
            0,
            d.file.statSync().size - d.file.seekSync(0, Deno.SeekMode.Current),
          );
        } catch { /* keep 0 */ }
      }
      return k.mem.writeU32(arg, n) ? 0 : -Errno.EFAULT;
    }
    case FIONBIO: {
      const on = k.mem.readU32(arg);
      if (on === undefined) return -Errno.EFAULT;
      const O_NONBLOCK = 0o4000; // asm-generic/fcntl.h
      d.flags = on ? d.flags | O_NONBLOCK : d.flags & ~O_NONBLOCK;
      return 0;
    }
    default:
      return -Errno.ENOTTY;
  }
}

/**
 * The ioctl handler, keyed by riscv64 number.
 *
 * @example
 * ```ts
 * import { IOCTL_SYSCALLS } from "./ioctl.ts";
 * console.log(typeof IOCTL_SYSCALLS[29]); // "function"
 * ```
 */
export const IOCTL_SYSCALLS: Record<number, SyscallHandler> = {
  [NR.ioctl]: (k, a) => ioctl(k, a[0] | 0, a[1] >>> 0, a[2]),
};
