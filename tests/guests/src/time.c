/* time: clocks and sleeping. Prints only ok/FAIL lines, never times.
 * Exit status 0 when every check passed. */
#include <stdio.h>
#include <sys/time.h>
#include <time.h>

static int failures = 0;
static void check(const char *what, int ok) {
  printf("%s %s\n", what, ok ? "ok" : "FAIL");
  failures += !ok;
}

static long long ns(struct timespec t) { return (long long)t.tv_sec * 1000000000LL + t.tv_nsec; }

int main(void) {
  struct timespec a, b;
  int mono = 1;
  clock_gettime(CLOCK_MONOTONIC, &a);
  for (int i = 0; i < 1000; i++) {
    clock_gettime(CLOCK_MONOTONIC, &b);
    if (ns(b) < ns(a) || b.tv_nsec < 0 || b.tv_nsec >= 1000000000L) mono = 0;
    a = b;
  }
  check("monotonic", mono);

  struct timespec t0, t1, req = {0, 10 * 1000 * 1000};
  clock_gettime(CLOCK_MONOTONIC, &t0);
  int rc = nanosleep(&req, NULL);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  check("nanosleep returns 0", rc == 0);
  check("nanosleep 10ms elapsed", ns(t1) - ns(t0) >= 10000000LL);
  check("nanosleep under 5s", ns(t1) - ns(t0) < 5000000000LL);

  struct timespec req2 = {0, 2 * 1000 * 1000};
  clock_gettime(CLOCK_MONOTONIC, &t0);
  rc = clock_nanosleep(CLOCK_MONOTONIC, 0, &req2, NULL);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  check("clock_nanosleep 2ms", rc == 0 && ns(t1) - ns(t0) >= 2000000LL);

  struct timeval tv;
  check("gettimeofday", gettimeofday(&tv, NULL) == 0 && tv.tv_sec > 1600000000L && tv.tv_usec >= 0 &&
                            tv.tv_usec < 1000000L);
  struct timespec rt;
  clock_gettime(CLOCK_REALTIME, &rt);
  check("realtime agrees with gettimeofday", rt.tv_sec - tv.tv_sec >= 0 && rt.tv_sec - tv.tv_sec < 5);
  time_t now = time(NULL);
  check("time() > 1.6e9", now > 1600000000L);
  struct timespec res;
  check("clock_getres monotonic", clock_getres(CLOCK_MONOTONIC, &res) == 0 && res.tv_sec == 0 &&
                                      res.tv_nsec > 0 && res.tv_nsec <= 1000000);
  struct timespec cpu;
  check("process cputime", clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu) == 0 && ns(cpu) >= 0);
  printf("failures: %d\n", failures);
  return failures != 0;
}
