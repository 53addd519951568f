#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <signal.h>
#include <sys/wait.h>
#include <fcntl.h>

static volatile sig_atomic_t got_chld;
static void on_chld(int s) { (void)s; got_chld = 1; }

int main(void) {
  int fds[2];
  signal(SIGCHLD, on_chld);
  if (pipe(fds) != 0) return 1;
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) { perror("fork"); return 1; }
  if (pid == 0) {
    close(fds[0]);
    char buf[64];
    int n = snprintf(buf, sizeof buf, "child ppid_ok=%d\n", getppid() == parent);
    for (int i = 0; i < 3; i++) { write(fds[1], buf, n); usleep(1000); }
    close(fds[1]);
    _exit(7);
  }
  close(fds[1]);
  char buf[256];
  size_t total = 0;
  ssize_t n;
  while ((n = read(fds[0], buf + total, sizeof buf - 1 - total)) > 0) total += n;
  buf[total] = 0;
  fputs(buf, stdout);
  int st;
  pid_t w = waitpid(pid, &st, 0);
  printf("waited=%d exited=%d status=%d\n", w == pid, WIFEXITED(st), WEXITSTATUS(st));
  printf("sigchld=%d\n", got_chld);
  /* A second child killed by a signal. */
  pid = fork();
  if (pid == 0) { for (;;) pause(); }
  kill(pid, SIGTERM);
  waitpid(pid, &st, 0);
  printf("signaled=%d sig=%d\n", WIFSIGNALED(st), WTERMSIG(st));
  /* No children left. */
  printf("echild=%d\n", wait(&st) == -1);
  /* Shared offsets after fork. */
  int fd = open("fork_pipe.tmp", O_RDWR | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) { printf("no temporary file\n"); return 3; }
  unlink("fork_pipe.tmp");
  pid = fork();
  if (pid == 0) { write(fd, "abc", 3); _exit(0); }
  waitpid(pid, &st, 0);
  printf("offset=%ld\n", (long)lseek(fd, 0, SEEK_CUR));
  fflush(stdout);
  return 0;
}
