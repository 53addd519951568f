/* fpe: raise(SIGFPE) with the default action; dies by SIGFPE (status 136).
 * RISC-V integer division never traps, so the signal is sent explicitly. */
#include <signal.h>
#include <stdio.h>

int main(void) {
  printf("about to raise SIGFPE\n");
  fflush(stdout);
  raise(SIGFPE);
  printf("still alive?\n");
  return 0;
}
