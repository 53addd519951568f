/* Processes talking through MAP_SHARED anonymous memory and an AF_UNIX
 * socketpair: the child blocks in recv until the parent sends, and sees
 * the parent's stores to shared memory; the parent sees the child's. */
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  atomic_int *shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
                            MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  int sv[2];
  socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
  *shared = 1;
  pid_t pid = fork();
  if (pid == 0) {
    char buf[32] = {0};
    ssize_t n = recv(sv[1], buf, sizeof buf - 1, 0);
    printf("child got %zd [%s] shared=%d\n", n, buf, atomic_load(shared));
    atomic_fetch_add(shared, 100);
    send(sv[1], "ack", 3, 0);
    /* spin until the parent's store arrives through shared memory */
    while (atomic_load(shared) != 1000) { }
    _exit(0);
  }
  usleep(20000);
  *shared = 42;
  send(sv[0], "hello", 5, 0);
  char buf[8] = {0};
  recv(sv[0], buf, sizeof buf - 1, 0);
  printf("parent got [%s] shared=%d\n", buf, atomic_load(shared));
  atomic_store(shared, 1000);
  int st;
  waitpid(pid, &st, 0);
  printf("child exit %d\n", WEXITSTATUS(st));
  return 0;
}
