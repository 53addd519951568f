import assert from "node:assert/strict";
import { SCRATCH, testProc } from "./_test_util.ts";
import { Errno } from "./errno.ts";
import {
  SIGINFO_SIZE,
  UC_FCSR,
  UC_FREGS,
  UC_REGS,
  UC_SIGMASK,
} from "./signal_frame.ts";
import { TRAMPOLINE } from "./signal_state.ts";
import { PERM_R, PERM_W, PERM_X } from "../layout.ts";

const ACT = SCRATCH, OACT = SCRATCH + 0x100;
const STACK_LO = 0x30_0000, STACK_HI = 0x31_0000;
const SA_SIGINFO = 4, SA_ONSTACK = 0x0800_0000, SA_RESETHAND = 0x8000_0000;

function proc() {
  const p = testProc();
  p.mem.map(STACK_LO, STACK_HI - STACK_LO, PERM_R | PERM_W);
  p.cpu.setX(2, STACK_HI - 0x100);
  return p;
}

function sigaction(
  p: ReturnType<typeof testProc>,
  sig: number,
  handler: number,
  flags: number,
  mask = 0n,
) {
  p.mem.write(
    ACT,
    new Uint8Array(
      new BigUint64Array([BigInt(handler), BigInt(flags), mask]).buffer,
    ),
  );
  return p.call("rt_sigaction", sig, ACT, 0, 8);
}

Deno.test("rt_sigaction uses the riscv layout without sa_restorer and returns the old action", () => {
  const p = proc();
  assert.equal(sigaction(p, 11, 0x1234, SA_SIGINFO, 1n << 9n), 0);
  assert.equal(p.call("rt_sigaction", 11, 0, OACT, 8), 0);
  assert.equal(p.mem.readU64(OACT), 0x1234);
  assert.equal(p.mem.readU64(OACT + 8), SA_SIGINFO);
  assert.equal(p.mem.readU64(OACT + 16), 1 << 9);
  assert.equal(p.call("rt_sigaction", 9, ACT, 0, 8), -Errno.EINVAL);
  assert.equal(p.call("rt_sigaction", 11, ACT, 0, 16), -Errno.EINVAL);
});

Deno.test("deliverSignal builds a frame whose sc_regs.pc is the fault pc; rt_sigreturn restores registers", () => {
  const p = proc();
  sigaction(p, 11, 0x5000, SA_SIGINFO);
  p.cpu.pc = 0x1_2340;
  for (let i = 1; i < 32; i++) if (i !== 2) p.cpu.setX(i, 1000 + i);
  p.cpu.fbits[3] = 0x4009_21fb_5444_2d18n;
  p.cpu.fflags = 0x11;
  p.cpu.frm = 2;
  const sp0 = p.cpu.getXU(2);
  const r = p.k.deliverSignal(11, 1, 0xdead0);
  assert.deepEqual(r, { kind: "jump" });
  const frame = p.cpu.getXU(2);
  assert.equal(frame % 16, 0);
  assert.ok(frame < sp0);
  assert.equal(p.cpu.pc, 0x5000);
  assert.equal(p.cpu.getXU(1), TRAMPOLINE);
  assert.ok(p.mem.check(TRAMPOLINE, 8, PERM_R | PERM_X));
  assert.equal(p.mem.readU32(TRAMPOLINE), 0x08b00893);
  assert.equal(p.cpu.getX(10), 11);
  assert.equal(p.cpu.getXU(11), frame);
  assert.equal(p.cpu.getXU(12), frame + SIGINFO_SIZE);
  // siginfo
  assert.equal(p.mem.readU32(frame), 11);
  assert.equal(p.mem.readU32(frame + 8), 1);
  assert.equal(p.mem.readU64(frame + 16), 0xdead0);
  // ucontext
  const uc = frame + SIGINFO_SIZE;
  assert.equal(p.mem.readU64(uc + UC_REGS), 0x1_2340);
  assert.equal(p.mem.readU64(uc + UC_REGS + 8 * 5), 1005);
  assert.equal(p.mem.readU64(uc + UC_REGS + 8 * 2), sp0);
  assert.equal(
    p.mem.view.getBigUint64(uc + UC_FREGS + 8 * 3, true),
    0x4009_21fb_5444_2d18n,
  );
  assert.equal(p.mem.readU32(uc + UC_FCSR), (2 << 5) | 0x11);
  assert.equal(p.mem.readU64(uc + UC_SIGMASK), 0);
  // SIGSEGV is blocked inside the handler.
  assert.equal(p.call("rt_sigprocmask", 0, 0, OACT, 8), 0);
  assert.equal(p.mem.readU64(OACT), 1 << 10);
  // The handler skips the faulting instruction and clobbers registers.
  p.mem.writeU64(uc + UC_REGS, 0x1_2344);
  p.cpu.setX(5, 0);
  p.cpu.fbits[3] = 0n;
  p.cpu.setX(2, frame);
  p.cpu.setX(17, 139);
  assert.deepEqual(p.k.syscall(), { kind: "jump" });
  assert.equal(p.cpu.pc, 0x1_2344);
  assert.equal(p.cpu.getX(5), 1005);
  assert.equal(p.cpu.getXU(2), sp0);
  assert.equal(p.cpu.fbits[3], 0x4009_21fb_5444_2d18n);
  assert.equal(p.cpu.frm, 2);
  assert.equal(p.call("rt_sigprocmask", 0, 0, OACT, 8), 0);
  assert.equal(p.mem.readU64(OACT), 0);
});

Deno.test("a fault with the default action, or blocked, or ignored kills the process", () => {
  const p = proc();
  p.cpu.pc = 0x1000;
  assert.deepEqual(p.k.deliverSignal(11, 1, 0x42), {
    kind: "killed",
    signal: 11,
    addr: 0x42,
  });
  const q = proc();
  sigaction(q, 4, 1, 0); // SIG_IGN
  assert.equal(q.k.deliverSignal(4, 1, 0x1000).kind, "killed");
  const r = proc();
  sigaction(r, 7, 0x5000, 0);
  r.mem.writeU64(ACT, 1 << 6);
  assert.equal(r.call("rt_sigprocmask", 0, ACT, 0, 8), 0);
  assert.equal(r.k.deliverSignal(7, 1, 0x1001).kind, "killed");
});

Deno.test("SA_ONSTACK uses the sigaltstack and SA_RESETHAND restores the default", () => {
  const p = proc();
  const alt = 0x40_0000;
  p.mem.map(alt, 0x4000, PERM_R | PERM_W);
  p.mem.write(
    ACT,
    new Uint8Array(new BigUint64Array([BigInt(alt), 0n, 0x4000n]).buffer),
  );
  assert.equal(p.call("sigaltstack", ACT, 0), 0);
  sigaction(p, 8, 0x6000, SA_ONSTACK | SA_RESETHAND);
  assert.equal(p.k.deliverSignal(8, 1, 0).kind, "jump");
  const frame = p.cpu.getXU(2);
  assert.ok(frame >= alt && frame < alt + 0x4000);
  assert.equal(p.call("sigaltstack", 0, OACT), 0);
  assert.equal(p.mem.readU32(OACT + 8), 1); // SS_ONSTACK
  assert.equal(p.call("rt_sigaction", 8, 0, OACT, 8), 0);
  assert.equal(p.mem.readU64(OACT), 0);
});

Deno.test("kill and tgkill to self run the handler after the syscall returns 0", () => {
  const p = proc();
  sigaction(p, 10, 0x7000, 0);
  p.cpu.pc = 0x2000;
  const pid = p.call("getpid");
  const { a0, r } = p.raw("kill", pid, 10);
  assert.deepEqual(r, { kind: "jump" });
  assert.equal(p.cpu.pc, 0x7000);
  const uc = p.cpu.getXU(2) + SIGINFO_SIZE;
  assert.equal(p.mem.readU64(uc + UC_REGS), 0x2004);
  assert.equal(p.mem.readU64(uc + UC_REGS + 8 * 10), 0); // a0 = 0 saved
  assert.equal(a0, 10); // handler's a0 = signal number
  assert.equal(p.call("kill", 1, 10), -Errno.ESRCH);
  assert.deepEqual(p.raw("tgkill", pid, pid, 6).r, {
    kind: "killed",
    signal: 6,
  });
  assert.deepEqual(proc().raw("tgkill", pid, pid, 17).r, { kind: "next" }); // SIGCHLD ignored
});

Deno.test("a blocked signal stays pending until unblocked", () => {
  const p = proc();
  sigaction(p, 12, 0x8000, 0);
  p.mem.writeU64(ACT, 1 << 11);
  assert.equal(p.call("rt_sigprocmask", 0, ACT, 0, 8), 0);
  assert.deepEqual(p.raw("kill", p.k.pid, 12).r, { kind: "jump" }); // pc advanced, no handler
  assert.equal(p.call("rt_sigpending", OACT, 8), 0);
  assert.equal(p.mem.readU64(OACT), 1 << 11);
  p.cpu.pc = 0x3000;
  assert.deepEqual(p.raw("rt_sigprocmask", 1, ACT, 0, 8).r, { kind: "jump" });
  assert.equal(p.cpu.pc, 0x8000);
});
