/* escape: a hostile guest that tries to reach host files outside the
 * directories Pandeno maps. One line per attempt: "ok" if it got through,
 * otherwise the errno name. NOT for qemu (there these attempts succeed).
 * Exit status: the number of attempts that got through (0 under a sandbox). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char *errno_name(int e) {
  switch (e) {
    case ENOENT: return "ENOENT";
    case EACCES: return "EACCES";
    case EPERM: return "EPERM";
    case EROFS: return "EROFS";
    case ENOTDIR: return "ENOTDIR";
    case ELOOP: return "ELOOP";
    case EXDEV: return "EXDEV";
    case ENOSYS: return "ENOSYS";
    case EINVAL: return "EINVAL";
    case EEXIST: return "EEXIST";
    case EBADF: return "EBADF";
    default: return "E?";
  }
}

static int escaped = 0;

static void try_open(const char *label, const char *path, int flags) {
  int fd = open(path, flags, 0644);
  if (fd >= 0) {
    char c;
    int got = (flags & O_ACCMODE) == O_RDONLY ? (int)read(fd, &c, 1) : (int)write(fd, "x\n", 2);
    printf("%s: ok (%s %d)\n", label, (flags & O_ACCMODE) == O_RDONLY ? "read" : "wrote", got);
    close(fd);
    escaped++;
  } else {
    printf("%s: %s\n", label, errno_name(errno));
  }
}

static void try_symlink(const char *label, const char *target, const char *link) {
  if (symlink(target, link) == 0) printf("%s: ok\n", label);
  else printf("%s: %s\n", label, errno_name(errno));
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  try_open("open /etc/passwd", "/etc/passwd", O_RDONLY);
  try_open("open ../../../../etc/passwd", "../../../../etc/passwd", O_RDONLY);
  try_open("open /proc/self/../../etc/passwd", "/proc/self/../../etc/passwd", O_RDONLY);
  try_open("openat AT_FDCWD /etc/hostname", "/etc/hostname", O_RDONLY);

  /* symlinks created inside the cwd that point outside it */
  try_symlink("symlink pandeno_escape_abs -> /etc", "/etc", "pandeno_escape_abs");
  try_open("open pandeno_escape_abs/passwd", "pandeno_escape_abs/passwd", O_RDONLY);
  try_symlink("symlink pandeno_escape_rel -> ../../../../etc", "../../../../etc", "pandeno_escape_rel");
  try_open("open pandeno_escape_rel/passwd", "pandeno_escape_rel/passwd", O_RDONLY);
  unlink("pandeno_escape_abs");
  unlink("pandeno_escape_rel");

  /* writing outside the sandbox */
  try_open("create /tmp/pandeno_escape_marker", "/tmp/pandeno_escape_marker",
           O_CREAT | O_WRONLY | O_TRUNC);

  /* climbing with chdir, then a relative path */
  for (int i = 0; i < 16; i++) {
    if (chdir("..") != 0) break;
  }
  try_open("chdir .. x16, open etc/passwd", "etc/passwd", O_RDONLY);
  printf("escaped: %d\n", escaped);
  return escaped;
}
