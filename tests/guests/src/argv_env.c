/* argv_env: prints argc, every argv entry (argv[0] only as its last path
 * component), selected environment variables, and whether HOME is set. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv, char **envp) {
  printf("argc=%d\n", argc);
  const char *base = strrchr(argv[0], '/');
  printf("argv[0] basename=%s\n", base ? base + 1 : argv[0]);
  for (int i = 1; i < argc; i++) printf("argv[%d]=\"%s\" len=%zu\n", i, argv[i], strlen(argv[i]));
  printf("argv[argc] is NULL: %d\n", argv[argc] == NULL);
  const char *vars[] = {"PANDENO_TEST_VAR", "PANDENO_TEST_EMPTY", "PANDENO_TEST_UNSET"};
  for (int i = 0; i < 3; i++) {
    const char *v = getenv(vars[i]);
    if (v) printf("%s=\"%s\"\n", vars[i], v);
    else printf("%s is unset\n", vars[i]);
  }
  printf("HOME is %s\n", getenv("HOME") ? "set" : "unset");
  int n = 0, pandeno = 0;
  for (char **e = envp; *e; e++) { n++; if (strncmp(*e, "PANDENO_TEST_", 13) == 0) pandeno++; }
  printf("PANDENO_TEST_* entries: %d, environ has entries: %d\n", pandeno, n > 0);
  return argc > 1 ? 0 : 3;
}
