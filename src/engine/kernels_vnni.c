/* Q8_0 weights times int8 activations with AVX-512 VNNI (vpdpbusd), kernel set 3.
 *
 * The float Q8_0 kernels widen every weight to a float and multiply it by the float
 * activation; that conversion, not memory, is their limit. Here each activation row is first
 * quantized the way the weights are (per block of 32: d = max|x| / 127 as a float,
 * q = round(x / d) to nearest even), and a block's dot product is exact in integers:
 *
 *   S = Σ_k w_k x_k  (w, x int8; |S| ≤ 32·128·128, exact as a float)
 *   acc += float(S) · (dx · dw)     (the scale product rounded, then one FMA)
 *
 * block after block in order, then the bias added. Nothing else is rounded, so y[t][o] has
 * the same bits in any tile, batch and split of the output rows (tests/unit/test_kernels.c
 * checks this and a scalar copy of the math).
 *
 * The weights are repacked once at load (vnni_pack_q8) so that the 16 lanes of a vector are 16
 * output rows: per group of 16 rows and per block, the 16 scales (halves), then eight 64-byte
 * vectors, vector i holding bytes 4i..4i+3 of each row's block. One vpdpbusd then takes four
 * activations (broadcast) against four weights of each of 16 rows, eight of them finish a
 * block in integers, and only then does the float work (convert, scale, FMA) happen: once per
 * 32 products, not once per 4 as when a vector held one row's weights. vpdpbusd multiplies
 * unsigned by signed bytes: the packed weights are stored as w + 128 (the sign bit flipped),
 * and each row's block sum starts from -128·Σx, which the quantizer stores with the block. The
 * packed copy has exactly the bytes of the Q8_0 one (544 per 16 rows and block). */
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernels_vnni.h"
#include "ops.h"

#define GROUP 16                       /* output rows per vector */
#define PACKED_BLOCK (32 + GROUP * 32) /* 16 half scales, then 8 vectors of 64 bytes */

size_t vnni_packed_bytes(int rows, int cols) {
    return (size_t)((rows + GROUP - 1) / GROUP) * (size_t)(cols / 32) * PACKED_BLOCK;
}

void vnni_pack_q8(uint8_t *dst, const uint8_t *q8, int rows, int cols) {
    int nb = cols / 32, groups = (rows + GROUP - 1) / GROUP;
    for (int g = 0; g < groups; g++)
        for (int k = 0; k < nb; k++) {
            uint8_t *p = dst + ((size_t)g * nb + k) * PACKED_BLOCK;
            for (int l = 0; l < GROUP; l++) {
                int r = g * GROUP + l;
                /* Rows past the end: scale 0 and weights 0 (stored as 128). */
                const uint8_t *src = r < rows ? q8 + ((size_t)r * nb + k) * Q8_BLOCK_BYTES : NULL;
                p[2 * l] = src ? src[0] : 0;
                p[2 * l + 1] = src ? src[1] : 0;
                for (int i = 0; i < 8; i++) {
                    uint32_t four = 0;
                    if (src) memcpy(&four, src + 2 + 4 * i, 4);
                    four ^= 0x80808080u;
                    memcpy(p + 32 + i * 64 + l * 4, &four, 4);
                }
            }
        }
}

void vnni_unpack_row(const uint8_t *packed, int cols, int r, float *out) {
    int nb = cols / 32, g = r / GROUP, l = r % GROUP;
    for (int k = 0; k < nb; k++) {
        const uint8_t *p = packed + ((size_t)g * nb + k) * PACKED_BLOCK;
        float scale = ops_half_to_float((uint16_t)(p[2 * l] | p[2 * l + 1] << 8));
        for (int i = 0; i < 32; i++)
            out[k * 32 + i] = scale * (float)(int8_t)(p[32 + (i / 4) * 64 + l * 4 + i % 4] ^ 0x80);
    }
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>
#include <immintrin.h>

/* The tile loops must unroll so the accumulators are registers, not an array. */
#define UNROLL _Pragma("GCC unroll 8")
#define VNNI __attribute__((target("avx512f,avx512bw,avx512vnni,avx2,fma,f16c")))

int vnni_available(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512vnni");
}

/* A quantized row of nb blocks: nb × 32 int8 q, then nb float scales d, then nb int32 starts
 * (-128·Σq of the block); rows ROW_BYTES apart (whole cache lines). */
#define ROW_BYTES(nb) (((size_t)(nb)*40 + 63) / 64 * 64)
/* Input rows quantized per pass (the weights stream once per pass), the scratch's first size,
 * and the stack buffer used, one row and a slice of its blocks at a time, when the scratch
 * cannot grow. */
#define PASS_ROWS 64
#define SCRATCH_MIN (64 * 1024)
#define SMALL_BYTES (4 * 1024)
/* Register tiles: TILE_RT input rows by TILE_OG groups of 16 output rows, and 1 by TILE_OG1
 * groups at batch 1 (more groups keep more independent vpdpbusd chains in flight). At batch 1
 * a matrix that is not in L2 streams at the cache's pace (OPUS-MT-base output layer, 8000 x
 * 512: about 27 GB/s here); software prefetch 2-8 blocks ahead measured no faster. */
#define TILE_RT 4 /* 4 x 2 and 6 x 2 measured best of 2-8 x 2-4 (CPU time, bench-kernels) */
#define TILE_OG 2
#define TILE_OG1 8
#define TILE_MAX_RT TILE_RT
#define TILE_MAX_OG TILE_OG1

VNNI static void quantize_row(const float *x, int nb, uint8_t *out) {
    float *dv = (float *)(void *)(out + (size_t)nb * 32);
    int32_t *sv = (int32_t *)(void *)(out + (size_t)nb * 36);
    for (int blk = 0; blk < nb; blk++) {
        __m512 v0 = _mm512_loadu_ps(x + blk * 32), v1 = _mm512_loadu_ps(x + blk * 32 + 16);
        float amax = _mm512_reduce_max_ps(_mm512_max_ps(_mm512_abs_ps(v0), _mm512_abs_ps(v1)));
        /* x·0 is NaN for an infinite or NaN x: d then carries it into every product of the
         * block (max would drop a NaN), as the float kernels would. */
        float d = amax / 127.0f;
        /* With every x finite the products are ±0 and so is their sum, and d ≥ +0 plus ±0 is
         * d: the sum is only needed (and only taken) when one is not. */
        __m512 inf = _mm512_set1_ps(INFINITY);
        if (_mm512_cmp_ps_mask(_mm512_abs_ps(v0), inf, _CMP_NLT_UQ) |
            _mm512_cmp_ps_mask(_mm512_abs_ps(v1), inf, _CMP_NLT_UQ)) {
            __m512 z = _mm512_add_ps(_mm512_mul_ps(v0, _mm512_setzero_ps()),
                                     _mm512_mul_ps(v1, _mm512_setzero_ps()));
            d += _mm512_reduce_add_ps(z);
        }
        float id = d != 0 && d == d ? 1.0f / d : 0.0f;
        __m512 s = _mm512_set1_ps(id);
        __m128i q0 = _mm512_cvtsepi32_epi8(_mm512_cvtps_epi32(_mm512_mul_ps(v0, s)));
        __m128i q1 = _mm512_cvtsepi32_epi8(_mm512_cvtps_epi32(_mm512_mul_ps(v1, s)));
        _mm_storeu_si128((__m128i *)(void *)(out + blk * 32), q0);
        _mm_storeu_si128((__m128i *)(void *)(out + blk * 32 + 16), q1);
        dv[blk] = d;
        sv[blk] = -128 * _mm512_reduce_add_epi32(
                             _mm512_add_epi32(_mm512_cvtepi8_epi32(q0), _mm512_cvtepi8_epi32(q1)));
    }
}

/* Where a tile writes: the rows' y, which blocks of the rows the quantized buffer holds
 * ([k0, k0 + nk) of nb), and whether this is the first and the last slice of blocks (the
 * accumulators continue from y between slices; the bias comes last). */
typedef struct {
    float *y;
    const uint8_t *xq; /* quantized rows of nk blocks, stride bytes apart */
    size_t stride;
    const Matrix *w;
    const float *b;
    int nk, k0, first, last, lo, hi;
} Pass;

/* RT input rows (from t) by OG groups of 16 output rows (from group g0). */
VNNI static inline __attribute__((always_inline)) void tile(const Pass *ps, int t, int g0, int RT,
                                                            int OG) {
    int nb = ps->w->cols / 32, rows = ps->w->rows, nk = ps->nk;
    const uint8_t *wbase = (const uint8_t *)ps->w->data + ((size_t)g0 * nb + ps->k0) * PACKED_BLOCK;
    size_t gstride = (size_t)nb * PACKED_BLOCK;
    __mmask16 mask[TILE_MAX_OG];
    UNROLL for (int j = 0; j < OG; j++) {
        int o0 = (g0 + j) * GROUP, a = ps->lo > o0 ? ps->lo - o0 : 0;
        int e = ps->hi < o0 + GROUP ? ps->hi - o0 : GROUP;
        mask[j] = (__mmask16)((0xffffu >> (GROUP - e)) & (0xffffu << a));
    }
    __m512 acc[TILE_MAX_RT][TILE_MAX_OG];
    UNROLL for (int r = 0; r < RT; r++) UNROLL for (int j = 0; j < OG; j++) acc[r][j] =
        ps->first ? _mm512_setzero_ps()
                  : _mm512_maskz_loadu_ps(mask[j], ps->y + (size_t)(t + r) * rows +
                                                       (size_t)(g0 + j) * GROUP);
    for (int k = 0; k < nk; k++) {
        __m512 ws[TILE_MAX_OG];
        UNROLL for (int j = 0; j < OG; j++) {
            const uint8_t *p = wbase + j * gstride + (size_t)k * PACKED_BLOCK;
            ws[j] = _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(const void *)p));
        }
        UNROLL for (int r = 0; r < RT; r++) {
            const uint8_t *row = ps->xq + (size_t)(t + r) * ps->stride;
            const int32_t *xi = (const int32_t *)(const void *)(row + (size_t)k * 32);
            __m512i st =
                _mm512_set1_epi32(((const int32_t *)(const void *)(row + (size_t)nk * 36))[k]);
            __m512 sx = _mm512_set1_ps(((const float *)(const void *)(row + (size_t)nk * 32))[k]);
            __m512i s[TILE_MAX_OG];
            UNROLL for (int j = 0; j < OG; j++) s[j] = st;
            UNROLL for (int i = 0; i < 8; i++) {
                __m512i xb = _mm512_set1_epi32(xi[i]);
                UNROLL for (int j = 0; j < OG; j++) s[j] =
                    _mm512_dpbusd_epi32(s[j],
                                        _mm512_loadu_si512(wbase + j * gstride +
                                                           (size_t)k * PACKED_BLOCK + 32 + i * 64),
                                        xb);
            }
            UNROLL for (int j = 0; j < OG; j++) acc[r][j] =
                _mm512_fmadd_ps(_mm512_cvtepi32_ps(s[j]), _mm512_mul_ps(sx, ws[j]), acc[r][j]);
        }
    }
    UNROLL for (int r = 0; r < RT; r++) UNROLL for (int j = 0; j < OG; j++) {
        __m512 v = acc[r][j];
        if (ps->last && ps->b)
            v = _mm512_add_ps(v, _mm512_maskz_loadu_ps(mask[j], ps->b + (g0 + j) * GROUP));
        _mm512_mask_storeu_ps(ps->y + (size_t)(t + r) * rows + (size_t)(g0 + j) * GROUP, mask[j],
                              v);
    }
}

/* The switch makes each row count a constant so every tile's loops unroll. */
#define ROWS_CASE(n, OG)       \
    case n:                    \
        tile(ps, t, g, n, OG); \
        break;
#define ROWS_REST(OG)                                                       \
    switch (T - t) { /* fewer than TILE_RT */                               \
        ROWS_CASE(3, OG) ROWS_CASE(2, OG) ROWS_CASE(1, OG) default : break; \
    }

/* All T rows of the pass by the groups that hold output rows [lo, hi). */
VNNI static void rows_pass(const Pass *ps, int T) {
    int g = ps->lo / GROUP, gend = (ps->hi + GROUP - 1) / GROUP;
    if (T == 1) {
        for (; g + TILE_OG1 <= gend; g += TILE_OG1) tile(ps, 0, g, 1, TILE_OG1);
        for (; g < gend; g++) tile(ps, 0, g, 1, 1);
        return;
    }
    for (; g + TILE_OG <= gend; g += TILE_OG) {
        int t = 0;
        for (; t + TILE_RT <= T; t += TILE_RT) tile(ps, t, g, TILE_RT, TILE_OG);
        ROWS_REST(TILE_OG)
    }
    for (; g < gend; g++) {
        int t = 0;
        for (; t + TILE_RT <= T; t += TILE_RT) tile(ps, t, g, TILE_RT, 1);
        ROWS_REST(1)
    }
}

/* Scratch for the quantized rows, one per thread, kept between calls and freed when the thread
 * ends (pool threads and callers' threads may have small stacks: no large buffer on them). */
typedef struct {
    size_t cap;
    _Alignas(64) uint8_t data[];
} Scratch;
static pthread_key_t scratch_key;
static int scratch_key_ok;
static pthread_once_t scratch_once = PTHREAD_ONCE_INIT;
static void scratch_key_make(void) { scratch_key_ok = !pthread_key_create(&scratch_key, free); }

static uint8_t *scratch_get(size_t bytes) {
    pthread_once(&scratch_once, scratch_key_make);
    if (!scratch_key_ok) return NULL;
    Scratch *s = pthread_getspecific(scratch_key);
    if (s && s->cap >= bytes) return s->data;
    size_t cap = bytes < SCRATCH_MIN ? SCRATCH_MIN : bytes;
    Scratch *n = aligned_alloc(64, (sizeof *n + cap + 63) / 64 * 64);
    if (!n || pthread_setspecific(scratch_key, n)) {
        free(n);
        return NULL;
    }
    free(s);
    n->cap = cap;
    return n->data;
}

/* One row at a time, a slice of its blocks at a time through a small stack buffer: each
 * slice's accumulators continue from where the last one left them in y, so the bits are the
 * same as in one pass. */
VNNI void vnni_rows_q8_sliced(float *y, const float *x, int T, const Matrix *w, const float *b,
                              int lo, int hi) {
    _Alignas(64) uint8_t small[SMALL_BYTES];
    int nb = w->cols / 32, slice = SMALL_BYTES / 40;
    for (int t = 0; t < T; t++)
        for (int k0 = 0; k0 < nb; k0 += slice) {
            int nk = nb - k0 < slice ? nb - k0 : slice;
            quantize_row(x + (size_t)t * w->cols + (size_t)k0 * 32, nk, small);
            Pass ps = {y + (size_t)t * w->rows, small, 0, w, b, nk, k0, k0 == 0,
                       k0 + nk == nb,           lo,    hi};
            rows_pass(&ps, 1);
        }
}

VNNI void vnni_rows_q8(float *y, const float *x, int T, const Matrix *w, const float *b, int lo,
                       int hi) {
    int nb = w->cols / 32, per_pass = T < PASS_ROWS ? T : PASS_ROWS;
    if (lo >= hi || T < 1) return;
    uint8_t *buf = scratch_get(ROW_BYTES(nb) * (size_t)per_pass);
    if (!buf) { /* out of memory */
        vnni_rows_q8_sliced(y, x, T, w, b, lo, hi);
        return;
    }
    Pass ps = {y, buf, ROW_BYTES(nb), w, b, nb, 0, 1, 1, lo, hi};
    for (int t0 = 0; t0 < T; t0 += per_pass) {
        int n = T - t0 < per_pass ? T - t0 : per_pass;
        for (int t = 0; t < n; t++)
            quantize_row(x + (size_t)(t0 + t) * w->cols, nb, buf + (size_t)t * ps.stride);
        ps.y = y + (size_t)t0 * w->rows;
        rows_pass(&ps, n);
    }
}

VNNI const uint8_t *vnni_quantize_input(const float *x, int T, int cols) {
    int nb = cols / 32;
    uint8_t *buf = T > 0 ? scratch_get(ROW_BYTES(nb) * (size_t)T) : NULL;
    if (!buf) return NULL;
    for (int t = 0; t < T; t++)
        quantize_row(x + (size_t)t * cols, nb, buf + (size_t)t * ROW_BYTES(nb));
    return buf;
}

/* vnni_rows_q8's passes over rows quantized beforehand: the same quantized bytes and the same
 * tiles, so the same bits. */
VNNI void vnni_rows_q8_quantized(float *y, const uint8_t *xq, int T, const Matrix *w,
                                 const float *b, int lo, int hi) {
    int nb = w->cols / 32;
    if (lo >= hi || T < 1) return;
    Pass ps = {y, xq, ROW_BYTES(nb), w, b, nb, 0, 1, 1, lo, hi};
    for (int t0 = 0; t0 < T; t0 += PASS_ROWS) {
        int n = T - t0 < PASS_ROWS ? T - t0 : PASS_ROWS;
        ps.y = y + (size_t)t0 * w->rows;
        ps.xq = xq + (size_t)t0 * ps.stride;
        rows_pass(&ps, n);
    }
}
#else
/* Never bound: vnni_available() is 0. */
int vnni_available(void) { return 0; }
void vnni_rows_q8(float *y, const float *x, int T, const Matrix *w, const float *b, int lo,
                  int hi) {
    (void)y, (void)x, (void)T, (void)w, (void)b, (void)lo, (void)hi;
}
void vnni_rows_q8_sliced(float *y, const float *x, int T, const Matrix *w, const float *b, int lo,
                         int hi) {
    (void)y, (void)x, (void)T, (void)w, (void)b, (void)lo, (void)hi;
}
const uint8_t *vnni_quantize_input(const float *x, int T, int cols) {
    (void)x, (void)T, (void)cols;
    return NULL;
}
void vnni_rows_q8_quantized(float *y, const uint8_t *xq, int T, const Matrix *w, const float *b,
                            int lo, int hi) {
    (void)y, (void)xq, (void)T, (void)w, (void)b, (void)lo, (void)hi;
}
#endif
