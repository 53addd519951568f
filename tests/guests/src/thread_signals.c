/* Per-thread signal state: tgkill reaches the named thread, masks are per
 * thread, each thread has its own alternate stack; a process-directed
 * signal goes to a thread that does not block it; pthread_exit in main
 * lets the other threads finish; futex timeouts; sched_* calls. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static volatile pid_t handled_by[65];
static volatile int on_alt[65];
static char altstacks[2][65536];
static pid_t main_tid, worker_tid;
static pthread_barrier_t bar;

static void handler(int sig) {
  handled_by[sig] = (pid_t)syscall(SYS_gettid);
  stack_t ss;
  sigaltstack(NULL, &ss);
  on_alt[sig] = (ss.ss_flags & SS_ONSTACK) != 0;
}

static void *worker(void *arg) {
  (void)arg;
  worker_tid = (pid_t)syscall(SYS_gettid);
  stack_t ss = {.ss_sp = altstacks[1], .ss_size = sizeof altstacks[1]};
  sigaltstack(&ss, NULL);
  /* The worker blocks SIGUSR2: a kill() of SIGUSR2 must go to main. */
  sigset_t s;
  sigemptyset(&s);
  sigaddset(&s, SIGUSR2);
  pthread_sigmask(SIG_BLOCK, &s, NULL);
  pthread_barrier_wait(&bar);
  pthread_barrier_wait(&bar); /* main sends signals here */
  pthread_barrier_wait(&bar);
  /* Outlive main's pthread_exit. */
  struct timespec d = {0, 20000000};
  nanosleep(&d, NULL);
  printf("worker: usr1 by worker=%d on alt=%d; usr2 by main=%d\n",
         handled_by[SIGUSR1] == worker_tid, on_alt[SIGUSR1],
         handled_by[SIGUSR2] == main_tid);
  printf("worker: exiting last\n");
  return NULL;
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  main_tid = (pid_t)syscall(SYS_gettid);
  struct sigaction sa = {0};
  sa.sa_handler = handler;
  sa.sa_flags = SA_ONSTACK;
  sigaction(SIGUSR1, &sa, NULL);
  sigaction(SIGUSR2, &sa, NULL);
  pthread_barrier_init(&bar, NULL, 2);
  pthread_t t;
  pthread_create(&t, NULL, worker, NULL);
  pthread_barrier_wait(&bar);
  syscall(SYS_tgkill, getpid(), worker_tid, SIGUSR1);
  kill(getpid(), SIGUSR2);
  pthread_barrier_wait(&bar);
  printf("main: usr2 handled by main=%d on alt=%d\n", handled_by[SIGUSR2] == main_tid, on_alt[SIGUSR2]);
  /* futex wait with a timeout on a word nobody changes */
  uint32_t word = 5;
  struct timespec to = {0, 10000000};
  long r = syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 5, &to, NULL, 0);
  printf("futex timeout: r=%ld etimedout=%d\n", r, errno == ETIMEDOUT);
  r = syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 6, &to, NULL, 0);
  printf("futex value changed: r=%ld eagain=%d\n", r, errno == EAGAIN);
  printf("tgkill bad tid: %ld esrch=%d\n", syscall(SYS_tgkill, getpid(), 999999, 0), errno == ESRCH);
  cpu_set_t set;
  CPU_ZERO(&set);
  printf("affinity: %d cpu0=%d\n", sched_getaffinity(0, sizeof set, &set), CPU_ISSET(0, &set));
  printf("yield: %d policy: %d\n", sched_yield(), sched_getscheduler(0));
  pthread_barrier_wait(&bar);
  pthread_exit(NULL);
}
