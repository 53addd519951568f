/**
 * AF_INET and AF_INET6 sockets (TCP and UDP) carried by the host through a
 * {@link HostNet}. Without one, or for an endpoint it does not allow, bind
 * and connect fail with EACCES: the guest reaches no network by default.
 *
 * TCP bind listens at once on the host (so getsockname knows the port);
 * connections arrive only after listen(). Calls that would sleep wait for
 * the host synchronously unless the socket is non-blocking (O_NONBLOCK or
 * MSG_DONTWAIT): the whole emulator waits with them.
 *
 * @module
 */

import { Errno } from "./errno.ts";
import type { Endpoint, HostData, HostNet, HostSocket } from "./host_net.ts";
import { AF_INET } from "./_sockaddr_in.ts";
import { SOCK_DGRAM } from "./unix_socket.ts";

/**
 * One IP socket.
 *
 * @example
 * ```ts
 * import { InetSocket } from "./inet_socket.ts";
 * const s = new InetSocket(2, 1, undefined);
 * console.log(s.connect({ host: "127.0.0.1", port: 80 })); // -13 (EACCES: no network)
 * ```
 */
export class InetSocket {
  /** AF_INET or AF_INET6. */
  readonly family: number;
  /** SOCK_STREAM or SOCK_DGRAM. */
  readonly type: number;
  /** The host network, if the user opened one. */
  readonly net?: HostNet;
  /** The host connection, listener or UDP socket. */
  handle?: HostSocket;
  /** listen() was called. */
  listening = false;
  /** UDP: connect()ed peer. */
  peer?: Endpoint;
  /** shutdown(SHUT_RD). */
  readEof = false;
  /** shutdown(SHUT_WR). */
  writeShut = false;
  /** Integer SOL_SOCKET options, by name. */
  readonly options: Map<number, number> = new Map();
  /** Struct-valued SOL_SOCKET options, by name. */
  readonly structOptions: Map<number, Uint8Array> = new Map();
  /** TCP_NODELAY and other IPPROTO_TCP options, by name. */
  readonly tcpOptions: Map<number, number> = new Map();

  /** A fresh socket. */
  constructor(family: number, type: number, net: HostNet | undefined) {
    this.family = family;
    this.type = type;
    this.net = net;
  }

  /** True for TCP. */
  get connectionOriented(): boolean {
    return this.type !== SOCK_DGRAM;
  }

  /** The host network if `e` may be used, else -EACCES. */
  private gate(e: Endpoint): HostNet | number {
    if (!this.net || !this.net.allowed(e)) return -Errno.EACCES;
    return this.net;
  }

  /** INADDR_ANY or in6addr_any, port 0. */
  private wildcard(): Endpoint {
    return { host: this.family === AF_INET ? "0.0.0.0" : "::", port: 0 };
  }

  /** bind(). */
  bind(at: Endpoint): number {
    if (this.handle) return -Errno.EINVAL;
    const net = this.gate(at);
    if (typeof net === "number") return net;
    const h = this.connectionOriented ? net.listen(at) : net.udpBind(at);
    if (typeof h === "number") return h;
    this.handle = h;
    return 0;
  }

  /** listen(). */
  listen(): number {
    if (!this.connectionOriented) return -Errno.EOPNOTSUPP;
    if (this.handle?.remote) return -Errno.EINVAL;
    if (!this.handle) {
      const r = this.bind(this.wildcard());
      if (r < 0) return r;
    }
    this.listening = true;
    return 0;
  }

  /** connect(). */
  connect(to: Endpoint): number {
    const net = this.gate(to);
    if (typeof net === "number") return net;
    if (!this.connectionOriented) {
      if (!this.handle) {
        const r = this.bind(this.wildcard());
        if (r < 0) return r;
      }
      this.peer = to;
      return 0;
    }
    if (this.listening) return -Errno.EINVAL;
    if (this.handle?.remote) return -Errno.EISCONN;
    if (this.handle) net.close(this.handle.id); // a bind before connect
    const h = net.connect(to);
    if (typeof h === "number") {
      this.handle = undefined;
      return h;
    }
    this.handle = h;
    return 0;
  }

  /** accept(): the next connection, or -errno. */
  accept(block: boolean): InetSocket | number {
    if (!this.listening || !this.handle || !this.net) return -Errno.EINVAL;
    const h = this.net.accept(this.handle.id, block);
    if (typeof h === "number") return h;
    const s = new InetSocket(this.family, this.type, this.net);
    s.handle = h;
    return s;
  }

  /** Sends `data` (UDP: to `to` or the connected peer). */
  send(data: Uint8Array, to: Endpoint | undefined): number {
    if (this.connectionOriented) {
      if (!this.handle?.remote) return -Errno.ENOTCONN;
      if (this.writeShut) return -Errno.EPIPE;
      return this.net!.send(this.handle.id, data);
    }
    const dest = to ?? this.peer;
    if (!dest) return -Errno.EDESTADDRREQ;
    const net = this.gate(dest);
    if (typeof net === "number") return net;
    if (!this.handle) {
      const r = this.bind(this.wildcard());
      if (r < 0) return r;
    }
    return net.send(this.handle!.id, data, dest);
  }

  /** Receives up to `max` bytes, or one datagram. */
  recv(max: number, block: boolean, peek: boolean): HostData | number {
    if (this.listening) return -Errno.EINVAL;
    if (this.readEof) return { data: new Uint8Array() };
    if (!this.handle || (this.connectionOriented && !this.handle.remote)) {
      return -Errno.ENOTCONN;
    }
    return this.net!.recv(this.handle.id, max, block, peek);
  }

  /** shutdown(). */
  shutdown(how: number): number {
    if (how < 0 || how > 2) return -Errno.EINVAL;
    if (this.connectionOriented && !this.handle?.remote) return -Errno.ENOTCONN;
    if (how !== 1) this.readEof = true;
    if (how !== 0 && !this.writeShut) {
      this.writeShut = true;
      if (this.connectionOriented) {
        return this.net!.shutdownWrite(this.handle!.id);
      }
    }
    return 0;
  }

  /** The local endpoint (getsockname). */
  get local(): Endpoint {
    return this.handle?.local ?? this.wildcard();
  }

  /** The peer (getpeername), if connected. */
  get remote(): Endpoint | undefined {
    return this.handle?.remote ?? this.peer;
  }

  /** The last descriptor closed. */
  close(): void {
    if (this.handle) this.net?.close(this.handle.id);
    this.handle = undefined;
  }
}
