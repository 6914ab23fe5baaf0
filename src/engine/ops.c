/* Kernels. The dot product uses GCC/Clang vector extensions (8 lanes, 2 accumulators) so it
 * vectorizes at -O2 on any target without intrinsics; the summation order is fixed. */
#include "ops.h"

#include <math.h>
#include <string.h>

typedef float v4f __attribute__((vector_size(16)));

#define LOAD4(v, p) memcpy(&(v), (p), sizeof(v4f))

/* Portable: 4 accumulators of 4 lanes, fixed summation order. */
float ops_dot(const float *a, const float *b, int n) {
    v4f s0 = {0}, s1 = {0}, s2 = {0}, s3 = {0}, a0, b0, a1, b1, a2, b2, a3, b3;
    int i = 0;
    for (; i + 16 <= n; i += 16) {
        LOAD4(a0, a + i), LOAD4(b0, b + i), LOAD4(a1, a + i + 4), LOAD4(b1, b + i + 4);
        LOAD4(a2, a + i + 8), LOAD4(b2, b + i + 8), LOAD4(a3, a + i + 12), LOAD4(b3, b + i + 12);
        s0 += a0 * b0;
        s1 += a1 * b1;
        s2 += a2 * b2;
        s3 += a3 * b3;
    }
    for (; i + 4 <= n; i += 4) {
        LOAD4(a0, a + i), LOAD4(b0, b + i);
        s0 += a0 * b0;
    }
    s0 = (s0 + s1) + (s2 + s3);
    float s = (s0[0] + s0[1]) + (s0[2] + s0[3]);
    for (; i < n; i++) s += a[i] * b[i];
    return s;
}

/* IEEE half -> float, exact (normals, subnormals, inf, nan). */
float ops_half_to_float(uint16_t h) {
    uint32_t sign = (uint32_t)(h & 0x8000) << 16, exp = (h >> 10) & 0x1f, man = h & 0x3ff, bits;
    if (exp == 0x1f) {
        bits = sign | 0x7f800000u | man << 13;
    } else if (exp) {
        bits = sign | (exp + 112) << 23 | man << 13;
    } else if (man) { /* subnormal: normalize */
        int e = -1;
        do {
            man <<= 1;
            e++;
        } while (!(man & 0x400));
        bits = sign | (uint32_t)(112 - e) << 23 | (man & 0x3ff) << 13;
    } else {
        bits = sign;
    }
    float f;
    memcpy(&f, &bits, sizeof f);
    return f;
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define HAVE_X86_KERNELS 1
#include <cpuid.h>
#include <immintrin.h>

int ops_have_simd(void) {
    /* F16C from CPUID leaf 1 (ECX bit 29): clang 14's __builtin_cpu_supports has no "f16c". */
    unsigned a, b, c, d;
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") &&
           __get_cpuid(1, &a, &b, &c, &d) && (c & bit_F16C);
}

#define SIMD __attribute__((target("avx2,fma,f16c")))

SIMD static float hsum(__m256 a, __m256 b, __m256 c, __m256 d) {
    __m256 s = _mm256_add_ps(_mm256_add_ps(a, b), _mm256_add_ps(c, d));
    __m128 q = _mm_add_ps(_mm256_castps256_ps128(s), _mm256_extractf128_ps(s, 1));
    q = _mm_add_ps(q, _mm_movehl_ps(q, q));
    q = _mm_add_ss(q, _mm_movehdup_ps(q));
    return _mm_cvtss_f32(q);
}

#define LOADH(p) _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(const void *)(p)))
#define INLINE_SIMD SIMD static inline __attribute__((always_inline))

/* Eight weights from b at i, as floats: IEEE halves (half) or floats. */
INLINE_SIMD __m256 load8(const void *b, int i, int half) {
    return half ? LOADH((const uint16_t *)b + i) : _mm256_loadu_ps((const float *)b + i);
}

INLINE_SIMD float weight(const void *b, int i, int half) {
    return half ? ops_half_to_float(((const uint16_t *)b)[i]) : ((const float *)b)[i];
}

/* a·b over n, b F32 or F16 (half, a constant where it inlines: one loop per type). */
INLINE_SIMD float dot_simd(const float *a, const void *b, int n, int half) {
    __m256 s0 = _mm256_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;
    int i = 0;
    for (; i + 32 <= n; i += 32) {
        s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), load8(b, i, half), s0);
        s1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 8), load8(b, i + 8, half), s1);
        s2 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 16), load8(b, i + 16, half), s2);
        s3 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 24), load8(b, i + 24, half), s3);
    }
    for (; i + 8 <= n; i += 8) s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), load8(b, i, half), s0);
    float s = hsum(s0, s1, s2, s3);
    for (; i < n; i++) s += a[i] * weight(b, i, half);
    return s;
}

/* The row loop inside the AVX2 region so the dot product inlines (d = 128 rows are only four
 * loop trips; the call was a tenth of the time). */
INLINE_SIMD void rows_simd(float *y, const float *x, const Matrix *w, const float *b, int lo,
                           int hi, int half) {
    size_t row_bytes = (size_t)w->cols * (half ? sizeof(uint16_t) : sizeof(float));
    for (int o = lo; o < hi; o++)
        y[o] = dot_simd(x, (const char *)w->data + (size_t)o * row_bytes, w->cols, half) +
               (b ? b[o] : 0.0f);
}

/* Two input rows (decoder rows: beam hypotheses) against each weight row: the weights are
 * loaded and widened once for both, and each row's sums are formed in dot_simd's order, so
 * both results are the same bits as rows_simd gives for each row alone. */
INLINE_SIMD void rows2_simd(float *y, const float *x, const Matrix *w, const float *b, int lo,
                            int hi, int half) {
    int n = w->cols;
    size_t row_bytes = (size_t)n * (half ? sizeof(uint16_t) : sizeof(float));
    const float *x0 = x, *x1 = x + n;
    float *y0 = y, *y1 = y + w->rows;
    for (int o = lo; o < hi; o++) {
        const char *r = (const char *)w->data + (size_t)o * row_bytes;
        __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
        __m256 c0 = a0, c1 = a0, c2 = a0, c3 = a0;
        int i = 0;
        for (; i + 32 <= n; i += 32) {
            __m256 w0 = load8(r, i, half), w1 = load8(r, i + 8, half);
            __m256 w2 = load8(r, i + 16, half), w3 = load8(r, i + 24, half);
            a0 = _mm256_fmadd_ps(_mm256_loadu_ps(x0 + i), w0, a0);
            c0 = _mm256_fmadd_ps(_mm256_loadu_ps(x1 + i), w0, c0);
            a1 = _mm256_fmadd_ps(_mm256_loadu_ps(x0 + i + 8), w1, a1);
            c1 = _mm256_fmadd_ps(_mm256_loadu_ps(x1 + i + 8), w1, c1);
            a2 = _mm256_fmadd_ps(_mm256_loadu_ps(x0 + i + 16), w2, a2);
            c2 = _mm256_fmadd_ps(_mm256_loadu_ps(x1 + i + 16), w2, c2);
            a3 = _mm256_fmadd_ps(_mm256_loadu_ps(x0 + i + 24), w3, a3);
            c3 = _mm256_fmadd_ps(_mm256_loadu_ps(x1 + i + 24), w3, c3);
        }
        for (; i + 8 <= n; i += 8) {
            __m256 wv = load8(r, i, half);
            a0 = _mm256_fmadd_ps(_mm256_loadu_ps(x0 + i), wv, a0);
            c0 = _mm256_fmadd_ps(_mm256_loadu_ps(x1 + i), wv, c0);
        }
        float s0 = hsum(a0, a1, a2, a3), s1 = hsum(c0, c1, c2, c3);
        for (; i < n; i++) {
            float wi = weight(r, i, half);
            s0 += x0[i] * wi;
            s1 += x1[i] * wi;
        }
        y0[o] = s0 + (b ? b[o] : 0.0f);
        y1[o] = s1 + (b ? b[o] : 0.0f);
    }
}

SIMD static void rows_f16_simd(float *y, const float *x, const Matrix *w, const float *b, int lo,
                               int hi) {
    rows_simd(y, x, w, b, lo, hi, 1);
}

/* e^x for x ≤ 0, eight at a time: x = k·ln 2 + r (ln 2 in two parts, |r| ≤ ln 2 / 2), e^r by
 * Cephes' degree-7 polynomial (about 1 ulp), 2^k into the exponent bits; below -87 it is
 * taken as e^-87 (1.6e-38: nothing next to the maximum's 1). */
INLINE_SIMD __m256 exp8(__m256 x) {
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
    float sum = hsum(s8, _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps());
    for (; i < n; i++) sum += expf(x[i] - max);
    return max + logf(sum);
}

SIMD static void rows2_f16_simd(float *y, const float *x, const Matrix *w, const float *b, int lo,
                                int hi) {
    rows2_simd(y, x, w, b, lo, hi, 1);
}

SIMD static void rows2_f32_simd(float *y, const float *x, const Matrix *w, const float *b, int lo,
                                int hi) {
    rows2_simd(y, x, w, b, lo, hi, 0);
}

SIMD static void rows_f32_simd(float *y, const float *x, const Matrix *w, const float *b, int lo,
                               int hi) {
    rows_simd(y, x, w, b, lo, hi, 0);
}
#else
int ops_have_simd(void) { return 0; }
#endif

static void rows_f32(float *y, const float *x, const Matrix *w, const float *b, int lo, int hi) {
    const float *f = w->data;
    for (int o = lo; o < hi; o++)
        y[o] = ops_dot(x, f + (size_t)o * w->cols, w->cols) + (b ? b[o] : 0.0f);
}

int ops_bind_kernel(Matrix *w, int simd) {
#ifdef HAVE_X86_KERNELS
    if (simd) {
        w->kernel = w->type == MAT_F16 ? rows_f16_simd : rows_f32_simd;
        w->kernel2 = w->type == MAT_F16 ? rows2_f16_simd : rows2_f32_simd;
        return 0;
    }
#else
    (void)simd;
#endif
    w->kernel = w->type == MAT_F32 ? rows_f32 : NULL;
    w->kernel2 = NULL;
    return w->kernel ? 0 : -1;
}

void ops_row(const Matrix *m, int r, float *out) {
    size_t at = (size_t)r * m->cols;
    if (m->type == MAT_F32) {
        memcpy(out, (const float *)m->data + at, (size_t)m->cols * sizeof *out);
        return;
    }
    const uint16_t *h = (const uint16_t *)m->data + at;
    for (int i = 0; i < m->cols; i++) out[i] = ops_half_to_float(h[i]);
}

void ops_axpy(float *y, const float *x, float s, int n) {
    for (int i = 0; i < n; i++) y[i] += s * x[i];
}

void ops_add(float *y, const float *x, int n) {
    for (int i = 0; i < n; i++) y[i] += x[i];
}

/* Products over the same input x [T][in]; rows of all of them numbered one after another. */
typedef struct {
    int n, T;
    const float *x;
    float *y[4];
    const Matrix *w[4];
    const float *b[4];
    int first[5]; /* first[i]: combined index of product i's row 0 */
} LinearJob;

static void linear_rows(void *ctx, int begin, int end) {
    const LinearJob *j = ctx;
    for (int i = 0; i < j->n; i++) {
        int lo = begin > j->first[i] ? begin : j->first[i];
        int hi = end < j->first[i + 1] ? end : j->first[i + 1];
        const Matrix *w = j->w[i];
        for (int t = 0; t < j->T && lo < hi; t++) {
            float *y = j->y[i] + (size_t)t * w->rows;
            const float *x = j->x + (size_t)t * w->cols;
            if (w->kernel2 && t + 1 < j->T) /* two rows, one pass over the weights */
                w->kernel2(y, x, w, j->b[i], lo - j->first[i], hi - j->first[i]), t++;
            else w->kernel(y, x, w, j->b[i], lo - j->first[i], hi - j->first[i]);
        }
    }
}

static void run_job(Pool *p, LinearJob *j) {
    long work = (long)j->T * j->first[j->n] * j->w[0]->cols;
    /* Small products stay on this thread (pool.h: a d=256 square matrix-vector product is
     * 65k multiply-adds, a few microseconds, comparable to a hand-off). */
    pool_for(work < pool_min_work(p) ? NULL : p, j->first[j->n], 16, linear_rows, j);
}

void ops_linear(Pool *p, float *y, const float *x, int T, const Matrix *w, const float *b) {
    LinearJob j = {1, T, x, {y}, {w}, {b}, {0, w->rows}};
    run_job(p, &j);
}

void ops_linear_n(Pool *p, int n, float *const *y, const float *x, int T, const Linear *const *l) {
    LinearJob j = {n, T, x, {0}, {0}, {0}, {0}};
    for (int i = 0; i < n; i++) {
        j.y[i] = y[i];
        j.w[i] = &l[i]->w;
        j.b[i] = l[i]->b;
        j.first[i + 1] = j.first[i] + l[i]->w.rows;
    }
    run_job(p, &j);
}

void ops_layer_norm(float *y, const float *x, int T, int d, const Norm *n, float eps) {
    for (int t = 0; t < T; t++) {
        const float *xr = x + (size_t)t * d;
        float *yr = y + (size_t)t * d;
        float mean = 0, var = 0;
        for (int i = 0; i < d; i++) mean += xr[i];
        mean /= (float)d;
        for (int i = 0; i < d; i++) var += (xr[i] - mean) * (xr[i] - mean);
        var /= (float)d;
        float inv = 1.0f / sqrtf(var + eps);
        for (int i = 0; i < d; i++) yr[i] = (xr[i] - mean) * inv * n->g[i] + n->b[i];
    }
}

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

void ops_softmax(float *x, int n) {
    float max = -INFINITY;
    for (int i = 0; i < n; i++)
        if (x[i] > max) max = x[i];
    float sum = 0;
    for (int i = 0; i < n; i++) {
        x[i] = x[i] == -INFINITY ? 0.0f : expf(x[i] - max);
        sum += x[i];
    }
    float inv = 1.0f / sum;
    for (int i = 0; i < n; i++) x[i] *= inv;
}

void ops_activate(float *x, size_t n, Activation a) {
    switch (a) {
    case ACT_RELU:
        for (size_t i = 0; i < n; i++) x[i] = x[i] > 0 ? x[i] : 0.0f;
        break;
    case ACT_GELU: /* erf form, specs/marian.md */
        for (size_t i = 0; i < n; i++)
            x[i] = 0.5f * x[i] * (1.0f + erff(x[i] * 0.70710678118654752f));
        break;
    case ACT_SWISH:
        for (size_t i = 0; i < n; i++) x[i] = x[i] / (1.0f + expf(-x[i]));
        break;
    }
}

void ops_attend(float *out, float *w, const float *q, const float *K, const float *V, int n, int d,
                int H, const unsigned char *mask) {
    int dh = d / H;
    for (int h = 0; h < H; h++) {
        float *wh = w + (size_t)h * n, *oh = out + (size_t)h * dh;
        for (int j = 0; j < n; j++)
            wh[j] =
                mask && mask[j] ? -INFINITY : ops_dot(q + h * dh, K + (size_t)j * d + h * dh, dh);
        ops_softmax(wh, n);
        memset(oh, 0, (size_t)dh * sizeof *oh);
        for (int j = 0; j < n; j++) ops_axpy(oh, V + (size_t)j * d + h * dh, wh[j], dh);
    }
}
