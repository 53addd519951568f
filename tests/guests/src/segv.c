/* segv: writes through a NULL pointer; dies by SIGSEGV (status 139). */
#include <stdio.h>

int main(void) {
  printf("about to write to NULL\n");
  fflush(stdout);
  *(volatile int *)0 = 42;
  printf("still alive?\n");
  return 0;
}
