/*
 * Red-team guest: creates um_probe.txt with mode 0666, prints the mode the
 * file got (0644 under the usual umask 022), removes it. No libc: build with
 *   riscv64-linux-gnu-gcc -O2 -static -nostdlib -fno-builtin -o umask_probe.elf umask_probe.c
 */
static long sys(long n, long a, long b, long c, long d) {
  register long a7 __asm__("a7") = n;
  register long a0 __asm__("a0") = a;
  register long a1 __asm__("a1") = b;
  register long a2 __asm__("a2") = c;
  register long a3 __asm__("a3") = d;
  __asm__ volatile("ecall"
                   : "+r"(a0)
                   : "r"(a7), "r"(a1), "r"(a2), "r"(a3)
                   : "memory");
  return a0;
}

#define AT_FDCWD -100
#define NR_unlinkat 35
#define NR_openat 56
#define NR_close 57
#define NR_write 64
#define NR_fstat 80
#define NR_exit 93

void _start(void) {
  unsigned long st[16];
  char out[12] = "mode=000\n";
  sys(NR_unlinkat, AT_FDCWD, (long)"um_probe.txt", 0, 0);
  long fd = sys(NR_openat, AT_FDCWD, (long)"um_probe.txt", 0101 /* O_WRONLY|O_CREAT */, 0666);
  if (fd < 0 || sys(NR_fstat, fd, (long)st, 0, 0) < 0) sys(NR_exit, 1, 0, 0, 0);
  unsigned mode = ((unsigned *)st)[4] & 0777; /* st_mode: after dev(8) ino(8) */
  out[5] = '0' + ((mode >> 6) & 7);
  out[6] = '0' + ((mode >> 3) & 7);
  out[7] = '0' + (mode & 7);
  sys(NR_write, 1, (long)out, 9, 0);
  sys(NR_close, fd, 0, 0, 0);
  sys(NR_unlinkat, AT_FDCWD, (long)"um_probe.txt", 0, 0);
  sys(NR_exit, 0, 0, 0, 0);
}
