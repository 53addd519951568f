/* Timers and waiting for signals: alarm, setitimer/getitimer, POSIX
 * timers, pause, sigsuspend, sigtimedwait, sigqueue, nanosleep's EINTR,
 * and poll/select on pipes between processes. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/select.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t alarms, vt, usr1_value;
static void on_alrm(int s) { (void)s; alarms++; }
static void on_usr1(int s, siginfo_t *si, void *c) {
  (void)s; (void)c;
  usr1_value = si->si_value.sival_int;
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  signal(SIGALRM, on_alrm);
  /* alarm + pause */
  alarm(1);
  unsigned left = alarm(1);
  printf("alarm left %u\n", left);
  pause();
  printf("after pause alarms=%d\n", alarms);
  /* setitimer periodic: three expiries, then getitimer shows it armed */
  struct itimerval it = {{0, 20000}, {0, 20000}};
  setitimer(ITIMER_REAL, &it, NULL);
  while (alarms < 4) pause();
  struct itimerval cur;
  getitimer(ITIMER_REAL, &cur);
  printf("periodic alarms=%d interval=%ld armed=%d\n", alarms,
         (long)cur.it_interval.tv_usec, cur.it_value.tv_usec > 0 || cur.it_value.tv_sec > 0);
  memset(&it, 0, sizeof it);
  setitimer(ITIMER_REAL, &it, NULL);
  getitimer(ITIMER_REAL, &cur);
  printf("disarmed=%d\n", cur.it_value.tv_sec == 0 && cur.it_value.tv_usec == 0);
  /* a busy loop is interrupted by the alarm */
  int before = alarms;
  struct itimerval once = {{0, 0}, {0, 30000}};
  setitimer(ITIMER_REAL, &once, NULL);
  while (alarms == before) { }
  printf("busy loop interrupted=%d\n", alarms == before + 1);
  /* nanosleep interrupted: EINTR and a remaining time */
  setitimer(ITIMER_REAL, &once, NULL);
  struct timespec req = {5, 0}, rem = {0, 0};
  int r = nanosleep(&req, &rem);
  printf("nanosleep r=%d eintr=%d rem_ok=%d\n", r, errno == EINTR, rem.tv_sec >= 4 && rem.tv_sec <= 5);
  /* sigsuspend with SIGUSR1 blocked, woken by a POSIX timer carrying a value */
  struct sigaction sa = {0};
  sa.sa_sigaction = on_usr1;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGUSR1, &sa, NULL);
  sigset_t block, old, empty;
  sigemptyset(&block);
  sigaddset(&block, SIGUSR1);
  sigprocmask(SIG_BLOCK, &block, &old);
  struct sigevent sev = {0};
  sev.sigev_notify = SIGEV_SIGNAL;
  sev.sigev_signo = SIGUSR1;
  sev.sigev_value.sival_int = 1234;
  timer_t tid;
  if (timer_create(CLOCK_MONOTONIC, &sev, &tid) != 0) perror("timer_create");
  struct itimerspec its = {{0, 0}, {0, 10000000}};
  timer_settime(tid, 0, &its, NULL);
  sigemptyset(&empty);
  sigsuspend(&empty);
  printf("sigsuspend value=%d\n", usr1_value);
  /* sigtimedwait takes a queued signal without running the handler */
  union sigval sv = {.sival_int = 77};
  sigqueue(getpid(), SIGUSR1, sv);
  siginfo_t si;
  int got = sigtimedwait(&block, &si, NULL);
  printf("sigtimedwait sig=%d value=%d code_queue=%d\n", got, si.si_value.sival_int, si.si_code == SI_QUEUE);
  struct timespec short_wait = {0, 5000000};
  got = sigtimedwait(&block, &si, &short_wait);
  printf("sigtimedwait timeout=%d eagain=%d\n", got, errno == EAGAIN);
  timer_delete(tid);
  /* poll and select on pipes written by a child */
  int p[2];
  pipe(p);
  pid_t pid = fork();
  if (pid == 0) {
    struct timespec d = {0, 20000000};
    nanosleep(&d, NULL);
    write(p[1], "x", 1);
    _exit(0);
  }
  struct pollfd pf = {p[0], POLLIN, 0};
  int n = poll(&pf, 1, 0);
  printf("poll before: %d\n", n);
  n = poll(&pf, 1, 5000);
  printf("poll after: %d revents_in=%d\n", n, (pf.revents & POLLIN) != 0);
  char c;
  read(p[0], &c, 1);
  fd_set rs;
  FD_ZERO(&rs);
  FD_SET(p[0], &rs);
  struct timeval tv = {0, 10000};
  n = select(p[0] + 1, &rs, NULL, NULL, &tv);
  printf("select empty: %d\n", n);
  waitpid(pid, NULL, 0);
  close(p[1]);
  FD_SET(p[0], &rs);
  n = select(p[0] + 1, &rs, NULL, NULL, NULL);
  printf("select eof: %d set=%d\n", n, FD_ISSET(p[0], &rs));
  return 0;
}
