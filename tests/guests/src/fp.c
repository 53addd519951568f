/* fp: RV64FD arithmetic, rounding modes, exception flags, conversions and
 * classification. Build with -lm. Exit status 0. */
#include <fenv.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>

static volatile double dv[] = {0.0, -0.0, 1.0, -1.0, 0.1, 1.0 / 3.0, 2.5, -2.5, 3.5,
                               1e300, -1e300, DBL_MIN, DBL_MIN / 4, DBL_MAX, 9.3e18, -9.3e18,
                               1.8e19, 4294967296.5, -2147483649.0};
static volatile float fv[] = {0.0f, -0.0f, 1.0f, 0.1f, 1.0f / 3.0f, FLT_MAX, FLT_MIN, 2.5f, -2.5f};
#define ND (int)(sizeof dv / sizeof dv[0])
#define NF (int)(sizeof fv / sizeof fv[0])

static void flags(const char *what) {
  int f = fetestexcept(FE_ALL_EXCEPT);
  printf("%-14s flags:%s%s%s%s%s%s\n", what, f & FE_INVALID ? " invalid" : "",
         f & FE_DIVBYZERO ? " divbyzero" : "", f & FE_OVERFLOW ? " overflow" : "",
         f & FE_UNDERFLOW ? " underflow" : "", f & FE_INEXACT ? " inexact" : "",
         f ? "" : " none");
}

static const char *cls(double x) {
  switch (fpclassify(x)) {
    case FP_NAN: return "nan";
    case FP_INFINITE: return "inf";
    case FP_ZERO: return "zero";
    case FP_SUBNORMAL: return "subnormal";
    case FP_NORMAL: return "normal";
  }
  return "?";
}

/* NaN payloads differ between hosts; print NaNs canonically. */
static void pd(const char *label, double x) {
  if (isnan(x)) printf("%s: nan(sign=%d)\n", label, signbit(x) ? 1 : 0);
  else printf("%s: %a %.17g\n", label, x, x);
}
static void pf(const char *label, float x) {
  if (isnan(x)) printf("%s: nanf(sign=%d)\n", label, signbit(x) ? 1 : 0);
  else printf("%s: %a %.9g\n", label, (double)x, (double)x);
}

static uint64_t bits(double x) { union { double d; uint64_t u; } c = {x}; return c.u; }
static uint32_t fbits(float x) { union { float f; uint32_t u; } c = {x}; return c.u; }

int main(void) {
  volatile double one = 1.0, three = 3.0, zero = 0.0, negone = -1.0;
  volatile double nan_ = NAN;

  /* arithmetic over pairs */
  for (int i = 0; i < ND; i += 3) {
    for (int j = 1; j < ND; j += 4) {
      double a = dv[i], b = dv[j];
      printf("d[%d,%d] + %a * %a / %a - %a\n", i, j, a + b, a * b, a / b, a - b);
    }
  }
  for (int i = 0; i < NF; i++) {
    float a = fv[i], b = fv[(i + 3) % NF];
    printf("f[%d] + %a * %a / %a sqrt %a\n", i, (double)(a + b), (double)(a * b),
           (double)(a / b), (double)sqrtf(fabsf(a)));
  }

  /* fused multiply-add: the single rounding is visible */
  volatile double fa = 0.1, fb = 10.0, fc = -1.0;
  pd("fma(0.1,10,-1)", fma(fa, fb, fc));
  pd("0.1*10-1", fa * fb + fc);
  volatile float ga = 0.1f, gb = 10.0f, gc = -1.0f;
  pf("fmaf(0.1,10,-1)", fmaf(ga, gb, gc));
  pd("fms", fma(fa, fb, -fc));
  pd("fnma", -fma(fa, fb, fc));
  pd("sqrt(2)", sqrt(2.0 * one));
  pf("sqrtf(2)", sqrtf(2.0f * (float)one));

  /* fmin/fmax with NaN and signed zero (RISC-V: -0 < +0, NaN ignored) */
  volatile double pz = 0.0, nz = -0.0;
  pd("fmin(nan,1)", fmin(nan_, one));
  pd("fmax(1,nan)", fmax(one, nan_));
  pd("fmin(nan,nan)", fmin(nan_, nan_));
  pd("fmin(0,-0)", fmin(pz, nz));
  pd("fmax(-0,0)", fmax(nz, pz));
  pf("fminf(-0,0)", fminf((float)nz, (float)pz));
  printf("copysign: %a %a\n", copysign(3.0 * one, nz), copysign(3.0 * one, negone));
  printf("bits of -0: %016llx, 1/3f: %08x\n", (unsigned long long)bits(nz),
         (unsigned)fbits((float)(one / three)));

  /* conversions, with saturating cases (RISC-V saturates; C says UB, so use asm) */
  for (int i = 0; i < ND; i++) {
    double x = dv[i];
    int64_t l; uint64_t lu; int64_t w; int64_t wu;
    __asm__ volatile("fcvt.l.d %0, %1, rtz" : "=r"(l) : "f"(x));
    __asm__ volatile("fcvt.lu.d %0, %1, rtz" : "=r"(lu) : "f"(x));
    __asm__ volatile("fcvt.w.d %0, %1, rtz" : "=r"(w) : "f"(x));
    __asm__ volatile("fcvt.wu.d %0, %1, rtz" : "=r"(wu) : "f"(x));
    printf("cvt %a -> l %lld lu %llu w %lld wu %lld\n", x, (long long)l,
           (unsigned long long)lu, (long long)w, (long long)wu);
  }
  {
    int64_t l, lu, w;
    double inf = one / zero;
    __asm__ volatile("fcvt.l.d %0, %1, rtz" : "=r"(l) : "f"((double)nan_));
    __asm__ volatile("fcvt.lu.d %0, %1, rtz" : "=r"(lu) : "f"((double)nan_));
    __asm__ volatile("fcvt.w.d %0, %1, rtz" : "=r"(w) : "f"(-inf));
    printf("cvt nan -> l %lld lu %llx; -inf -> w %lld\n", (long long)l,
           (unsigned long long)lu, (long long)w);
  }
  volatile int64_t i64s[] = {0, 1, -1, INT64_MAX, INT64_MIN, 9007199254740993LL};
  volatile uint64_t u64s[] = {0, UINT64_MAX, 0x8000000000000001ULL};
  for (int i = 0; i < 6; i++) printf("i64 %lld -> %a %a\n", (long long)i64s[i], (double)i64s[i], (double)(float)i64s[i]);
  for (int i = 0; i < 3; i++) printf("u64 %llu -> %a\n", (unsigned long long)u64s[i], (double)u64s[i]);
  volatile int32_t i32 = INT32_MIN;
  printf("i32 %d -> %a\n", i32, (double)i32);
  printf("float<->double: %a %a\n", (double)(float)dv[5], (double)fv[4]);

  /* rounding modes */
  static const struct { int mode; const char *name; } modes[] = {
      {FE_TONEAREST, "nearest"}, {FE_DOWNWARD, "down"}, {FE_UPWARD, "up"}, {FE_TOWARDZERO, "zero"}};
  for (int m = 0; m < 4; m++) {
    fesetround(modes[m].mode);
    volatile double third = one / three, nthird = negone / three;
    volatile float fthird = (float)one / (float)three;
    printf("round %-7s get=%d 1/3=%a -1/3=%a f=%a rint(2.5)=%g rint(-2.5)=%g lrint(3.5)=%ld\n",
           modes[m].name, fegetround() == modes[m].mode, third, nthird, (double)fthird,
           rint(2.5 * one), rint(-2.5 * one), lrint(3.5 * one));
  }
  fesetround(FE_TONEAREST);

  /* exception flags */
  volatile double r;
  feclearexcept(FE_ALL_EXCEPT); flags("clear");
  r = one / three; flags("1/3");
  feclearexcept(FE_ALL_EXCEPT); r = one / zero; flags("1/0"); pd("1/0", r);
  feclearexcept(FE_ALL_EXCEPT); r = sqrt(negone); flags("sqrt(-1)"); pd("sqrt(-1)", r);
  feclearexcept(FE_ALL_EXCEPT); r = dv[13] * 2.0; flags("DBL_MAX*2"); pd("DBL_MAX*2", r);
  feclearexcept(FE_ALL_EXCEPT); r = dv[11] / 3.0; flags("DBL_MIN/3"); pd("DBL_MIN/3", r);
  feclearexcept(FE_ALL_EXCEPT); r = zero / zero; flags("0/0"); pd("0/0", r);
  feclearexcept(FE_ALL_EXCEPT); r = one + one; flags("1+1"); pd("1+1", r);
  feclearexcept(FE_ALL_EXCEPT); {
    int c = nan_ < one; flags("nan<1"); printf("nan<1 = %d\n", c);
    feclearexcept(FE_ALL_EXCEPT); c = nan_ == one; flags("nan==1"); printf("nan==1 = %d\n", c);
  }
  feclearexcept(FE_ALL_EXCEPT);

  /* classification */
  volatile double cases[] = {0.0, -0.0, 1.0, DBL_MIN / 2, INFINITY, -INFINITY, NAN};
  for (int i = 0; i < 7; i++) {
    uint64_t c;
    __asm__ volatile("fclass.d %0, %1" : "=r"(c) : "f"((double)cases[i]));
    printf("class[%d] %s fclass=0x%03llx\n", i, cls(cases[i]), (unsigned long long)c);
  }
  printf("libm: %.17g %.17g %.17g %.17g\n", exp(one), log(three), sin(one), pow(three, 0.5));
  return 0;
}
