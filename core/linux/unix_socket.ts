/**
 * AF_UNIX sockets between guest endpoints: stream, datagram and seqpacket,
 * socketpairs, listening sockets with a backlog, and descriptors passed as
 * SCM_RIGHTS. The model knows nothing of guest memory; `socket.ts` turns
 * system call arguments into calls here.
 *
 * Names live in one namespace per Pandeno process (every guest process of
 * a run shares it): filesystem names are keyed by the host path of the
 * socket file that bind created, abstract names by their bytes.
 *
 * @module
 */

import { Errno } from "./errno.ts";
import type { Description } from "./fd_table.ts";
import { releaseDescription } from "./fd_table.ts";

/** Socket types (include/linux/net.h). */
export const SOCK_STREAM = 1, SOCK_DGRAM = 2, SOCK_SEQPACKET = 5;

/** A bound name: its sun_path bytes as given, and its namespace key. */
export interface UnixName {
  /** sun_path as the guest gave it (no trailing NUL; abstract: leading 0). */
  raw: Uint8Array;
  /** Namespace key: host path of the socket file, or "@" + hex bytes. */
  key: string;
}

/** One queued message (a datagram, or a run of stream bytes). */
export interface Message {
  /** The bytes. */
  data: Uint8Array;
  /** SCM_RIGHTS descriptions carried with the first byte. */
  fds: Description[];
  /** The sender's name (datagrams). */
  from?: UnixName;
}

/** What a receive produced. */
export interface Received {
  /** Bytes copied into the buffer. */
  n: number;
  /** The whole datagram's length (larger than n when truncated). */
  full: number;
  /** Passed descriptions (the caller installs them). */
  fds: Description[];
  /** The sender's name, if it has one. */
  from?: UnixName;
}

/** Credentials of the process that created a socket (SO_PEERCRED). */
export interface Creds {
  /** Process id. */
  pid: number;
  /** User id. */
  uid: number;
  /** Group id. */
  gid: number;
}

const NAMESPACE = new Map<string, UnixSocket>();

/**
 * One AF_UNIX socket.
 *
 * @example
 * ```ts
 * import { SOCK_STREAM, UnixSocket } from "./unix_socket.ts";
 * const c = { pid: 1, uid: 0, gid: 0 };
 * const [a, b] = UnixSocket.pair(SOCK_STREAM, c);
 * a.send(new TextEncoder().encode("hi"), []);
 * const buf = new Uint8Array(8);
 * console.log(b.recv(buf, false)); // { n: 2, full: 2, fds: [], from: undefined }
 * ```
 */
export class UnixSocket {
  /** SOCK_STREAM, SOCK_DGRAM or SOCK_SEQPACKET. */
  readonly type: number;
  /** Who created it. */
  readonly creds: Creds;
  /** The bound name. */
  name?: UnixName;
  /** The connected peer. */
  peer?: UnixSocket;
  /** Accepting connections. */
  listening = false;
  /** Connections waiting for accept (server-side endpoints). */
  readonly backlog: UnixSocket[] = [];
  /** listen()'s backlog argument. */
  backlogMax = 0;
  /** Received, not yet read. */
  readonly inbox: Message[] = [];
  /** shutdown(SHUT_RD), or the peer shut its writing side / closed. */
  readEof = false;
  /** shutdown(SHUT_WR). */
  writeShut = false;
  /** Ever connected (stream): distinguishes EPIPE from ENOTCONN. */
  wasConnected = false;
  /** Integer SOL_SOCKET options set with setsockopt, by name. */
  readonly options: Map<number, number> = new Map();
  /** Struct-valued SOL_SOCKET options (linger, timeouts), by name. */
  readonly structOptions: Map<number, Uint8Array> = new Map();

  /** A fresh unconnected socket. */
  constructor(type: number, creds: Creds) {
    this.type = type;
    this.creds = creds;
  }

  /** socketpair(): two connected sockets. */
  static pair(type: number, creds: Creds): [UnixSocket, UnixSocket] {
    const a = new UnixSocket(type, creds), b = new UnixSocket(type, creds);
    a.peer = b;
    b.peer = a;
    a.wasConnected = b.wasConnected = true;
    return [a, b];
  }

  /** The socket bound to `key`, if any. */
  static lookup(key: string): UnixSocket | undefined {
    return NAMESPACE.get(key);
  }

  /** True for connection-oriented types. */
  get connectionOriented(): boolean {
    return this.type !== SOCK_DGRAM;
  }

  /** bind(): 0 or -errno. */
  bind(name: UnixName): number {
    if (this.name) return -Errno.EINVAL;
    if (NAMESPACE.has(name.key)) return -Errno.EADDRINUSE;
    this.name = name;
    NAMESPACE.set(name.key, this);
    return 0;
  }

  /** listen(). */
  listen(backlog: number): number {
    if (!this.connectionOriented) return -Errno.EOPNOTSUPP;
    if (this.peer) return -Errno.EINVAL;
    if (!this.name) return -Errno.EINVAL; // Linux autobinds; callers do that
    this.listening = true;
    this.backlogMax = Math.max(0, Math.min(backlog, 4096));
    return 0;
  }

  /**
   * connect() to the socket bound at `key`: stream sockets queue a new
   * server-side endpoint on the listener; datagram sockets set their peer.
   */
  connect(key: string): number {
    const target = NAMESPACE.get(key);
    if (!target) return -Errno.ECONNREFUSED;
    if (target.type !== this.type) return -Errno.EPROTOTYPE;
    if (!this.connectionOriented) {
      this.peer = target;
      return 0;
    }
    if (this.listening) return -Errno.EINVAL;
    if (this.peer) return -Errno.EISCONN;
    if (!target.listening) return -Errno.ECONNREFUSED;
    if (target.backlog.length > target.backlogMax) return -Errno.EAGAIN;
    const server = new UnixSocket(this.type, target.creds);
    server.name = target.name;
    server.peer = this;
    this.peer = server;
    server.wasConnected = this.wasConnected = true;
    target.backlog.push(server);
    return 0;
  }

  /** accept(): the next queued connection, or -errno (EAGAIN: none yet). */
  accept(): UnixSocket | number {
    if (!this.listening) return -Errno.EINVAL;
    return this.backlog.shift() ?? -Errno.EAGAIN;
  }

  /**
   * Sends `data` (with `fds`, whose references the message now holds) to
   * the peer, or to `to` for an unconnected datagram socket. Returns bytes
   * sent or -errno; EPIPE means the caller raises SIGPIPE.
   */
  send(data: Uint8Array, fds: Description[], to?: UnixSocket): number {
    let dest: UnixSocket | undefined;
    if (this.connectionOriented) {
      if (to) return this.peer ? -Errno.EISCONN : -Errno.EOPNOTSUPP;
      if (this.writeShut) return -Errno.EPIPE;
      if (!this.peer) return this.wasConnected ? -Errno.EPIPE : -Errno.ENOTCONN;
      dest = this.peer;
      if (dest.readEof && dest.closed) return -Errno.EPIPE;
    } else {
      dest = to ?? this.peer;
      if (!dest) return -Errno.ENOTCONN;
      if (dest.closed) return -Errno.ECONNREFUSED;
      // A connected datagram socket only takes from its peer (Linux).
      if (dest.peer && dest.peer !== this) return -Errno.EPERM;
    }
    if (this.type === SOCK_STREAM && data.length === 0 && fds.length === 0) {
      return 0;
    }
    dest.inbox.push({ data: data.slice(), fds, from: this.name });
    return data.length;
  }

  /**
   * Receives into `buf`: a stream socket takes bytes across messages (but
   * never past one that carries descriptors); others take one message.
   * Returns -EAGAIN when nothing is queued yet and more may come.
   */
  recv(buf: Uint8Array, peek: boolean): Received | number {
    if (this.listening) return -Errno.EINVAL;
    if (this.inbox.length === 0) {
      if (this.readEof || (this.wasConnected && !this.peer)) {
        return { n: 0, full: 0, fds: [] };
      }
      if (this.connectionOriented && !this.wasConnected) {
        return -Errno.ENOTCONN;
      }
      return -Errno.EAGAIN;
    }
    if (this.type !== SOCK_STREAM) {
      const m = peek ? this.inbox[0] : this.inbox.shift()!;
      const n = Math.min(buf.length, m.data.length);
      buf.set(m.data.subarray(0, n));
      return { n, full: m.data.length, fds: peek ? [] : m.fds, from: m.from };
    }
    let n = 0, i = 0;
    const fds: Description[] = [];
    while (n < buf.length && i < this.inbox.length) {
      const m = this.inbox[i];
      if (m.fds.length > 0 && n > 0) break;
      const take = Math.min(m.data.length, buf.length - n);
      buf.set(m.data.subarray(0, take), n);
      n += take;
      if (peek) {
        i++;
        continue;
      }
      fds.push(...m.fds);
      m.fds = [];
      if (take === m.data.length) this.inbox.shift();
      else m.data = m.data.subarray(take);
    }
    return { n, full: n, fds };
  }

  /** Bytes waiting to be read (FIONREAD). */
  get pending(): number {
    if (this.type !== SOCK_STREAM) return this.inbox[0]?.data.length ?? 0;
    return this.inbox.reduce((s, m) => s + m.data.length, 0);
  }

  /** shutdown(): how = SHUT_RD 0, SHUT_WR 1, SHUT_RDWR 2. */
  shutdown(how: number): number {
    if (how < 0 || how > 2) return -Errno.EINVAL;
    if (this.connectionOriented && !this.peer) return -Errno.ENOTCONN;
    if (how !== 1) this.readEof = true;
    if (how !== 0) {
      this.writeShut = true;
      if (this.peer && this.connectionOriented) this.peer.readEof = true;
    }
    return 0;
  }

  /** True once the last descriptor is closed. */
  closed = false;

  /** The last descriptor closed: the peer sees end of file. */
  close(): void {
    this.closed = true;
    if (this.name && NAMESPACE.get(this.name.key) === this) {
      NAMESPACE.delete(this.name.key);
    }
    if (this.peer?.connectionOriented) {
      this.peer.readEof = true;
      this.peer.peer = undefined;
    }
    this.peer = undefined;
    for (const m of this.inbox) m.fds.forEach(releaseDescription);
    this.inbox.length = 0;
    for (const s of this.backlog) s.close();
    this.backlog.length = 0;
  }
}

/**
 * read() on a socket: recv without flags; descriptors passed with the
 * bytes are closed, as Linux does when no control buffer takes them.
 *
 * @example
 * ```ts
 * import { SOCK_STREAM, socketRead, UnixSocket } from "./unix_socket.ts";
 * const [a] = UnixSocket.pair(SOCK_STREAM, { pid: 1, uid: 0, gid: 0 });
 * console.log(socketRead(a, new Uint8Array(4))); // -11 (EAGAIN)
 * ```
 */
export function socketRead(s: UnixSocket, buf: Uint8Array): number {
  const r = s.recv(buf, false);
  if (typeof r === "number") return r;
  r.fds.forEach(releaseDescription);
  return r.n;
}

/**
 * write() on a socket: send without flags; EPIPE calls `onSigpipe`.
 *
 * @example
 * ```ts
 * import { SOCK_STREAM, socketWrite, UnixSocket } from "./unix_socket.ts";
 * const [a] = UnixSocket.pair(SOCK_STREAM, { pid: 1, uid: 0, gid: 0 });
 * console.log(socketWrite(a, new Uint8Array(3))); // 3
 * ```
 */
export function socketWrite(
  s: UnixSocket,
  data: Uint8Array,
  onSigpipe?: () => void,
): number {
  const n = s.send(data, []);
  if (n === -Errno.EPIPE) onSigpipe?.();
  return n;
}
