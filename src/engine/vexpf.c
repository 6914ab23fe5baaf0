/* expf with AVX-512F, eight values at a time (vexpf.h).
 *
 * The swish activation (x / (1 + e^-x) for every FFN value) and the attention softmax call
 * libm's expf once per value; on the default model that is a large share of the time. A faster
 * approximation would change the model's numbers, so this computes what glibc's expf (2.27 and
 * later: ARM's optimized-routines method) computes, in vectors: in double,
 *
 *   z = x · 32/ln 2;  k = z rounded to the nearest integer (adding 1.5·2^52);  r = z - k
 *   2^(k/32) = TAB[k mod 32] with k's multiple of 32 added to the exponent bits
 *   e^x = 2^(k/32) · (1 + C2 r + (C1 + C0 r) r²)
 *
 * rounded to float once. On CPUs with FMA (all that have AVX-512F) glibc runs its build of
 * that code with FMA contraction; fused the same way here (z never rounded: k and r are each
 * one fused multiply-add), it gives glibc 2.36's bits for every float in (-88, 88), all
 * 2,237,661,184 of them checked once (only how r is formed matters: unfused, 2 differ). Values at or beyond
 * ±88 and NaN, which glibc takes apart, go to libm's expf with the rest of their vector.
 * tests/unit/test_kernels.c checks a sample of them against vexpf_reference (the same method in
 * C) and, where the C library is glibc, against libm's expf. */
#include "vexpf.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#define INVLN2N (0x1.71547652b82fep+0 * 32)
#define SHIFT 0x1.8p+52
#define C0 (0x1.c6af84b912394p-5 / 32 / 32 / 32)
#define C1 (0x1.ebfce50fac4f3p-3 / 32 / 32)
#define C2 (0x1.62e42ff0c52d6p-1 / 32)

/* The bits of the double nearest 2^(i/32), less i << 47, so that adding k << 47 for any k
 * with k mod 32 = i gives 2^(k/32) (exp2l rounded to double, checked against glibc's
 * expf through the tests). */
static const uint64_t TAB[32] = {
    0x3ff0000000000000, 0x3fefd9b0d3158574, 0x3fefb5586cf9890f, 0x3fef9301d0125b51,
    0x3fef72b83c7d517b, 0x3fef54873168b9aa, 0x3fef387a6e756238, 0x3fef1e9df51fdee1,
    0x3fef06fe0a31b715, 0x3feef1a7373aa9cb, 0x3feedea64c123422, 0x3feece086061892d,
    0x3feebfdad5362a27, 0x3feeb42b569d4f82, 0x3feeab07dd485429, 0x3feea47eb03a5585,
    0x3feea09e667f3bcd, 0x3fee9f75e8ec5f74, 0x3feea11473eb0187, 0x3feea589994cce13,
    0x3feeace5422aa0db, 0x3feeb737b0cdc5e5, 0x3feec49182a3f090, 0x3feed503b23e255d,
    0x3feee89f995ad3ad, 0x3feeff76f2fb5e47, 0x3fef199bdd85529c, 0x3fef3720dcef9069,
    0x3fef5818dcfba487, 0x3fef7c97337b9b5f, 0x3fefa4afa2a490da, 0x3fefd0765b6e4540,
};

float vexpf_reference(float x) {
    if (!(fabsf(x) < 88.0f)) return expf(x);
    double xd = (double)x, kd = fma(INVLN2N, xd, SHIFT), r, s, y;
    uint64_t ki, t;
    memcpy(&ki, &kd, sizeof ki);
    kd -= SHIFT;
    r = fma(INVLN2N, xd, -kd);
    t = TAB[ki % 32] + (ki << 47);
    memcpy(&s, &t, sizeof s);
    y = fma(fma(C0, r, C1), r * r, fma(C2, r, 1.0));
    return (float)(y * s);
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

#define VEXP __attribute__((target("avx512f,avx2,fma")))

int vexpf_built(void) { return 1; }

/* e^x for 8 floats with |x| < 88. */
VEXP static inline __m256 exp8(__m256 x) {
    const __m512i *tab = (const __m512i *)(const void *)TAB;
    __m512d xd = _mm512_cvtps_pd(x), c = _mm512_set1_pd(INVLN2N);
    __m512d kd = _mm512_fmadd_pd(c, xd, _mm512_set1_pd(SHIFT));
    __m512i ki = _mm512_castpd_si512(kd);
    __m512d r = _mm512_fmsub_pd(c, xd, _mm512_sub_pd(kd, _mm512_set1_pd(SHIFT)));
    /* TAB[ki mod 32]: entries 0-15 and 16-31 by two-register permutes, bit 4 picks one. */
    __m512i lo =
        _mm512_permutex2var_epi64(_mm512_loadu_si512(tab), ki, _mm512_loadu_si512(tab + 1));
    __m512i hi =
        _mm512_permutex2var_epi64(_mm512_loadu_si512(tab + 2), ki, _mm512_loadu_si512(tab + 3));
    __m512i t = _mm512_mask_blend_epi64(_mm512_test_epi64_mask(ki, _mm512_set1_epi64(16)), lo, hi);
    __m512d s = _mm512_castsi512_pd(_mm512_add_epi64(t, _mm512_slli_epi64(ki, 47)));
    __m512d y = _mm512_fmadd_pd(_mm512_fmadd_pd(_mm512_set1_pd(C0), r, _mm512_set1_pd(C1)),
                                _mm512_mul_pd(r, r),
                                _mm512_fmadd_pd(_mm512_set1_pd(C2), r, _mm512_set1_pd(1.0)));
    return _mm512_cvtpd_ps(_mm512_mul_pd(y, s));
}

/* Lanes that glibc takes apart: |x| ≥ 88 or NaN. */
VEXP static inline int outside(__m256 x) {
    __m256 a = _mm256_andnot_ps(_mm256_set1_ps(-0.0f), x);
    return _mm256_movemask_ps(_mm256_cmp_ps(a, _mm256_set1_ps(88.0f), _CMP_NLT_UQ));
}

VEXP void vexpf_swish(float *x, size_t n) {
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256 v = _mm256_loadu_ps(x + i);
        if (outside(v)) {
            for (size_t j = i; j < i + 8; j++) x[j] = x[j] / (1.0f + expf(-x[j]));
            continue;
        }
        __m256 e = exp8(_mm256_sub_ps(_mm256_setzero_ps(), v));
        _mm256_storeu_ps(x + i, _mm256_div_ps(v, _mm256_add_ps(_mm256_set1_ps(1.0f), e)));
    }
    for (; i < n; i++) x[i] = x[i] / (1.0f + expf(-x[i]));
}

VEXP void vexpf_shifted(float *x, int n, float max) {
    int i = 0;
    __m256 vmax = _mm256_set1_ps(max), ninf = _mm256_set1_ps(-INFINITY);
    for (; i + 8 <= n; i += 8) {
        __m256 v = _mm256_loadu_ps(x + i), d = _mm256_sub_ps(v, vmax);
        __m256 masked = _mm256_cmp_ps(v, ninf, _CMP_EQ_OQ);
        if (outside(_mm256_blendv_ps(d, _mm256_setzero_ps(), masked))) {
            for (int j = i; j < i + 8; j++) x[j] = x[j] == -INFINITY ? 0.0f : expf(x[j] - max);
            continue;
        }
        _mm256_storeu_ps(x + i, _mm256_andnot_ps(masked, exp8(d)));
    }
    for (; i < n; i++) x[i] = x[i] == -INFINITY ? 0.0f : expf(x[i] - max);
}
#else
int vexpf_built(void) { return 0; }
void vexpf_swish(float *x, size_t n) {
    for (size_t i = 0; i < n; i++) x[i] = x[i] / (1.0f + expf(-x[i]));
}
void vexpf_shifted(float *x, int n, float max) {
    for (int i = 0; i < n; i++) x[i] = x[i] == -INFINITY ? 0.0f : expf(x[i] - max);
}
#endif
