/* Lists synthetic directories and probes /dev/full and CPU counts, so
 * /proc, /sys and /dev can be compared between emulators. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    DIR *d = opendir(argv[i]);
    if (!d) {
      printf("%s: errno %d\n", argv[i], errno);
      continue;
    }
    struct dirent *e;
    printf("%s:", argv[i]);
    while ((e = readdir(d))) printf(" %s/%d", e->d_name, e->d_type);
    printf("\n");
    closedir(d);
  }
  int fd = open("/dev/full", O_WRONLY);
  errno = 0;
  printf("write /dev/full=%zd errno=%d\n", write(fd, "x", 1), errno);
  char b[4] = {1, 1, 1, 1};
  int r = open("/dev/full", O_RDONLY);
  printf("read /dev/full=%zd sum=%d\n", read(r, b, 4), b[0] + b[3]);
  printf("sysconf online=%ld conf=%ld\n", sysconf(_SC_NPROCESSORS_ONLN),
         sysconf(_SC_NPROCESSORS_CONF));
  char cmd[256] = {0};
  int c = open("/proc/self/cmdline", O_RDONLY);
  ssize_t n = read(c, cmd, sizeof cmd - 1);
  printf("cmdline bytes=%zd argv0-matches=%d\n", n, strcmp(cmd, argv[0]) == 0);
  return 0;
}
