/* files: file-system syscalls relative to the cwd. Creates, reads, renames,
 * truncates and removes a file (argv[1] or "pandeno_files_test.tmp"), lists a
 * subdirectory it creates, checks getcwd after chdir, and cleans up.
 * Exit status 0 when every step succeeded, 1 otherwise. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int failures = 0;
static void step(const char *what, int ok) {
  printf("%s: %s\n", what, ok ? "ok" : "FAIL");
  if (!ok) { failures++; printf("  errno=%d (%s)\n", errno, strerror(errno)); }
}
static void expect_errno(const char *what, int rc, int want) {
  int ok = rc == -1 && errno == want;
  printf("%s: %s\n", what, ok ? "ok" : "FAIL");
  if (!ok) { failures++; printf("  rc=%d errno=%d (%s)\n", rc, errno, strerror(errno)); }
}

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int main(int argc, char **argv) {
  const char *name = argc > 1 ? argv[1] : "pandeno_files_test.tmp";
  char renamed[256];
  snprintf(renamed, sizeof renamed, "%s.renamed", name);
  umask(022);

  int fd = open(name, O_CREAT | O_TRUNC | O_RDWR, 0644);
  step("open create", fd >= 0);
  const char msg[] = "0123456789abcdefghijklmnopqrstuvwxyz\n";
  step("write", write(fd, msg, sizeof msg - 1) == (ssize_t)(sizeof msg - 1));
  step("lseek end", lseek(fd, 0, SEEK_END) == (off_t)(sizeof msg - 1));
  step("lseek set", lseek(fd, 10, SEEK_SET) == 10);
  char buf[128] = {0};
  step("read", read(fd, buf, 5) == 5 && memcmp(buf, "abcde", 5) == 0);
  step("lseek cur", lseek(fd, -3, SEEK_CUR) == 12);
  step("pwrite", pwrite(fd, "XY", 2, 20) == 2);
  memset(buf, 0, sizeof buf);
  step("pread", pread(fd, buf, 6, 18) == 6 && memcmp(buf, "ijXYmn", 6) == 0);
  struct stat st;
  step("fstat", fstat(fd, &st) == 0);
  printf("  size=%lld regular=%d mode=%o\n", (long long)st.st_size, S_ISREG(st.st_mode),
         (unsigned)(st.st_mode & 0777));
  step("ftruncate shrink", ftruncate(fd, 7) == 0 && fstat(fd, &st) == 0 && st.st_size == 7);
  step("ftruncate grow", ftruncate(fd, 5000) == 0 && fstat(fd, &st) == 0 && st.st_size == 5000);
  memset(buf, 1, sizeof buf);
  step("read hole zeros", pread(fd, buf, 16, 100) == 16 && buf[0] == 0 && buf[15] == 0);
  step("read at eof", pread(fd, buf, 16, 5000) == 0);
  int fd2 = dup(fd);
  step("dup", fd2 > fd);
  step("close dup", close(fd2) == 0);
  step("close", close(fd) == 0);
  expect_errno("close again -> EBADF", close(fd), EBADF);
  expect_errno("open excl -> EEXIST", open(name, O_CREAT | O_EXCL | O_WRONLY, 0644), EEXIST);
  step("access", access(name, R_OK | W_OK) == 0);
  step("rename", rename(name, renamed) == 0);
  expect_errno("stat old name -> ENOENT", stat(name, &st), ENOENT);
  step("stat new name", stat(renamed, &st) == 0 && st.st_size == 5000);
  fd = open(renamed, O_RDONLY);
  memset(buf, 0, sizeof buf);
  step("reopen read", fd >= 0 && read(fd, buf, 64) == 64 && memcmp(buf, "0123456", 7) == 0);
  expect_errno("write to O_RDONLY -> EBADF", (int)write(fd, "x", 1), EBADF);
  close(fd);
  fd = open(renamed, O_WRONLY | O_APPEND);
  step("append", fd >= 0 && write(fd, "END", 3) == 3 && fstat(fd, &st) == 0 && st.st_size == 5003);
  close(fd);
  step("unlink", unlink(renamed) == 0);
  expect_errno("unlink again -> ENOENT", unlink(renamed), ENOENT);
  expect_errno("open missing -> ENOENT", open("no_such_file_here", O_RDONLY), ENOENT);

  /* a directory with a few entries, listed in sorted order */
  const char *dir = "pandeno_files_dir";
  step("mkdir", mkdir(dir, 0755) == 0);
  expect_errno("mkdir again -> EEXIST", mkdir(dir, 0755), EEXIST);
  const char *names[] = {"charlie", "alpha", "bravo.txt", "delta"};
  char path[512];
  for (int i = 0; i < 3; i++) {
    snprintf(path, sizeof path, "%s/%s", dir, names[i]);
    fd = open(path, O_CREAT | O_WRONLY, 0600);
    if (fd >= 0) { if (write(fd, names[i], strlen(names[i])) < 0) failures++; close(fd); }
    else failures++;
  }
  snprintf(path, sizeof path, "%s/%s", dir, names[3]);
  step("mkdir sub", mkdir(path, 0700) == 0);
  snprintf(path, sizeof path, "%s/link", dir);
  step("symlink relative", symlink("alpha", path) == 0);
  char target[64] = {0};
  step("readlink", readlink(path, target, sizeof target - 1) == 5 && strcmp(target, "alpha") == 0);
  DIR *d = opendir(dir);
  step("opendir", d != NULL);
  char *entries[32];
  int n = 0;
  struct dirent *e;
  while (d && (e = readdir(d)) != NULL && n < 32) entries[n++] = strdup(e->d_name);
  if (d) closedir(d);
  qsort(entries, n, sizeof entries[0], cmp);
  for (int i = 0; i < n; i++) {
    snprintf(path, sizeof path, "%s/%s", dir, entries[i]);
    lstat(path, &st);
    printf("  entry %s %s size=%lld\n", entries[i],
           S_ISDIR(st.st_mode) ? "dir" : S_ISLNK(st.st_mode) ? "link" : S_ISREG(st.st_mode) ? "file" : "other",
           S_ISREG(st.st_mode) ? (long long)st.st_size : 0LL);
    free(entries[i]);
  }
  expect_errno("rmdir non-empty -> ENOTEMPTY", rmdir(dir), ENOTEMPTY);

  /* getcwd follows chdir, relative paths resolve from the new cwd */
  char cwd0[4096], cwd1[4096];
  step("getcwd", getcwd(cwd0, sizeof cwd0) != NULL && cwd0[0] == '/');
  step("chdir sub", chdir(dir) == 0);
  step("getcwd after chdir", getcwd(cwd1, sizeof cwd1) != NULL &&
       strlen(cwd1) == strlen(cwd0) + 1 + strlen(dir) && strncmp(cwd1, cwd0, strlen(cwd0)) == 0 &&
       strcmp(cwd1 + strlen(cwd0) + (strcmp(cwd0, "/") != 0), dir) == 0);
  step("relative open", (fd = open("alpha", O_RDONLY)) >= 0 && read(fd, buf, 5) == 5 && memcmp(buf, "alpha", 5) == 0);
  close(fd);
  step("open via symlink", (fd = open("link", O_RDONLY)) >= 0);
  close(fd);
  step("chdir ..", chdir("..") == 0);
  step("getcwd back", getcwd(cwd1, sizeof cwd1) != NULL && strcmp(cwd0, cwd1) == 0);

  /* cleanup */
  for (int i = 0; i < 3; i++) {
    snprintf(path, sizeof path, "%s/%s", dir, names[i]);
    if (unlink(path) != 0) failures++;
  }
  snprintf(path, sizeof path, "%s/link", dir);
  if (unlink(path) != 0) failures++;
  snprintf(path, sizeof path, "%s/%s", dir, names[3]);
  if (rmdir(path) != 0) failures++;
  step("cleanup", rmdir(dir) == 0);
  printf("failures: %d\n", failures);
  return failures != 0;
}
