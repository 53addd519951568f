/* What a hostile guest cannot do to the host: fork without end (fork
 * gives EAGAIN at Pandeno's process limit), or wait forever (a deadlock is
 * reported and ends the run instead of hanging). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  if (argc > 1 && strcmp(argv[1], "deadlock") == 0) {
    int p[2];
    pipe(p);
    char c;
    printf("reading a pipe only I can write\n");
    read(p[0], &c, 1);
    printf("unreachable\n");
    return 0;
  }
  static pid_t kids[100000];
  int n = 0;
  for (;;) {
    pid_t pid = fork();
    if (pid < 0) {
      printf("fork failed after %d children: %s\n", n, strerror(errno));
      break;
    }
    if (pid == 0) {
      pause();
      _exit(0);
    }
    kids[n++] = pid;
  }
  for (int i = 0; i < n; i++) kill(kids[i], SIGKILL);
  int reaped = 0, st;
  while (wait(&st) > 0) reaped += WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL;
  printf("reaped %d\n", reaped);
  pid_t pid = fork();
  if (pid == 0) _exit(3);
  waitpid(pid, &st, 0);
  printf("fork again: status %d\n", WEXITSTATUS(st));
  return 0;
}
