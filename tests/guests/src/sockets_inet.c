/* TCP and UDP over the host's loopback from one process (run with
 * --net loopback): listen/connect/accept, data both ways, half-close,
 * UDP datagrams with sender addresses, a refused connection, socket
 * options, and IPv6 ::1 when the host has it. Ports are never printed. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int fails;
#define CHECK(what, cond)                                                    \
  do {                                                                       \
    int ok_ = (cond);                                                        \
    printf("%-52s %s\n", what, ok_ ? "ok" : "FAIL");                         \
    fails += !ok_;                                                           \
  } while (0)

static void tcp4(void) {
  struct sockaddr_in a = {0}, got;
  socklen_t len = sizeof a;
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int srv = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(srv, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  CHECK("tcp: bind 127.0.0.1:0", bind(srv, (struct sockaddr *)&a, sizeof a) == 0);
  CHECK("tcp: listen", listen(srv, 8) == 0);
  getsockname(srv, (struct sockaddr *)&a, &len);
  CHECK("tcp: getsockname gives a port", len == sizeof a && a.sin_port != 0 &&
                                             a.sin_addr.s_addr == htonl(INADDR_LOOPBACK));
  int cli = socket(AF_INET, SOCK_STREAM, 0);
  CHECK("tcp: connect", connect(cli, (struct sockaddr *)&a, sizeof a) == 0);
  len = sizeof got;
  int conn = accept(srv, (struct sockaddr *)&got, &len);
  struct sockaddr_in me;
  socklen_t mlen = sizeof me;
  getsockname(cli, (struct sockaddr *)&me, &mlen);
  CHECK("tcp: accept names the client", conn >= 0 && got.sin_port == me.sin_port);
  len = sizeof got;
  getpeername(cli, (struct sockaddr *)&got, &len);
  CHECK("tcp: getpeername is the server", got.sin_port == a.sin_port);
  CHECK("tcp: send", send(cli, "hello tcp", 9, 0) == 9);
  char buf[64] = {0};
  int n = 0;
  while (n < 9) {
    int r = recv(conn, buf + n, sizeof buf - n, 0);
    if (r <= 0) break;
    n += r;
  }
  CHECK("tcp: recv", n == 9 && memcmp(buf, "hello tcp", 9) == 0);
  write(conn, "reply", 5);
  n = read(cli, buf, 5);
  CHECK("tcp: reply", n == 5 && memcmp(buf, "reply", 5) == 0);
  fcntl(conn, F_SETFL, O_NONBLOCK);
  errno = 0;
  CHECK("tcp: non-blocking recv on nothing: EAGAIN",
        recv(conn, buf, sizeof buf, 0) == -1 && errno == EAGAIN);
  fcntl(conn, F_SETFL, 0);
  CHECK("tcp: shutdown(SHUT_WR)", shutdown(cli, SHUT_WR) == 0);
  CHECK("tcp: peer sees end of stream", recv(conn, buf, sizeof buf, 0) == 0);
  int v = 0;
  len = sizeof v;
  setsockopt(cli, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  getsockopt(cli, IPPROTO_TCP, TCP_NODELAY, &v, &len);
  CHECK("tcp: TCP_NODELAY round trip", v != 0);
  getsockopt(cli, SOL_SOCKET, SO_TYPE, &v, &len);
  CHECK("tcp: SO_TYPE", v == SOCK_STREAM);
  getsockopt(cli, SOL_SOCKET, SO_DOMAIN, &v, &len);
  CHECK("tcp: SO_DOMAIN", v == AF_INET);
  close(conn);
  close(cli);
  close(srv);
  /* The port is free again: a connection there is refused. */
  int c2 = socket(AF_INET, SOCK_STREAM, 0);
  errno = 0;
  CHECK("tcp: connect to a closed port: ECONNREFUSED",
        connect(c2, (struct sockaddr *)&a, sizeof a) == -1 && errno == ECONNREFUSED);
  close(c2);
}

static void udp4(void) {
  struct sockaddr_in a = {0}, b = {0}, from;
  socklen_t len = sizeof a;
  a.sin_family = b.sin_family = AF_INET;
  a.sin_addr.s_addr = b.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int sa = socket(AF_INET, SOCK_DGRAM, 0), sb = socket(AF_INET, SOCK_DGRAM, 0);
  CHECK("udp: bind two sockets", bind(sa, (struct sockaddr *)&a, sizeof a) == 0 &&
                                     bind(sb, (struct sockaddr *)&b, sizeof b) == 0);
  getsockname(sa, (struct sockaddr *)&a, &len);
  len = sizeof b;
  getsockname(sb, (struct sockaddr *)&b, &len);
  CHECK("udp: sendto", sendto(sa, "dgram", 5, 0, (struct sockaddr *)&b, sizeof b) == 5);
  char buf[16];
  socklen_t flen = sizeof from;
  int n = recvfrom(sb, buf, sizeof buf, 0, (struct sockaddr *)&from, &flen);
  CHECK("udp: recvfrom names the sender",
        n == 5 && flen == sizeof from && from.sin_port == a.sin_port);
  CHECK("udp: connect and send", connect(sb, (struct sockaddr *)&a, sizeof a) == 0 &&
                                     send(sb, "back", 4, 0) == 4);
  n = recv(sa, buf, sizeof buf, 0);
  CHECK("udp: reply arrives", n == 4 && memcmp(buf, "back", 4) == 0);
  close(sa);
  close(sb);
}

static void tcp6(void) {
  int srv = socket(AF_INET6, SOCK_STREAM, 0);
  struct sockaddr_in6 a = {0};
  socklen_t len = sizeof a;
  a.sin6_family = AF_INET6;
  a.sin6_addr = in6addr_loopback;
  if (srv < 0 || bind(srv, (struct sockaddr *)&a, sizeof a) != 0) {
    printf("tcp6: no IPv6 loopback here\n");
    if (srv >= 0) close(srv);
    return;
  }
  listen(srv, 1);
  getsockname(srv, (struct sockaddr *)&a, &len);
  int cli = socket(AF_INET6, SOCK_STREAM, 0);
  CHECK("tcp6: connect to [::1]", connect(cli, (struct sockaddr *)&a, sizeof a) == 0);
  int conn = accept(srv, 0, 0);
  char buf[8] = {0};
  send(cli, "v6", 2, 0);
  CHECK("tcp6: data", recv(conn, buf, sizeof buf, 0) == 2 && strcmp(buf, "v6") == 0);
  struct sockaddr_in6 p;
  len = sizeof p;
  getpeername(cli, (struct sockaddr *)&p, &len);
  char text[64];
  inet_ntop(AF_INET6, &p.sin6_addr, text, sizeof text);
  printf("tcp6: peer address %s, length %u\n", text, (unsigned)len);
  close(conn);
  close(cli);
  close(srv);
}

int main(void) {
  signal(SIGPIPE, SIG_IGN);
  tcp4();
  udp4();
  tcp6();
  printf("%s\n", fails ? "FAILED" : "all ok");
  return fails != 0;
}
