/* heap: malloc/free/realloc churn driven by a deterministic PRNG, large
 * (mmap-backed) allocations, calloc. Prints checksums, never addresses.
 * Exit status 0. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 4096
static unsigned char *blk[SLOTS];
static size_t len[SLOTS];
static uint64_t rng = 0x9e3779b97f4a7c15ULL;
static uint64_t next(void) {
  rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17;
  return rng;
}

static unsigned char pattern(size_t slot, size_t i) { return (unsigned char)(slot * 31 + i * 7); }

static int check(size_t s) {
  for (size_t i = 0; i < len[s]; i++)
    if (blk[s][i] != pattern(s, i)) return 0;
  return 1;
}

int main(void) {
  uint64_t sum = 0;
  int bad = 0;
  long ops = 0;
  for (int round = 0; round < 60000; round++) {
    size_t s = next() % SLOTS;
    uint64_t r = next();
    if (blk[s] && (r & 3) == 0) {
      bad += !check(s);
      free(blk[s]);
      blk[s] = NULL;
      len[s] = 0;
    } else if (blk[s] && (r & 3) == 1) {
      bad += !check(s);
      size_t nl = (next() % 2000) + 1;
      unsigned char *p = realloc(blk[s], nl);
      if (!p) { printf("realloc failed\n"); return 1; }
      blk[s] = p;
      for (size_t i = len[s]; i < nl; i++) p[i] = pattern(s, i);
      len[s] = nl;
    } else if (!blk[s]) {
      size_t nl = (r >> 8) % ((r & 64) ? 5000 : 100) + 1;
      blk[s] = malloc(nl);
      if (!blk[s]) { printf("malloc failed\n"); return 1; }
      for (size_t i = 0; i < nl; i++) blk[s][i] = pattern(s, i);
      len[s] = nl;
    }
    ops++;
  }
  size_t live = 0, bytes = 0;
  for (size_t s = 0; s < SLOTS; s++) {
    if (!blk[s]) continue;
    bad += !check(s);
    live++; bytes += len[s];
    for (size_t i = 0; i < len[s]; i++) sum = sum * 131 + blk[s][i];
    free(blk[s]);
  }
  printf("churn ops=%ld live=%zu bytes=%zu bad=%d sum=%016llx\n", ops, live, bytes, bad,
         (unsigned long long)sum);

  /* large allocations go through mmap; touch every page */
  for (int k = 1; k <= 3; k++) {
    size_t n = (size_t)k * 3 * 1024 * 1024 + 123;
    unsigned char *p = malloc(n);
    if (!p) { printf("big malloc failed\n"); return 1; }
    for (size_t i = 0; i < n; i += 4096) p[i] = (unsigned char)(i >> 12);
    uint64_t t = 0;
    for (size_t i = 0; i < n; i += 4096) t += p[i];
    p = realloc(p, n * 2);
    if (!p) { printf("big realloc failed\n"); return 1; }
    p[n * 2 - 1] = 1;
    printf("big %d: %zu bytes, page sum %llu, kept %d\n", k, n, (unsigned long long)t, p[4096] == 1);
    free(p);
  }

  /* calloc returns zeroed memory, also after reuse */
  for (int k = 0; k < 4; k++) {
    size_t n = k ? 2000000 : 1000;
    unsigned char *p = malloc(n);
    memset(p, 0xff, n);
    free(p);
    p = calloc(n, 1);
    size_t nz = 0;
    for (size_t i = 0; i < n; i++) nz += p[i] != 0;
    printf("calloc %zu nonzero=%zu\n", n, nz);
    free(p);
  }
  volatile size_t many = (size_t)1 << 62;
  unsigned char *z = calloc(many, 4);
  printf("calloc overflow -> %s\n", z ? "non-null" : "null");
  return bad != 0;
}
