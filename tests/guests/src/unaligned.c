/* unaligned: misaligned scalar loads and stores of every width (integer and
 * FP, signed and unsigned), through packed structs and explicit instructions,
 * including accesses that straddle a page boundary. Exit status 0. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

struct __attribute__((packed)) rec {
  uint8_t tag;
  uint16_t h;
  uint32_t w;
  uint64_t d;
  float f;
  double g;
  int16_t sh;
  int32_t sw;
};

static uint64_t hash = 1469598103934665603ULL;
static void mix(uint64_t x) { hash = (hash ^ x) * 1099511628211ULL; }

#define LOAD(insn, T, addr) ({ T _v; __asm__ volatile(insn " %0, 0(%1)" : "=r"(_v) : "r"(addr) : "memory"); _v; })
#define STORE(insn, v, addr) __asm__ volatile(insn " %0, 0(%1)" : : "r"(v), "r"(addr) : "memory")

static void probe(unsigned char *base, const char *where) {
  for (int off = 0; off < 8; off++) {
    unsigned char *p = base + off;
    int64_t lb = LOAD("lb", int64_t, p), lh = LOAD("lh", int64_t, p), lw = LOAD("lw", int64_t, p);
    uint64_t lbu = LOAD("lbu", uint64_t, p), lhu = LOAD("lhu", uint64_t, p),
             lwu = LOAD("lwu", uint64_t, p), ld = LOAD("ld", uint64_t, p);
    printf("%s+%d: lb %lld lh %lld lw %lld lbu %llu lhu %llu lwu %llu ld %016llx\n", where, off,
           (long long)lb, (long long)lh, (long long)lw, (unsigned long long)lbu,
           (unsigned long long)lhu, (unsigned long long)lwu, (unsigned long long)ld);
    double d; float f;
    __asm__ volatile("fld %0, 0(%1)" : "=f"(d) : "r"(p) : "memory");
    __asm__ volatile("flw %0, 0(%1)" : "=f"(f) : "r"(p) : "memory");
    uint64_t db; uint32_t fb;
    memcpy(&db, &d, 8); memcpy(&fb, &f, 4);
    printf("%s+%d: fld bits %016llx flw bits %08x\n", where, off, (unsigned long long)db, fb);
  }
}

int main(void) {
  static unsigned char buf[64] __attribute__((aligned(16)));
  for (int i = 0; i < 64; i++) buf[i] = (unsigned char)(0x81 + i * 13);
  probe(buf, "buf");

  /* stores of each width at each offset */
  for (int off = 0; off < 8; off++) {
    memset(buf, 0, sizeof buf);
    unsigned char *p = buf + 8 + off;
    STORE("sd", 0x0102030405060708ULL, p);
    STORE("sw", 0xa1a2a3a4u, p + 9);
    STORE("sh", 0xb1b2u, p + 14);
    STORE("sb", 0xc1u, p + 17);
    double d = -1.5; float f = 3.25f;
    __asm__ volatile("fsd %0, 0(%1)" : : "f"(d), "r"(p + 19) : "memory");
    __asm__ volatile("fsw %0, 0(%1)" : : "f"(f), "r"(p + 28) : "memory");
    for (int i = 0; i < 48; i++) mix(buf[i]);
    printf("stores+%d: %02x%02x%02x%02x%02x%02x%02x%02x hash %016llx\n", off, buf[8 + off],
           buf[9 + off], buf[10 + off], buf[11 + off], buf[12 + off], buf[13 + off],
           buf[14 + off], buf[15 + off], (unsigned long long)hash);
  }

  /* packed struct fields (the compiler picks the instruction sequence) */
  static struct rec recs[3];
  volatile struct rec *vr = recs;
  for (int i = 0; i < 3; i++) {
    vr[i].tag = (uint8_t)i;
    vr[i].h = (uint16_t)(0xfff0 + i);
    vr[i].w = 0x89abcdefu + i;
    vr[i].d = 0xfedcba9876543210ULL + i;
    vr[i].f = 1.5f * (i + 1);
    vr[i].g = -2.25 * (i + 1);
    vr[i].sh = (int16_t)(-300 - i);
    vr[i].sw = -70000 - i;
  }
  for (int i = 0; i < 3; i++)
    printf("rec[%d] tag %u h %u w %x d %llx f %g g %g sh %d sw %d\n", i, vr[i].tag, vr[i].h, vr[i].w,
           (unsigned long long)vr[i].d, (double)vr[i].f, vr[i].g, vr[i].sh, vr[i].sw);
  printf("sizeof rec %zu\n", sizeof(struct rec));

  /* plain misaligned pointer casts through volatile */
  volatile uint64_t *q64 = (volatile uint64_t *)(buf + 3);
  volatile uint32_t *q32 = (volatile uint32_t *)(buf + 5);
  volatile uint16_t *q16 = (volatile uint16_t *)(buf + 7);
  *q64 = 0x1122334455667788ULL;
  *q32 = 0xdeadbeefu;
  *q16 = 0xcafe;
  printf("casts: %016llx %08x %04x\n", (unsigned long long)*q64, *q32, *q16);

  /* accesses that straddle a page boundary */
  unsigned char *pg = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (pg == MAP_FAILED) { printf("mmap failed\n"); return 1; }
  for (int i = 0; i < 8192; i++) pg[i] = (unsigned char)(i * 7 + 3);
  probe(pg + 4096 - 7, "page-7");
  STORE("sd", 0xa0b0c0d0e0f00102ULL, pg + 4093);
  printf("straddling sd: %02x %02x %02x | %02x %02x %02x %02x %02x\n", pg[4093], pg[4094],
         pg[4095], pg[4096], pg[4097], pg[4098], pg[4099], pg[4100]);
  printf("hash %016llx\n", (unsigned long long)hash);
  return 0;
}
