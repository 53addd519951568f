#include <stdio.h>
#include <sys/auxv.h>
#include <sys/random.h>
#include <sys/utsname.h>
#include <time.h>
int main(void) {
  unsigned char *r = (unsigned char *)getauxval(AT_RANDOM);
  printf("AT_RANDOM:");
  for (int i = 0; i < 16; i++) printf(" %02x", r[i]);
  printf("\n");
  struct utsname u; uname(&u); printf("nodename=%s\n", u.nodename);
  return 0;
}
