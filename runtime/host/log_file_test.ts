import assert from "node:assert/strict";
import { join } from "node:path";
import { openPluginLog } from "./log_file.ts";

async function inDir(fn: (dir: string) => void): Promise<void> {
  const dir = await Deno.realPath(
    await Deno.makeTempDir({ prefix: "pandeno_log_" }),
  );
  try {
    fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("openPluginLog() creates, or truncates and reuses, a plain file", () =>
  inDir((dir) => {
    const enc = new TextEncoder();
    let f = openPluginLog("plugins.log", dir);
    f.writeSync(enc.encode("first run\n"));
    f.close();
    f = openPluginLog("plugins.log", dir);
    f.writeSync(enc.encode("second\n"));
    f.close();
    assert.equal(Deno.readTextFileSync(join(dir, "plugins.log")), "second\n");
  }));

Deno.test("openPluginLog() refuses a log planted as a link, dangling or not", () =>
  inDir((dir) => {
    Deno.writeTextFileSync(join(dir, "victim"), "keep me");
    Deno.symlinkSync(join(dir, "victim"), join(dir, "plugins.log"));
    Deno.symlinkSync(join(dir, "new_victim"), join(dir, "dangling.log"));
    assert.throws(
      () => openPluginLog("plugins.log", dir),
      /-D plugins.log: it is a symbolic link .*refusing/,
    );
    assert.throws(() => openPluginLog("dangling.log", dir), /symbolic link/);
    assert.equal(Deno.readTextFileSync(join(dir, "victim")), "keep me");
    assert.throws(() => Deno.statSync(join(dir, "new_victim")));
  }));

Deno.test("openPluginLog() refuses a folder on the path swapped for a link", () =>
  inDir((dir) => {
    Deno.mkdirSync(join(dir, "elsewhere"));
    Deno.symlinkSync(join(dir, "elsewhere"), join(dir, "logs"));
    assert.throws(
      () => openPluginLog("logs/plugins.log", dir),
      /a folder on its path is a link/,
    );
    assert.deepEqual([...Deno.readDirSync(join(dir, "elsewhere"))], []);
  }));
