/**
 * Opening the `-D FILE` plugin log without following a link the guest may
 * have planted. The guest writes in the user's directory, so by the time a
 * later run opens `plugins.log` it may be a symbolic link to `~/.bashrc`.
 *
 * The rule (SECURITY.md): the log file itself may not be a link; below the
 * working directory, no folder on its path may be a link either (its real
 * path must be the working directory's real path plus the path as typed).
 * A new file is created with O_EXCL (never through a link); an existing one
 * must have a single hard link (a guest's `link("victim", "plugins.log")`
 * is no symlink), is opened without truncation, checked to be the very file
 * that was inspected (device and inode), and only then truncated.
 *
 * @module
 */

import { dirname, isAbsolute, relative, resolve } from "node:path";

/**
 * Opens `path` (relative to `cwd`) for the plugin log as the module doc
 * says. Throws a TypeError naming the file and the link.
 *
 * @example
 * ```ts ignore
 * import { openPluginLog } from "./log_file.ts";
 * const file = openPluginLog("plugins.log", Deno.cwd());
 * file.writeSync(new TextEncoder().encode("hello\n"));
 * file.close();
 * ```
 */
export function openPluginLog(path: string, cwd: string): Deno.FsFile {
  const abs = isAbsolute(path) ? resolve(path) : resolve(cwd, path);
  const refuse = (why: string): never => {
    throw new TypeError(`-D ${path}: ${why}; refusing to write through it`);
  };
  const realCwd = Deno.realPathSync(cwd);
  const rel = relative(resolve(cwd), dirname(abs));
  if (rel === "" || (!rel.startsWith("..") && !isAbsolute(rel))) {
    const expected = rel === "" ? realCwd : resolve(realCwd, rel);
    let realDir: string;
    try {
      realDir = Deno.realPathSync(dirname(abs));
    } catch (e) {
      throw new TypeError(`-D ${path}: ${(e as Error).message}`);
    }
    if (realDir !== expected) {
      refuse(`a folder on its path is a link (to ${realDir})`);
    }
  }
  let before: Deno.FileInfo | undefined;
  try {
    before = Deno.lstatSync(abs);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  if (before?.isSymlink) {
    refuse(`it is a symbolic link (to ${Deno.readLinkSync(abs)})`);
  }
  if (before && !before.isFile) refuse("it is not a regular file");
  // A hard link is no symlink, yet it names a file kept elsewhere too: the
  // guest links `victim.txt` as `plugins.log` and the log truncates it.
  if (before && (before.nlink ?? 1) > 1) {
    refuse(`it has ${before.nlink} hard links (another name for it)`);
  }
  if (!before) {
    // O_CREAT|O_EXCL fails on any existing name, a dangling link included.
    return Deno.openSync(abs, { write: true, createNew: true });
  }
  const file = Deno.openSync(abs, { write: true });
  const opened = file.statSync();
  if (opened.dev !== before.dev || opened.ino !== before.ino) {
    file.close();
    refuse("it was replaced while being opened");
  }
  file.truncateSync(0);
  return file;
}
