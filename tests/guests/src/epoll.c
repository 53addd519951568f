/* epoll over pipes, an eventfd and a timerfd, with a thread and a child
 * process producing events; blocking reads on eventfd and timerfd. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int efd;
static void *poster(void *arg) {
  (void)arg;
  struct timespec d = {0, 10000000};
  nanosleep(&d, NULL);
  uint64_t one = 1;
  write(efd, &one, 8);
  return NULL;
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  int ep = epoll_create1(EPOLL_CLOEXEC);
  int p[2];
  pipe(p);
  efd = eventfd(0, 0);
  int tfd = timerfd_create(CLOCK_MONOTONIC, 0);
  struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 100};
  epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev);
  ev.data.u64 = 200;
  epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev);
  ev.data.u64 = 300;
  epoll_ctl(ep, EPOLL_CTL_ADD, tfd, &ev);
  printf("add twice: %d\n", epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev));
  struct epoll_event out[4];
  printf("nothing yet: %d\n", epoll_wait(ep, out, 4, 0));
  pthread_t t;
  pthread_create(&t, NULL, poster, NULL);
  int n = epoll_wait(ep, out, 4, 5000);
  printf("thread: n=%d data=%llu\n", n, (unsigned long long)out[0].data.u64);
  uint64_t v;
  read(efd, &v, 8);
  printf("eventfd value %llu\n", (unsigned long long)v);
  pthread_join(t, NULL);
  pid_t pid = fork();
  if (pid == 0) {
    struct timespec d = {0, 10000000};
    nanosleep(&d, NULL);
    write(p[1], "hi", 2);
    _exit(0);
  }
  n = epoll_wait(ep, out, 4, 5000);
  printf("child: n=%d data=%llu\n", n, (unsigned long long)out[0].data.u64);
  char buf[8];
  printf("read %zd\n", read(p[0], buf, sizeof buf));
  waitpid(pid, NULL, 0);
  struct itimerspec its = {{0, 5000000}, {0, 5000000}};
  timerfd_settime(tfd, 0, &its, NULL);
  n = epoll_wait(ep, out, 4, 5000);
  printf("timer: n=%d data=%llu\n", n, (unsigned long long)out[0].data.u64);
  read(tfd, &v, 8);
  printf("ticks>=1: %d\n", v >= 1);
  read(tfd, &v, 8); /* blocks until the next expiry */
  printf("blocking timerfd read ticks>=1: %d\n", v >= 1);
  epoll_ctl(ep, EPOLL_CTL_DEL, tfd, NULL);
  close(p[1]);
  n = epoll_wait(ep, out, 4, 5000);
  printf("hangup: n=%d hup=%d\n", n, (out[0].events & EPOLLHUP) != 0);
  /* eventfd in semaphore mode */
  int sem = eventfd(3, EFD_SEMAPHORE);
  read(sem, &v, 8);
  printf("semaphore read %llu\n", (unsigned long long)v);
  return 0;
}
