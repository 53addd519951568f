#define _GNU_SOURCE
#include <stdio.h>
#include <unistd.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/fsuid.h>
#include <time.h>
int main(void) {
  gid_t g[64]; int n = getgroups(64, g);
  printf("getgroups=%d first=%d\n", n, n > 0 ? (int)g[0] : -1);
  printf("getgroups(0)=%d\n", getgroups(0, NULL));
  errno = 0; int p = getpriority(PRIO_PROCESS, 0); printf("prio=%d errno=%d\n", p, errno);
  printf("setprio=%d\n", setpriority(PRIO_PROCESS, 0, 5));
  errno = 0; p = getpriority(PRIO_PROCESS, 0); printf("prio=%d errno=%d\n", p, errno);
  uid_t r, e, s; getresuid(&r, &e, &s); printf("resuid=%d,%d,%d\n", r, e, s);
  printf("setuid(same)=%d\n", setuid(getuid()));
  int fd = open("lh_ident.tmp", O_CREAT | O_RDWR | O_TRUNC, 0644);
  printf("fchown=%d\n", fchown(fd, -1, -1));
  printf("fchownat=%d\n", fchownat(AT_FDCWD, "lh_ident.tmp", getuid(), getgid(), 0));
  printf("fchown(1)=%d errno=%d\n", fchown(99, -1, -1), errno);
  printf("pwrite=%zd\n", pwrite(fd, "abc", 3, 0));
  close(fd);
  fd = open("lh_ident.tmp", O_WRONLY | O_APPEND);
  printf("pwrite append=%zd\n", pwrite(fd, "XY", 2, 0));
  printf("lseek=%ld\n", (long)lseek(fd, 0, SEEK_CUR));
  close(fd);
  fd = open("lh_ident.tmp", O_RDONLY); char b[16] = {0}; read(fd, b, 15); printf("content=%s\n", b); close(fd);
  unlink("lh_ident.tmp");
  struct timespec req = {0, 1000}, rem = {7, 7};
  printf("nanosleep=%d rem=%ld,%ld\n", nanosleep(&req, &rem), (long)rem.tv_sec, rem.tv_nsec);
  struct timespec c0, c1; clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
  req.tv_sec = 0; req.tv_nsec = 200000000; nanosleep(&req, NULL);
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
  long d = (c1.tv_sec - c0.tv_sec) * 1000000000L + (c1.tv_nsec - c0.tv_nsec);
  printf("cpu clock during 200ms sleep < 100ms: %d\n", d < 100000000L);
  return 0;
}
