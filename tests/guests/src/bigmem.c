/* bigmem: absurd memory requests fail cleanly and normal ones still work
 * afterwards. Exit status 0 when every check passed. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

static int failures = 0;
static void check(const char *what, int ok) {
  printf("%s: %s\n", what, ok ? "ok" : "FAIL");
  failures += !ok;
}

int main(void) {
  const size_t huge = (size_t)1 << 40;
  void *cur = sbrk(0);
  errno = 0;
  void *r = sbrk((intptr_t)huge);
  check("sbrk(1<<40) returns -1", r == (void *)-1);
  check("sbrk errno ENOMEM", errno == ENOMEM);
  check("break unchanged", sbrk(0) == cur);
  long raw = syscall(SYS_brk, (char *)cur + huge);
  check("raw brk(huge) returns the old break", (void *)raw == cur);

  errno = 0;
  void *m = mmap(NULL, huge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  check("mmap(1<<40) fails", m == MAP_FAILED);
  check("mmap errno ENOMEM", errno == ENOMEM);
  errno = 0;
  m = mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  check("mmap(0 bytes) -> EINVAL", m == MAP_FAILED && errno == EINVAL);

  errno = 0;
  void *p = malloc(huge);
  check("malloc(1<<40) returns NULL", p == NULL);
  check("malloc errno ENOMEM", errno == ENOMEM);
  p = malloc((size_t)-1 / 2);
  check("malloc(SIZE_MAX/2) returns NULL", p == NULL);

  /* the process is still healthy */
  char *q = malloc(1 << 20);
  check("malloc(1 MiB) works", q != NULL);
  if (q) {
    memset(q, 0x5a, 1 << 20);
    long sum = 0;
    for (int i = 0; i < (1 << 20); i += 4096) sum += q[i];
    check("1 MiB block usable", sum == 0x5aL * 256);
    free(q);
  }
  char *b = sbrk(8192);
  check("sbrk(8192) works", b != (void *)-1);
  if (b != (void *)-1) {
    b[0] = 1; b[8191] = 2;
    check("sbrk memory usable", b[0] + b[8191] == 3);
    check("sbrk(-8192) shrinks", sbrk(-8192) == b + 8192 && sbrk(0) == b);
  }
  m = mmap(NULL, 64 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  check("mmap(64 MiB) works", m != MAP_FAILED);
  if (m != MAP_FAILED) {
    ((char *)m)[(64 << 20) - 1] = 7;
    check("munmap(64 MiB)", munmap(m, 64 << 20) == 0);
  }
  printf("failures: %d\n", failures);
  return failures != 0;
}
