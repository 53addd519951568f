#define _GNU_SOURCE
/* execve: a forked child runs this program again in another role; a #!
 * script runs through its interpreter; close-on-exec fds are gone in the
 * new program; failed execs return the right errors to the caller. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

static int run(char *const argv[], int use_vfork) {
  pid_t pid = use_vfork ? vfork() : fork();
  if (pid == 0) {
    execv(argv[0], argv);
    _exit(127);
  }
  int st;
  waitpid(pid, &st, 0);
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "role") == 0) {
    printf("role argc=%d", argc);
    for (int i = 2; i < argc; i++) printf(" [%s]", argv[i]);
    printf(" fd9=%s\n", fcntl(9, F_GETFD) == -1 && errno == EBADF ? "closed" : "open");
    return 5;
  }
  if (argc > 2 && strcmp(argv[1], "script-arg") == 0) {
    /* Started through the #! line: argv[2] is the script path. */
    printf("script interp arg=[%s] script=%s extra=[%s]\n", argv[1],
           strstr(argv[2], "exec_test.sh") ? "ok" : argv[2], argc > 3 ? argv[3] : "");
    return 6;
  }
  int fds[2];
  pipe2(fds, O_CLOEXEC);
  dup2(fds[0], 9);  /* fd 9 without FD_CLOEXEC stays open... */
  fcntl(9, F_SETFD, FD_CLOEXEC);  /* ...until we ask for it. */
  char *a1[] = {argv[0], "role", "one", "two", NULL};
  printf("fork+exec status %d\n", (fflush(stdout), run(a1, 0)));
  char *a2[] = {argv[0], "role", "vfork", NULL};
  printf("vfork+exec status %d\n", (fflush(stdout), run(a2, 1)));
  int fd = open("exec_test.sh", O_WRONLY | O_CREAT | O_TRUNC, 0755);
  dprintf(fd, "#!%s script-arg\n", argv[0]);
  close(fd);
  char *a3[] = {"./exec_test.sh", "s1", NULL};
  printf("script status %d\n", (fflush(stdout), run(a3, 0)));
  char *a4[] = {"./no_such_program", NULL};
  execv(a4[0], a4);
  printf("missing: %s\n", strerror(errno));
  chmod("exec_test.sh", 0644);
  execv("./exec_test.sh", a3);
  printf("not executable: %s\n", strerror(errno));
  fd = open("exec_test.sh", O_WRONLY | O_TRUNC);
  write(fd, "plain text\n", 11);
  close(fd);
  chmod("exec_test.sh", 0755);
  execv("./exec_test.sh", a3);
  printf("no #!: %s\n", strerror(errno));
  unlink("exec_test.sh");
  char *a5[] = {argv[0], "role", "last", NULL};
  fflush(stdout);
  execv(argv[0], a5);
  return 1;
}
