/**
 * Red team: the plugin file guard read `Deno.open`'s options to decide
 * which grant to check, and Deno read them again to open. A `read` getter
 * answering false, then true, read a file in a write-only grant (whose
 * root Deno itself may read, for the real-path resolution).
 */

import { check, guest, plugin, runPandeno } from "./_cli.ts";

Deno.test("Deno.open's options are read once: a write-only grant stays unreadable", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pandeno_redteam_" });
  try {
    await Deno.mkdir(`${dir}/out`);
    await Deno.writeTextFile(`${dir}/out/existing.txt`, "WRITEONLY\n");
    const r = await runPandeno([
      "--plugin",
      plugin("open_flags.ts"),
      "--allow-plugin",
      "open_flags:write=./out",
      guest("hello.elf"),
    ], { cwd: dir });
    check(r.code === 0, `exit status ${r.code}`, r);
    check(r.stdout === "Hello from RISC-V!\n", "guest stdout", r);
    check(!r.stderr.includes("WRITEONLY"), "a write-only file was read", r);
    check(r.stderr.includes("[open_flags] refused"), "open was not refused", r);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
