/* The matrix kernels (kernel_tmpl.h) for each instruction set, and the choice per matrix at
 * load (ops_bind_kernel). Portable C (GCC/Clang vector extensions, 4 lanes: 16-byte vectors
 * pass in registers on every target) always; on x86-64, AVX2 with FMA and F16C, and AVX-512F,
 * when the CPU has them; with AVX-512 VNNI too, Q8_0 matrices take kernels_vnni.c's int8 kernel
 * (set 3; the other types keep the AVX-512F ones). Within one kernel set a row's result never depends on the batch or the thread
 * count; the sets differ from each other in rounding (lanes, FMA). */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "kernels_vnni.h"
#include "ops.h"

/* ---- portable ----------------------------------------------------------------------------- */
typedef float PortV __attribute__((vector_size(16)));

static inline PortV port_loadf(const float *p) {
    PortV v;
    memcpy(&v, p, sizeof v);
    return v;
}
static inline PortV port_loadh(const uint16_t *p) {
    PortV v;
    for (int i = 0; i < 4; i++) v[i] = ops_half_to_float(p[i]);
    return v;
}
static inline PortV port_loadq(const int8_t *p) {
    PortV v;
    for (int i = 0; i < 4; i++) v[i] = (float)p[i];
    return v;
}
static inline float port_hsum(PortV v) { return (v[0] + v[2]) + (v[1] + v[3]); }

#define KV PortV
#define KL 4
#define KOT 2
#define KRT 4
#define KZERO() ((PortV){0})
#define KLOADF(p) port_loadf(p)
#define KLOADH(p) port_loadh(p)
#define KLOADQ(p) port_loadq(p)
#define KSET1(s) ((PortV){0} + (s))
#define KFMA(a, b, c) ((a) * (b) + (c))
#define KMUL(a, b) ((a) * (b))
#define KHSUM(v) port_hsum(v)
#define KH2F(h) ops_half_to_float(h)
#define KFN(name) port_##name
#define KATTR
#include "kernel_tmpl.h"

/* ---- x86-64 AVX2 + FMA + F16C ------------------------------------------------------------- */
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define HAVE_X86_KERNELS 1
#include <cpuid.h>
#include <immintrin.h>

int ops_have_simd(void) {
    /* F16C from CPUID leaf 1 (ECX bit 29): clang 14's __builtin_cpu_supports has no "f16c". */
    unsigned a, b, c, d;
    __builtin_cpu_init();
    if (!(__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") &&
          __get_cpuid(1, &a, &b, &c, &d) && (c & bit_F16C)))
        return 0;
    if (!__builtin_cpu_supports("avx512f")) return 1;
    return vnni_available() ? 3 : 2;
}

#define SIMD __attribute__((target("avx2,fma,f16c")))

SIMD static inline float avx2_hsum(__m256 v) {
    __m128 q = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    q = _mm_add_ps(q, _mm_movehl_ps(q, q));
    q = _mm_add_ss(q, _mm_movehdup_ps(q));
    return _mm_cvtss_f32(q);
}

/* e^x for x ≤ 0, eight at a time: x = k·ln 2 + r (ln 2 in two parts, |r| ≤ ln 2 / 2), e^r by
 * Cephes' degree-7 polynomial (about 1 ulp), 2^k into the exponent bits; below -87 it is
 * taken as e^-87 (1.6e-38: nothing next to the maximum's 1). */
SIMD static inline __m256 exp8(__m256 x) {
    x = _mm256_max_ps(x, _mm256_set1_ps(-87.0f));
    __m256 k = _mm256_round_ps(_mm256_mul_ps(x, _mm256_set1_ps(1.44269504089f)),
                               _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m256 r = _mm256_fnmadd_ps(k, _mm256_set1_ps(0.693359375f), x);
    r = _mm256_fnmadd_ps(k, _mm256_set1_ps(-2.12194440e-4f), r);
    __m256 p = _mm256_set1_ps(1.9875691500e-4f);
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.3981999507e-3f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(8.3334519073e-3f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(4.1665795894e-2f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.6666665459e-1f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(5.0000001201e-1f));
    p = _mm256_fmadd_ps(p, _mm256_mul_ps(r, r), _mm256_add_ps(r, _mm256_set1_ps(1.0f)));
    __m256i e =
        _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(k), _mm256_set1_epi32(127)), 23);
    return _mm256_mul_ps(p, _mm256_castsi256_ps(e));
}

/* log Σ e^x over n finite values. */
SIMD static float log_sum_exp_simd(const float *x, int n) {
    __m256 m8 = _mm256_set1_ps(-INFINITY);
    int i = 0;
    for (; i + 8 <= n; i += 8) m8 = _mm256_max_ps(m8, _mm256_loadu_ps(x + i));
    float m[8], max = -INFINITY;
    _mm256_storeu_ps(m, m8);
    for (int k = 0; k < 8; k++) max = m[k] > max ? m[k] : max;
    for (int k = i; k < n; k++) max = x[k] > max ? x[k] : max;
    __m256 vmax = _mm256_set1_ps(max), s8 = _mm256_setzero_ps();
    for (i = 0; i + 8 <= n; i += 8)
        s8 = _mm256_add_ps(s8, exp8(_mm256_sub_ps(_mm256_loadu_ps(x + i), vmax)));
    float sum = avx2_hsum(s8);
    for (; i < n; i++) sum += expf(x[i] - max);
    return max + logf(sum);
}

#define KV __m256
#define KL 8
#define KOT 2
#define KRT 4
#define KZERO() _mm256_setzero_ps()
#define KLOADF(p) _mm256_loadu_ps(p)
#define KLOADH(p) _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(const void *)(p)))
#define KLOADQ(p) \
    _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_loadl_epi64((const __m128i *)(const void *)(p))))
#define KSET1(s) _mm256_set1_ps(s)
#define KFMA(a, b, c) _mm256_fmadd_ps(a, b, c)
#define KMUL(a, b) _mm256_mul_ps(a, b)
#define KHSUM(v) avx2_hsum(v)
#define KH2F(h) _cvtsh_ss(h)
#define KFN(name) avx2_##name
#define KATTR SIMD
#include "kernel_tmpl.h"

/* ---- x86-64 AVX-512F: 16 lanes, 32 registers (tiles of 4 input by 4 output rows) ---------- */
#define SIMD512 __attribute__((target("avx512f,avx2,fma,f16c")))

SIMD512 static inline float avx512_hsum(__m512 v) {
    __m256 hi = _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1));
    __m256 h = _mm256_add_ps(_mm512_castps512_ps256(v), hi);
    return avx2_hsum(h);
}

#define KV __m512
#define KL 16
#define KOT 4
#define KRT 4 /* 6 measured no faster (make bench-kernels) */
#define KZERO() _mm512_setzero_ps()
#define KLOADF(p) _mm512_loadu_ps(p)
#define KLOADH(p) _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(const void *)(p)))
#define KLOADQ(p) \
    _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(_mm_loadu_si128((const __m128i *)(const void *)(p))))
#define KSET1(s) _mm512_set1_ps(s)
#define KFMA(a, b, c) _mm512_fmadd_ps(a, b, c)
#define KMUL(a, b) _mm512_mul_ps(a, b)
#define KHSUM(v) avx512_hsum(v)
#define KH2F(h) _cvtsh_ss(h)
#define KFN(name) avx512_##name
#define KATTR SIMD512
#include "kernel_tmpl.h"

#else
int ops_have_simd(void) { return 0; }
#endif

int ops_bind_kernel(Matrix *w, int simd) {
    /* Only set 3 reads the repacked layout (ops_pack). */
    if (w->type == MAT_Q8_0_VNNI) return w->kernel = simd >= 3 ? vnni_rows_q8 : NULL, -(simd < 3);
#ifdef HAVE_X86_KERNELS
    if (simd >= 2) { /* set 3 too until ops_pack: its kernel reads the repacked layout */
        w->kernel = w->type == MAT_F16    ? avx512_rows_f16
                    : w->type == MAT_Q8_0 ? avx512_rows_q8
                                          : avx512_rows_f32;
        return 0;
    }
    if (simd) {
        w->kernel = w->type == MAT_F16    ? avx2_rows_f16
                    : w->type == MAT_Q8_0 ? avx2_rows_q8
                                          : avx2_rows_f32;
        return 0;
    }
#else
    (void)simd;
#endif
    /* No portable F16 kernel: the loader widens F16 to F32 once instead (a half per weight
     * converted in C on every product would be slower than reading floats). */
    if (w->type == MAT_F16) return w->kernel = NULL, -1;
    ops_bind_portable(w);
    return 0;
}

size_t ops_pack_bytes(const Matrix *w, int simd) {
    return simd >= 3 && w->type == MAT_Q8_0 ? vnni_packed_bytes(w->rows, w->cols) : 0;
}

void ops_pack(Matrix *w, void *dst, int simd) {
    if (!ops_pack_bytes(w, simd)) return;
    vnni_pack_q8(dst, w->data, w->rows, w->cols);
    w->data = dst;
    w->type = MAT_Q8_0_VNNI;
    ops_bind_kernel(w, simd);
}

void ops_bind_portable(Matrix *w) {
    if (w->type == MAT_Q8_0_VNNI) { /* set 3's layout: no portable kernel reads it */
        w->kernel = NULL;
        return;
    }
    w->kernel = w->type == MAT_F16    ? port_rows_f16
                : w->type == MAT_Q8_0 ? port_rows_q8
                                      : port_rows_f32;
}

/* The log-softmax normalizer; AVX2's exp in any x86 kernel set (AVX-512 CPUs have AVX2). */
float ops_log_sum_exp(const float *x, int n, int simd) {
#ifdef HAVE_X86_KERNELS
    if (simd) return log_sum_exp_simd(x, n);
#else
    (void)simd;
#endif
    float max = -INFINITY, sum = 0;
    for (int i = 0; i < n; i++)
        if (x[i] > max) max = x[i];
    for (int i = 0; i < n; i++) sum += expf(x[i] - max);
    return max + logf(sum);
}
