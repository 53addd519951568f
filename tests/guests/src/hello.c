/* hello: the smallest useful guest. Prints one line and exits 0. */
#include <stdio.h>

int main(void) {
  printf("Hello from RISC-V!\n");
  return 0;
}
