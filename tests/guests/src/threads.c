#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/syscall.h>

#define N 4
#define ITERS 20000
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static long counter;
static int ready;
static __thread int tls_value;

static void *worker(void *arg) {
  long id = (long)arg;
  tls_value = (int)id * 10;
  for (int i = 0; i < ITERS; i++) {
    pthread_mutex_lock(&lock);
    counter++;
    pthread_mutex_unlock(&lock);
  }
  pthread_mutex_lock(&lock);
  ready++;
  pthread_cond_broadcast(&cond);
  pthread_mutex_unlock(&lock);
  if (syscall(SYS_gettid) == getpid()) return (void *)-1;
  return (void *)(long)(tls_value + 1);
}

int main(void) {
  pthread_t t[N];
  for (long i = 0; i < N; i++) {
    if (pthread_create(&t[i], NULL, worker, (void *)i) != 0) {
      printf("create failed\n");
      return 1;
    }
  }
  pthread_mutex_lock(&lock);
  while (ready < N) pthread_cond_wait(&cond, &lock);
  pthread_mutex_unlock(&lock);
  long sum = 0;
  for (int i = 0; i < N; i++) {
    void *r;
    pthread_join(t[i], &r);
    sum += (long)r;
  }
  printf("counter=%ld sum=%ld main_tls=%d\n", counter, sum, tls_value);
  return 0;
}
