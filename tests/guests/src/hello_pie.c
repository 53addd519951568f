/* hello_pie: a static PIE (ET_DYN, no interpreter) that relocates itself.
 * Debian's riscv64 glibc ships no rcrt1.o, so this guest has no libc: _start
 * applies its own R_RISCV_RELATIVE relocations from _DYNAMIC, then prints
 * through a table of pointers that only works once relocated. Exit status 0,
 * or 1 if the relocations were missing. */
#include <elf.h>
#include <stddef.h>
#include <stdint.h>

extern const Elf64_Dyn _DYNAMIC[] __attribute__((visibility("hidden")));
extern const Elf64_Ehdr __ehdr_start __attribute__((visibility("hidden")));

static const char line1[] = "Hello from a static PIE!\n";
static const char line2[] = "relocated pointer table ok\n";
static const char *table[] = {line1, line2}; /* needs R_RISCV_RELATIVE */

/* Read a table slot at run time so the compiler cannot fold it to line1/2. */
static const char *slot(int i) { return *(const char *volatile *)&table[i]; }

static long sys3(long n, long a, long b, long c) {
  register long a0 __asm__("a0") = a, a1 __asm__("a1") = b, a2 __asm__("a2") = c;
  register long a7 __asm__("a7") = n;
  __asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a7) : "memory");
  return a0;
}

static size_t len(const char *s) {
  size_t n = 0;
  while (s[n]) n++;
  return n;
}

__attribute__((used, noreturn)) void start_c(void) {
  uintptr_t base = (uintptr_t)&__ehdr_start; /* pc-relative: the load address */
  const Elf64_Rela *rela = 0;
  size_t relasz = 0, count = 0;
  for (const Elf64_Dyn *d = _DYNAMIC; d->d_tag != DT_NULL; d++) {
    if (d->d_tag == DT_RELA) rela = (const Elf64_Rela *)(base + d->d_un.d_ptr);
    if (d->d_tag == DT_RELASZ) relasz = d->d_un.d_val;
  }
  for (size_t i = 0; rela && i < relasz / sizeof *rela; i++) {
    if (ELF64_R_TYPE(rela[i].r_info) == R_RISCV_RELATIVE) {
      *(uint64_t *)(base + rela[i].r_offset) = base + rela[i].r_addend;
      count++;
    }
  }
  int ok = slot(0) == line1 && slot(1) == line2;
  if (ok) {
    for (int i = 0; i < 2; i++) sys3(64, 1, (long)slot(i), (long)len(slot(i)));
  } else {
    sys3(64, 1, (long)"relocations missing\n", 20);
  }
  sys3(94, ok ? 0 : 1, 0, 0); /* exit_group */
  for (;;) {}
}

__asm__(".globl _start\n"
        "_start:\n"
        "  call start_c\n");
