/**
 * The host side of guest networking: a {@link HostNet} for the Linux layer
 * that enforces the user's `--net` policy and runs each operation in a
 * network worker, waiting for it synchronously (`Atomics.wait`).
 *
 * @module
 */

import type {
  Endpoint,
  HostData,
  HostNet,
  HostSocket,
} from "../../core/linux/host_net.ts";
import { MAX_DATA, type NetOp, REPLY_BYTES } from "../wire/net_wire.ts";

/** Which hosts and ports the guest may reach or bind. */
export type NetPolicy =
  | { kind: "loopback" }
  | { kind: "list"; entries: { host: string; port: number | "*" }[] };

/**
 * Parses `--net`: `loopback`, or `HOST:PORT,...` (`[v6]:PORT`, PORT may be
 * `*`). Throws a TypeError naming the bad entry.
 *
 * @example
 * ```ts
 * import { parseNetPolicy } from "./host_net.ts";
 * console.log(parseNetPolicy("127.0.0.1:8080,[::1]:*"));
 * // { kind: "list", entries: [ { host: "127.0.0.1", port: 8080 }, { host: "::1", port: "*" } ] }
 * ```
 */
export function parseNetPolicy(spec: string): NetPolicy {
  if (spec === "loopback") return { kind: "loopback" };
  const entries = spec.split(",").map((e) => {
    const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\[\]]+)):(\d{1,5}|\*)$/.exec(e);
    const port: number | "*" = m?.[3] === "*" ? "*" : Number(m?.[3]);
    if (!m || (port !== "*" && port > 65535)) {
      throw new TypeError(
        `--net expects "loopback" or HOST:PORT[,HOST:PORT...] (PORT may be *), got "${e}"`,
      );
    }
    return { host: m[1] ?? m[2], port };
  });
  return { kind: "list", entries };
}

const LOOPBACK4 = /^127\.\d+\.\d+\.\d+$/;
const isLoopback = (h: string) =>
  LOOPBACK4.test(h) || h === "::1" || h === "localhost" ||
  h === "::ffff:127.0.0.1";
const WILDCARD: Record<string, string> = {
  "0.0.0.0": "127.0.0.1",
  "::": "::1",
};

/**
 * Guest networking through a worker, as the policy allows.
 *
 * @example
 * ```ts
 * import { WorkerHostNet } from "./host_net.ts";
 * const net = new WorkerHostNet({ kind: "loopback" });
 * console.log(net.allowed({ host: "10.0.0.1", port: 80 })); // false
 * ```
 */
export class WorkerHostNet implements HostNet {
  private readonly policy: NetPolicy;
  private worker?: Worker;
  private readonly reply = new SharedArrayBuffer(REPLY_BYTES);

  /** Nothing starts until the guest first uses the network. */
  constructor(policy: NetPolicy) {
    this.policy = policy;
  }

  /** Whether the policy lets the guest reach or bind `e`. */
  allowed(e: Endpoint): boolean {
    const host = this.hostFor(e.host);
    if (this.policy.kind === "loopback") return isLoopback(host);
    return this.policy.entries.some((x) =>
      x.host === host && (x.port === "*" || x.port === e.port)
    );
  }

  /** In loopback mode a wildcard address means loopback. */
  private hostFor(h: string): string {
    return this.policy.kind === "loopback" ? WILDCARD[h] ?? h : h;
  }

  /** The network worker, started on first use. */
  private start(): Worker {
    if (this.worker) return this.worker;
    const net = this.policy.kind === "loopback"
      ? ["127.0.0.1", "[::1]", "localhost"]
      : this.policy.entries.map((e) =>
        (e.host.includes(":") ? `[${e.host}]` : e.host) +
        (e.port === "*" ? "" : `:${e.port}`)
      );
    this.worker = new Worker(
      new URL("../worker/net_worker.ts", import.meta.url),
      {
        type: "module",
        deno: {
          permissions: {
            net,
            read: false,
            write: false,
            env: false,
            run: false,
            ffi: false,
            sys: false,
            import: false,
          },
        },
      } as WorkerOptions,
    );
    return this.worker;
  }

  /** Runs one operation in the worker and waits for its answer. */
  private call(
    req: NetOp,
  ): { result: number; json: Record<string, unknown>; data: Uint8Array } {
    const head = new Int32Array(this.reply, 0, 4);
    Atomics.store(head, 0, 1);
    try {
      this.start().postMessage({ req, reply: this.reply });
    } catch {
      Atomics.store(head, 0, 0);
      return { result: -13, json: {}, data: new Uint8Array() }; // EACCES
    }
    while (Atomics.load(head, 0) !== 2) Atomics.wait(head, 0, 1);
    const bytes = new Uint8Array(this.reply);
    const jl = head[2], dl = head[3];
    const json = jl > 0
      ? JSON.parse(new TextDecoder().decode(bytes.slice(16, 16 + jl)))
      : {};
    const data = bytes.slice(16 + jl, 16 + jl + dl);
    const result = head[1];
    Atomics.store(head, 0, 0);
    return { result, json, data };
  }

  /** A reply as a socket handle, or its -errno. */
  private sock(r: ReturnType<WorkerHostNet["call"]>): HostSocket | number {
    if (r.result < 0) return r.result;
    return {
      id: r.result,
      local: r.json.local as Endpoint,
      remote: r.json.remote as Endpoint | undefined,
    };
  }

  /** TCP connect. */
  connect(to: Endpoint): HostSocket | number {
    return this.sock(
      this.call({ op: "connect", host: this.hostFor(to.host), port: to.port }),
    );
  }

  /** TCP listen. */
  listen(at: Endpoint): HostSocket | number {
    const s = this.sock(
      this.call({ op: "listen", host: this.hostFor(at.host), port: at.port }),
    );
    // The guest asked for the wildcard: it sees the wildcard.
    if (typeof s !== "number" && WILDCARD[at.host]) {
      s.local = { ...s.local, host: at.host };
    }
    return s;
  }

  /** Next connection. */
  accept(id: number, block: boolean): HostSocket | number {
    return this.sock(this.call({ op: "accept", id, block }));
  }

  /** Receive. */
  recv(
    id: number,
    max: number,
    block: boolean,
    peek: boolean,
  ): HostData | number {
    const r = this.call({
      op: "recv",
      id,
      max: Math.min(max, MAX_DATA),
      block,
      peek,
    });
    if (r.result < 0) return r.result;
    return { data: r.data, from: r.json.from as Endpoint | undefined };
  }

  /** Send (copied: the guest's view must not travel with its 4 GiB buffer). */
  send(id: number, data: Uint8Array, to?: Endpoint): number {
    let sent = 0;
    do {
      const part = data.slice(sent, sent + MAX_DATA);
      const r = this.call({
        op: "send",
        id,
        data: part,
        ...(to ? { host: this.hostFor(to.host), port: to.port } : {}),
      });
      if (r.result < 0) return sent > 0 ? sent : r.result;
      sent += r.result;
    } while (sent < data.length);
    return sent;
  }

  /** UDP bind. */
  udpBind(at: Endpoint): HostSocket | number {
    const s = this.sock(
      this.call({ op: "udpBind", host: this.hostFor(at.host), port: at.port }),
    );
    if (typeof s !== "number" && WILDCARD[at.host]) {
      s.local = { ...s.local, host: at.host };
    }
    return s;
  }

  /** Half-close. */
  shutdownWrite(id: number): number {
    return this.call({ op: "shutdownWrite", id }).result;
  }

  /** Release. */
  close(id: number): void {
    this.call({ op: "close", id });
  }

  /** Stops the worker (the process is done with the network). */
  terminate(): void {
    this.worker?.terminate();
    this.worker = undefined;
  }
}
