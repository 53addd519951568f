/**
 * Red team: a guest hard-links a file of its mapping that lies outside a
 * plugin's grant into the granted folder (and as the `-D` log's name). A
 * hard link is no symlink, so resolving real paths does not see it: the
 * honest plugin granted `write=./grant`, and a later `-D plugins.log`,
 * overwrote `victim.txt`.
 */

import { check, plugin, runPandeno } from "./_cli.ts";

const GUEST = new URL("guests/hardlink_plant.elf", import.meta.url).pathname;

async function planted(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "pandeno_redteam_" });
  await Deno.mkdir(`${dir}/grant`);
  await Deno.writeTextFile(`${dir}/victim.txt`, "precious\n");
  const r = await runPandeno([GUEST], { cwd: dir });
  check(r.stdout === "planted\n", "the guest planted its links", r);
  return dir;
}

Deno.test("a plugin granted write=./grant cannot overwrite a file hard-linked into it from outside", async () => {
  const dir = await planted();
  try {
    const r = await runPandeno([
      "--plugin",
      plugin("grant_writer.ts"),
      "--allow-plugin",
      "grant_writer:write=./grant",
      GUEST,
    ], { cwd: dir });
    check(r.code === 0, `exit status ${r.code}`, r);
    check(
      (await Deno.readTextFile(`${dir}/victim.txt`)) === "precious\n",
      "victim.txt, outside the grant, was overwritten",
      r,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("-D cannot truncate a file the guest hard-linked as the log", async () => {
  const dir = await planted();
  try {
    const r = await runPandeno([
      "-D",
      "plugins.log",
      "--plugin",
      "insn",
      GUEST,
    ], { cwd: dir });
    check(
      (await Deno.readTextFile(`${dir}/victim.txt`)) === "precious\n",
      "victim.txt was overwritten through the -D log",
      r,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
