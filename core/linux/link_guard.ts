/**
 * Symlinks a guest makes must not lead the HOST out of the mapping.
 *
 * The guest's own resolution never leaves the mounts (see `vfs.ts`), but a
 * symlink is a host file too: the user's tools, plugins granted a folder
 * and `-D` files follow it as a host path. So a link the guest creates must
 * point, for the host, inside the mount it lives in:
 * - an absolute target must lie under the mount's host root;
 * - a relative target may start with `..` components, as long as they do
 *   not climb above the mount's root from the link's real directory; after
 *   them, no `..` may appear (a `..` after a symlinked component climbs
 *   from wherever that link leads, which lexical checks cannot see).
 * Links that break this get EPERM. Moving a link (rename, hard link) to a
 * shallower directory is checked again, and so is moving a directory to a
 * shallower depth: every link inside must still stay inside.
 *
 * @module
 */

import type { Mount } from "./vfs.ts";

/** Most entries a directory move may re-check before it is refused. */
const MOVE_SCAN_LIMIT = 10_000;

/** Depth of real host directory `dir` below `m`'s host root, or -1 if outside. */
function depthIn(m: Mount, dir: string): number {
  let real: string;
  try {
    real = Deno.realPathSync(dir);
  } catch {
    return -1;
  }
  if (real === m.host) return 0;
  const root = m.host.endsWith("/") ? m.host : m.host + "/";
  if (!real.startsWith(root)) return -1;
  return real.slice(root.length).split("/").filter((c) => c !== "").length;
}

/** True when `target` at depth `depth` below `m`'s root stays inside `m`. */
function targetStaysAt(m: Mount, target: string, depth: number): boolean {
  const parts = target.split("/").filter((c) => c !== "" && c !== ".");
  if (target.startsWith("/")) {
    if (parts.includes("..")) return false;
    const t = "/" + parts.join("/");
    const root = m.host.endsWith("/") ? m.host : m.host + "/";
    return t === m.host || t.startsWith(root);
  }
  let up = 0;
  while (up < parts.length && parts[up] === "..") up++;
  if (parts.slice(up).includes("..")) return false;
  return up <= depth;
}

/**
 * May the guest create a symlink with `target` at host path `linkHost`
 * (whose parent exists) in mount `m`?
 *
 * @example
 * ```ts
 * import { symlinkAllowed } from "./link_guard.ts";
 * const root = Deno.realPathSync(Deno.makeTempDirSync());
 * const m = { guest: "/w", host: root, readOnly: false };
 * console.log(symlinkAllowed(m, `${root}/l`, "f"), symlinkAllowed(m, `${root}/l`, "../etc")); // true false
 * ```
 */
export function symlinkAllowed(
  m: Mount,
  linkHost: string,
  target: string,
): boolean {
  const depth = depthIn(m, linkHost.slice(0, linkHost.lastIndexOf("/")) || "/");
  return depth >= 0 && targetStaysAt(m, target, depth);
}

/**
 * May host file `from` (a symlink, a directory, anything) move to or gain
 * the name `to` (whose parent exists) inside mount `m`, without any symlink
 * it is or holds leading out of `m` from its new place?
 *
 * @example
 * ```ts
 * import { moveAllowed } from "./link_guard.ts";
 * const root = Deno.realPathSync(Deno.makeTempDirSync());
 * Deno.mkdirSync(`${root}/a`);
 * Deno.symlinkSync("../f", `${root}/a/l`);
 * const m = { guest: "/w", host: root, readOnly: false };
 * console.log(moveAllowed(m, `${root}/a/l`, `${root}/l`)); // false
 * ```
 */
export function moveAllowed(m: Mount, from: string, to: string): boolean {
  const dirOf = (p: string) => p.slice(0, p.lastIndexOf("/")) || "/";
  const oldDepth = depthIn(m, dirOf(from)), newDepth = depthIn(m, dirOf(to));
  if (oldDepth < 0 || newDepth < 0) return false;
  let info: Deno.FileInfo;
  try {
    info = Deno.lstatSync(from);
  } catch {
    return true; // nothing there: the host call will fail on its own
  }
  if (info.isSymlink) return linkStays(m, from, newDepth);
  if (!info.isDirectory || newDepth >= oldDepth) return true;
  // A directory moving up: every link inside climbs from a shallower place.
  let seen = 0;
  const walk = (dir: string, depth: number): boolean => {
    for (const e of Deno.readDirSync(dir)) {
      if (++seen > MOVE_SCAN_LIMIT) return false;
      const p = `${dir}/${e.name}`;
      if (e.isSymlink && !linkStays(m, p, depth)) return false;
      if (e.isDirectory && !walk(p, depth + 1)) return false;
    }
    return true;
  };
  try {
    return walk(from, newDepth + 1);
  } catch {
    return false;
  }
}

/** True when the symlink at `p`, placed at `depth`, stays inside `m`. */
function linkStays(m: Mount, p: string, depth: number): boolean {
  try {
    return targetStaysAt(m, Deno.readLinkSync(p), depth);
  } catch {
    return false;
  }
}
