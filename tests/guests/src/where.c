/* Prints where the guest runs (getcwd and $PWD) and writes a file by a
 * relative path, for the tests of running pandeno from the user's folder. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(void) {
  char buf[4096];
  const char *pwd = getenv("PWD");
  printf("cwd=%s\n", getcwd(buf, sizeof buf) ? buf : "(error)");
  printf("PWD=%s\n", pwd ? pwd : "(unset)");
  FILE *f = fopen("guest_wrote.txt", "w");
  if (!f) {
    perror("guest_wrote.txt");
    return 1;
  }
  fputs("written by the guest\n", f);
  return fclose(f) ? 1 : 0;
}
