/* A tiny shell's plumbing: `gen 5 | upper | count`, then $(gen 3) command
 * substitution, each stage a forked child connected by pipes. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

static void gen(int n) {
  for (int i = 1; i <= n; i++) printf("line %d of %d\n", i, n);
}

static void upper(void) {
  int c;
  while ((c = getchar()) != EOF) putchar(toupper(c));
}

static void count(void) {
  int lines = 0, bytes = 0, c;
  while ((c = getchar()) != EOF) {
    bytes++;
    if (c == '\n') lines++;
  }
  printf("%d lines, %d bytes\n", lines, bytes);
}

typedef void (*stage_fn)(void);
static int gen_n;
static void gen_stage(void) { gen(gen_n); }

/* Runs stages[0] | stages[1] | ... with the last writing to `out`. */
static int run_pipeline(stage_fn *stages, int n, int out) {
  pid_t pids[8];
  int in = -1;
  for (int i = 0; i < n; i++) {
    int p[2] = {-1, -1};
    if (i < n - 1 && pipe(p) != 0) return -1;
    pids[i] = fork();
    if (pids[i] == 0) {
      if (in >= 0) { dup2(in, 0); close(in); }
      if (i < n - 1) { dup2(p[1], 1); close(p[0]); close(p[1]); }
      else if (out != 1) { dup2(out, 1); close(out); }
      stages[i]();
      fflush(stdout);
      _exit(i);
    }
    if (in >= 0) close(in);
    if (i < n - 1) { close(p[1]); in = p[0]; }
  }
  int codes = 0;
  for (int i = 0; i < n; i++) {
    int st;
    if (waitpid(pids[i], &st, 0) != pids[i]) return -1;
    codes = codes * 10 + WEXITSTATUS(st);
  }
  return codes;
}

/* $(stage): the child's stdout, trailing newlines removed. */
static char *subst(stage_fn f) {
  int p[2];
  if (pipe(p) != 0) return NULL;
  pid_t pid = fork();
  if (pid == 0) {
    close(p[0]);
    dup2(p[1], 1);
    close(p[1]);
    f();
    fflush(stdout);
    _exit(0);
  }
  close(p[1]);
  static char buf[4096];
  size_t len = 0;
  ssize_t r;
  while ((r = read(p[0], buf + len, sizeof buf - 1 - len)) > 0) len += r;
  close(p[0]);
  waitpid(pid, NULL, 0);
  while (len > 0 && buf[len - 1] == '\n') len--;
  buf[len] = 0;
  return buf;
}

int main(void) {
  setvbuf(stdout, NULL, _IOFBF, 0);
  gen_n = 5;
  stage_fn three[] = {gen_stage, upper, count};
  printf("[gen 5 | upper | count]\n");
  fflush(stdout);
  int codes = run_pipeline(three, 3, 1);
  printf("statuses %03d\n", codes);
  stage_fn two[] = {gen_stage, upper};
  gen_n = 2;
  printf("[gen 2 | upper]\n");
  fflush(stdout);
  run_pipeline(two, 2, 1);
  gen_n = 3;
  char *s = subst(gen_stage);
  printf("subst=[%s]\n", s);
  /* A big transfer through a pipe: more than one pipe buffer. */
  gen_n = 20000;
  stage_fn big[] = {gen_stage, count};
  printf("[gen 20000 | count]\n");
  fflush(stdout);
  run_pipeline(big, 2, 1);
  return 0;
}
