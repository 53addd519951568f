/**
 * The network worker: performs the guest's host socket operations with
 * Deno's asynchronous APIs (TCP) and `node:dgram` (UDP, stable without
 * flags), and answers through shared memory. Its `net` permission is only
 * what the user allowed, so Deno refuses anything else a second time.
 *
 * @module
 */

import dgram from "node:dgram";
import {
  answer,
  MAX_DATA,
  type NetOp,
  type NetRequest,
} from "../wire/net_wire.ts";

interface Stream {
  conn: Deno.Conn;
  queue: Uint8Array[];
  eof: boolean;
}
interface Listener {
  listener: Deno.Listener;
  pending: Deno.Conn[];
}
interface Udp {
  sock: dgram.Socket;
  queue: { data: Uint8Array; host: string; port: number }[];
}

const streams = new Map<number, Stream>();
const listeners = new Map<number, Listener>();
const udps = new Map<number, Udp>();
let nextId = 1;
let wake: () => void = () => {};
let changed = new Promise<void>((r) => (wake = r));

function notify(): void {
  const w = wake;
  changed = new Promise<void>((r) => (wake = r));
  w();
}

/** Linux errno of a host error. */
function errnoOf(e: unknown): number {
  const byName: Record<string, number> = {
    ConnectionRefused: 111,
    ConnectionReset: 104,
    ConnectionAborted: 103,
    AddrInUse: 98,
    AddrNotAvailable: 99,
    NotCapable: 13,
    PermissionDenied: 13,
    BrokenPipe: 32,
    TimedOut: 110,
    NotConnected: 107,
    InvalidData: 22,
  };
  const code: Record<string, number> = {
    ECONNREFUSED: 111,
    EADDRINUSE: 98,
    EADDRNOTAVAIL: 99,
    EACCES: 13,
    ENETUNREACH: 101,
  };
  if (e instanceof Error) {
    const c = (e as { code?: string }).code;
    if (c && code[c]) return code[c];
    if (byName[e.name]) return byName[e.name];
  }
  return 5; // EIO
}

function endpoint(a: Deno.Addr): { host: string; port: number } {
  const n = a as Deno.NetAddr;
  return { host: n.hostname, port: n.port };
}

function addStream(conn: Deno.Conn): number {
  const id = nextId++;
  const s: Stream = { conn, queue: [], eof: false };
  streams.set(id, s);
  (async () => {
    try {
      for (;;) {
        const b = new Uint8Array(65536);
        const n = await conn.read(b);
        if (n === null) break;
        s.queue.push(b.subarray(0, n));
        notify();
      }
    } catch { /* reset: reads end */ }
    s.eof = true;
    notify();
  })();
  return id;
}

/** Lets the other host I/O run a little before saying EAGAIN. */
async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise((r) => setTimeout(r, 0));
}

async function perform(r: NetOp, reply: SharedArrayBuffer): Promise<void> {
  switch (r.op) {
    case "connect": {
      const conn = await Deno.connect({ hostname: r.host, port: r.port });
      const id = addStream(conn);
      return answer(reply, id, {
        local: endpoint(conn.localAddr),
        remote: endpoint(conn.remoteAddr),
      });
    }
    case "listen": {
      const listener = Deno.listen({ hostname: r.host, port: r.port });
      const id = nextId++;
      const l: Listener = { listener, pending: [] };
      listeners.set(id, l);
      (async () => {
        try {
          for await (const c of listener) {
            l.pending.push(c);
            notify();
          }
        } catch { /* closed */ }
      })();
      return answer(reply, id, { local: endpoint(listener.addr) });
    }
    case "accept": {
      const l = listeners.get(r.id);
      if (!l) return answer(reply, -9);
      if (l.pending.length === 0 && !r.block) await settle();
      while (l.pending.length === 0) {
        if (!r.block) return answer(reply, -11);
        await changed;
      }
      const conn = l.pending.shift()!;
      const id = addStream(conn);
      return answer(reply, id, {
        local: endpoint(conn.localAddr),
        remote: endpoint(conn.remoteAddr),
      });
    }
    case "recv": {
      const s = streams.get(r.id);
      const u = udps.get(r.id);
      if (!s && !u) return answer(reply, -9);
      const empty = () =>
        s ? s.queue.length === 0 && !s.eof : u!.queue.length === 0;
      if (empty() && !r.block) await settle();
      while (empty()) {
        if (!r.block) return answer(reply, -11);
        await changed;
      }
      const max = Math.min(r.max, MAX_DATA);
      if (u) {
        const m = r.peek ? u.queue[0] : u.queue.shift()!;
        return answer(
          reply,
          0,
          { from: { host: m.host, port: m.port } },
          m.data.subarray(0, max),
        );
      }
      const out = new Uint8Array(max);
      let n = 0, i = 0;
      while (n < max && i < s!.queue.length) {
        const c = s!.queue[i];
        const take = Math.min(c.length, max - n);
        out.set(c.subarray(0, take), n);
        n += take;
        if (r.peek) i++;
        else if (take === c.length) s!.queue.shift();
        else s!.queue[0] = c.subarray(take);
      }
      return answer(reply, 0, {}, out.subarray(0, n));
    }
    case "send": {
      const s = streams.get(r.id);
      if (s) {
        let n = 0;
        while (n < r.data.length) n += await s.conn.write(r.data.subarray(n));
        return answer(reply, n);
      }
      const u = udps.get(r.id);
      if (!u || r.host === undefined) return answer(reply, -9);
      await new Promise<void>((ok, fail) =>
        u.sock.send(r.data, r.port!, r.host!, (e) => e ? fail(e) : ok())
      );
      return answer(reply, r.data.length);
    }
    case "udpBind": {
      const sock = dgram.createSocket(r.host.includes(":") ? "udp6" : "udp4");
      const id = nextId++;
      const u: Udp = { sock, queue: [] };
      sock.on("message", (msg, info) => {
        u.queue.push({
          data: new Uint8Array(msg),
          host: info.address,
          port: info.port,
        });
        notify();
      });
      await new Promise<void>((ok, fail) => {
        sock.once("error", fail);
        sock.bind(r.port, r.host, () => ok());
      });
      udps.set(id, u);
      const a = sock.address();
      return answer(reply, id, { local: { host: a.address, port: a.port } });
    }
    case "shutdownWrite": {
      const s = streams.get(r.id);
      if (!s) return answer(reply, -107);
      await s.conn.closeWrite();
      return answer(reply, 0);
    }
    case "close": {
      const l = listeners.get(r.id);
      try {
        streams.get(r.id)?.conn.close();
        l?.listener.close();
        udps.get(r.id)?.sock.close();
      } catch { /* already closed */ }
      // The host socket goes away once its pending accept is cancelled:
      // wait for that, so a connect right after close() is refused.
      if (l) {
        await settle();
        l.pending.forEach((c) => c.close());
      }
      streams.delete(r.id);
      listeners.delete(r.id);
      udps.delete(r.id);
      return answer(reply, 0);
    }
  }
}

/** Whether this worker's `net` permission covers `host:port`. */
function permitted(host: string, port: number): boolean {
  const h = host.includes(":") ? `[${host}]` : host;
  try {
    return Deno.permissions.querySync({ name: "net", host: `${h}:${port}` })
      .state === "granted";
  } catch {
    return false;
  }
}

/** The request being served: a late host error still answers it. */
let current: SharedArrayBuffer | undefined;

function finish(reply: SharedArrayBuffer, result: number): void {
  if (current !== reply) return;
  current = undefined;
  answer(reply, result);
}

// Some host errors (node:dgram's permission check) surface as uncaught
// errors; they answer the request instead of killing the worker.
globalThis.addEventListener("error", (e) => {
  e.preventDefault();
  if (current) finish(current, -errnoOf(e.error));
});
globalThis.addEventListener("unhandledrejection", (e) => {
  e.preventDefault();
  if (current) finish(current, -errnoOf(e.reason));
});

const scope = globalThis as unknown as {
  onmessage: ((e: MessageEvent<NetRequest>) => void) | null;
};
scope.onmessage = (e) => {
  const { req, reply } = e.data;
  current = reply;
  if (
    "host" in req && req.host !== undefined && !permitted(req.host, req.port!)
  ) {
    return finish(reply, -13); // EACCES: outside the worker's permission
  }
  perform(req, reply).then(
    () => (current = current === reply ? undefined : current),
    (err) => finish(reply, -errnoOf(err)),
  );
};
