/* atomics: RV64A through C11 atomics (AMO*.W/D, LR/SC for compare-exchange)
 * and inline AMOMIN/AMOMAX[U]. Exit status 0. */
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>

static _Atomic int32_t a32 = 5;
static _Atomic int64_t a64 = 5;
static int32_t p32 = -7;
static uint32_t u32 = 0x80000000u;
static int64_t p64 = -7;
static uint64_t u64 = 0x8000000000000000ULL;

/* GCC 12 has no __atomic_fetch_min/max: use the AMO instructions directly. */
#define AMO(name, insn, T)                                                          \
  static T name(T *p, T v) {                                                        \
    T old;                                                                          \
    __asm__ volatile(insn ".aqrl %0, %2, (%1)" : "=r"(old) : "r"(p), "r"(v) : "memory"); \
    return old;                                                                     \
  }
AMO(amomin_w, "amomin.w", int32_t)
AMO(amomax_w, "amomax.w", int32_t)
AMO(amominu_w, "amominu.w", uint32_t)
AMO(amomaxu_w, "amomaxu.w", uint32_t)
AMO(amomin_d, "amomin.d", int64_t)
AMO(amomax_d, "amomax.d", int64_t)
AMO(amominu_d, "amominu.d", uint64_t)
AMO(amomaxu_d, "amomaxu.d", uint64_t)

int main(void) {
  printf("fetch_add32 %d -> %d\n", atomic_fetch_add(&a32, 10), atomic_load(&a32));
  printf("fetch_sub32 %d -> %d\n", atomic_fetch_sub(&a32, 100), atomic_load(&a32));
  printf("fetch_xor32 %d -> %d\n", atomic_fetch_xor(&a32, 0x55), atomic_load(&a32));
  printf("fetch_and32 %d -> %d\n", atomic_fetch_and(&a32, 0xf0f), atomic_load(&a32));
  printf("fetch_or32 %d -> %d\n", atomic_fetch_or(&a32, 0x70000000), atomic_load(&a32));
  printf("exchange32 %d -> %d\n", atomic_exchange(&a32, INT32_MIN), atomic_load(&a32));
  printf("fetch_add32 wrap %d -> %d\n", atomic_fetch_add(&a32, -1), atomic_load(&a32));

  printf("fetch_add64 %lld -> %lld\n", (long long)atomic_fetch_add(&a64, 1LL << 40),
         (long long)atomic_load(&a64));
  printf("fetch_xor64 %lld -> %lld\n", (long long)atomic_fetch_xor(&a64, -1LL),
         (long long)atomic_load(&a64));
  printf("fetch_and64 %lld -> %lld\n", (long long)atomic_fetch_and(&a64, 0xffff0000ffffLL),
         (long long)atomic_load(&a64));
  printf("fetch_or64 %lld -> %lld\n", (long long)atomic_fetch_or(&a64, 1LL << 63),
         (long long)atomic_load(&a64));
  printf("exchange64 %lld -> %lld\n", (long long)atomic_exchange(&a64, 42),
         (long long)atomic_load(&a64));

  /* signed and unsigned min/max: amomin/amomax/amominu/amomaxu */
  int32_t o;
  o = amomin_w(&p32, 3); printf("min32 %d -> %d\n", o, p32);
  o = amomax_w(&p32, 3); printf("max32 %d -> %d\n", o, p32);
  uint32_t uo;
  uo = amominu_w(&u32, 3u); printf("minu32 %u -> %u\n", uo, u32);
  uo = amomaxu_w(&u32, 0xfffffff0u); printf("maxu32 %u -> %u\n", uo, u32);
  int64_t o64;
  o64 = amomax_d(&p64, -8); printf("max64 %lld -> %lld\n", (long long)o64, (long long)p64);
  o64 = amomin_d(&p64, INT64_MIN); printf("min64 %lld -> %lld\n", (long long)o64, (long long)p64);
  uint64_t uo64;
  uo64 = amominu_d(&u64, 1); printf("minu64 %llu -> %llu\n", (unsigned long long)uo64, (unsigned long long)u64);
  uo64 = amomaxu_d(&u64, UINT64_MAX); printf("maxu64 %llu -> %llu\n", (unsigned long long)uo64, (unsigned long long)u64);

  /* compare-exchange (LR/SC loops), success and failure */
  int32_t exp32 = 42;
  atomic_store(&a32, 42);
  _Bool ok = atomic_compare_exchange_strong(&a32, &exp32, 7);
  printf("cas32 ok=%d expected=%d now=%d\n", ok, exp32, atomic_load(&a32));
  exp32 = 42;
  ok = atomic_compare_exchange_strong(&a32, &exp32, 9);
  printf("cas32 ok=%d expected=%d now=%d\n", ok, exp32, atomic_load(&a32));
  int64_t exp64 = 42;
  ok = atomic_compare_exchange_strong(&a64, &exp64, -1);
  printf("cas64 ok=%d expected=%lld now=%lld\n", ok, (long long)exp64, (long long)atomic_load(&a64));
  exp64 = 0;
  while (!atomic_compare_exchange_weak(&a64, &exp64, exp64 + 1)) {}
  printf("cas64 weak loop now=%lld\n", (long long)atomic_load(&a64));

  /* raw LR/SC: sc after a matching lr succeeds (0), a lone sc fails (nonzero) */
  uint64_t word = 100, val = 0, rc;
  __asm__ volatile("lr.d %0, (%2)\n\tsc.d %1, %3, (%2)" : "=&r"(val), "=&r"(rc)
                   : "r"(&word), "r"((uint64_t)105) : "memory");
  printf("lr.d=%llu sc.d rc=%llu word=%llu\n", (unsigned long long)val, (unsigned long long)rc,
         (unsigned long long)word);
  uint32_t w32 = 0xfffffffeu; int64_t v32;
  __asm__ volatile("lr.w %0, (%2)\n\tsc.w %1, %3, (%2)" : "=&r"(v32), "=&r"(rc)
                   : "r"(&w32), "r"((uint64_t)1) : "memory");
  printf("lr.w=%lld (sign-extended) sc.w rc=%llu w=%u\n", (long long)v32, (unsigned long long)rc, w32);
  __asm__ volatile("sc.w %0, %2, (%1)" : "=&r"(rc) : "r"(&w32), "r"((uint64_t)77) : "memory");
  printf("lone sc.w failed=%d w=%u\n", rc != 0, w32);

  /* many increments: a sum check */
  atomic_store(&a64, 0);
  for (int i = 1; i <= 100000; i++) atomic_fetch_add_explicit(&a64, i, memory_order_relaxed);
  printf("sum 1..100000 = %lld\n", (long long)atomic_load(&a64));
  atomic_thread_fence(memory_order_seq_cst);
  return 0;
}
