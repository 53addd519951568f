/* strings: libc string and memory routines (vectorless RV64 paths, misaligned
 * heads and tails), sprintf, qsort, strtod. Exit status 0. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t hash = 1469598103934665603ULL;
static void mixb(const void *p, size_t n) {
  const unsigned char *b = p;
  for (size_t i = 0; i < n; i++) hash = (hash ^ b[i]) * 1099511628211ULL;
}

static uint32_t rng = 12345;
static uint32_t next(void) { rng = rng * 1103515245u + 12345u; return rng >> 8; }

static int cmp_int(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y);
}
static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void) {
  static char buf[70000], buf2[70000];
  /* memcpy / memmove / memset at all small offsets and lengths */
  for (size_t i = 0; i < sizeof buf; i++) buf[i] = (char)(next() & 0xff);
  for (int off = 0; off < 16; off++) {
    for (size_t len = 0; len < 300; len += 7) {
      memset(buf2, 0xa5, 400);
      memcpy(buf2 + off, buf + 3 * off + 1, len);
      mixb(buf2, 400);
    }
  }
  printf("memcpy hash %016llx\n", (unsigned long long)hash);
  memcpy(buf2, buf, sizeof buf);
  memmove(buf2 + 3, buf2, 60000);
  mixb(buf2, sizeof buf2);
  memmove(buf2, buf2 + 17, 50000);
  mixb(buf2, sizeof buf2);
  printf("memmove hash %016llx\n", (unsigned long long)hash);
  memset(buf2 + 5, 0, 10000);
  mixb(buf2, sizeof buf2);
  printf("memset hash %016llx memcmp %d %d\n", (unsigned long long)hash,
         memcmp(buf, buf2, 5) == 0, memcmp(buf, buf2, 100) != 0);

  /* strlen / strcmp / strchr / strstr on long strings */
  for (size_t i = 0; i < 65000; i++) buf[i] = (char)('a' + next() % 26);
  buf[65000] = 0;
  printf("strlen %zu\n", strlen(buf));
  for (int off = 0; off < 9; off++) printf("strlen+%d %zu ", off, strlen(buf + off));
  printf("\n");
  strcpy(buf2, buf);
  printf("strcmp eq %d\n", strcmp(buf, buf2));
  buf2[40000] = 'A';
  printf("strcmp lt %d gt %d strncmp %d\n", strcmp(buf2, buf) < 0, strcmp(buf, buf2) > 0,
         strncmp(buf, buf2, 40000));
  const char *needle = "zzq";
  char *hit = strstr(buf, needle);
  printf("strstr zzq at %ld\n", hit ? (long)(hit - buf) : -1L);
  memcpy(buf + 60000, "NEEDLE", 6);
  hit = strstr(buf, "NEEDLE");
  printf("strstr NEEDLE at %ld\n", hit ? (long)(hit - buf) : -1L);
  printf("strchr q at %ld strrchr q at %ld\n", (long)(strchr(buf, 'q') - buf),
         (long)(strrchr(buf, 'q') - buf));
  printf("strspn %zu strcspn %zu\n", strspn(buf, "abcdefghijklm"), strcspn(buf, "xyz"));

  /* sprintf formats */
  char out[256];
  int n = sprintf(out, "[%5d|%-5d|%05d|%+d|%x|%#o|%c|%s|%.3s|%10.4f|%e|%g|%%]", 42, 42, 42, 42,
                  255, 8, 'Z', "str", "truncate", 3.14159265, 12345.678, 0.0001);
  printf("sprintf %d %s\n", n, out);
  const char *volatile longer = "this is longer than ten";
  n = snprintf(out, 10, "%s", longer);
  printf("snprintf %d '%s'\n", n, out);

  /* qsort ints and strings */
  static int nums[5000];
  for (int i = 0; i < 5000; i++) nums[i] = (int)(next() % 100000) - 50000;
  qsort(nums, 5000, sizeof nums[0], cmp_int);
  long long sum = 0;
  int sorted = 1;
  for (int i = 0; i < 5000; i++) { sum += (long long)nums[i] * (i + 1); if (i && nums[i - 1] > nums[i]) sorted = 0; }
  printf("qsort ints sorted=%d min=%d max=%d weighted=%lld\n", sorted, nums[0], nums[4999], sum);
  static char words[300][12];
  static char *ptrs[300];
  for (int i = 0; i < 300; i++) {
    int len = 1 + (int)(next() % 10);
    for (int j = 0; j < len; j++) words[i][j] = (char)('a' + next() % 26);
    words[i][len] = 0;
    ptrs[i] = words[i];
  }
  qsort(ptrs, 300, sizeof ptrs[0], cmp_str);
  printf("qsort strs first=%s last=%s mid=%s\n", ptrs[0], ptrs[299], ptrs[150]);

  /* strtod / strtol */
  const char *nums_s[] = {"3.14159", "-0.0", "1e308", "1e309", "2.2250738585072014e-308",
                          "4.9e-324", "0x1.8p3", "inf", "nan", "  12abc", "123456789012345678901234567890"};
  for (int i = 0; i < 11; i++) {
    char *end;
    double d = strtod(nums_s[i], &end);
    if (d != d) printf("strtod '%s' = nan rest='%s'\n", nums_s[i], end);
    else printf("strtod '%s' = %.17g rest='%s'\n", nums_s[i], d, end);
  }
  printf("strtol %ld %ld %lu %lld\n", strtol("-123xyz", NULL, 10), strtol("0x7fffffffffffffff", NULL, 16),
         strtoul("777", NULL, 8), strtoll("-9223372036854775808", NULL, 10));
  return 0;
}
