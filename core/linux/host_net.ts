/**
 * The host network as the Linux layer sees it: a synchronous interface the
 * runtime implements (core knows nothing of how). AF_INET and AF_INET6
 * sockets exist only when a {@link HostNet} is given, and it decides which
 * hosts and ports the guest may reach.
 *
 * @module
 */

/** An IP endpoint: address text ("127.0.0.1", "::1") and port. */
export interface Endpoint {
  /** Numeric address. */
  host: string;
  /** Port. */
  port: number;
}

/** A host connection or listener handle, with its endpoints. */
export interface HostSocket {
  /** Handle for the other calls. */
  id: number;
  /** Local endpoint. */
  local: Endpoint;
  /** Remote endpoint (connections). */
  remote?: Endpoint;
}

/** What {@link HostNet.recv} produced. */
export interface HostData {
  /** Bytes; empty means end of stream (TCP). */
  data: Uint8Array;
  /** Sender (UDP). */
  from?: Endpoint;
}

/**
 * Synchronous host network operations. Every method returns a negative
 * errno instead of throwing; `block` false means "EAGAIN instead of
 * waiting".
 *
 * @example
 * ```ts
 * import type { HostNet } from "./host_net.ts";
 * const none: Pick<HostNet, "allowed"> = { allowed: () => false };
 * console.log(none.allowed({ host: "127.0.0.1", port: 80 })); // false
 * ```
 */
export interface HostNet {
  /** Whether the guest may reach (connect) or bind `e`. */
  allowed(e: Endpoint): boolean;
  /** TCP connect. */
  connect(to: Endpoint): HostSocket | number;
  /** TCP listen on `at` (port 0: any). */
  listen(at: Endpoint): HostSocket | number;
  /** Next accepted connection of listener `id`. */
  accept(id: number, block: boolean): HostSocket | number;
  /** Up to `max` bytes (TCP) or one datagram (UDP). */
  recv(
    id: number,
    max: number,
    block: boolean,
    peek: boolean,
  ): HostData | number;
  /** Sends all of `data` (UDP: to `to`); bytes sent or -errno. */
  send(id: number, data: Uint8Array, to?: Endpoint): number;
  /** UDP socket bound at `at`. */
  udpBind(at: Endpoint): HostSocket | number;
  /** Ends the writing side of a TCP connection. */
  shutdownWrite(id: number): number;
  /** Releases a handle. */
  close(id: number): void;
}
