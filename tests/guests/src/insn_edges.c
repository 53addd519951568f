/* insn_edges: instruction-level corner cases found by random testing
 * (issue 13, part 11), each printed so qemu-riscv64 can be compared.
 *  1. signalling NaNs in binary64 arithmetic raise NV every time, also
 *     after hundreds of thousands of warm iterations;
 *  2. RVC HINT encodings (c.lui x0, c.li x0, c.mv x0, ...) run as no-ops;
 *  3. si_addr keeps every bit of a fault address at or above 2^53.
 * Exit status 0. */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define NV 0x10

static unsigned long fflags_after_clear(void) {
  unsigned long f;
  asm volatile("frflags %0" : "=r"(f));
  return f;
}

static void snan_loop(uint64_t bits, long iterations) {
  double s, one = 1.5, r;
  memcpy(&s, &bits, sizeof s);
  long miss_add = 0, miss_class = 0, miss_eq = 0, miss_cvt = 0, miss_min = 0;
  for (long i = 0; i < iterations; i++) {
    unsigned long c;
    long t;
    float f;
    asm volatile("fsflags zero\n\tfadd.d %0,%1,%2" : "=f"(r) : "f"(s), "f"(one));
    if (!(fflags_after_clear() & NV)) miss_add++;
    asm volatile("fclass.d %0,%1" : "=r"(c) : "f"(s));
    if (c != 0x100) miss_class++;
    asm volatile("fsflags zero\n\tfeq.d %0,%1,%2" : "=r"(t) : "f"(one), "f"(s));
    if (!(fflags_after_clear() & NV)) miss_eq++;
    asm volatile("fsflags zero\n\tfcvt.s.d %0,%1" : "=f"(f) : "f"(s));
    if (!(fflags_after_clear() & NV)) miss_cvt++;
    asm volatile("fsflags zero\n\tfmin.d %0,%1,%2" : "=f"(r) : "f"(s), "f"(one));
    if (!(fflags_after_clear() & NV)) miss_min++;
  }
  printf("snan %016llx x%ld: misses fadd.d %ld fclass.d %ld feq.d %ld fcvt.s.d %ld fmin.d %ld\n",
         (unsigned long long)bits, iterations, miss_add, miss_class, miss_eq, miss_cvt,
         miss_min);
}

static void hints(void) {
  long a0, s0;
  asm volatile(
      "li a0, -7\n\t"
      "li s0, 5\n\t"
      ".2byte 0x6005\n\t" /* c.lui x0,1 */
      ".2byte 0x707d\n\t" /* c.lui x0,0xfffff */
      ".2byte 0x0005\n\t" /* c.nop 1 */
      ".2byte 0x0501\n\t" /* c.addi a0,0 */
      ".2byte 0x4015\n\t" /* c.li x0,5 */
      ".2byte 0x802a\n\t" /* c.mv x0,a0 */
      ".2byte 0x902a\n\t" /* c.add x0,a0 */
      ".2byte 0x000e\n\t" /* c.slli x0,3 */
      ".2byte 0x0502\n\t" /* c.slli64 a0 */
      ".2byte 0x8101\n\t" /* c.srli64 a0 */
      ".2byte 0x8501\n\t" /* c.srai64 a0 */
      "mv %0, a0\n\t"
      "mv %1, s0"
      : "=r"(a0), "=r"(s0)
      :
      : "a0", "s0");
  printf("hints ran: a0=%ld s0=%ld\n", a0, s0);
}

static sigjmp_buf back;
static volatile uintptr_t fault_addr;

static void on_segv(int sig, siginfo_t *si, void *uc) {
  (void)sig;
  (void)uc;
  fault_addr = (uintptr_t)si->si_addr;
  siglongjmp(back, 1);
}

static void fault_at(uintptr_t a) {
  if (sigsetjmp(back, 1) == 0) {
    (void)*(volatile char *)a;
    printf("no fault at %#lx?\n", (unsigned long)a);
  } else {
    printf("load from %#lx: si_addr %#lx\n", (unsigned long)a, (unsigned long)fault_addr);
  }
}

int main(void) {
  snan_loop(0x7ff0000000000001ull, 300000);
  snan_loop(0xfff4000000000000ull, 50000);
  hints();
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_segv;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGSEGV, &sa, 0);
  fault_at(0x0020000000000001ul);
  fault_at(0x0123456789abcdeful);
  fault_at(0xfffffffffffffff1ul);
  fault_at(0x0000000000000008ul);
  return 0;
}
