/**
 * Red team: `Deno.umask` (with the `sys` grant) and `Deno.chdir` (with a
 * read permission on the target) change the whole process, not the
 * plugin's Worker; neither was closed. A plugin set umask 0777 and the guest's
 * new files came out mode 000 (`mode=000` on its stdout, qemu: `mode=644`).
 */

import { check, plugin, runPandeno } from "./_cli.ts";

const GUEST = new URL("guests/umask_probe.elf", import.meta.url).pathname;

Deno.test("a plugin cannot change the process umask or working directory", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pandeno_redteam_" });
  try {
    const alone = await runPandeno([GUEST], { cwd: dir });
    check(alone.stdout === "mode=644\n", "the guest alone", alone);
    const r = await runPandeno([
      "--plugin",
      plugin("process_wide.ts"),
      "--allow-plugin",
      "process_wide:sys",
      GUEST,
    ], { cwd: dir });
    check(r.code === 0, `exit status ${r.code}`, r);
    check(r.stdout === alone.stdout, `guest stdout changed: ${r.stdout}`, r);
    check(r.stderr.includes("umask: refused"), "umask was not refused", r);
    check(r.stderr.includes("chdir: refused"), "chdir was not refused", r);
    check(
      r.stderr.includes("process.umask: refused"),
      "process.umask was not refused",
      r,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
