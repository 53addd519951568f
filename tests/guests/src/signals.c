/* signals: synchronous and raised signals handled in the guest. SIGSEGV on an
 * unmapped address (si_addr checked, run on an alternate stack), SIGILL from
 * an illegal instruction, raise(SIGFPE), SIGBUS from a misaligned AMO, a
 * handler that returns normally, and an ignored signal. Each handler
 * siglongjmp's back. Exit status 0 when all steps passed. */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static sigjmp_buf env;
static volatile sig_atomic_t got_sig, got_code, addr_ok, on_alt, usr1_count;
static volatile uintptr_t want_addr;
static char *alt_base;
static const size_t alt_size = 64 * 1024;

static void handler(int sig, siginfo_t *si, void *uc) {
  (void)uc;
  char probe;
  got_sig = sig;
  got_code = si->si_code;
  addr_ok = (uintptr_t)si->si_addr == want_addr;
  on_alt = (char *)&probe >= alt_base && (char *)&probe < alt_base + alt_size;
  stack_t cur;
  if (sigaltstack(NULL, &cur) == 0 && on_alt && !(cur.ss_flags & SS_ONSTACK)) on_alt = 0;
  siglongjmp(env, 1);
}

static void usr1(int sig) { (void)sig; usr1_count++; }

static int failures = 0;
static void report(const char *what, int expect_sig, int check_addr, int expect_alt) {
  int ok = got_sig == expect_sig && (!check_addr || addr_ok) && (!expect_alt || on_alt);
  printf("%s: sig=%d code=%d%s%s -> %s\n", what, (int)got_sig, (int)got_code,
         check_addr ? (addr_ok ? " addr=ok" : " addr=WRONG") : "",
         expect_alt ? (on_alt ? " altstack=ok" : " altstack=NO") : "", ok ? "ok" : "FAIL");
  failures += !ok;
  got_sig = got_code = addr_ok = on_alt = 0;
}

static void install(int sig, int flags) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = handler;
  sa.sa_flags = SA_SIGINFO | flags;
  sigemptyset(&sa.sa_mask);
  if (sigaction(sig, &sa, NULL) != 0) { perror("sigaction"); exit(2); }
}

static int blocked(int sig) {
  sigset_t cur;
  sigprocmask(SIG_BLOCK, NULL, &cur);
  return sigismember(&cur, sig);
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  alt_base = malloc(alt_size);
  stack_t ss = {.ss_sp = alt_base, .ss_size = alt_size, .ss_flags = 0};
  printf("sigaltstack: %s\n", sigaltstack(&ss, NULL) == 0 ? "ok" : "FAIL");

  /* SIGSEGV: load from an unmapped page, handled on the alternate stack */
  install(SIGSEGV, SA_ONSTACK);
  want_addr = 0x10;
  if (sigsetjmp(env, 1) == 0) {
    volatile int *p = (volatile int *)want_addr;
    (void)*p;
    printf("no fault?\n");
  }
  report("SIGSEGV load", SIGSEGV, 1, 1);
  printf("SIGSEGV unblocked after siglongjmp: %s\n", blocked(SIGSEGV) ? "FAIL" : "ok");

  /* SIGSEGV: store to a read-only page (text) */
  want_addr = (uintptr_t)&main;
  if (sigsetjmp(env, 1) == 0) {
    *(volatile char *)want_addr = 0;
    printf("no fault?\n");
  }
  report("SIGSEGV store to text", SIGSEGV, 1, 1);

  /* SIGILL: an all-zero instruction word is defined to be illegal */
  install(SIGILL, 0);
  if (sigsetjmp(env, 1) == 0) {
    __asm__ volatile(".4byte 0x00000000");
    printf("no fault?\n");
  }
  report("SIGILL", SIGILL, 0, 0);

  /* SIGFPE sent to ourselves */
  install(SIGFPE, 0);
  if (sigsetjmp(env, 1) == 0) {
    raise(SIGFPE);
    printf("no signal?\n");
  }
  report("raise(SIGFPE)", SIGFPE, 0, 0);

  /* SIGBUS: misaligned atomic memory operation */
  install(SIGBUS, 0);
  static uint64_t words[2];
  want_addr = (uintptr_t)words + 1;
  if (sigsetjmp(env, 1) == 0) {
    int32_t old;
    __asm__ volatile("amoadd.w %0, %1, (%2)" : "=r"(old) : "r"(1), "r"(want_addr) : "memory");
    printf("no fault? old=%d\n", old);
  }
  report("SIGBUS amoadd.w misaligned", SIGBUS, 1, 0);
  want_addr = (uintptr_t)words + 4;
  if (sigsetjmp(env, 1) == 0) {
    int64_t v;
    __asm__ volatile("lr.d %0, (%1)" : "=r"(v) : "r"(want_addr) : "memory");
    printf("no fault? v=%lld\n", (long long)v);
  }
  report("SIGBUS lr.d misaligned", SIGBUS, 1, 0);

  /* a handler that returns: execution resumes after the kill */
  signal(SIGUSR1, usr1);
  for (int i = 0; i < 3; i++) kill(getpid(), SIGUSR1);
  printf("SIGUSR1 handled %d times: %s\n", (int)usr1_count, usr1_count == 3 ? "ok" : "FAIL");
  failures += usr1_count != 3;

  /* a blocked signal is delivered when unblocked */
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR1);
  sigprocmask(SIG_BLOCK, &set, NULL);
  raise(SIGUSR1);
  int before = usr1_count;
  sigset_t pend;
  sigpending(&pend);
  int pending = sigismember(&pend, SIGUSR1);
  sigprocmask(SIG_UNBLOCK, &set, NULL);
  printf("blocked SIGUSR1: pending=%d delivered-late=%d -> %s\n", pending, usr1_count - before,
         pending && usr1_count == before + 1 ? "ok" : "FAIL");
  failures += !(pending && usr1_count == before + 1);

  /* an ignored signal does nothing */
  signal(SIGUSR2, SIG_IGN);
  raise(SIGUSR2);
  printf("SIG_IGN SIGUSR2: ok\n");

  printf("failures: %d\n", failures);
  return failures != 0;
}
