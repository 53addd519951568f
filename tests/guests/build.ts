/**
 * Builds the RV64GC test guests: `src/NAME.c` (or `NAME.cc`, C++) ->
 * `bin/NAME.elf`, or `bin/NAME.so` for shared objects.
 *
 * Needs the Debian cross compiler (`apt-get install gcc-riscv64-linux-gnu
 * libc6-dev-riscv64-cross`). CI does not have it, so the binaries in `bin/`
 * are committed; rebuild them after changing a source and commit both.
 *
 * ```sh
 * deno task guests            # every guest
 * deno task guests hello fp   # just these
 * ```
 *
 * @module
 */

/** How one guest is built. */
interface Guest {
  /** How to link: `-static` unless said otherwise. */
  readonly link?: readonly string[];
  /** Extra compiler flags (after `-O2 -static`). */
  readonly flags?: readonly string[];
  /** Libraries, placed after the source file. */
  readonly libs?: readonly string[];
  /** Keep the symbol table (for instrumentation tests and the benchmark). */
  readonly keepSymbols?: boolean;
  /** A shared object (`-shared -fPIC`, built as bin/NAME.so). */
  readonly shared?: boolean;
}

/** Dynamically linked against the sysroot's libraries (run them with -L). */
const DYNAMIC: readonly string[] = [];

/** Every guest, by source name. A source without an entry here is an error. */
const GUESTS: Readonly<Record<string, Guest>> = {
  hello: { keepSymbols: true },
  // gcc's -static-pie adds an interpreter with this toolchain; ask ld directly.
  hello_pie: {
    link: ["-pie", "-Wl,--no-dynamic-linker", "-Wl,-static"],
    flags: ["-fPIE", "-nostdlib", "-ffreestanding", "-fno-stack-protector"],
  },
  arith: {},
  fp: { libs: ["-lm"] },
  atomics: {},
  strings: {},
  heap: {},
  files: {},
  argv_env: {},
  signals: {},
  time: {},
  compute: { keepSymbols: true },
  segv: {},
  illegal: {},
  fpe: {},
  abort: {},
  jump_unmapped: {},
  escape: {},
  bigmem: {},
  unaligned: {},
  insn_edges: {},
  count_loop: { flags: ["-nostdlib", "-nostartfiles"], keepSymbols: true },
  echo_stdin: { flags: ["-nostdlib", "-nostartfiles", "-ffreestanding"] },
  stdio_probe: {},
  identity: {},
  procfs: {},
  at_random: {},
  timeloop: {},
  dyn_hello: { link: DYNAMIC },
  dyn_cxx: { link: DYNAMIC },
  dyn_dlopen: { link: [...DYNAMIC, "-rdynamic"] },
  dl_plugin: { link: ["-shared"], flags: ["-fPIC"], shared: true },
  shared_maps: {},
  sockets_unix: {},
  sockets_inet: {},
  threads: { flags: ["-pthread"] },
  fork_pipe: {},
  pipeline: {},
  exec: {},
  timers: {},
  epoll: { flags: ["-pthread"] },
  sched_limits: {},
  thread_signals: { flags: ["-pthread"] },
  shm_sock: {},
  where: {},
};

const CC = "riscv64-linux-gnu-gcc";
const CXX = "riscv64-linux-gnu-g++";
const STRIP = "riscv64-linux-gnu-strip";
const here = new URL(".", import.meta.url).pathname;
const srcDir = `${here}src/`;
const binDir = `${here}bin/`;

async function run(cmd: string, args: string[]): Promise<void> {
  let out: Deno.CommandOutput;
  try {
    out = await new Deno.Command(cmd, {
      args,
      stdout: "inherit",
      stderr: "inherit",
    })
      .output();
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new Error(
        `${cmd} not found: install the RISC-V cross compiler ` +
          `(apt-get install gcc-riscv64-linux-gnu libc6-dev-riscv64-cross)`,
      );
    }
    throw e;
  }
  if (!out.success) {
    throw new Error(`${cmd} ${args.join(" ")} failed with status ${out.code}`);
  }
}

async function main(names: string[]): Promise<void> {
  const files = [...Deno.readDirSync(srcDir)]
    .filter((e) => e.isFile && /\.(c|cc)$/.test(e.name))
    .map((e) => e.name);
  const sources = files.map((f) => f.replace(/\.(c|cc)$/, "")).sort();
  for (const s of sources) {
    if (!(s in GUESTS)) {
      throw new Error(
        `src/${s} has no entry in GUESTS in tests/guests/build.ts`,
      );
    }
  }
  const wanted = names.length ? names : sources;
  for (const n of wanted) {
    if (!sources.includes(n)) {
      throw new RangeError(
        `no guest named "${n}" (known: ${sources.join(", ")})`,
      );
    }
  }
  Deno.mkdirSync(binDir, { recursive: true });
  for (const name of wanted) {
    const g = GUESTS[name];
    const out = `${binDir}${name}.${g.shared ? "so" : "elf"}`;
    const cxx = files.includes(`${name}.cc`);
    const src = `${srcDir}${name}.${cxx ? "cc" : "c"}`;
    const args = [
      "-O2",
      ...(g.link ?? ["-static"]),
      "-Wall",
      "-Wextra",
      ...(g.flags ?? []),
      "-o",
      out,
      src,
      ...(g.libs ?? []),
    ];
    const cc = cxx ? CXX : CC;
    await run(cc, args);
    if (!g.keepSymbols) await run(STRIP, [out]);
    const size = Deno.statSync(out).size;
    console.log(
      `built ${out.replace(here, "")} (${(size / 1024).toFixed(0)} KiB${
        g.keepSymbols ? ", symbols kept" : ", stripped"
      }): ${cc} ${args.join(" ").replaceAll(here, "")}`,
    );
  }
}

if (import.meta.main) {
  try {
    await main(Deno.args);
  } catch (e) {
    console.error(`error: ${e instanceof Error ? e.message : e}`);
    Deno.exit(1);
  }
}
