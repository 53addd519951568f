/**
 * From "run this program, from this folder, with these mappings" to a
 * loaded {@link Machine}: the one place where the user's folder, relative
 * paths, the environment and the file mappings are settled, shared by the
 * command line and the scripting API.
 *
 * @module
 */

import { type EngineName, Machine } from "../../core/machine.ts";
import type { Mount, Stdio } from "../../core/linux/mod.ts";
import { isAbsolute, resolve } from "node:path";
import { type NetPolicy, WorkerHostNet } from "../host/host_net.ts";

/** What to run, and how the guest sees the host. */
export interface GuestSetup {
  /** The program path as the user gave it (argv[0]). */
  program: string;
  /** Arguments after the program. */
  args: readonly string[];
  /** The user's folder (absolute): relative paths resolve against it. */
  cwd: string;
  /** The guest's environment. */
  env: Readonly<Record<string, string>>;
  /** Map `cwd` into the guest (default true). */
  mapCwd?: boolean;
  /** Map `cwd` read-only. */
  cwdReadOnly?: boolean;
  /** More mappings; `host` relative to `cwd`, `guest` absolute (default: same path). */
  maps?: readonly { host: string; guest?: string; readOnly?: boolean }[];
  /** `-L`: the interpreter prefix, as given (relative to `cwd`). */
  ldPrefix?: string;
  /** `--net`: what guest AF_INET/AF_INET6 sockets may reach (default: nothing). */
  net?: NetPolicy;
  /** Engine (default "jit"). */
  engine?: EngineName;
  /** Instructions per turn when several vCPUs share the host. */
  quantum?: number;
  /** Seed for the guest's randomness. */
  seed?: bigint;
  /** Virtual clock: 2^N ns per instruction. */
  icountShift?: number;
  /** uname's nodename. */
  hostname?: string;
  /** Silence unsupported system call reports. */
  quietEnosys?: boolean;
  /** The guest's standard streams (default: the process's). */
  stdio?: Stdio;
  /** Pandeno's diagnostics (default: stderr). */
  log?: (line: string) => void;
}

/** A setup mistake, with the exit status the command line uses. */
export class GuestSetupError extends Error {
  /** Always "GuestSetupError". */
  override name = "GuestSetupError";
  /** 1: the program cannot run; 2: a usage mistake. */
  readonly status: number;
  /** `message` says what and what to do. */
  constructor(message: string, status: number) {
    super(message);
    this.status = status;
  }
}

/**
 * Reads, maps and loads the program. Throws {@link GuestSetupError} for
 * anything the user can fix.
 *
 * @example
 * ```ts
 * import { setupGuest } from "./guest_setup.ts";
 * const m = setupGuest({
 *   program: "tests/guests/bin/hello.elf", args: [], cwd: Deno.cwd(), env: {},
 *   stdio: { read: () => null, write: () => {}, isTerminal: () => false },
 * });
 * console.log(m.run().status); // 0
 * ```
 */
export function setupGuest(s: GuestSetup): Machine {
  const cwd = s.cwd;
  const hostPath = isAbsolute(s.program) ? s.program : resolve(cwd, s.program);
  let elf: Uint8Array;
  try {
    elf = Deno.readFileSync(hostPath);
  } catch (e) {
    throw new GuestSetupError(
      `cannot read program ${s.program}: ${(e as Error).message}`,
      1,
    );
  }
  const mounts: Mount[] = [];
  if (s.mapCwd ?? true) {
    let host: string;
    try {
      host = Deno.realPathSync(cwd);
    } catch (e) {
      throw new GuestSetupError(
        `cannot map the working directory ${cwd} (${(e as Error).message}); ` +
          "run from an existing directory or pass --no-cwd",
        2,
      );
    }
    mounts.push({ guest: cwd, host, readOnly: s.cwdReadOnly ?? false });
  }
  for (const m of s.maps ?? []) {
    const host = resolve(cwd, m.host);
    let real: string;
    try {
      real = Deno.realPathSync(host);
    } catch {
      throw new GuestSetupError(
        `--map: host directory ${m.host} does not exist`,
        2,
      );
    }
    const guest = m.guest ?? host;
    if (!isAbsolute(guest)) {
      throw new GuestSetupError(
        `--map: guest path "${guest}" must be absolute`,
        2,
      );
    }
    mounts.push({
      guest: resolve(guest),
      host: real,
      readOnly: m.readOnly ?? false,
    });
  }
  const machine = new Machine({
    engine: s.engine ?? "jit",
    quantum: s.quantum,
    seed: s.seed,
    icountShift: s.icountShift,
    hostname: s.hostname,
    argv: [s.program, ...s.args],
    env: Object.entries(s.env).map(([k, v]) => `${k}=${v}`),
    exe: { hostPath, guestPath: hostPath },
    mounts,
    cwd,
    ldPrefix: ldPrefix(s.ldPrefix, cwd),
    hostNet: s.net ? new WorkerHostNet(s.net) : undefined,
    quietEnosys: s.quietEnosys,
    ...(s.stdio ? { stdio: s.stdio } : {}),
    ...(s.log ? { log: s.log } : {}),
  });
  try {
    machine.load(elf);
  } catch (e) {
    if (e instanceof RangeError || e instanceof TypeError) {
      throw new GuestSetupError(`cannot run ${s.program}: ${e.message}`, 1);
    }
    throw e;
  }
  return machine;
}

/**
 * The guest's `PWD`: a shell exports the folder it runs a command in, so
 * when the inherited `PWD` names another folder (as under `deno task`,
 * which runs in the project's folder), it becomes `cwd`. A `PWD` naming
 * the same folder through a symlink is kept, as a shell would.
 *
 * @example
 * ```ts
 * import { guestPwd } from "./guest_setup.ts";
 * console.log(guestPwd({ PWD: "/nonexistent/project" }, "/tmp")); // "/tmp"
 * ```
 */
export function guestPwd(
  env: Readonly<Record<string, string>>,
  cwd: string,
): string | undefined {
  const pwd = env.PWD;
  if (pwd === undefined) return undefined;
  try {
    if (Deno.realPathSync(pwd) === Deno.realPathSync(cwd)) return pwd;
  } catch {
    // A PWD that does not exist is not the user's folder.
  }
  return cwd;
}

/**
 * The `-L` prefix as qemu's init_paths takes it: relative to the working
 * directory, nothing for "" or "/", and nothing when it does not exist
 * (qemu then finds no file under it).
 */
function ldPrefix(dir: string | undefined, cwd: string): string | undefined {
  if (dir === undefined || dir === "" || dir === "/") return undefined;
  try {
    return Deno.realPathSync(resolve(cwd, dir));
  } catch {
    return undefined;
  }
}
