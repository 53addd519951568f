/**
 * File grants that hold against planted links. Deno checks a path's string
 * against the Worker's permissions, so a symbolic link planted inside a
 * granted folder (by the guest, which may write there) takes a plugin
 * anywhere: `read=./data` then reads `./data/x -> /home/u/.ssh/id_rsa`.
 *
 * The rule: every path a plugin uses is resolved to its real path at the
 * moment of use (following every link, as the kernel will), and must lie
 * inside the real path of one of its grants of that kind; the call then
 * goes on with the resolved path. A path whose last component does not
 * exist yet (a file to create) resolves through its parent. Operations that
 * act on a link itself (lstat, remove, readLink) resolve only the parent.
 * Creating links (`symlink`, `link`) and Unix sockets is refused.
 *
 * The Worker's Deno permissions list the real grant roots; write-only
 * roots are also readable by Deno, because resolving a path needs read
 * access, and this layer keeps reads there refused.
 *
 * Residue (SECURITY.md): between the check and the use the guest may swap a
 * component of the resolved path for a link (a race of microseconds that
 * the guest must win while the plugin runs; a synchronous plugin callback
 * runs while the guest is stopped).
 *
 * @module
 */

/** Real paths a plugin was granted, resolved by the host. */
export interface FileGrants {
  /** Real paths of read grants (directories or files). */
  readonly read: readonly string[];
  /** Real paths of write grants. */
  readonly write: readonly string[];
  /** The user's real working directory: relative paths resolve against it. */
  readonly cwd: string;
}

type Access = "read" | "write";
type PathLike = string | URL;

function refused(what: string): never {
  throw new Deno.errors.NotCapable(
    `${what} is not allowed inside a plugin worker`,
  );
}

function toPath(p: PathLike): string {
  if (p instanceof URL) {
    if (p.protocol !== "file:") refused(`the path ${p.href}`);
    return decodeURIComponent(p.pathname);
  }
  return String(p);
}

/** Lexical normalisation of an absolute POSIX path. */
function normalize(path: string): string {
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return "/" + out.join("/");
}

function within(path: string, root: string): boolean {
  return path === root || path.startsWith(root === "/" ? "/" : root + "/");
}

/**
 * Resolves `path` to a real path with `realPathSync` (the original, not a
 * plugin's). `follow` false: the last component is not followed.
 */
function realOf(
  realPath: (p: string) => string,
  path: string,
  follow: boolean,
): string {
  if (follow) {
    try {
      return realPath(path);
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
  }
  if (path === "/") return "/";
  const cut = path.lastIndexOf("/");
  const parent = path.slice(0, cut) || "/";
  const name = path.slice(cut + 1);
  const realParent = realOf(realPath, parent, true);
  return realParent === "/" ? `/${name}` : `${realParent}/${name}`;
}

/**
 * A file with more than one hard link has another name, perhaps outside
 * every grant: a guest `link()`s `../victim.txt` as `out/report.txt`, and
 * real paths cannot see it (a hard link is no symlink). Refused.
 */
function refuseHardLinked(
  lstat: (p: string) => Deno.FileInfo,
  real: string,
  raw: string,
  access: Access,
): void {
  let info: Deno.FileInfo;
  try {
    info = lstat(real);
  } catch {
    return; // nothing there yet: it will be created with one link
  }
  if (!info.isDirectory && (info.nlink ?? 1) > 1) {
    throw new Deno.errors.NotCapable(
      `${raw} has ${info.nlink} hard links (another name, perhaps outside this plugin's ${access} grants); refused`,
    );
  }
}

/**
 * Wraps every path-taking `Deno` file API (and `fetch` of `file:` URLs) so
 * each path is checked as the module doc says. Call once in the Worker,
 * before plugin code runs.
 *
 * @example
 * ```ts ignore
 * import { guardFiles } from "./file_grants.ts";
 * guardFiles({ read: ["/home/u/data"], write: ["/home/u/out"], cwd: "/home/u" });
 * await Deno.readTextFile("data/x"); // refused if data/x links out of /home/u/data
 * ```
 */
export function guardFiles(grants: FileGrants): void {
  const d = Deno as unknown as Record<string, (...a: unknown[]) => unknown>;
  // The user's folder was resolved by the host (the Worker may not read
  // it): a file or folder created directly in it resolves through it.
  // The guest cannot replace that folder itself (its parent is not mapped).
  const cwd = normalize(grants.cwd);
  const original = Deno.realPathSync.bind(Deno);
  const realPath = (p: string): string =>
    normalize(p) === cwd ? grants.cwd : original(p);
  const lstat = Deno.lstatSync.bind(Deno);
  const roots: Record<Access, readonly string[]> = {
    read: grants.read.map(normalize),
    write: grants.write.map(normalize),
  };
  const check = (p: PathLike, access: Access, follow = true): string => {
    const raw = toPath(p);
    const abs = normalize(raw.startsWith("/") ? raw : `${grants.cwd}/${raw}`);
    let real: string;
    try {
      real = realOf(realPath, abs, follow);
    } catch (e) {
      if (e instanceof Deno.errors.NotCapable) {
        refused(`${access} access to ${raw}`);
      }
      throw e;
    }
    if (!roots[access].some((r) => within(real, r))) {
      throw new Deno.errors.NotCapable(
        real === abs
          ? `${access} access to ${raw} was not granted to this plugin`
          : `${raw} resolves to ${real} (a link in the path leads there), outside this plugin's ${access} grants; refused`,
      );
    }
    if (follow) refuseHardLinked(lstat, real, raw, access);
    return real;
  };
  const wrap = (
    name: string,
    paths: (args: unknown[]) => [number, Access, boolean?][],
  ) => {
    const original = d[name];
    if (typeof original !== "function") return;
    const fn = function (...args: unknown[]) {
      for (const [i, access, follow] of paths(args)) {
        args[i] = check(args[i] as PathLike, access, follow ?? true);
      }
      return original.apply(Deno, args);
    };
    lock(Deno, name, fn);
  };
  const both = (
    sync: string,
    f: (a: unknown[]) => [number, Access, boolean?][],
  ) => {
    wrap(sync, f);
    wrap(`${sync}Sync`, f);
  };
  for (const n of ["readFile", "readTextFile", "stat", "realPath", "readDir"]) {
    both(n, () => [[0, "read"]]);
  }
  both("lstat", () => [[0, "read", false]]);
  both("readLink", () => [[0, "read", false]]);
  for (
    const n of [
      "writeFile",
      "writeTextFile",
      "truncate",
      "chmod",
      "chown",
      "utime",
    ]
  ) {
    both(n, () => [[0, "write"]]);
  }
  both("mkdir", () => [[0, "write"]]);
  both("remove", () => [[0, "write", false]]);
  both("rename", () => [[0, "write", false], [1, "write", false]]);
  both("copyFile", () => [[0, "read"], [1, "write"]]);
  both("open", (a) => {
    // Read once into a plain object, which Deno then gets: getters that
    // answer differently to the check and to Deno decide nothing.
    const given = a[1] as Deno.OpenOptions | undefined;
    const o: Deno.OpenOptions = given === undefined ? {} : {
      read: given.read,
      write: given.write,
      append: given.append,
      truncate: given.truncate,
      create: given.create,
      createNew: given.createNew,
      mode: given.mode,
    };
    if (given !== undefined) a[1] = o;
    const writes =
      !!(o.write || o.append || o.create || o.createNew || o.truncate);
    const reads = o.read ?? !writes;
    const out: [number, Access][] = [];
    if (reads) out.push([0, "read"]);
    if (writes) out.push([0, "write"]);
    return out;
  });
  both("create", () => [[0, "read"], [0, "write"]]);
  for (const n of ["makeTempDir", "makeTempFile"]) {
    const original = d[n];
    const originalSync = d[`${n}Sync`];
    const guard = (o?: Deno.MakeTempOptions) => {
      if (o?.dir === undefined) {
        refused(`${n}() outside a write grant (pass options.dir)`);
      }
      return { ...o, dir: check(o.dir, "write") };
    };
    lock(Deno, n, (o?: Deno.MakeTempOptions) => original.call(Deno, guard(o)));
    lock(
      Deno,
      `${n}Sync`,
      (o?: Deno.MakeTempOptions) => originalSync.call(Deno, guard(o)),
    );
  }
  both("symlink", () => refused("creating a symbolic link"));
  both("link", () => refused("creating a hard link"));
  wrap("watchFs", (a) => {
    const list = Array.isArray(a[0]) ? a[0] : [a[0]];
    a[0] = list.map((p) => check(p as PathLike, "read"));
    return [];
  });
  for (const n of ["connect", "listen", "listenDatagram"]) {
    const original = d[n];
    if (typeof original !== "function") continue;
    lock(Deno, n, (o: { transport?: string }, ...rest: unknown[]) => {
      if (typeof o?.transport === "string" && o.transport.startsWith("unix")) {
        refused("a Unix socket");
      }
      return original.call(Deno, o, ...rest);
    });
  }
  const realFetch = globalThis.fetch;
  lock(globalThis, "fetch", (input: RequestInfo | URL, init?: RequestInit) => {
    // One Request, built once: the URL checked is the URL fetched. (Passing
    // `input` on let a `toString` answer https for the check, file: after.)
    const request = new Request(input, init);
    if (/^file:/i.test(request.url)) {
      return realFetch(
        new URL(`file://${check(new URL(request.url), "read")}`),
        { signal: request.signal },
      );
    }
    return realFetch(request);
  });
}

function lock(obj: object, key: string, value: unknown): void {
  try {
    Object.defineProperty(obj, key, {
      value,
      writable: false,
      configurable: false,
      enumerable: false,
    });
  } catch {
    // Already non-configurable.
  }
}
