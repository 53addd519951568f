import assert from "node:assert/strict";
import { join } from "node:path";
import { inWorker, RECORDER } from "./_in_worker.ts";

const GUARD = new URL("./file_grants.ts", import.meta.url).href;

Deno.test("guardFiles() refuses paths that planted links lead out of their grant", async () => {
  const root = await Deno.realPath(
    await Deno.makeTempDir({ prefix: "pandeno_grants_" }),
  );
  try {
    await Deno.mkdir(join(root, "data"));
    await Deno.mkdir(join(root, "out"));
    await Deno.writeTextFile(join(root, "secret"), "TOP-SECRET");
    await Deno.writeTextFile(join(root, "victim"), "victim");
    await Deno.writeTextFile(join(root, "data", "ok"), "ok");
    // What a guest plants where an honest plugin was granted access:
    await Deno.symlink("../secret", join(root, "data", "link"));
    await Deno.symlink("..", join(root, "data", "up"));
    await Deno.symlink("../victim", join(root, "out", "report.json"));
    const { out } = await inWorker(
      `import { guardFiles } from ${JSON.stringify(GUARD)};
guardFiles({ read: [${JSON.stringify(join(root, "data"))}], write: [${
        JSON.stringify(join(root, "out"))
      }], cwd: ${JSON.stringify(root)} });
${RECORDER}
await t("read own", () => Deno.readTextFileSync("data/ok"));
await t("read link", () => Deno.readTextFileSync("data/link"));
await t("read through dir link", () => Deno.readTextFile("data/up/secret"));
await t("fetch link", async () => (await fetch("file://${root}/data/link")).text());
await t("open link", () => Deno.openSync("data/link").close());
await t("write new", () => Deno.writeTextFileSync("out/new.json", "{}"));
await t("write link", () => Deno.writeTextFileSync("out/report.json", "PWNED"));
await t("open link for write", () => Deno.openSync("out/report.json", { write: true, truncate: true }).close());
await t("read write-only", () => Deno.readTextFileSync("out/new.json"));
await t("copy link", () => Deno.copyFileSync("data/link", "out/copy"));
await t("symlink", () => Deno.symlinkSync("/etc/passwd", "out/evil"));
await t("mkdir deep", () => Deno.mkdirSync("out/a/b", { recursive: true }));
await t("remove link", () => Deno.removeSync("out/report.json"));
postMessage({ out });`,
      {
        read: [join(root, "data"), join(root, "out")],
        write: [join(root, "out")],
        net: false,
        env: false,
        sys: false,
        run: false,
        ffi: false,
        import: false,
      },
    ) as { out: Record<string, string> };
    assert.equal(out["read own"], "ok ok");
    for (
      const k of [
        "read link",
        "read through dir link",
        "fetch link",
        "open link",
        "write link",
        "open link for write",
        "read write-only",
        "copy link",
        "symlink",
      ]
    ) {
      assert.match(out[k], /^refused NotCapable/, `${k}: ${out[k]}`);
      assert.doesNotMatch(out[k], /TOP-SECRET/);
    }
    assert.match(out["read link"], /resolves to .*secret.*outside/);
    assert.equal(out["write new"], "ok undefined");
    assert.equal(out["mkdir deep"], "ok undefined");
    assert.equal(out["remove link"], "ok undefined");
    assert.equal(await Deno.readTextFile(join(root, "victim")), "victim");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
