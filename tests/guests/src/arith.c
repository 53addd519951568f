/* arith: 64/32-bit integer edge cases (RV64IM). Operands go through volatile
 * so the compiler cannot fold them. Exit status 0. */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>

static volatile int64_t v64[] = {0, 1, -1, 2, -2, 7, -7, INT64_MAX, INT64_MIN,
                                 0x123456789abcdef0LL, (int64_t)0xfedcba9876543210ULL,
                                 0x80000000LL, 0xffffffffLL, -0x80000000LL};
static volatile int32_t v32[] = {0, 1, -1, 3, -3, INT32_MAX, INT32_MIN, 0x7fff, 0x12345678};
#define N64 (int)(sizeof v64 / sizeof v64[0])
#define N32 (int)(sizeof v32 / sizeof v32[0])

static uint64_t hash = 1469598103934665603ULL;
static void mix(uint64_t x) { hash = (hash ^ x) * 1099511628211ULL; }

static int64_t mulh(int64_t a, int64_t b) { return (int64_t)(((__int128)a * b) >> 64); }
static uint64_t mulhu(uint64_t a, uint64_t b) {
  return (uint64_t)(((unsigned __int128)a * b) >> 64);
}
static int64_t mulhsu(int64_t a, uint64_t b) {
  return (int64_t)(((__int128)a * (unsigned __int128)b) >> 64);
}

static int popcount_loop(uint64_t x) {
  int n = 0;
  while (x) { x &= x - 1; n++; }
  return n;
}

int main(void) {
  /* wrap-around */
  volatile int64_t big = INT64_MAX, small = INT64_MIN;
  volatile int32_t big32 = INT32_MAX;
  printf("add wrap: %lld\n", (long long)(int64_t)((uint64_t)big + 1));
  printf("sub wrap: %lld\n", (long long)(int64_t)((uint64_t)small - 1));
  printf("addw wrap: %d\n", (int32_t)((uint32_t)big32 + 1u));
  printf("neg min: %lld\n", (long long)(int64_t)(0 - (uint64_t)small));

  /* division, including by zero and INT_MIN / -1 (RISC-V defines results) */
  volatile int64_t zero = 0, m1 = -1;
  volatile int32_t zero32 = 0, m132 = -1, min32 = INT32_MIN;
  int64_t q, r;
  __asm__ volatile("div %0, %1, %2" : "=r"(q) : "r"(big), "r"(zero));
  __asm__ volatile("rem %0, %1, %2" : "=r"(r) : "r"(big), "r"(zero));
  printf("div by 0: %lld rem %lld\n", (long long)q, (long long)r);
  __asm__ volatile("divu %0, %1, %2" : "=r"(q) : "r"(big), "r"(zero));
  __asm__ volatile("remu %0, %1, %2" : "=r"(r) : "r"(big), "r"(zero));
  printf("divu by 0: %llx remu %llx\n", (unsigned long long)q, (unsigned long long)r);
  __asm__ volatile("div %0, %1, %2" : "=r"(q) : "r"(small), "r"(m1));
  __asm__ volatile("rem %0, %1, %2" : "=r"(r) : "r"(small), "r"(m1));
  printf("min/-1: %lld rem %lld\n", (long long)q, (long long)r);
  __asm__ volatile("divw %0, %1, %2" : "=r"(q) : "r"((int64_t)min32), "r"((int64_t)m132));
  __asm__ volatile("remw %0, %1, %2" : "=r"(r) : "r"((int64_t)min32), "r"((int64_t)m132));
  printf("divw min/-1: %lld remw %lld\n", (long long)q, (long long)r);
  __asm__ volatile("divw %0, %1, %2" : "=r"(q) : "r"((int64_t)big32), "r"((int64_t)zero32));
  __asm__ volatile("remuw %0, %1, %2" : "=r"(r) : "r"((int64_t)min32), "r"((int64_t)zero32));
  printf("divw by 0: %lld remuw by 0: %lld\n", (long long)q, (long long)r);

  /* tables over all operand pairs */
  for (int i = 0; i < N64; i++) {
    for (int j = 0; j < N64; j++) {
      int64_t a = v64[i], b = v64[j];
      uint64_t ua = (uint64_t)a, ub = (uint64_t)b;
      mix(ua + ub); mix(ua - ub); mix(ua * ub);
      mix((uint64_t)mulh(a, b)); mix(mulhu(ua, ub)); mix((uint64_t)mulhsu(a, ub));
      mix(ua & ub); mix(ua | ub); mix(ua ^ ub);
      mix(a < b); mix(ua < ub);
      mix(ua << (ub & 63)); mix(ua >> (ub & 63)); mix((uint64_t)(a >> (ub & 63)));
      mix((uint64_t)(int64_t)(int32_t)((uint32_t)ua << (ub & 31)));
      mix((uint64_t)(int64_t)(int32_t)((uint32_t)ua >> (ub & 31)));
      mix((uint64_t)(int64_t)((int32_t)ua >> (ub & 31)));
      mix((uint64_t)(int64_t)(int32_t)((uint32_t)ua * (uint32_t)ub));
      if (b != 0 && !(a == INT64_MIN && b == -1)) { mix((uint64_t)(a / b)); mix((uint64_t)(a % b)); }
      if (ub != 0) { mix(ua / ub); mix(ua % ub); }
    }
    if (i % 4 == 3) printf("hash after row %d: %016llx\n", i, (unsigned long long)hash);
  }
  printf("table hash: %016llx\n", (unsigned long long)hash);

  for (int i = 0; i < N32; i++) {
    for (int j = 0; j < N32; j++) {
      int32_t a = v32[i], b = v32[j];
      int64_t d, rm, du, ru;
      __asm__ volatile("divw %0, %1, %2" : "=r"(d) : "r"((int64_t)a), "r"((int64_t)b));
      __asm__ volatile("remw %0, %1, %2" : "=r"(rm) : "r"((int64_t)a), "r"((int64_t)b));
      __asm__ volatile("divuw %0, %1, %2" : "=r"(du) : "r"((int64_t)a), "r"((int64_t)b));
      __asm__ volatile("remuw %0, %1, %2" : "=r"(ru) : "r"((int64_t)a), "r"((int64_t)b));
      printf("w %d %d: %lld %lld %lld %lld\n", a, b, (long long)d, (long long)rm,
             (long long)du, (long long)ru);
    }
  }

  /* shifts by amounts taken modulo the width */
  volatile int sh = 65;
  volatile int64_t one = 1;
  int64_t s;
  __asm__ volatile("sll %0, %1, %2" : "=r"(s) : "r"(one), "r"((int64_t)sh));
  printf("sll by 65: %lld\n", (long long)s);
  __asm__ volatile("sllw %0, %1, %2" : "=r"(s) : "r"(one), "r"((int64_t)31));
  printf("sllw by 31: %lld\n", (long long)s);
  __asm__ volatile("sraw %0, %1, %2" : "=r"(s) : "r"((int64_t)0x80000000LL), "r"((int64_t)33));
  printf("sraw 0x80000000 by 33: %lld\n", (long long)s);
  __asm__ volatile("srlw %0, %1, %2" : "=r"(s) : "r"((int64_t)-1), "r"((int64_t)4));
  printf("srlw -1 by 4: %lld\n", (long long)s);

  /* popcount and friends via loops */
  uint64_t x = 0x0123456789abcdefULL;
  int total = 0;
  for (int i = 0; i < 64; i++) { total += popcount_loop(x); x = x * 6364136223846793005ULL + 1442695040888963407ULL; }
  printf("popcount total: %d\n", total);
  printf("printf: %lld %llx %llu %x %d\n", (long long)INT64_MIN, (unsigned long long)-2LL,
         (unsigned long long)UINT64_MAX, 0xdeadbeefu, INT32_MIN);
  return 0;
}
