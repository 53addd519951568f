/* compute: the benchmark guest. A deterministic CoreMark-like mix (integer
 * hashing, int matrix multiply, linked-list walk, CRC-32, a small state
 * machine) repeated ITERATIONS times (argv[1], default ~300 M guest
 * instructions). Prints one checksum per kernel and a total. Built with
 * symbols so instrumentation can name the kernels. Exit status 0. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define DEFAULT_ITERATIONS 3660
#define MAT 16
#define LIST 512
#define TEXT 1024

struct node { struct node *next; uint32_t key; int32_t value; };

static struct node nodes[LIST];
static int32_t ma[MAT][MAT], mb[MAT][MAT], mc[MAT][MAT];
static uint8_t text[TEXT];
static uint32_t crc_table[256];

__attribute__((noinline)) static uint64_t kernel_hash(uint64_t seed, int rounds) {
  uint64_t h = seed ^ 0xcbf29ce484222325ULL;
  for (int i = 0; i < rounds; i++) {
    h ^= (uint64_t)i * 0x9e3779b97f4a7c15ULL;
    h = (h << 13 | h >> 51) * 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
  }
  return h;
}

__attribute__((noinline)) static uint32_t kernel_matrix(int32_t k) {
  for (int i = 0; i < MAT; i++)
    for (int j = 0; j < MAT; j++) {
      int32_t s = 0;
      for (int x = 0; x < MAT; x++) s += ma[i][x] * mb[x][j];
      mc[i][j] = s + k;
    }
  uint32_t sum = 0;
  for (int i = 0; i < MAT; i++)
    for (int j = 0; j < MAT; j++) sum = sum * 33 + (uint32_t)mc[i][j];
  ma[k & (MAT - 1)][(k >> 4) & (MAT - 1)] ^= (int32_t)sum & 0xff;
  return sum;
}

__attribute__((noinline)) static int64_t kernel_list(uint32_t find) {
  int64_t acc = 0;
  int found = 0;
  for (struct node *n = &nodes[0]; n; n = n->next) {
    if ((n->key & 0xff) == (find & 0xff)) { found++; acc += n->value; n->value = -n->value + 1; }
    else acc ^= n->key;
  }
  return acc * 31 + found;
}

__attribute__((noinline)) static uint32_t kernel_crc(uint32_t crc, const uint8_t *p, int n) {
  crc = ~crc;
  for (int i = 0; i < n; i++) crc = crc_table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
  return ~crc;
}

enum state { START, INT, FRAC, EXP, SIGN, INVALID };
__attribute__((noinline)) static uint32_t kernel_state(const uint8_t *p, int n) {
  enum state s = START;
  uint32_t counts[6] = {0};
  for (int i = 0; i < n; i++) {
    uint8_t c = p[i];
    switch (s) {
      case START: s = (c >= '0' && c <= '9') ? INT : (c == '+' || c == '-') ? SIGN : c == '.' ? FRAC : INVALID; break;
      case SIGN: s = (c >= '0' && c <= '9') ? INT : c == '.' ? FRAC : INVALID; break;
      case INT: s = (c >= '0' && c <= '9') ? INT : c == '.' ? FRAC : (c == 'e' || c == 'E') ? EXP : c == ',' ? START : INVALID; break;
      case FRAC: s = (c >= '0' && c <= '9') ? FRAC : (c == 'e' || c == 'E') ? EXP : c == ',' ? START : INVALID; break;
      case EXP: s = (c >= '0' && c <= '9') ? EXP : c == ',' ? START : INVALID; break;
      case INVALID: s = c == ',' ? START : INVALID; break;
    }
    counts[s]++;
  }
  return counts[0] ^ counts[1] << 4 ^ counts[2] << 8 ^ counts[3] << 12 ^ counts[4] << 16 ^ counts[5] << 20;
}

static void init(void) {
  uint32_t x = 2463534242u;
  for (int i = 0; i < MAT; i++)
    for (int j = 0; j < MAT; j++) {
      x ^= x << 13; x ^= x >> 17; x ^= x << 5;
      ma[i][j] = (int32_t)(x % 201) - 100;
      mb[j][i] = (int32_t)(x >> 8) % 97 - 48;
    }
  /* a list linked in a scrambled order */
  for (int i = 0; i < LIST; i++) {
    x ^= x << 13; x ^= x >> 17; x ^= x << 5;
    nodes[i].key = x;
    nodes[i].value = (int32_t)(x >> 16) - 32768;
  }
  for (int i = 0; i < LIST - 1; i++) nodes[(i * 37) % LIST].next = &nodes[((i + 1) * 37) % LIST];
  nodes[((LIST - 1) * 37) % LIST].next = NULL;
  static const char alphabet[] = "0123456789.,+-eE0123456789,,x";
  for (int i = 0; i < TEXT; i++) {
    x ^= x << 13; x ^= x >> 17; x ^= x << 5;
    text[i] = (uint8_t)alphabet[x % (sizeof alphabet - 1)];
  }
  for (uint32_t i = 0; i < 256; i++) {
    uint32_t c = i;
    for (int k = 0; k < 8; k++) c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
    crc_table[i] = c;
  }
}

int main(int argc, char **argv) {
  long iterations = argc > 1 ? strtol(argv[1], NULL, 10) : DEFAULT_ITERATIONS;
  if (iterations <= 0) { fprintf(stderr, "usage: compute [ITERATIONS>0]\n"); return 2; }
  init();
  uint64_t h = 0;
  uint32_t m = 0, c = 0, st = 0;
  int64_t l = 0;
  for (long it = 0; it < iterations; it++) {
    h = kernel_hash(h + (uint64_t)it, 2000);
    m ^= kernel_matrix((int32_t)it);
    l += kernel_list((uint32_t)h);
    c = kernel_crc(c, text, TEXT);
    st += kernel_state(text + (it & 63), TEXT - 64);
    text[it % TEXT] ^= (uint8_t)(h & 0x1);
  }
  printf("iterations %ld\n", iterations);
  printf("hash %016llx\nmatrix %08x\nlist %lld\ncrc %08x\nstate %08x\n", (unsigned long long)h, m,
         (long long)l, c, st);
  printf("checksum %016llx\n",
         (unsigned long long)(h ^ ((uint64_t)m << 32) ^ (uint64_t)l ^ c ^ ((uint64_t)st << 16)));
  return 0;
}
