#define _GNU_SOURCE
/* A dynamically linked glibc program: ld.so from the -L sysroot loads
 * libc.so.6; checks the auxiliary vector the kernel gave the interpreter. */
#include <elf.h>
#include <link.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>

static int count;

static int each(struct dl_phdr_info *info, size_t size, void *data) {
  (void)size;
  (void)data;
  if (strstr(info->dlpi_name, "libc.so.6")) count++;
  return 0;
}

int main(int argc, char **argv) {
  unsigned long base = getauxval(AT_BASE), entry = getauxval(AT_ENTRY);
  const ElfW(Phdr) *ph = (const void *)getauxval(AT_PHDR);
  unsigned long phnum = getauxval(AT_PHNUM);
  int interp = 0;
  for (unsigned long i = 0; i < phnum; i++) interp |= ph[i].p_type == PT_INTERP;
  printf("hello from a dynamic program, argc=%d argv[1]=%s\n", argc,
         argc > 1 ? argv[1] : "(none)");
  printf("AT_BASE set: %s\n", base != 0 ? "yes" : "no");
  printf("AT_PHDR holds PT_INTERP: %s\n", interp ? "yes" : "no");
  printf("AT_ENTRY below main: %s\n",
         entry != 0 && entry < (unsigned long)main + 0x10000 ? "yes" : "no");
  dl_iterate_phdr(each, 0);
  printf("libc.so.6 loaded: %d\n", count);
  return 0;
}
