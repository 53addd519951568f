/* AF_UNIX sockets within one process: socketpair (stream and datagram),
 * a listening socket on a path in the cwd and in the abstract namespace,
 * accept4, sendto/recvfrom names, sendmsg/recvmsg with SCM_RIGHTS,
 * shutdown, EPIPE, and the common socket options. Nothing here blocks. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

static int fails;
#define CHECK(what, cond)                                                    \
  do {                                                                       \
    int ok_ = (cond);                                                        \
    printf("%-56s %s\n", what, ok_ ? "ok" : "FAIL");                         \
    fails += !ok_;                                                           \
  } while (0)

static socklen_t name_of(struct sockaddr_un *a, const char *path, int abst) {
  memset(a, 0, sizeof *a);
  a->sun_family = AF_UNIX;
  if (abst) {
    memcpy(a->sun_path + 1, path, strlen(path));
    return offsetof(struct sockaddr_un, sun_path) + 1 + strlen(path);
  }
  strcpy(a->sun_path, path);
  return sizeof *a;
}

static void pairs(void) {
  int sv[2];
  char buf[64];
  CHECK("socketpair(SOCK_STREAM)", socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
  write(sv[0], "hello ", 6);
  write(sv[0], "world", 5);
  ssize_t n = read(sv[1], buf, sizeof buf);
  CHECK("stream bytes run together", n == 11 && memcmp(buf, "hello world", 11) == 0);
  send(sv[1], "back", 4, 0);
  n = recv(sv[0], buf, 2, MSG_PEEK);
  CHECK("MSG_PEEK leaves the bytes", n == 2 && recv(sv[0], buf, 64, 0) == 4);
  errno = 0;
  CHECK("empty, MSG_DONTWAIT: EAGAIN",
        recv(sv[0], buf, 64, MSG_DONTWAIT) == -1 && errno == EAGAIN);
  CHECK("shutdown(SHUT_WR)", shutdown(sv[0], SHUT_WR) == 0);
  CHECK("peer reads end of file", read(sv[1], buf, 64) == 0);
  errno = 0;
  CHECK("writing after SHUT_WR: EPIPE",
        send(sv[0], "x", 1, MSG_NOSIGNAL) == -1 && errno == EPIPE);
  close(sv[0]);
  errno = 0;
  CHECK("writing to a closed peer: EPIPE (SIGPIPE ignored)",
        write(sv[1], "x", 1) == -1 && errno == EPIPE);
  struct stat st;
  fstat(sv[1], &st);
  CHECK("fstat says socket", S_ISSOCK(st.st_mode));
  close(sv[1]);

  CHECK("socketpair(SOCK_DGRAM)", socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) == 0);
  send(sv[0], "one", 3, 0);
  send(sv[0], "twotwo", 6, 0);
  n = recv(sv[1], buf, 64, 0);
  CHECK("datagram boundaries kept", n == 3);
  n = recv(sv[1], buf, 3, MSG_TRUNC);
  CHECK("MSG_TRUNC gives the real length", n == 6 && memcmp(buf, "two", 3) == 0);
  close(sv[0]);
  close(sv[1]);
}

static void named(int abst) {
  const char *label = abst ? "abstract" : "path";
  char what[80], buf[64];
  struct sockaddr_un a, got;
  socklen_t alen = name_of(&a, abst ? "pandeno-test" : "sock_test.sock", abst);
  if (!abst) unlink("sock_test.sock");
  int srv = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  snprintf(what, sizeof what, "%s: bind", label);
  CHECK(what, bind(srv, (struct sockaddr *)&a, alen) == 0);
  int dup = socket(AF_UNIX, SOCK_STREAM, 0);
  errno = 0;
  snprintf(what, sizeof what, "%s: second bind: EADDRINUSE", label);
  CHECK(what, bind(dup, (struct sockaddr *)&a, alen) == -1 && errno == EADDRINUSE);
  errno = 0;
  snprintf(what, sizeof what, "%s: connect before listen: ECONNREFUSED", label);
  CHECK(what, connect(dup, (struct sockaddr *)&a, alen) == -1 &&
                  errno == ECONNREFUSED);
  close(dup);
  snprintf(what, sizeof what, "%s: listen", label);
  CHECK(what, listen(srv, 4) == 0);
  int cli = socket(AF_UNIX, SOCK_STREAM, 0);
  snprintf(what, sizeof what, "%s: connect", label);
  CHECK(what, connect(cli, (struct sockaddr *)&a, alen) == 0);
  socklen_t glen = sizeof got;
  int conn = accept4(srv, (struct sockaddr *)&got, &glen, SOCK_NONBLOCK);
  snprintf(what, sizeof what, "%s: accept4 (client unnamed: length 2)", label);
  CHECK(what, conn >= 0 && glen == 2);
  CHECK("  accepted socket is non-blocking",
        (fcntl(conn, F_GETFL) & O_NONBLOCK) != 0);
  glen = sizeof got;
  getpeername(cli, (struct sockaddr *)&got, &glen);
  printf("  getpeername length %u, name %.*s\n", (unsigned)glen,
         (int)glen - 3, abst ? got.sun_path + 1 : got.sun_path);
  glen = sizeof got;
  getsockname(conn, (struct sockaddr *)&got, &glen);
  printf("  getsockname(accepted) length %u\n", (unsigned)glen);
  write(cli, "ping", 4);
  ssize_t n = read(conn, buf, sizeof buf);
  write(conn, "pong", 4);
  CHECK("  ping/pong", n == 4 && read(cli, buf, sizeof buf) == 4 &&
                           memcmp(buf, "pong", 4) == 0);
  errno = 0;
  CHECK("  accept with nothing queued: EAGAIN (non-blocking)",
        (fcntl(srv, F_SETFL, O_NONBLOCK), accept(srv, 0, 0)) == -1 &&
            errno == EAGAIN);
  close(cli);
  CHECK("  closed client: server reads end of file", read(conn, buf, 64) == 0);
  close(conn);
  close(srv);
  if (!abst) {
    struct stat st;
    CHECK("  the socket file exists until unlinked",
          stat("sock_test.sock", &st) == 0 && unlink("sock_test.sock") == 0);
    errno = 0;
    int c2 = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK("  connect to a missing path: ENOENT",
          connect(c2, (struct sockaddr *)&a, alen) == -1 && errno == ENOENT);
    close(c2);
  }
}

static void datagrams(void) {
  struct sockaddr_un a, b, from;
  socklen_t alen = name_of(&a, "pandeno-dgram-a", 1);
  socklen_t blen = name_of(&b, "pandeno-dgram-b", 1);
  int sa = socket(AF_UNIX, SOCK_DGRAM, 0), sb = socket(AF_UNIX, SOCK_DGRAM, 0);
  bind(sa, (struct sockaddr *)&a, alen);
  bind(sb, (struct sockaddr *)&b, blen);
  CHECK("dgram: sendto a name", sendto(sa, "msg", 3, 0, (struct sockaddr *)&b,
                                       blen) == 3);
  char buf[16];
  socklen_t flen = sizeof from;
  ssize_t n = recvfrom(sb, buf, sizeof buf, 0, (struct sockaddr *)&from, &flen);
  CHECK("dgram: recvfrom names the sender",
        n == 3 && flen == alen && memcmp(from.sun_path + 1, "pandeno-dgram-a", 15) == 0);
  int anon = socket(AF_UNIX, SOCK_DGRAM, 0);
  sendto(anon, "x", 1, 0, (struct sockaddr *)&b, blen);
  flen = sizeof from;
  recvfrom(sb, buf, sizeof buf, 0, (struct sockaddr *)&from, &flen);
  printf("dgram: unnamed sender's address length %u\n", (unsigned)flen);
  close(anon);
  close(sa);
  errno = 0;
  CHECK("dgram: sendto a closed name: ECONNREFUSED",
        sendto(sb, "x", 1, 0, (struct sockaddr *)&a, alen) == -1 &&
            errno == ECONNREFUSED);
  close(sb);
}

static void rights(void) {
  int sv[2];
  socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
  int fd = open("sock_rights.txt", O_RDWR | O_CREAT | O_TRUNC, 0644);
  write(fd, "passed along", 12);
  lseek(fd, 7, SEEK_SET);
  char data = 'F';
  struct iovec iov = {&data, 1};
  union {
    char buf[CMSG_SPACE(sizeof(int))];
    struct cmsghdr align;
  } u;
  struct msghdr m = {0};
  m.msg_iov = &iov;
  m.msg_iovlen = 1;
  m.msg_control = u.buf;
  m.msg_controllen = sizeof u.buf;
  struct cmsghdr *c = CMSG_FIRSTHDR(&m);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(sizeof(int));
  memcpy(CMSG_DATA(c), &fd, sizeof fd);
  CHECK("SCM_RIGHTS: sendmsg", sendmsg(sv[0], &m, 0) == 1);
  close(fd);
  char got = 0;
  struct iovec riov = {&got, 1};
  union {
    char buf[CMSG_SPACE(sizeof(int))];
    struct cmsghdr align;
  } r;
  struct msghdr rm = {0};
  rm.msg_iov = &riov;
  rm.msg_iovlen = 1;
  rm.msg_control = r.buf;
  rm.msg_controllen = sizeof r.buf;
  CHECK("SCM_RIGHTS: recvmsg", recvmsg(sv[1], &rm, MSG_CMSG_CLOEXEC) == 1 && got == 'F');
  struct cmsghdr *rc = CMSG_FIRSTHDR(&rm);
  int nfd = -1;
  if (rc && rc->cmsg_type == SCM_RIGHTS) memcpy(&nfd, CMSG_DATA(rc), sizeof nfd);
  CHECK("SCM_RIGHTS: a new descriptor", nfd >= 0);
  printf("SCM_RIGHTS: MSG_CMSG_CLOEXEC sets FD_CLOEXEC: %s\n",
         (fcntl(nfd, F_GETFD) & FD_CLOEXEC) ? "yes" : "no");
  char buf[16] = {0};
  CHECK("SCM_RIGHTS: same open file (offset kept)",
        read(nfd, buf, 15) == 5 && strcmp(buf, "along") == 0);
  close(nfd);
  /* No room for the descriptor: MSG_CTRUNC. */
  fd = open("sock_rights.txt", O_RDONLY);
  memcpy(CMSG_DATA(c), &fd, sizeof fd);
  sendmsg(sv[0], &m, 0);
  close(fd);
  rm.msg_controllen = 0;
  rm.msg_control = 0;
  recvmsg(sv[1], &rm, 0);
  CHECK("SCM_RIGHTS: no control buffer: MSG_CTRUNC", (rm.msg_flags & MSG_CTRUNC) != 0);
  unlink("sock_rights.txt");
  close(sv[0]);
  close(sv[1]);
}

static void options(void) {
  int s = socket(AF_UNIX, SOCK_STREAM, 0), v = -1;
  socklen_t len = sizeof v;
  getsockopt(s, SOL_SOCKET, SO_TYPE, &v, &len);
  CHECK("SO_TYPE", v == SOCK_STREAM && len == 4);
  getsockopt(s, SOL_SOCKET, SO_ERROR, &v, &len);
  CHECK("SO_ERROR", v == 0);
  getsockopt(s, SOL_SOCKET, SO_DOMAIN, &v, &len);
  CHECK("SO_DOMAIN", v == AF_UNIX);
  int one = 1;
  setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  getsockopt(s, SOL_SOCKET, SO_REUSEADDR, &v, &len);
  CHECK("SO_REUSEADDR round trip", v == 1);
  int sz = 65536;
  setsockopt(s, SOL_SOCKET, SO_SNDBUF, &sz, sizeof sz);
  getsockopt(s, SOL_SOCKET, SO_SNDBUF, &v, &len);
  CHECK("SO_SNDBUF is doubled", v == 2 * sz);
  errno = 0;
  CHECK("unknown option: ENOPROTOOPT",
        getsockopt(s, SOL_SOCKET, 9999, &v, &len) == -1 && errno == ENOPROTOOPT);
  int sv[2];
  socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
  struct ucred cr;
  len = sizeof cr;
  getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &cr, &len);
  CHECK("SO_PEERCRED names this process", cr.pid == getpid() && cr.uid == getuid());
  close(sv[0]);
  close(sv[1]);
  close(s);
  errno = 0;
  CHECK("getsockopt on a file: ENOTSOCK",
        getsockopt(1, SOL_SOCKET, SO_TYPE, &v, &len) == -1 && errno == ENOTSOCK);
}

int main(void) {
  signal(SIGPIPE, SIG_IGN);
  pairs();
  named(0);
  named(1);
  datagrams();
  rights();
  options();
  printf("%s\n", fails ? "FAILED" : "all ok");
  return fails != 0;
}
