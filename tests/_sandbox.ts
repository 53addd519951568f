/**
 * Helpers shared by the plugin sandbox tests: loading a plugin with a
 * collecting log, reading its `WHAT: allowed|denied` lines, and local
 * listeners that count every connection a plugin manages to make.
 *
 * @module
 */

import assert from "node:assert/strict";
import { loadPlugin, type LoadPluginOptions } from "../runtime/host/load.ts";

/** tests/plugins/, where hostile plugins live. */
export const PLUGINS: string = new URL("./plugins", import.meta.url).pathname;
/** The SDK's file URL, for plugins written into temp dirs. */
export const SDK_URL: string =
  new URL("../runtime/sdk/mod.ts", import.meta.url).href;

/** Loads `spec` from tests/plugins with a collecting log. */
export async function load(
  spec: string,
  extra: Partial<LoadPluginOptions> = {},
) {
  const lines: string[] = [];
  const plugin = await loadPlugin(spec, {
    cwd: PLUGINS,
    grants: [],
    log: (l) => lines.push(l),
    timeoutMs: 15_000,
    pluginDir: PLUGINS,
    ...extra,
  });
  return { plugin, lines };
}

/** Lines of the form `[name] WHAT: outcome` as a map WHAT -> outcome. */
export function outcomes(lines: string[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const l of lines) {
    const x = /^\[[^\]]+\] (.+?): (allowed|denied: .*)$/.exec(l);
    if (x) m.set(x[1], x[2]);
  }
  return m;
}

export function assertAllDenied(lines: string[], expected: string[]): void {
  const got = outcomes(lines);
  for (const what of expected) {
    const o = got.get(what);
    assert.ok(
      o !== undefined,
      `no outcome for "${what}" in:\n${lines.join("\n")}`,
    );
    assert.match(
      o,
      /^denied: NotCapable/,
      `"${what}" was not denied with NotCapable: ${o}`,
    );
  }
}

/** A TCP listener counting connections (raw) and an HTTP server counting requests. */
export function listeners() {
  let tcpHits = 0;
  const tcp = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  (async () => {
    for await (const c of tcp) {
      tcpHits++;
      c.close();
    }
  })().catch(() => {});
  const httpHits: string[] = [];
  const http = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    (r) => {
      httpHits.push(r.url);
      return new Response("export const x = 1;", {
        headers: { "content-type": "text/javascript" },
      });
    },
  );
  return {
    tcpPort: (tcp.addr as Deno.NetAddr).port,
    httpPort: http.addr.port,
    tcpHits: () => tcpHits,
    httpHits,
    async close() {
      tcp.close();
      await http.shutdown();
    },
  };
}
