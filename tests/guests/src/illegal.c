/* illegal: executes an all-zero (illegal) instruction word; dies by SIGILL
 * (status 132). */
#include <stdio.h>

int main(void) {
  printf("about to execute an illegal instruction\n");
  fflush(stdout);
  __asm__ volatile(".4byte 0x00000000");
  printf("still alive?\n");
  return 0;
}
