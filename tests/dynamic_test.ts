/**
 * Dynamically linked guests: the program interpreter and the libraries come
 * from Debian's riscv64 sysroot (`libc6-riscv64-cross`, and
 * `libstdc++6-riscv64-cross` for C++), given with `-L` or `QEMU_LD_PREFIX`
 * as to qemu-riscv64. stdout and exit status must equal qemu's.
 *
 * @module
 */

import assert from "node:assert/strict";
import { guest, GUEST_DIR, hasQemu, runPandeno, runQemu } from "./_harness.ts";

const SYSROOT = "/usr/riscv64-linux-gnu";
const has = (p: string) => {
  try {
    Deno.statSync(`${SYSROOT}/${p}`);
    return true;
  } catch {
    return false;
  }
};
const LIBC = has("lib/ld-linux-riscv64-lp64d.so.1") && has("lib/libc.so.6");
const LIBSTDCXX = LIBC && has("lib/libstdc++.so.6");
if (!LIBC) {
  console.warn(
    `SKIP dynamic: no riscv64 sysroot in ${SYSROOT} (apt-get install libc6-riscv64-cross)`,
  );
} else if (!LIBSTDCXX) {
  console.warn(
    `SKIP dynamic C++: no libstdc++ in ${SYSROOT} (apt-get install libstdc++6-riscv64-cross)`,
  );
}
if (!hasQemu()) {
  console.warn("SKIP dynamic vs qemu: qemu-riscv64 not installed");
}

const dec = new TextDecoder();

/** One dynamic guest, run under Pandeno and (when present) qemu. */
async function compare(
  name: string,
  args: string[],
  status: number,
  expect: RegExp,
): Promise<void> {
  const p = await runPandeno(["-L", SYSROOT, guest(name), ...args]);
  assert.equal(p.code, status, p.stderr);
  assert.match(dec.decode(p.stdout), expect);
  const q = await runQemu(guest(name), args, { qemuArgs: ["-L", SYSROOT] });
  if (q) {
    assert.equal(q.code, status);
    assert.equal(dec.decode(p.stdout), dec.decode(q.stdout));
  }
}

Deno.test({
  name: "a dynamic C program runs through ld.so and libc.so.6 from -L",
  ignore: !LIBC,
  fn: () =>
    compare(
      "dyn_hello",
      ["arg"],
      0,
      /AT_BASE set: yes\n.*PT_INTERP: yes\n.*yes\nlibc.so.6 loaded: 1\n/,
    ),
});

Deno.test({
  name: "a dynamic C++ program uses libstdc++: iostream, exceptions, RTTI",
  ignore: !LIBSTDCXX,
  fn: () =>
    compare("dyn_cxx", [], 5, /riscv64=7\narea 9 square\? 1\ncaught: thrown/),
});

Deno.test({
  name:
    "dlopen() loads a shared object of ours, runs its constructor, dlsym finds it",
  ignore: !LIBC,
  fn: () =>
    compare(
      "dyn_dlopen",
      [`${GUEST_DIR}dl_plugin.so`],
      0,
      /missing library: refused\nplugin dl_plugin: 2\+40=42 constructed=1\nhost_counter=10\n/,
    ),
});

Deno.test({
  name: "QEMU_LD_PREFIX works as -L does, and -L wins over it",
  ignore: !LIBC,
  fn: async () => {
    const viaEnv = await runPandeno([guest("dyn_hello")], {
      env: { QEMU_LD_PREFIX: SYSROOT },
    });
    assert.equal(viaEnv.code, 0, viaEnv.stderr);
    assert.match(dec.decode(viaEnv.stdout), /^hello from a dynamic program/);
    const both = await runPandeno(["-L", SYSROOT, guest("dyn_hello")], {
      env: { QEMU_LD_PREFIX: "/nonexistent" },
    });
    assert.equal(both.code, 0, both.stderr);
  },
});

Deno.test("a dynamic program without a sysroot fails with a hint, not a crash", async () => {
  const r = await runPandeno([guest("dyn_hello")], {
    env: { QEMU_LD_PREFIX: "" },
  });
  assert.equal(r.code, 1);
  assert.match(
    r.stderr,
    /interpreter \/lib\/ld-linux-riscv64-lp64d.so.1 was not found: pass -L/,
  );
  assert.doesNotMatch(r.stderr, /at .*\.ts:\d+/); // no host stack trace
});
