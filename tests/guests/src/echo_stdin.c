/* echo_stdin: copies stdin to stdout, then prints "N bytes" and exits 0.
 * No libc (raw system calls), so the binary stays a few KB; the plugin
 * sandbox tests use it to show a plugin cannot read the guest's input. */

static long sys3(long n, long a, long b, long c) {
  register long a0 __asm__("a0") = a, a1 __asm__("a1") = b, a2 __asm__("a2") = c;
  register long a7 __asm__("a7") = n;
  __asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a7) : "memory");
  return a0;
}

enum { SYS_read = 63, SYS_write = 64, SYS_exit = 93 };

void _start(void) {
  char buf[256];
  long total = 0, n;
  while ((n = sys3(SYS_read, 0, (long)buf, sizeof buf)) > 0) {
    sys3(SYS_write, 1, (long)buf, n);
    total += n;
  }
  char out[32];
  int i = sizeof out;
  const char tail[] = " bytes\n";
  for (int k = sizeof tail - 2; k >= 0; k--) out[--i] = tail[k];
  do {
    out[--i] = (char)('0' + total % 10);
    total /= 10;
  } while (total > 0);
  sys3(SYS_write, 1, (long)(out + i), (long)sizeof out - i);
  sys3(SYS_exit, n < 0 ? 1 : 0, 0, 0);
  for (;;) {
  }
}
