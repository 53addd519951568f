/**
 * The output plugins' files, read as the tools that open them read them:
 * the Chrome trace's spans nest per track and its system calls are instant
 * events; the speedscope profile indexes real frames and weighs every
 * instruction; the HTML report renders its tables in headless Chromium
 * (skipped with a notice when chromium is not installed).
 */

import assert from "node:assert/strict";
import { guest, runPandeno } from "./_harness.ts";

async function runWith(plugin: string, dir: string, name = "compute") {
  const r = await runPandeno(
    ["--count-insns", "--plugin", plugin, guest(name)],
    { cwd: dir },
  );
  assert.equal(r.code, 0, r.stderr);
  const insns = Number(/^insns: (\d+)$/m.exec(r.stderr)?.[1]);
  assert.ok(insns > 0, r.stderr);
  return { insns, stderr: r.stderr };
}

async function inTemp(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "pandeno_outputs_" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("trace writes Chrome trace events: nested function spans and syscall instants", () =>
  inTemp(async (dir) => {
    await runWith("trace,filename=t.json", dir);
    const t = JSON.parse(Deno.readTextFileSync(`${dir}/t.json`));
    const ev = t.traceEvents as {
      name: string;
      ph: string;
      ts: number;
      tid: number;
    }[];
    const stack: string[] = [];
    let last = 0;
    for (const e of ev) {
      if (e.ph === "M") continue;
      assert.ok(e.ts >= last, `time goes backwards at ${JSON.stringify(e)}`);
      if (e.ph !== "i") last = e.ts;
      if (e.ph === "B") stack.push(e.name);
      if (e.ph === "E") assert.equal(stack.pop(), e.name);
    }
    assert.deepEqual(stack, []);
    const names = new Set(ev.filter((e) => e.ph === "B").map((e) => e.name));
    assert.ok(names.has("main"), [...names].join(" "));
    const calls = ev.filter((e) => e.ph === "i").map((e) => e.name);
    assert.ok(
      calls.includes("write") && calls.includes("exit_group"),
      calls.join(" "),
    );
  }));

Deno.test("speedscope's weights add up to the instructions executed", () =>
  inTemp(async (dir) => {
    const { insns } = await runWith("speedscope,filename=p.json", dir);
    const p = JSON.parse(Deno.readTextFileSync(`${dir}/p.json`));
    const prof = p.profiles[0];
    assert.equal(prof.type, "sampled");
    const total = prof.weights.reduce((a: number, b: number) => a + b, 0);
    // The profile ends at the last block's end; --count-insns is exact.
    assert.ok(Math.abs(total - insns) <= 64, `${total} vs ${insns}`);
    for (const s of prof.samples) {
      for (const f of s) assert.ok(f >= 0 && f < p.shared.frames.length);
    }
    const names = p.shared.frames.map((f: { name: string }) => f.name);
    assert.ok(names.includes("main"));
  }));

function hasChromium(): boolean {
  try {
    return new Deno.Command("chromium", {
      args: ["--version"],
      stdout: "null",
      stderr: "null",
    })
      .outputSync().success;
  } catch {
    return false;
  }
}

const CHROMIUM = hasChromium();
if (!CHROMIUM) {
  console.log(
    "SKIP report in a browser: chromium not installed (apt-get install -y chromium)",
  );
}

Deno.test("report writes one self-contained HTML file with no network references", () =>
  inTemp(async (dir) => {
    await runWith("report,filename=r.html", dir);
    const html = Deno.readTextFileSync(`${dir}/r.html`);
    assert.ok(!/\b(src|href)=/.test(html), "the page loads something");
    assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
  }));

Deno.test({
  name: "report renders its tables in headless Chromium",
  ignore: !CHROMIUM,
  fn: () =>
    inTemp(async (dir) => {
      await runWith("report,filename=r.html", dir);
      const r = await new Deno.Command("chromium", {
        args: [
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          `--user-data-dir=${dir}/profile`,
          "--dump-dom",
          `file://${dir}/r.html`,
        ],
        stdout: "piped",
        stderr: "null",
      }).output();
      const dom = new TextDecoder().decode(r.stdout);
      assert.match(dom, /data-rendered="yes"/, "the page's script did not run");
      assert.match(dom, /guest instructions, \d+ functions ran/);
      for (
        const id of ["hot-functions", "hot-blocks", "syscalls", "coverage"]
      ) {
        const table = new RegExp(`<table id="${id}"><thead><tr><th>`);
        assert.match(dom, table, `table ${id} is empty`);
      }
      assert.match(dom, /<td>main<\/td>/);
      assert.match(dom, /<td>write<\/td>/);
    }),
});
