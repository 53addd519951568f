/* File and shared mappings: MAP_SHARED stores reach the file (msync,
 * munmap, and exit, checked by a second run), write() shows through an
 * existing mapping, MADV_DONTNEED gives the file again (private) or zeros
 * (anonymous), mremap keeps a shared mapping shared, and large PROT_NONE
 * reservations succeed. Files go in the cwd; argv[1] picks a phase:
 * "run" (default) or "exit-write" then "exit-check". */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define PG 4096
static int fails;
#define CHECK(what, cond)                                                    \
  do {                                                                       \
    int ok_ = (cond);                                                        \
    printf("%-52s %s\n", what, ok_ ? "ok" : "FAIL");                         \
    fails += !ok_;                                                           \
  } while (0)

static int make(const char *name, int pages, char fill) {
  int fd = open(name, O_RDWR | O_CREAT | O_TRUNC, 0644);
  char buf[PG];
  memset(buf, fill, sizeof buf);
  for (int i = 0; i < pages; i++) write(fd, buf, PG);
  return fd;
}

static char at(int fd, off_t off) {
  char c = 0;
  pread(fd, &c, 1, off);
  return c;
}

static void shared_file(void) {
  int fd = make("sm_shared.dat", 2, 'a');
  char *m = mmap(0, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  CHECK("mmap MAP_SHARED of a file", m != MAP_FAILED);
  memcpy(m, "hello", 5);
  memcpy(m + 5000, "page2", 5);
  CHECK("msync(MS_SYNC)", msync(m, 2 * PG, MS_SYNC) == 0);
  char buf[6] = {0};
  pread(fd, buf, 5, 0);
  CHECK("stores are in the file after msync", strcmp(buf, "hello") == 0);
  CHECK("second page too", at(fd, 5004) == '2');
  m[10] = 'Z'; /* no msync: read() still sees it (one page cache) */
  CHECK("read() sees a store without msync", at(fd, 10) == 'Z');
  pwrite(fd, "WORLD", 5, 100);
  CHECK("pwrite() shows through the mapping", memcmp(m + 100, "WORLD", 5) == 0);
  lseek(fd, 200, SEEK_SET);
  write(fd, "abc", 3);
  CHECK("write() shows through the mapping", memcmp(m + 200, "abc", 3) == 0);
  char *m2 = mmap(0, PG, PROT_READ, MAP_SHARED, fd, PG);
  m[PG + 1] = 'Q';
  CHECK("two mappings of one file agree after a syscall",
        (getpid() > 0) && at(fd, PG + 1) == 'Q' && m2[1] == 'Q');
  munmap(m2, PG);
  m[300] = 'M';
  CHECK("munmap", munmap(m, 2 * PG) == 0);
  CHECK("stores reach the file at munmap", at(fd, 300) == 'M');
  struct stat st;
  fstat(fd, &st);
  CHECK("the file did not grow", st.st_size == 2 * PG);

  /* A mapping longer than the file: bytes past EOF never reach it. */
  ftruncate(fd, 100);
  m = mmap(0, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  m[50] = 'e';
  m[2000] = 'x';
  munmap(m, PG);
  fstat(fd, &st);
  CHECK("stores past EOF are dropped", st.st_size == 100 && at(fd, 50) == 'e');
  close(fd);

  /* The mapping keeps the file open after close(). */
  fd = make("sm_closed.dat", 1, 'c');
  m = mmap(0, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  close(fd);
  m[7] = '7';
  msync(m, PG, MS_SYNC);
  munmap(m, PG);
  fd = open("sm_closed.dat", O_RDONLY);
  CHECK("msync after close(fd) still writes", at(fd, 7) == '7');
  close(fd);

  fd = open("sm_closed.dat", O_RDONLY);
  m = mmap(0, PG, PROT_READ, MAP_SHARED, fd, 0);
  CHECK("mprotect(WRITE) of a read-only shared map: EACCES",
        mprotect(m, PG, PROT_READ | PROT_WRITE) == -1);
  munmap(m, PG);
  close(fd);
  CHECK("msync with MS_SYNC|MS_ASYNC: EINVAL",
        msync(m, PG, MS_SYNC | MS_ASYNC) == -1);
}

static void dontneed(void) {
  int fd = make("sm_private.dat", 1, 'p');
  char *m = mmap(0, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
  m[0] = 'X';
  CHECK("private store does not reach the file", at(fd, 0) == 'p');
  madvise(m, PG, MADV_DONTNEED);
  CHECK("MADV_DONTNEED: a private file map shows the file", m[0] == 'p');
  munmap(m, PG);
  close(fd);
  char *a = mmap(0, 2 * PG, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  memset(a, 7, 2 * PG);
  madvise(a + PG, PG, MADV_DONTNEED);
  CHECK("MADV_DONTNEED: anonymous memory gives zeros", a[0] == 7 && a[PG] == 0);
  munmap(a, 2 * PG);
  char *s = mmap(0, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
                 -1, 0);
  s[5] = 5;
  madvise(s, PG, MADV_DONTNEED);
  CHECK("MADV_DONTNEED: shared anonymous memory keeps its data", s[5] == 5);
  munmap(s, PG);
}

static void remap(void) {
  int fd = make("sm_remap.dat", 3, 'r');
  char *m = mmap(0, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  char *guard = mmap(m + PG, PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS |
                     MAP_FIXED_NOREPLACE, -1, 0);
  char *n = mremap(m, PG, 3 * PG, MREMAP_MAYMOVE);
  CHECK("mremap of a shared map grows it", n != MAP_FAILED);
  CHECK("the grown part shows the file", n[2 * PG + 3] == 'r');
  n[2 * PG + 3] = 'G';
  n[1] = 'F';
  msync(n, 3 * PG, MS_SYNC);
  CHECK("the moved map still writes back", at(fd, 2 * PG + 3) == 'G' &&
        at(fd, 1) == 'F');
  n = mremap(n, 3 * PG, PG, 0);
  n[2] = 'S';
  munmap(n, PG);
  CHECK("shrunk map writes back too", at(fd, 2) == 'S');
  if (guard != MAP_FAILED) munmap(guard, PG);
  close(fd);
}

static void reservations(void) {
  size_t gib = 1UL << 30;
  char *r = mmap(0, 2 * gib, PROT_NONE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  CHECK("reserve 2 GiB PROT_NONE", r != MAP_FAILED);
  char *r2 = mmap(0, gib / 2, PROT_NONE,
                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  CHECK("and another 512 MiB", r2 != MAP_FAILED);
  CHECK("commit 1 MiB inside it",
        mprotect(r + gib, 1 << 20, PROT_READ | PROT_WRITE) == 0);
  r[gib + 12345] = 42;
  CHECK("use it", r[gib + 12345] == 42);
  CHECK("release both", munmap(r, 2 * gib) == 0 && munmap(r2, gib / 2) == 0);
}

int main(int argc, char **argv) {
  const char *phase = argc > 1 ? argv[1] : "run";
  if (strcmp(phase, "exit-write") == 0) {
    int fd = make("sm_exit.dat", 1, 'e');
    char *m = mmap(0, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    memcpy(m + 42, "written at exit", 15);
    _exit(0); /* no msync, no munmap */
  }
  if (strcmp(phase, "exit-check") == 0) {
    int fd = open("sm_exit.dat", O_RDONLY);
    char buf[16] = {0};
    pread(fd, buf, 15, 42);
    printf("%s\n", buf);
    unlink("sm_exit.dat");
    return strcmp(buf, "written at exit") != 0;
  }
  shared_file();
  dontneed();
  remap();
  reservations();
  unlink("sm_shared.dat");
  unlink("sm_closed.dat");
  unlink("sm_private.dat");
  unlink("sm_remap.dat");
  printf("%s\n", fails ? "FAILED" : "all ok");
  return fails != 0;
}
