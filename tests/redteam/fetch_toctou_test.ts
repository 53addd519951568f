/**
 * Red team: the plugin `fetch` guard stringified its input to check it, and
 * Deno's `fetch` stringified it again to use it. An object whose `toString`
 * answers differently the second time read a file through a link planted in
 * the plugin's read grant (as a guest can: `data/x -> ../secret.txt` stays
 * inside its mapping).
 */

import { check, guest, plugin, runPandeno } from "./_cli.ts";

Deno.test("fetch checks the very URL it fetches (no second toString)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pandeno_redteam_" });
  try {
    await Deno.mkdir(`${dir}/data`);
    await Deno.writeTextFile(`${dir}/secret.txt`, "TOPSECRET\n");
    await Deno.symlink("../secret.txt", `${dir}/data/x`);
    const r = await runPandeno([
      "--plugin",
      plugin("fetch_toctou.ts"),
      "--allow-plugin",
      "fetch_toctou:read=./data",
      guest("hello.elf"),
    ], { cwd: dir });
    check(r.code === 0, `exit status ${r.code}`, r);
    check(r.stdout === "Hello from RISC-V!\n", "guest stdout", r);
    check(!r.stderr.includes("TOPSECRET"), "the secret was read", r);
    check(
      r.stderr.includes("[fetch_toctou] refused"),
      "fetch was not refused",
      r,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
