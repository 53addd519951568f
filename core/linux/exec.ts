/**
 * execve and execveat: replace the calling process's program.
 *
 * The new program is found through the guest's file view. A riscv64 ELF is
 * loaded by the same loader as the first program (`Kernel.load`, which also
 * honours PT_INTERP once dynamic loading exists); a file starting with `#!`
 * runs its interpreter, itself looked up in the mappings, with the script
 * path as argument, as Linux's binfmt_script does (at most 4 levels).
 *
 * Everything that can fail is checked before the old image is torn down, so
 * a failed execve returns an error to the unchanged program. Past that
 * point, as on Linux, the other threads are gone, close-on-exec fds are
 * closed, caught signals are reset to SIG_DFL and the alternate stack is
 * dropped; the signal mask and pending signals stay.
 *
 * @module
 */

import type { Kernel, SyscallHandler } from "./kernel.ts";
import type { Resume } from "./resume.ts";
import { Errno, errnoOf } from "./errno.ts";
import { STACK_SIZE, STACK_TOP } from "./stack.ts";
import { dropTimers } from "./timers.ts";
import { AT_FDCWD, dirBase, readPath } from "./fs.ts";
import {
  GUEST_MAX,
  GUEST_MIN,
  PAGE_SHIFT,
  PAGE_SIZE,
  PERM_MAPPED,
} from "../layout.ts";

const MAX_ARGS = 0x7fff_ffff / 8, ARG_MAX = 2 * 1024 * 1024; // fs/exec.c limits
const AT_EMPTY_PATH = 0x1000, AT_SYMLINK_NOFOLLOW = 0x100;
const MAX_SCRIPT_DEPTH = 4; // fs/binfmt_script.c, via BINPRM_MAX_RECURSION
const EM_RISCV = 243;

/** Reads a NULL-terminated array of string pointers. */
function readStrings(k: Kernel, addr: number): string[] | number {
  const out: string[] = [];
  if (addr === 0) return out;
  let bytes = 0;
  for (let i = 0; i < MAX_ARGS; i++) {
    const p = k.mem.readU64(addr + 8 * i);
    if (p === undefined) return -Errno.EFAULT;
    if (p === 0) return out;
    const s = k.mem.readCBytes(p, ARG_MAX);
    if (!s) return -Errno.EFAULT;
    bytes += s.length + 1;
    if (bytes > ARG_MAX) return -Errno.E2BIG;
    out.push(new TextDecoder().decode(s));
  }
  return -Errno.E2BIG;
}

/** A program file read through the guest's view: host path and bytes. */
interface Program {
  guest: string;
  host: string;
  bytes: Uint8Array;
}

/** Looks `path` up (relative to `base`) and reads it; negative errno on failure. */
function readProgram(k: Kernel, path: string, base: string): Program | number {
  const r = k.vfs.resolve(path, base, true);
  if (typeof r === "number") return -r;
  let host: string;
  if (r.kind === "exe") host = k.opts.exe.hostPath;
  else if (r.kind === "host") {
    if (!r.info) return -Errno.ENOENT;
    if (r.info.isDirectory || !r.info.isFile) return -Errno.EACCES;
    if (((r.info.mode ?? 0o755) & 0o111) === 0) return -Errno.EACCES;
    if (!k.vfs.inside(r.mount, r.host)) return -Errno.ENOENT;
    host = r.host;
  } else return -Errno.EACCES;
  try {
    return { guest: r.guest, host, bytes: Deno.readFileSync(host) };
  } catch (e) {
    return -errnoOf(e);
  }
}

/** The `#!` line: interpreter and optional single argument, or undefined. */
function shebang(
  bytes: Uint8Array,
): { interp: string; arg?: string } | undefined {
  if (bytes[0] !== 0x23 || bytes[1] !== 0x21) return undefined;
  let end = bytes.indexOf(0x0a);
  if (end < 0) end = Math.min(bytes.length, 256);
  const line = new TextDecoder().decode(bytes.subarray(2, end)).trim();
  if (line === "") return undefined;
  const m = /^(\S+)(?:[ \t]+(.*\S))?/.exec(line)!;
  return { interp: m[1], arg: m[2] };
}

/** True when `bytes` is a 64-bit little-endian RISC-V ELF executable. */
function isRiscvElf(bytes: Uint8Array): boolean {
  if (bytes.length < 64) return false;
  if (
    bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c ||
    bytes[3] !== 0x46
  ) {
    return false;
  }
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return bytes[4] === 2 && bytes[5] === 1 && v.getUint16(18, true) === EM_RISCV;
}

/** Unmaps every page of the old image. */
function dropImage(k: Kernel): void {
  const perm = k.mem.perm;
  const first = GUEST_MIN >>> PAGE_SHIFT, last = GUEST_MAX >>> PAGE_SHIFT;
  for (let p = first; p < last;) {
    if (!(perm[p] & PERM_MAPPED)) {
      p++;
      continue;
    }
    let q = p + 1;
    while (q < last && (perm[q] & PERM_MAPPED)) q++;
    k.mem.unmap(p * PAGE_SIZE, (q - p) * PAGE_SIZE);
    p = q;
  }
  k.vm.set(GUEST_MIN, GUEST_MAX - GUEST_MIN, false);
}

function execve(
  k: Kernel,
  path: string,
  base: string,
  argvAddr: number,
  envAddr: number,
): number | Resume {
  let argv = readStrings(k, argvAddr);
  if (typeof argv === "number") return argv;
  const env = readStrings(k, envAddr);
  if (typeof env === "number") return env;
  let prog = readProgram(k, path, base);
  if (typeof prog === "number") return prog;
  let execfn = path;
  for (let depth = 0; !isRiscvElf(prog.bytes); depth++) {
    const sb = shebang(prog.bytes);
    if (!sb) return -Errno.ENOEXEC;
    if (depth >= MAX_SCRIPT_DEPTH) return -Errno.ELOOP;
    argv = [
      sb.interp,
      ...(sb.arg !== undefined ? [sb.arg] : []),
      execfn,
      ...argv.slice(1),
    ];
    execfn = sb.interp;
    prog = readProgram(k, sb.interp, k.cwd);
    if (typeof prog === "number") {
      return prog === -Errno.EACCES ? -Errno.EACCES : prog;
    }
  }
  // The point of no return: the old image goes.
  const sched = k.sched;
  const p = k.proc;
  if (sched) {
    for (const t of p.live) if (t !== p.loaded) sched.exitThread(t, 0);
  }
  for (let fd = 0; fd < k.fds.limit; fd++) {
    if (k.fds.get(fd)?.cloexec) k.fds.close(fd);
  }
  k.maps.close(); // shared file pages written back, files released
  k.signals.resetForExec();
  dropTimers(k, p, true); // POSIX timers go; interval timers stay
  dropImage(k);
  k.cpu.x.fill(0n);
  k.mmapTop = STACK_TOP - STACK_SIZE - 16 * 1024 * 1024;
  k.opts = {
    ...k.opts,
    argv,
    env,
    exe: { hostPath: prog.host, guestPath: prog.guest },
  };
  p.loaded.clearChildTid = 0;
  p.execed = true;
  p.vforkParent = undefined; // the vfork parent goes on
  try {
    k.load(prog.bytes, execfn);
  } catch {
    return { kind: "killed", signal: 11 }; // like Linux past the point of no return
  }
  sched?.hooks.exec?.(p.pid, prog.guest);
  return { kind: "jump" };
}

function execveat(
  k: Kernel,
  dirfd: number,
  pathAddr: number,
  argv: number,
  env: number,
  flags: number,
): number | Resume {
  if (flags & ~(AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW)) return -Errno.EINVAL;
  const path = readPath(k, pathAddr);
  if (typeof path === "number") return path;
  if (path === "") {
    if (!(flags & AT_EMPTY_PATH)) return -Errno.ENOENT;
    const e = k.fds.get(dirfd);
    if (!e) return -Errno.EBADF;
    if (e.desc.kind !== "file") return -Errno.EACCES;
    return execve(k, e.desc.guest, "/", argv, env);
  }
  const base = dirBase(k, dirfd, path);
  if (typeof base === "number") return base;
  return execve(k, path, base, argv, env);
}

/**
 * Handlers for execve and execveat, keyed by riscv64 number.
 *
 * @example
 * ```ts
 * import { EXEC_SYSCALLS } from "./exec.ts";
 * console.log(typeof EXEC_SYSCALLS[221]); // "function"
 * ```
 */
export const EXEC_SYSCALLS: Record<number, SyscallHandler> = {
  221: (k, a) => execveat(k, AT_FDCWD, a[0], a[1], a[2], 0), // execve
  281: (k, a) => execveat(k, a[0] | 0, a[1], a[2], a[3], a[4] | 0), // execveat
};
