/* Q8_0 weights times int8 activations with AVX-512 VNNI (vpdpbusd), kernel set 3.
 *
 * The other Q8_0 kernels widen every weight to a float and multiply it by the float activation;
 * at one input row that conversion, not memory, is the limit. Here each activation row is first
 * quantized the way the weights are (per block of 32: d = max|x| / 127, q = round(x / d), to
 * nearest even, d kept as a float), and a block's dot product is exact in integers:
 *
 *   Σ_k w_k x_k  with w, x int8.
 *
 * vpdpbusd multiplies unsigned by signed bytes, so the weights go in flipped to w + 128
 * (an XOR of the sign bit, 1..255) and each 32-bit lane starts from -128·Σ of its four x, which
 * the quantizer stores next to the bytes: every lane then holds its four products exactly
 * (|lane| ≤ 4·128·127, a float's mantissa holds it). A 64-byte vector covers two blocks;
 * lanes 0-7 belong to the first, 8-15 to the second. Per vector and output row:
 *
 *   acc += float(lanes) · (dx · dw)     (the scale product rounded, then one FMA)
 *
 * and at the end acc's 16 lanes are summed in a fixed order, then the bias added. An odd last
 * block is padded with a zero block of scale 0. The sequence for y[t][o] is the same in every
 * tile and for every split of the output rows, so the result never depends on the batch or
 * the thread count (tests/unit/test_kernels.c checks this and a scalar copy of the math). */
#include <stdint.h>
#include <string.h>

#include "kernels_vnni.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>
#include <immintrin.h>

/* The tile loops must unroll so the accumulators are registers, not an array. */
#define UNROLL _Pragma("GCC unroll 4")
#define VNNI __attribute__((target("avx512f,avx512bw,avx512vnni,avx2,fma,f16c")))

int vnni_available(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512vnni");
}

/* A quantized row: nc chunks of 64 bytes q, then nc × 16 float scales (each block's d in its
 * eight lanes), then nc × 16 int32 lane starts (-128·Σ of the lane's four q). */
#define ROW_BYTES(nc) ((size_t)(nc)*64 * 3)
/* Rows quantized per pass: the buffer is on the stack (no allocation that could fail in a
 * function that returns nothing); 96 KiB is 16 rows of 2048 columns, 64 of 512. */
#define XBUF_BYTES (96 * 1024)
/* Each tile asks for the weights 8 rows ahead (two tiles on): the hardware prefetcher alone
 * left the batch-1 kernel waiting on memory (base shape, -t 1: 17.5 s -> 9.7-10.5 s CPU for
 * 100 lines; 4 rows ahead about the same, 16 slower). */
#define PREFETCH_ROWS 8

VNNI static void quantize_row(const float *x, int nb, uint8_t *out, int nc) {
    float *sv = (float *)(void *)(out + (size_t)nc * 64);
    int32_t *cv = (int32_t *)(void *)(out + (size_t)nc * 128);
    for (int blk = 0; blk < 2 * nc; blk++) {
        float d = 0;
        __m128i q0 = _mm_setzero_si128(), q1 = q0;
        if (blk < nb) {
            __m512 v0 = _mm512_loadu_ps(x + blk * 32), v1 = _mm512_loadu_ps(x + blk * 32 + 16);
            float amax = _mm512_reduce_max_ps(_mm512_max_ps(_mm512_abs_ps(v0), _mm512_abs_ps(v1)));
            /* x·0 is NaN for an infinite or NaN x: d then carries it into every product of
             * the block (max would drop a NaN), as the float kernels would. */
            __m512 z = _mm512_add_ps(_mm512_mul_ps(v0, _mm512_setzero_ps()),
                                     _mm512_mul_ps(v1, _mm512_setzero_ps()));
            d = amax / 127.0f + _mm512_reduce_add_ps(z);
            float id = d != 0 && d == d ? 1.0f / d : 0.0f;
            __m512 s = _mm512_set1_ps(id);
            q0 = _mm512_cvtsepi32_epi8(_mm512_cvtps_epi32(_mm512_mul_ps(v0, s)));
            q1 = _mm512_cvtsepi32_epi8(_mm512_cvtps_epi32(_mm512_mul_ps(v1, s)));
        }
        _mm_storeu_si128((__m128i *)(void *)(out + blk * 32), q0);
        _mm_storeu_si128((__m128i *)(void *)(out + blk * 32 + 16), q1);
        for (int l = 0; l < 8; l++) sv[blk * 8 + l] = d;
    }
    const __m512i c128 = _mm512_set1_epi8((char)0x80);
    for (int c = 0; c < nc; c++) {
        __m512i q = _mm512_loadu_si512(out + (size_t)c * 64);
        __m512i s = _mm512_dpbusd_epi32(_mm512_setzero_si512(), c128, q);
        _mm512_storeu_si512(cv + c * 16, _mm512_sub_epi32(_mm512_setzero_si512(), s));
    }
}

/* The 16 lanes summed as kernels.c's avx512_hsum does: halves, quarters, pairs, then two. */
VNNI static inline float hsum(__m512 v) {
    __m256 h = _mm256_add_ps(_mm512_castps512_ps256(v),
                             _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1)));
    __m128 q = _mm_add_ps(_mm256_castps256_ps128(h), _mm256_extractf128_ps(h, 1));
    q = _mm_add_ps(q, _mm_movehl_ps(q, q));
    q = _mm_add_ss(q, _mm_movehdup_ps(q));
    return _mm_cvtss_f32(q);
}

static inline uint16_t half_at(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }

/* RT quantized input rows (xq, stride bytes apart; y row t0 onward) by OT output rows from o0. */
VNNI static inline __attribute__((always_inline)) void tile(float *y, const uint8_t *xq,
                                                            size_t stride, int nc, const Matrix *w,
                                                            const float *b, int t0, int o0, int RT,
                                                            int OT) {
    int nb = w->cols / 32;
    size_t row_bytes = (size_t)nb * 34;
    const uint8_t *base = w->data;
    const __m512i flip = _mm512_set1_epi8((char)0x80);
    __m512 acc[4][4];
    UNROLL for (int r = 0; r < RT; r++) UNROLL for (int j = 0; j < OT; j++) acc[r][j] =
        _mm512_setzero_ps();
    for (int c = 0; c < nc; c++) {
        int two = 2 * c + 1 < nb; /* else the second block is padding */
        __m512i wq[4];
        __m512 ws[4];
        UNROLL for (int j = 0; j < OT; j++) {
            const uint8_t *p = base + (size_t)(o0 + j) * row_bytes + (size_t)c * 68;
            _mm_prefetch((const char *)(p + PREFETCH_ROWS * row_bytes), _MM_HINT_T0);
            __m256i lo = _mm256_loadu_si256((const __m256i *)(const void *)(p + 2));
            __m256i hi = two ? _mm256_loadu_si256((const __m256i *)(const void *)(p + 36))
                             : _mm256_setzero_si256();
            wq[j] = _mm512_xor_si512(_mm512_inserti64x4(_mm512_castsi256_si512(lo), hi, 1), flip);
            __m128i ha = _mm_set1_epi16((short)half_at(p));
            __m128i hb = _mm_set1_epi16(two ? (short)half_at(p + 34) : 0);
            ws[j] = _mm512_cvtph_ps(_mm256_inserti128_si256(_mm256_castsi128_si256(ha), hb, 1));
        }
        UNROLL for (int r = 0; r < RT; r++) {
            const uint8_t *row = xq + (size_t)r * stride;
            __m512i xv = _mm512_loadu_si512(row + (size_t)c * 64);
            __m512 sx =
                _mm512_loadu_ps((const float *)(const void *)(row + (size_t)nc * 64) + c * 16);
            __m512i start = _mm512_loadu_si512(
                (const int32_t *)(const void *)(row + (size_t)nc * 128) + c * 16);
            UNROLL for (int j = 0; j < OT; j++) {
                __m512i lanes = _mm512_dpbusd_epi32(start, wq[j], xv);
                acc[r][j] =
                    _mm512_fmadd_ps(_mm512_cvtepi32_ps(lanes), _mm512_mul_ps(sx, ws[j]), acc[r][j]);
            }
        }
    }
    UNROLL for (int r = 0; r < RT; r++) UNROLL for (int j = 0; j < OT; j++)
        y[(size_t)(t0 + r) * w->rows + o0 + j] = hsum(acc[r][j]) + (b ? b[o0 + j] : 0.0f);
}

VNNI static void rows_pass(float *y, const uint8_t *xq, size_t stride, int nc, int T,
                           const Matrix *w, const float *b, int t0, int lo, int hi) {
    int o = lo;
    for (; o + 4 <= hi; o += 4) {
        int t = 0;
        for (; t + 4 <= T; t += 4) tile(y, xq + t * stride, stride, nc, w, b, t0 + t, o, 4, 4);
        switch (T - t) {
        case 3: tile(y, xq + t * stride, stride, nc, w, b, t0 + t, o, 3, 4); break;
        case 2: tile(y, xq + t * stride, stride, nc, w, b, t0 + t, o, 2, 4); break;
        case 1: tile(y, xq + t * stride, stride, nc, w, b, t0 + t, o, 1, 4); break;
        }
    }
    for (; o < hi; o++) {
        int t = 0;
        for (; t + 4 <= T; t += 4) tile(y, xq + t * stride, stride, nc, w, b, t0 + t, o, 4, 1);
        for (; t < T; t++) tile(y, xq + t * stride, stride, nc, w, b, t0 + t, o, 1, 1);
    }
}

VNNI void vnni_rows_q8(float *y, const float *x, int T, const Matrix *w, const float *b, int lo,
                       int hi) {
    _Alignas(64) uint8_t buf[XBUF_BYTES];
    int nb = w->cols / 32, nc = (nb + 1) / 2;
    size_t stride = ROW_BYTES(nc);
    int per_pass = (int)(XBUF_BYTES / stride);
    if (per_pass < 1) { /* over 32768 columns: the float kernel (never in a Marian model) */
        vnni_fallback_q8(y, x, T, w, b, lo, hi);
        return;
    }
    for (int t0 = 0; t0 < T; t0 += per_pass) {
        int n = T - t0 < per_pass ? T - t0 : per_pass;
        for (int t = 0; t < n; t++)
            quantize_row(x + (size_t)(t0 + t) * w->cols, nb, buf + (size_t)t * stride, nc);
        rows_pass(y, buf, stride, nc, n, w, b, t0, lo, hi);
    }
}
#else
int vnni_available(void) { return 0; }
void vnni_rows_q8(float *y, const float *x, int T, const Matrix *w, const float *b, int lo,
                  int hi) {
    vnni_fallback_q8(y, x, T, w, b, lo, hi);
}
#endif
