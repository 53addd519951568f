/* Time- and randomness-dependent work: spins until 2 ms of monotonic time
 * pass, sleeps, then loops a random number of times. Its instruction count
 * repeats exactly only when time and randomness are fixed. */
#include <stdio.h>
#include <sys/random.h>
#include <time.h>

int main(void) {
  struct timespec a, b, nap = {0, 5000000};
  clock_gettime(CLOCK_MONOTONIC, &a);
  long spins = 0;
  do {
    clock_gettime(CLOCK_MONOTONIC, &b);
    spins++;
  } while ((b.tv_sec - a.tv_sec) * 1000000000L + (b.tv_nsec - a.tv_nsec) < 2000000L);
  nanosleep(&nap, NULL);
  unsigned r = 0;
  getrandom(&r, sizeof r, 0);
  volatile unsigned x = 0;
  for (unsigned i = 0; i < r % 100000; i++) x += i;
  FILE *f = fopen("/dev/urandom", "r");
  unsigned u = 0;
  if (f && fread(&u, sizeof u, 1, f) == 1) x += u % 7;
  printf("done %d\n", spins > 0);
  return 0;
}
