/* Reports what fds 0-2 are (fstat type, isatty, lseek) on stderr, after
 * writing a line to stdout, so runs with redirections can be compared. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *kind(mode_t m) {
  if (S_ISREG(m)) return "file";
  if (S_ISCHR(m)) return "chr";
  if (S_ISFIFO(m)) return "fifo";
  if (S_ISDIR(m)) return "dir";
  if (S_ISSOCK(m)) return "sock";
  return "other";
}

int main(void) {
  static const char line[] = "stdout line\n";
  write(1, line, sizeof line - 1);
  for (int fd = 0; fd < 3; fd++) {
    struct stat st;
    char buf[160];
    int n;
    if (fstat(fd, &st) != 0) {
      n = snprintf(buf, sizeof buf, "fd %d: fstat errno %d\n", fd, errno);
    } else {
      errno = 0;
      int tty = isatty(fd);
      int tty_errno = errno;
      errno = 0;
      off_t at = lseek(fd, 0, SEEK_CUR);
      int seek_errno = errno;
      n = snprintf(buf, sizeof buf,
                   "fd %d: %s rdev=%lx tty=%d/%d lseek=%ld/%d\n", fd,
                   kind(st.st_mode), S_ISCHR(st.st_mode) ? (unsigned long)st.st_rdev : 0UL,
                   tty, tty_errno, (long)at, seek_errno);
    }
    write(2, buf, n);
  }
  return 0;
}
