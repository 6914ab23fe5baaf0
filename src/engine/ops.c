/* Kernels. The dot product uses GCC/Clang vector extensions (4 accumulators of 4 lanes) so it
 * vectorizes at -O2 on any target without intrinsics; the summation order is fixed, and the
 * AVX-512F version keeps it. */
#include "ops.h"

#include <math.h>
#include <stdatomic.h>
#include <string.h>

#include "kernels_vnni.h"
#include "vexpf.h"

typedef float v4f __attribute__((vector_size(16)));

#define LOAD4(v, p) memcpy(&(v), (p), sizeof(v4f))

/* The end of the dot product: the 4-lane tail into s0, the four accumulators and their lanes
 * summed in a fixed order, then the last products one by one. */
static inline float dot_finish(v4f s0, v4f s1, v4f s2, v4f s3, const float *a, const float *b,
                               int i, int n) {
    v4f a0, b0;
    for (; i + 4 <= n; i += 4) {
        LOAD4(a0, a + i), LOAD4(b0, b + i);
        s0 += a0 * b0;
    }
    s0 = (s0 + s1) + (s2 + s3);
    float r = (s0[0] + s0[1]) + (s0[2] + s0[3]);
    for (; i < n; i++) r += a[i] * b[i];
    return r;
}

/* Attention's dot products and weighted sums with AVX-512F where the CPU has it: the same
 * operations in the same order as the portable code (one 16-lane accumulator is its four
 * 4-lane ones side by side; no FMA), so the same bits on every CPU with fewer instructions. */
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define OPS512 __attribute__((target("avx512f")))

/* The kernel sets' own CPU check (ops_have_simd: set 2 and up have AVX-512F), asked once. */
static int have_avx512(void) {
    static atomic_int known; /* 0 not asked yet, 1 no, 2 yes */
    int k = atomic_load_explicit(&known, memory_order_relaxed);
    if (!k) {
        k = ops_have_simd() >= 2 ? 2 : 1;
        atomic_store_explicit(&known, k, memory_order_relaxed);
    }
    return k == 2;
}

OPS512 static float dot512(const float *a, const float *b, int n) {
    __m512 s = _mm512_setzero_ps();
    int i = 0;
    for (; i + 16 <= n; i += 16)
        s = _mm512_add_ps(s, _mm512_mul_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i)));
    return dot_finish(_mm512_castps512_ps128(s), _mm512_extractf32x4_ps(s, 1),
                      _mm512_extractf32x4_ps(s, 2), _mm512_extractf32x4_ps(s, 3), a, b, i, n);
}

OPS512 static void axpy512(float *y, const float *x, float s, int n) {
    __m512 sv = _mm512_set1_ps(s);
    int i = 0;
    for (; i + 16 <= n; i += 16)
        _mm512_storeu_ps(y + i, _mm512_add_ps(_mm512_loadu_ps(y + i),
                                              _mm512_mul_ps(sv, _mm512_loadu_ps(x + i))));
    for (; i < n; i++) y[i] += s * x[i];
}

/* argmax_scan's answer in two vector passes: the largest value but skip's, then the first
 * index holding a value equal to it, which is the one the scan keeps (it replaces its pick
 * only by a strictly larger value; -0 and +0 are equal both ways). */
OPS512 static int argmax512(const float *y, int begin, int end, int skip, int *bad) {
    __m512i expo = _mm512_set1_epi32(0x7f800000);
    __m512 m = _mm512_set1_ps(-INFINITY);
    __mmask16 odd = 0, any = 0;
    int o = begin;
    for (; o + 16 <= end; o += 16) {
        __m512 v = _mm512_loadu_ps(y + o);
        __mmask16 k = skip >= o && skip < o + 16 ? (__mmask16) ~(1u << (skip - o)) : 0xffff;
        odd |= _mm512_cmpeq_epi32_mask(_mm512_and_si512(_mm512_castps_si512(v), expo), expo);
        m = _mm512_mask_max_ps(m, k, m, v);
        any |= k;
    }
    float max = _mm512_reduce_max_ps(m);
    int tail = o, seen = any != 0;
    for (; o < end; o++) {
        odd |= !isfinite(y[o]);
        if (o != skip && (!seen || y[o] > max)) max = y[o], seen = 1;
    }
    *bad = odd != 0;
    if (!seen || *bad) return -1; /* nothing to pick, or the row is refused */
    __m512 mv = _mm512_set1_ps(max);
    for (o = begin; o < tail; o += 16) {
        __mmask16 k = _mm512_cmp_ps_mask(_mm512_loadu_ps(y + o), mv, _CMP_EQ_OQ);
        if (skip >= o && skip < o + 16) k &= (__mmask16) ~(1u << (skip - o));
        if (k) return o + __builtin_ctz(k);
    }
    for (; o < end; o++)
        if (o != skip && y[o] == max) return o;
    return -1; /* not reached: max is one of the values */
}
#else
static int have_avx512(void) { return 0; }
static float dot512(const float *a, const float *b, int n) { return (void)a, (void)b, (float)n; }
static void axpy512(float *y, const float *x, float s, int n) {
    (void)y, (void)x, (void)s, (void)n;
}
static int argmax512(const float *y, int begin, int end, int skip, int *bad) {
    return (void)y, (void)begin, (void)end, (void)skip, *bad = 1, -1;
}
#endif

/* Portable: 4 accumulators of 4 lanes, fixed summation order. */
float ops_dot(const float *a, const float *b, int n) {
    if (have_avx512()) return dot512(a, b, n);
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
    return dot_finish(s0, s1, s2, s3, a, b, i, n);
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

uint16_t ops_float_to_half(float f) {
    uint32_t x;
    memcpy(&x, &f, sizeof x);
    uint16_t sign = (uint16_t)((x >> 16) & 0x8000);
    uint32_t ax = x & 0x7fffffffu;
    if (ax > 0x7f800000u) return sign | 0x7e00;  /* nan */
    if (ax >= 0x477ff000u) return sign | 0x7c00; /* ≥ 65520 rounds to inf */
    if (ax < 0x38800000u) /* below 2^-14: a multiple of 2^-24, scaled exactly, rounded even */
        return sign | (uint16_t)nearbyintf(fabsf(f) * 16777216.0f);
    uint32_t h = (ax >> 13) - (112u << 10), rest = ax & 0x1fff; /* rebias 127 -> 15 */
    if (rest > 0x1000 || (rest == 0x1000 && (h & 1))) h++;      /* a carry is still right */
    return sign | (uint16_t)h;
}

void ops_row(const Matrix *m, int r, float *out) {
    size_t at = (size_t)r * m->cols;
    if (m->type == MAT_Q8_0_VNNI) {
        vnni_unpack_row(m->data, m->cols, r, out);
        return;
    }
    if (m->type == MAT_Q8_0) {
        const uint8_t *p = (const uint8_t *)m->data + (size_t)r * q8_row_bytes((uint64_t)m->cols);
        for (int k = 0; k < m->cols; k += Q8_BLOCK, p += Q8_BLOCK_BYTES) {
            float scale = ops_half_to_float((uint16_t)(p[0] | p[1] << 8));
            for (int i = 0; i < Q8_BLOCK; i++) out[k + i] = scale * (float)(int8_t)p[2 + i];
        }
        return;
    }
    if (m->type == MAT_F32) {
        memcpy(out, (const float *)m->data + at, (size_t)m->cols * sizeof *out);
        return;
    }
    const uint16_t *h = (const uint16_t *)m->data + at;
    for (int i = 0; i < m->cols; i++) out[i] = ops_half_to_float(h[i]);
}

void ops_axpy(float *y, const float *x, float s, int n) {
    if (have_avx512()) {
        axpy512(y, x, s, n);
        return;
    }
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
    int first[5];      /* first[i]: combined index of product i's row 0 */
    const uint8_t *xq; /* x quantized once for all the job's kernel calls, or NULL */
} LinearJob;

/* Kernel set 3 quantizes a product's input before multiplying. Split across threads, each
 * chunk would quantize all T rows again, and Q, K and V would each do it too: on the default
 * model at --batch-size 32 that made -t 2 slower than -t 1. Whoever hands out the job
 * quantizes once instead (the same bytes, so the same bits); NULL (each call quantizes) when
 * one call does all the work anyway or a matrix has another kernel. */
static const uint8_t *quantize_once(const float *x, int T, const Matrix *const *w, int n,
                                    const Pool *p) {
    if (n == 1 && pool_threads(p) == 1) return NULL;
    for (int i = 0; i < n; i++)
        if (w[i]->kernel != vnni_rows_q8) return NULL;
    return vnni_quantize_input(x, T, w[0]->cols);
}

static void multiply(const Matrix *w, const uint8_t *xq, float *y, const float *x, int T,
                     const float *b, int lo, int hi) {
    if (xq)
        vnni_rows_q8_quantized(y, xq, T, w, b, lo, hi);
    else
        w->kernel(y, x, T, w, b, lo, hi);
}

static void linear_rows(void *ctx, int begin, int end) {
    const LinearJob *j = ctx;
    for (int i = 0; i < j->n; i++) {
        int lo = begin > j->first[i] ? begin : j->first[i];
        int hi = end < j->first[i + 1] ? end : j->first[i + 1];
        if (lo < hi)
            multiply(j->w[i], j->xq, j->y[i], j->x, j->T, j->b[i], lo - j->first[i],
                     hi - j->first[i]);
    }
}

static void run_job(Pool *p, LinearJob *j) {
    long work = (long)j->T * j->first[j->n] * j->w[0]->cols;
    /* Small products stay on this thread (pool.h: a d=256 square matrix-vector product is
     * 65k multiply-adds, a few microseconds, comparable to a hand-off). */
    Pool *use = work < pool_min_work(p) ? NULL : p;
    j->xq = quantize_once(j->x, j->T, j->w, j->n, use);
    pool_for(use, j->first[j->n], 16, linear_rows, j);
}

void ops_linear(Pool *p, float *y, const float *x, int T, const Matrix *w, const float *b) {
    LinearJob j = {1, T, x, {y}, {w}, {b}, {0, w->rows}, NULL};
    run_job(p, &j);
}

void ops_linear_n(Pool *p, int n, float *const *y, const float *x, int T, const Linear *const *l) {
    LinearJob j = {n, T, x, {0}, {0}, {0}, {0}, NULL};
    for (int i = 0; i < n; i++) {
        j.y[i] = y[i];
        j.w[i] = &l[i]->w;
        j.b[i] = l[i]->b;
        j.first[i + 1] = j.first[i] + l[i]->w.rows;
    }
    run_job(p, &j);
}

#define ARGMAX_ROWS 32 /* rows per job: one atomic (value, index) key each */

typedef struct {
    float *y;
    const float *x, *b;
    const Matrix *w;
    const uint8_t *xq; /* as LinearJob's */
    int T, skip;
    _Atomic unsigned long long best[ARGMAX_ROWS]; /* order_key(value) << 32 | ~index */
    atomic_int bad[ARGMAX_ROWS];
} ArgmaxJob;

/* Floats as unsigned integers in the same order (-inf lowest). */
static uint32_t order_key(float v) {
    uint32_t u;
    memcpy(&u, &v, sizeof u);
    return u & 0x80000000u ? ~u : u | 0x80000000u;
}

/* The first index of the largest y[o], o in [begin, end) but skip (-1: none in the range), and
 * in *bad whether any y[o] (skip's included) is not finite. */
static int argmax_scan(const float *y, int begin, int end, int skip, int *bad) {
    int best = -1;
    *bad = 0;
    for (int o = begin; o < end; o++) {
        *bad |= !isfinite(y[o]);
        if (o != skip && (best < 0 || y[o] > y[best])) best = o;
    }
    return best;
}

static void argmax_rows(void *ctx, int begin, int end) {
    ArgmaxJob *j = ctx;
    multiply(j->w, j->xq, j->y, j->x, j->T, j->b, begin, end);
    for (int t = 0; t < j->T; t++) {
        const float *y = j->y + (size_t)t * j->w->rows;
        int bad, best = (have_avx512() ? argmax512 : argmax_scan)(y, begin, end, j->skip, &bad);
        if (bad) atomic_store(&j->bad[t], 1);
        if (best < 0) continue;
        unsigned long long key = (unsigned long long)order_key(y[best]) << 32 | (uint32_t)~best;
        unsigned long long cur = atomic_load(&j->best[t]);
        while (key > cur && !atomic_compare_exchange_weak(&j->best[t], &cur, key)) {
        }
    }
}

void ops_linear_argmax(Pool *p, float *y, const float *x, int T, const Matrix *w, const float *b,
                       int skip, int *best) {
    for (int t0 = 0; t0 < T; t0 += ARGMAX_ROWS) {
        int n = T - t0 < ARGMAX_ROWS ? T - t0 : ARGMAX_ROWS;
        const float *xt = x + (size_t)t0 * w->cols;
        long work = (long)n * w->rows * w->cols;
        Pool *use = work < pool_min_work(p) ? NULL : p;
        ArgmaxJob j = {y + (size_t)t0 * w->rows, xt, b, w, quantize_once(xt, n, &w, 1, use),
                       n, skip, {0}, {0}};
        pool_for(use, w->rows, 16, argmax_rows, &j);
        for (int t = 0; t < n; t++) {
            unsigned long long k = atomic_load(&j.best[t]);
            best[t0 + t] = atomic_load(&j.bad[t]) || !k ? -1 : (int)~(uint32_t)k;
        }
    }
}

/* Four rows of ops_layer_norm side by side, each row's sums in the same order as one row's (so
 * the same bits), the four dependent chains overlapping: on x86-64 one SSE lane per row, four
 * columns of the four rows transposed at a time (d is a multiple of 4 there). */
static void layer_norm4(float *y, const float *x, int d, const Norm *n, float eps) {
    float mean[4] = {0}, var[4] = {0}, inv[4];
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
    if (d % 4 == 0) {
        __m128 m = _mm_setzero_ps(), v = _mm_setzero_ps(), c[4];
        for (int i = 0; i < d; i += 4) {
            for (int r = 0; r < 4; r++) c[r] = _mm_loadu_ps(x + (size_t)r * d + i);
            _MM_TRANSPOSE4_PS(c[0], c[1], c[2], c[3]);
            for (int k = 0; k < 4; k++) m = _mm_add_ps(m, c[k]);
        }
        m = _mm_div_ps(m, _mm_set1_ps((float)d));
        for (int i = 0; i < d; i += 4) {
            for (int r = 0; r < 4; r++) c[r] = _mm_loadu_ps(x + (size_t)r * d + i);
            _MM_TRANSPOSE4_PS(c[0], c[1], c[2], c[3]);
            for (int k = 0; k < 4; k++) {
                __m128 t = _mm_sub_ps(c[k], m);
                v = _mm_add_ps(v, _mm_mul_ps(t, t));
            }
        }
        _mm_storeu_ps(mean, m);
        _mm_storeu_ps(var, v);
    } else
#endif
    {
        for (int i = 0; i < d; i++)
            for (int r = 0; r < 4; r++) mean[r] += x[(size_t)r * d + i];
        for (int r = 0; r < 4; r++) mean[r] /= (float)d;
        for (int i = 0; i < d; i++)
            for (int r = 0; r < 4; r++) {
                float c = x[(size_t)r * d + i] - mean[r];
                var[r] += c * c;
            }
    }
    for (int r = 0; r < 4; r++) inv[r] = 1.0f / sqrtf(var[r] / (float)d + eps);
    for (int r = 0; r < 4; r++)
        for (int i = 0; i < d; i++)
            y[(size_t)r * d + i] = (x[(size_t)r * d + i] - mean[r]) * inv[r] * n->g[i] + n->b[i];
}

void ops_layer_norm(float *y, const float *x, int T, int d, const Norm *n, float eps) {
    int t = 0;
    for (; t + 4 <= T; t += 4) layer_norm4(y + (size_t)t * d, x + (size_t)t * d, d, n, eps);
    for (; t < T; t++) {
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

void ops_softmax(float *x, int n) {
    float max = -INFINITY;
    for (int i = 0; i < n; i++)
        if (x[i] > max) max = x[i];
    if (have_avx512()) {
        vexpf_shifted(x, n, max);
    } else {
        for (int i = 0; i < n; i++) x[i] = x[i] == -INFINITY ? 0.0f : expf(x[i] - max);
    }
    float sum = 0;
    for (int i = 0; i < n; i++) sum += x[i];
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
        if (have_avx512()) {
            vexpf_swish(x, n);
            break;
        }
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
