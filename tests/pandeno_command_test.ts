/**
 * The `pandeno` command as users get it: `deno task install` into a private
 * DENO_INSTALL_ROOT, then run from an unrelated folder through a real shell
 * with real redirections, with only the permissions the installed command
 * has. Also `deno task run` from an unrelated folder.
 */

import assert from "node:assert/strict";
import { dirname } from "node:path";
import { guest, REPO } from "./_harness.ts";
import { OPTIONS } from "../runtime/cli/options.ts";
import { inTreePlugins } from "../runtime/host/spec.ts";

const WRITER = `import { definePlugin } from "pandeno/sdk";
export default definePlugin({
  name: "writer", version: "1.0.0", api: "^1.0",
  permissions: { write: ["./out"] },
  install(ctx) {
    ctx.onAtExit(() => {
      Deno.mkdirSync("./out", { recursive: true });
      Deno.writeTextFileSync("./out/result.txt", "from the plugin\\n");
    });
  },
});
`;

interface Shell {
  code: number;
  out: string;
  err: string;
}

/** Runs `script` with sh in `dir`, stdout and stderr redirected to files. */
async function sh(
  dir: string,
  script: string,
  env: Record<string, string>,
): Promise<Shell> {
  const r = await new Deno.Command("/bin/sh", {
    args: ["-c", `${script} >stdout.txt 2>stderr.txt`],
    cwd: dir,
    env,
    clearEnv: true,
    stdin: "null",
  }).output();
  const out = Deno.readTextFileSync(`${dir}/stdout.txt`);
  const err = Deno.readTextFileSync(`${dir}/stderr.txt`);
  Deno.removeSync(`${dir}/stdout.txt`);
  Deno.removeSync(`${dir}/stderr.txt`);
  return { code: r.code, out, err };
}

function clean(s: Shell): void {
  assert.ok(!s.err.includes("\x1b"), `colour codes on stderr: ${s.err}`);
  assert.ok(!/^Task /m.test(s.err), `task line on stderr: ${s.err}`);
}

Deno.test("the installed pandeno command works from an unrelated folder", async (t) => {
  const root = await Deno.makeTempDir({ prefix: "pandeno_install_" });
  try {
    const install = await new Deno.Command(Deno.execPath(), {
      args: ["task", "install"],
      cwd: REPO,
      env: { DENO_INSTALL_ROOT: root },
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(
      install.code,
      0,
      new TextDecoder().decode(install.stderr),
    );
    const user = `${root}/user folder`;
    Deno.mkdirSync(user);
    for (const g of ["hello", "where"]) {
      Deno.copyFileSync(guest(g), `${user}/${g}.elf`);
    }
    const env = {
      PATH: `${root}/bin:${dirname(Deno.execPath())}:/usr/bin:/bin`,
      HOME: Deno.env.get("HOME") ?? "/root",
      ...(Deno.env.has("DENO_DIR")
        ? { DENO_DIR: Deno.env.get("DENO_DIR")! }
        : {}),
    };

    await t.step("--version names the version", async () => {
      const s = await sh(user, "pandeno --version", env);
      assert.equal(s.code, 0, s.err);
      assert.match(s.out, /^pandeno \d+\.\d+\.\d+/);
    });

    await t.step(
      "--plugin insn runs a relative program; output is plain",
      async () => {
        const s = await sh(user, "pandeno --plugin insn ./hello.elf", env);
        assert.equal(s.code, 0, s.err);
        assert.equal(s.out, "Hello from RISC-V!\n");
        assert.match(s.err, /^cpu 0 insns: \d+\ntotal insns: \d+\n$/);
        clean(s);
      },
    );

    await t.step(
      "the guest runs in the user's folder, PWD included",
      async () => {
        const s = await sh(user, "PWD=/ pandeno ./where.elf", env);
        assert.equal(s.code, 0, s.err);
        assert.equal(s.out, `cwd=${user}\nPWD=${user}\n`);
        assert.ok(Deno.statSync(`${user}/guest_wrote.txt`).isFile);
      },
    );

    await t.step(
      "a plugin granted write=./out writes in the user's folder",
      async () => {
        Deno.writeTextFileSync(`${user}/writer.ts`, WRITER);
        const s = await sh(
          user,
          "pandeno --plugin ./writer.ts --allow-plugin writer:write=./out ./hello.elf",
          env,
        );
        assert.equal(s.code, 0, s.err);
        assert.equal(
          Deno.readTextFileSync(`${user}/out/result.txt`),
          "from the plugin\n",
        );
        clean(s);
      },
    );

    await t.step(
      "a refused write names the pandeno flag, not Deno's",
      async () => {
        const s = await sh(
          user,
          "pandeno --plugin ./writer.ts ./hello.elf",
          env,
        );
        assert.equal(s.code, 2);
        assert.match(s.err, /--allow-plugin writer:write=\.\/out/);
        assert.ok(!s.err.includes("--allow-write"), s.err);
        clean(s);
      },
    );

    await t.step("drcov's filename= lands in the user's folder", async () => {
      const s = await sh(
        user,
        "pandeno --plugin drcov,filename=hello.drcov ./hello.elf",
        env,
      );
      assert.equal(s.code, 0, s.err);
      const text = new TextDecoder().decode(
        Deno.readFileSync(`${user}/hello.drcov`).subarray(0, 16),
      );
      assert.equal(text, "DRCOV VERSION: 2");
    });

    await t.step(
      "--help lists every option, `plugins` every in-tree plugin",
      async () => {
        const help = await sh(user, "pandeno --help", env);
        assert.equal(help.code, 0, help.err);
        for (const o of OPTIONS) {
          for (const n of o.names) assert.ok(help.out.includes(n), n);
        }
        const list = await sh(user, "pandeno plugins", env);
        assert.equal(list.code, 0, list.err);
        for (const name of inTreePlugins()) {
          assert.match(
            list.out,
            new RegExp(`^${name} \\d+\\.\\d+\\.\\d+`, "m"),
          );
        }
      },
    );

    await t.step(
      "new-plugin scaffolds a folder whose check and test pass",
      async () => {
        const made = await sh(user, "pandeno new-plugin myplug", env);
        assert.equal(made.code, 0, made.err);
        const check = await sh(`${user}/myplug`, "deno task -q check", env);
        assert.equal(check.code, 0, check.err);
        const test = await sh(`${user}/myplug`, "deno task -q test", env);
        assert.equal(test.code, 0, test.out + test.err);
      },
    );

    await t.step("deno task run works from an unrelated folder", async () => {
      Deno.removeSync(`${user}/guest_wrote.txt`);
      const s = await sh(
        user,
        `deno task -q --config '${REPO}deno.json' run ./where.elf`,
        env,
      );
      assert.equal(s.code, 0, s.err);
      assert.equal(s.out, `cwd=${user}\nPWD=${user}\n`);
      assert.ok(Deno.statSync(`${user}/guest_wrote.txt`).isFile);
    });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
