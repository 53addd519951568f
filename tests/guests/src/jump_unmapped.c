/* jump_unmapped: calls through a pointer to an unmapped address; the
 * instruction fetch faults and the guest dies by SIGSEGV (status 139). */
#include <stdint.h>
#include <stdio.h>

int main(void) {
  printf("about to jump to an unmapped address\n");
  fflush(stdout);
  volatile uintptr_t target = 0x5a5a0000;
  ((void (*)(void))target)();
  printf("still alive?\n");
  return 0;
}
