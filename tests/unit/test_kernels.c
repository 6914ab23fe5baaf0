/* Matrix kernels (kernel_tmpl.h, kernels.c) against each other and against double-precision
 * sums:
 *  - the portable F32 kernel is within rounding of a double sum;
 *  - every kernel set, every type: T rows at once give the bits of each row alone (GEMM =
 *    GEMV), and any split of the output rows gives the bits of the whole (thread counts);
 *  - Q8_0 gives the bits of the same set's F32 kernel on the dequantized matrix;
 *  - the SIMD sets (AVX2, AVX-512 where the CPU has them) are within rounding of portable;
 *  - set 3 (AVX-512 VNNI, Q8_0 times int8 activations) gives the bits of a scalar copy of its
 *    math, and is within the activation rounding's bound of the exact product;
 *  - the fused output layer + argmax picks what a scan of ops_linear's output picks;
 *  - float -> half rounds to nearest even and round-trips every half. */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "engine/kernels_vnni.h"
#include "engine/ops.h"
#include "engine/quantize.h"
#include "engine/vexpf.h"

static uint64_t rng = 88172645463325252ull;
static float urand(void) { /* xorshift64, uniform in [-1, 1) */
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
    return (float)((rng >> 40) / 8388608.0 - 1.0);
}

/* Set 3's repacked copies (ops_pack), freed by drop(). */
static void *packs[16];
static int n_packs;

typedef struct {
    int rows, cols;
    float *f; /* F32 values (for Q8_0: the dequantized ones) */
    uint16_t *h;
    uint8_t *q;  /* Q8_0, only when cols % 32 == 0 */
    Matrix m[3]; /* F32, F16, Q8_0 views */
} Mats;

static void make(Mats *s, int rows, int cols) {
    s->rows = rows, s->cols = cols;
    size_t n = (size_t)rows * cols;
    s->f = malloc(n * sizeof *s->f);
    s->h = malloc(n * sizeof *s->h);
    s->q = malloc(n / 32 * 34 + 1);
    for (size_t i = 0; i < n; i++) s->f[i] = urand() * 0.5f;
    for (size_t i = 0; i < n; i++) s->h[i] = ops_float_to_half(s->f[i]);
    s->m[0] = (Matrix){s->f, MAT_F32, rows, cols, NULL};
    s->m[1] = (Matrix){s->h, MAT_F16, rows, cols, NULL};
    s->m[2] = (Matrix){s->q, MAT_Q8_0, rows, cols, NULL};
    if (cols % 32 == 0) {
        for (int r = 0; r < rows; r++)
            ck_assert_int_eq(quantize_q8_0_row(s->f + (size_t)r * cols, cols,
                                               s->q + (size_t)r * (cols / 32) * 34),
                             0);
        for (int r = 0; r < rows; r++) ops_row(&s->m[2], r, s->f + (size_t)r * cols);
    }
}

static void drop(Mats *s) {
    while (n_packs) free(packs[--n_packs]);
    free(s->f);
    free(s->h);
    free(s->q);
}

/* Kernel set: 0 portable, 1 AVX2, 2 AVX-512, 3 AVX-512 with VNNI (differs from 2 in Q8_0 only:
 * the matrix is repacked, as the model loader does). 0, or -1 if this machine has no such set. */
static int bind(Matrix *w, int set) {
    if (!set) return ops_bind_portable(w), 0;
    if (ops_have_simd() < set) return -1;
    int rc = ops_bind_kernel(w, set);
    size_t bytes = ops_pack_bytes(w, set);
    if (!rc && bytes) {
        ck_assert_int_lt(n_packs, 16);
        packs[n_packs] = aligned_alloc(64, (bytes + 63) / 64 * 64);
        ops_pack(w, packs[n_packs++], set);
    }
    return rc;
}
#define N_SETS 4

static const int shapes[][2] = {{1, 32},  {5, 7},   {3, 13},  {17, 64}, {9, 40},
                                {33, 96}, {6, 160}, {4, 512}, {150, 64}};
#define N_SHAPES (int)(sizeof shapes / sizeof shapes[0])
#define MAX_T 9

static float *input(int T, int cols) {
    float *x = malloc((size_t)T * cols * sizeof *x);
    for (size_t i = 0; i < (size_t)T * cols; i++) x[i] = urand();
    return x;
}

START_TEST(portable_f32_near_double) {
    Mats s;
    make(&s, shapes[_i][0], shapes[_i][1]);
    float *x = input(MAX_T, s.cols), *y = malloc((size_t)MAX_T * s.rows * sizeof *y);
    bind(&s.m[0], 0);
    s.m[0].kernel(y, x, MAX_T, &s.m[0], NULL, 0, s.rows);
    for (int t = 0; t < MAX_T; t++)
        for (int o = 0; o < s.rows; o++) {
            double d = 0, mag = 0;
            for (int k = 0; k < s.cols; k++) {
                d += (double)x[t * s.cols + k] * s.f[(size_t)o * s.cols + k];
                mag += fabs((double)x[t * s.cols + k] * s.f[(size_t)o * s.cols + k]);
            }
            ck_assert_msg(fabs(y[t * s.rows + o] - d) <= 1e-6 * mag + 1e-7, "%g vs %g",
                          y[t * s.rows + o], d);
        }
    free(x), free(y), drop(&s);
}
END_TEST

/* One set, one type: batch = rows alone, split = whole, bias added. */
static void check_consistent(Matrix *w, const float *b, int set) {
    float *x = input(MAX_T, w->cols);
    size_t n = (size_t)MAX_T * w->rows;
    float *all = malloc(n * sizeof *all), *one = malloc(n * sizeof *one);
    float *split = malloc(n * sizeof *split);
    for (int T = 1; T <= MAX_T; T++) {
        w->kernel(all, x, T, w, b, 0, w->rows);
        for (int t = 0; t < T; t++)
            w->kernel(one + (size_t)t * w->rows, x + (size_t)t * w->cols, 1, w, b, 0, w->rows);
        ck_assert_msg(!memcmp(all, one, (size_t)T * w->rows * sizeof *all),
                      "set %d type %d %dx%d: %d rows at once differ from one by one", set, w->type,
                      w->rows, w->cols, T);
        for (int lo = 0, step = 1; lo < w->rows; lo += step, step = step % 5 + 1) {
            int hi = lo + step < w->rows ? lo + step : w->rows;
            w->kernel(split, x, T, w, b, lo, hi);
        }
        ck_assert_msg(!memcmp(all, split, (size_t)T * w->rows * sizeof *all),
                      "set %d type %d %dx%d T %d: split output rows differ", set, w->type, w->rows,
                      w->cols, T);
    }
    free(x), free(all), free(one), free(split);
}

START_TEST(batch_and_split_same_bits) {
    Mats s;
    make(&s, shapes[_i][0], shapes[_i][1]);
    float *b = input(1, s.rows);
    for (int set = 0; set < N_SETS; set++)
        for (int ty = 0; ty < 3; ty++) {
            if (ty == 2 && s.cols % 32) continue;
            if (bind(&s.m[ty], set)) continue;
            check_consistent(&s.m[ty], ty == 1 ? NULL : b, set);
        }
    free(b), drop(&s);
}
END_TEST

START_TEST(q8_0_is_f32_of_dequantized) {
    Mats s;
    make(&s, shapes[_i][0], shapes[_i][1]);
    if (s.cols % 32) {
        drop(&s);
        return;
    }
    float *x = input(MAX_T, s.cols), *b = input(1, s.rows);
    size_t n = (size_t)MAX_T * s.rows;
    float *yq = malloc(n * sizeof *yq), *yf = malloc(n * sizeof *yf);
    for (int set = 0; set < 3; set++) { /* set 3 rounds the activations: vnni_* below */
        if (bind(&s.m[0], set) || bind(&s.m[2], set)) continue;
        s.m[2].kernel(yq, x, MAX_T, &s.m[2], b, 0, s.rows);
        s.m[0].kernel(yf, x, MAX_T, &s.m[0], b, 0, s.rows);
        ck_assert_msg(!memcmp(yq, yf, n * sizeof *yq), "set %d %dx%d", set, s.rows, s.cols);
    }
    free(x), free(b), free(yq), free(yf), drop(&s);
}
END_TEST

START_TEST(simd_near_portable) {
    Mats s;
    make(&s, shapes[_i][0], shapes[_i][1]);
    float *x = input(MAX_T, s.cols);
    size_t n = (size_t)MAX_T * s.rows;
    float *yp = malloc(n * sizeof *yp), *ys = malloc(n * sizeof *ys);
    for (int set = 1; set < N_SETS; set++)
        for (int ty = 0; ty < 3; ty++) {
            if (ty == 2 && (s.cols % 32 || set == 3)) continue;
            Matrix p = s.m[ty], v = s.m[ty];
            if (bind(&v, set)) continue;
            bind(&p, 0);
            p.kernel(yp, x, MAX_T, &p, NULL, 0, s.rows);
            v.kernel(ys, x, MAX_T, &v, NULL, 0, s.rows);
            for (size_t i = 0; i < n; i++)
                ck_assert_msg(fabsf(yp[i] - ys[i]) <= 1e-5f * (1 + fabsf(yp[i])),
                              "set %d type %d %dx%d: %g vs %g", set, ty, s.rows, s.cols, yp[i],
                              ys[i]);
        }
    free(x), free(yp), free(ys), drop(&s);
}
END_TEST

/* Set 3's math in scalar C, written from its description in kernels_vnni.c, not from its code:
 * each 32-block of x quantized (d = max|x| / 127 as a float, q = x·(1/d) rounded to nearest
 * even); per block the exact integer sum S of q·w, then acc = fma(float(S), dx·dw rounded,
 * acc), block after block; then the bias. */
static float vnni_reference(const float *x, const uint8_t *wrow, int cols, float bias) {
    float acc = 0;
    for (int blk = 0; blk < cols / 32; blk++) {
        const float *xb = x + blk * 32;
        const uint8_t *p = wrow + (size_t)blk * 34;
        float amax = 0, zero = 0;
        for (int k = 0; k < 32; k++) {
            amax = fabsf(xb[k]) > amax ? fabsf(xb[k]) : amax;
            zero += xb[k] * 0.0f;
        }
        float dx = amax / 127.0f + zero;
        float id = dx != 0 && dx == dx ? 1.0f / dx : 0.0f;
        float dw = ops_half_to_float((uint16_t)(p[0] | p[1] << 8));
        long sum = 0;
        for (int k = 0; k < 32; k++) {
            float v = nearbyintf(xb[k] * id);
            long q = v != v ? -128 : v > 127 ? 127 : v < -128 ? -128 : (long)v;
            sum += q * (int8_t)p[2 + k];
        }
        acc = fmaf((float)sum, dx * dw, acc);
    }
    return acc + bias;
}

static const int vnni_shapes[][2] = {{1, 32},   {5, 64},   {7, 96},   {9, 160},
                                     {13, 512}, {3, 2048}, {300, 64}, {40, 96}};
#define VNNI_T 70 /* over one pass of input rows (64) */
#define N_VNNI (int)(sizeof vnni_shapes / sizeof vnni_shapes[0])

START_TEST(vnni_is_scalar_copy) {
    Mats s;
    make(&s, vnni_shapes[_i][0], vnni_shapes[_i][1]);
    Matrix *w = &s.m[2];
    if (bind(w, 3)) {
        drop(&s);
        return; /* no VNNI on this CPU */
    }
    float *x = input(VNNI_T, s.cols), *b = input(1, s.rows);
    for (int k = 0; k < 32; k++) x[k] = 0; /* a zero block: scale 0 */
    x[s.cols + 3] = 1e-30f;                /* a block of one tiny value */
    size_t n = (size_t)VNNI_T * s.rows;
    float *y = malloc(n * sizeof *y), *sliced = malloc(n * sizeof *y);
    w->kernel(y, x, VNNI_T, w, b, 0, s.rows);
    size_t row_bytes = (size_t)s.cols / 32 * 34;
    for (int t = 0; t < VNNI_T; t++)
        for (int o = 0; o < s.rows; o++) {
            float want = vnni_reference(x + (size_t)t * s.cols, s.q + o * row_bytes, s.cols, b[o]);
            ck_assert_msg(!memcmp(&want, &y[t * s.rows + o], sizeof want),
                          "%dx%d t %d o %d: %.9g, scalar copy %.9g", s.rows, s.cols, t, o,
                          y[t * s.rows + o], want);
        }
    /* The out-of-memory path, over a split of the output rows. */
    int mid = s.rows / 3;
    vnni_rows_q8_sliced(sliced, x, VNNI_T, w, b, 0, mid);
    vnni_rows_q8_sliced(sliced, x, VNNI_T, w, b, mid, s.rows);
    ck_assert(!memcmp(y, sliced, n * sizeof *y));
    /* Rows quantized once for several calls (ops.c: threads' chunks; Q, K and V). */
    const uint8_t *xq = vnni_quantize_input(x, VNNI_T, s.cols);
    ck_assert_ptr_nonnull(xq);
    memset(sliced, 0, n * sizeof *sliced);
    vnni_rows_q8_quantized(sliced, xq, VNNI_T, w, b, 0, mid);
    vnni_rows_q8_quantized(sliced, xq, VNNI_T, w, b, mid, s.rows);
    ck_assert(!memcmp(y, sliced, n * sizeof *y));
    /* Rows of the repacked matrix read back as the Q8_0 ones. */
    float *r = malloc((size_t)s.cols * sizeof *r);
    for (int o = 0; o < s.rows; o++) { /* s.f: the Q8_0 rows dequantized */
        ops_row(w, o, r);
        ck_assert(!memcmp(r, s.f + (size_t)o * s.cols, (size_t)s.cols * sizeof *r));
    }
    free(r);
    free(x), free(b), free(y), free(sliced), drop(&s);
}
END_TEST

/* Against the exact product of x and the dequantized weights: rounding x to 8 bits moves
 * each x by at most d/2, so each block's sum by at most (max|x| / 254)·Σ|w|. */
START_TEST(vnni_within_activation_rounding) {
    Mats s;
    make(&s, vnni_shapes[_i][0], vnni_shapes[_i][1]);
    Matrix *w = &s.m[2];
    if (bind(w, 3)) {
        drop(&s);
        return;
    }
    float *x = input(MAX_T, s.cols), *y = malloc((size_t)MAX_T * s.rows * sizeof *y);
    w->kernel(y, x, MAX_T, w, NULL, 0, s.rows);
    for (int t = 0; t < MAX_T; t++)
        for (int o = 0; o < s.rows; o++) {
            double exact = 0, bound = 0, mag = 0;
            for (int blk = 0; blk < s.cols / 32; blk++) {
                double amax = 0, wsum = 0;
                for (int k = blk * 32; k < blk * 32 + 32; k++) {
                    double xv = x[t * s.cols + k], wv = s.f[(size_t)o * s.cols + k];
                    exact += xv * wv, mag += fabs(xv * wv), wsum += fabs(wv);
                    amax = fabs(xv) > amax ? fabs(xv) : amax;
                }
                bound += amax / 254 * wsum;
            }
            double got = y[t * s.rows + o];
            ck_assert_msg(fabs(got - exact) <= bound * 1.001 + 1e-6 * mag,
                          "%dx%d: %g vs exact %g, bound %g", s.rows, s.cols, got, exact, bound);
        }
    free(x), free(y), drop(&s);
}
END_TEST

/* NaN in the input reaches the output (the fused argmax relies on it); a row wider than the
 * out-of-memory path's stack slice still gives the scalar copy's bits, on both paths. */
START_TEST(vnni_nan_and_wide) {
    Mats s;
    make(&s, 2, 32800);
    Matrix v = s.m[2];
    if (bind(&v, 3)) {
        drop(&s);
        return;
    }
    float *x = input(1, s.cols), yv[2], ys[2];
    v.kernel(yv, x, 1, &v, NULL, 0, 2);
    vnni_rows_q8_sliced(ys, x, 1, &v, NULL, 0, 2);
    for (int o = 0; o < 2; o++) {
        float want = vnni_reference(x, s.q + (size_t)o * (s.cols / 32) * 34, s.cols, 0);
        ck_assert(!memcmp(&want, &yv[o], sizeof want) && !memcmp(&want, &ys[o], sizeof want));
    }
    drop(&s);
    make(&s, 3, 64);
    v = s.m[2];
    bind(&v, 3);
    x[40] = NAN;
    v.kernel(yv, x, 1, &v, NULL, 0, 2);
    ck_assert(isnan(yv[0]) && isnan(yv[1]));
    x[40] = INFINITY;
    v.kernel(yv, x, 1, &v, NULL, 0, 2);
    ck_assert(!isfinite(yv[0]) && !isfinite(yv[1]));
    free(x), drop(&s);
}
END_TEST

/* Through ops.c's jobs, where kernel set 3's input is quantized once per job (Q, K and V of
 * one input; every thread's chunk): the bits of each matrix's own kernel, at any thread count,
 * for more input rows than one pass holds, and in the fused argmax. */
START_TEST(vnni_jobs_same_bits) {
    enum { T = 70 };
    static const int rows[3] = {48, 17, 100};
    Mats s[3];
    const Linear *l[3];
    Linear lin[3];
    float *want[3], *got[3];
    for (int i = 0; i < 3; i++) {
        make(&s[i], rows[i], 96);
        if (bind(&s[i].m[2], 3)) {
            for (int k = 0; k <= i; k++) drop(&s[k]);
            return; /* no VNNI on this CPU */
        }
        lin[i] = (Linear){s[i].m[2], NULL};
        l[i] = &lin[i];
        want[i] = malloc((size_t)T * rows[i] * sizeof *want[i]);
        got[i] = malloc((size_t)T * rows[i] * sizeof *got[i]);
    }
    float *x = input(T, 96);
    for (int i = 0; i < 3; i++) lin[i].w.kernel(want[i], x, T, &lin[i].w, NULL, 0, rows[i]);
    for (int threads = 1; threads <= 3; threads++) {
        Pool *p = pool_new(threads);
        pool_set_min_work(p, 0);
        for (int i = 0; i < 3; i++) memset(got[i], 0, (size_t)T * rows[i] * sizeof *got[i]);
        ops_linear_n(p, 3, got, x, T, l);
        for (int i = 0; i < 3; i++)
            ck_assert_msg(!memcmp(want[i], got[i], (size_t)T * rows[i] * sizeof *got[i]),
                          "threads %d: product %d differs", threads, i);
        ops_linear(p, got[2], x, T, &lin[2].w, NULL);
        ck_assert(!memcmp(want[2], got[2], (size_t)T * rows[2] * sizeof *got[2]));
        int best[T];
        ops_linear_argmax(p, got[2], x, T, &lin[2].w, NULL, -1, best);
        ck_assert(!memcmp(want[2], got[2], (size_t)T * rows[2] * sizeof *got[2]));
        for (int t = 0; t < T; t++) {
            const float *r = want[2] + (size_t)t * rows[2];
            int b = 0;
            for (int o = 1; o < rows[2]; o++)
                if (r[o] > r[b]) b = o;
            ck_assert_int_eq(best[t], b);
        }
        pool_free(p);
    }
    free(x);
    for (int i = 0; i < 3; i++) free(want[i]), free(got[i]);
    for (int i = 2; i >= 0; i--) drop(&s[i]);
}
END_TEST

/* ops_dot and ops_axpy (attention, norms) in the portable code's order, written out in scalar
 * C: the AVX-512 versions must give its bits, so outputs do not depend on the CPU there. */
START_TEST(dot_and_axpy_portable_order) {
    float a[80], b[80], y[80], want[80];
    for (int i = 0; i < 80; i++) a[i] = urand() * 3, b[i] = urand(), y[i] = urand();
    for (int n = 0; n <= 80; n++) {
        float l[4][4] = {{0}}, t[4];
        int i = 0;
        for (; i + 16 <= n; i += 16)
            for (int g = 0; g < 4; g++)
                for (int k = 0; k < 4; k++) l[g][k] += a[i + 4 * g + k] * b[i + 4 * g + k];
        for (; i + 4 <= n; i += 4)
            for (int k = 0; k < 4; k++) l[0][k] += a[i + k] * b[i + k];
        for (int k = 0; k < 4; k++) t[k] = (l[0][k] + l[1][k]) + (l[2][k] + l[3][k]);
        float r = (t[0] + t[1]) + (t[2] + t[3]);
        for (; i < n; i++) r += a[i] * b[i];
        float got = ops_dot(a, b, n);
        ck_assert_msg(!memcmp(&got, &r, sizeof r), "n %d: %.9g, portable order %.9g", n, got, r);
        for (int k = 0; k < n; k++) want[k] = y[k] + 0.37f * a[k];
        ops_axpy(y, a, 0.37f, n);
        ck_assert(!memcmp(y, want, (size_t)n * sizeof *y));
    }
}
END_TEST

/* The vector expf (swish, softmax) against vexpf_reference, its method in scalar C, and against
 * libm's expf, whose bits it is to give where the C library is glibc (2.27 and later): a float
 * of every 4099 in (-88, 88) (the whole range was checked once, every float), ±0, the edges,
 * and values past them, which go to libm. */
START_TEST(vector_expf_is_libm) {
    if (!vexpf_built() || ops_have_simd() < 2) return;
    enum { N = 8 * 64 + 5 };
    float x[N], want[N], ref[N], sx[N];
    int n = 0, glibc = 0;
#if defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 27)
    glibc = 1;
#endif
    static const float edge[] = {0.0f,    -0.0f,  87.99999f, -87.99999f, 88.0f,     -88.0f, 103.9f,
                                 -103.9f, 1e-30f, -1e-30f,   INFINITY,   -INFINITY, NAN,    200.0f};
    for (uint64_t u = 0; u <= 0xffffffffu; u += 4099) {
        uint32_t bits = (uint32_t)u;
        float v;
        memcpy(&v, &bits, sizeof v);
        if (n < (int)(sizeof edge / sizeof *edge)) v = edge[n];
        else if (!(fabsf(v) < 88.0f)) continue;
        x[n++] = v;
        if (n < N && u + 4099 <= 0xffffffffu) continue;
        for (int i = 0; i < n; i++) {
            want[i] = expf(x[i]);
            ref[i] = vexpf_reference(x[i]);
            sx[i] = x[i] / (1.0f + expf(-x[i]));
        }
        float y[N], s[N];
        memcpy(y, x, sizeof y);
        memcpy(s, x, sizeof s);
        vexpf_shifted(y, n, 0.0f);
        vexpf_swish(s, (size_t)n);
        for (int i = 0; i < n; i++) {
            float w = x[i] == -INFINITY ? 0.0f : want[i];
            ck_assert_msg(!memcmp(&y[i], &ref[i], 4) || (x[i] == -INFINITY && y[i] == 0),
                          "expf(%a): %a, reference %a", x[i], y[i], ref[i]);
            if (glibc) {
                ck_assert_msg(!memcmp(&y[i], &w, 4) || (isnan(y[i]) && isnan(w)),
                              "expf(%a): %a, libm %a", x[i], y[i], w);
                ck_assert_msg(!memcmp(&s[i], &sx[i], 4) || (isnan(s[i]) && isnan(sx[i])),
                              "swish(%a): %a, libm %a", x[i], s[i], sx[i]);
            }
        }
        n = 0;
    }
    /* The softmax's shift and its -inf entries (masked positions), through ops_softmax. */
    float p[19], q[19];
    for (int i = 0; i < 19; i++) p[i] = i % 5 == 2 ? -INFINITY : urand() * 20;
    float max = -INFINITY, sum = 0;
    for (int i = 0; i < 19; i++) max = p[i] > max ? p[i] : max;
    for (int i = 0; i < 19; i++) sum += q[i] = p[i] == -INFINITY ? 0.0f : expf(p[i] - max);
    for (int i = 0; i < 19; i++) q[i] *= 1.0f / sum;
    ops_softmax(p, 19);
    if (glibc) ck_assert(!memcmp(p, q, sizeof p));
}
END_TEST

/* Layer norm of many rows at once (four side by side) gives each row the bits it gets alone,
 * for widths with and without the 4-column transposes, in place too. */
START_TEST(layer_norm_rows_same_bits) {
    enum { T = 11, D = 132 };
    static float x[T * D], y[T * D], one[D], g[D], b[D];
    for (int i = 0; i < T * D; i++) x[i] = urand() * (1 + i % 7);
    for (int i = 0; i < D; i++) g[i] = 1 + urand() * 0.1f, b[i] = urand() * 0.1f;
    Norm nrm = {g, b};
    for (int d = 128; d <= D; d += 3) { /* 128, 131 */
        ops_layer_norm(y, x, T, d, &nrm, 1e-5f);
        for (int t = 0; t < T; t++) {
            ops_layer_norm(one, x + t * d, 1, d, &nrm, 1e-5f);
            ck_assert_msg(!memcmp(one, y + t * d, (size_t)d * sizeof *one), "d %d row %d", d, t);
        }
        memcpy(one, x + 5 * d, (size_t)d * sizeof *one);
        ops_layer_norm(x, x, T, d, &nrm, 1e-5f);
        ck_assert(!memcmp(x, y, (size_t)T * d * sizeof *x));
        memcpy(x + 5 * d, one, (size_t)d * sizeof *one); /* x is y now; any input will do */
    }
}
END_TEST

/* The fused argmax against ops_linear + a plain scan, for several rows at once, with ties
 * (equal rows) and the skipped row made the largest, over thread counts; a NaN weight gives
 * -1 for every row (each row's output meets it). */
START_TEST(linear_argmax) {
    enum { T = 37 }; /* more rows than one job holds */
    Mats s;
    make(&s, 1000, 64);
    float *x = input(T, s.cols), *b = input(1, s.rows);
    float *y = malloc((size_t)T * s.rows * sizeof *y), *ref = malloc((size_t)T * s.rows * 4);
    memcpy(s.f + 700 * 64, s.f + 300 * 64, 64 * sizeof *s.f); /* rows 300 and 700 tie */
    b[700] = b[300] = 50, b[5] = 60;
    Matrix *w = &s.m[0];
    int best[T];
    for (int threads = 1; threads <= 3; threads++) {
        Pool *p = pool_new(threads);
        pool_set_min_work(p, 0);
        for (int set = 0; set < N_SETS; set++) {
            if (bind(w, set)) continue;
            ops_linear(p, ref, x, T, w, b);
            ops_linear_argmax(p, y, x, T, w, b, 5, best);
            ck_assert(!memcmp(y, ref, (size_t)T * s.rows * sizeof *y));
            for (int t = 0; t < T; t++) {
                const float *r = ref + (size_t)t * s.rows;
                int want = -1;
                for (int o = 0; o < s.rows; o++)
                    if (o != 5 && (want < 0 || r[o] > r[want])) want = o;
                ck_assert_int_eq(best[t], want);
                ck_assert_int_eq(want, 300);
            }
            ops_linear_argmax(p, y, x, T, w, b, -1, best);
            for (int t = 0; t < T; t++) ck_assert_int_eq(best[t], 5);
            s.f[900 * 64 + 3] = NAN;
            ops_linear_argmax(p, y, x, T, w, b, 5, best);
            for (int t = 0; t < T; t++) ck_assert_int_eq(best[t], -1);
            s.f[5 * 64 + 3] = NAN; /* the skipped row counts too */
            s.f[900 * 64 + 3] = 0;
            ops_linear_argmax(p, y, x, T, w, b, 5, best);
            for (int t = 0; t < T; t++) ck_assert_int_eq(best[t], -1);
            s.f[5 * 64 + 3] = 0;
        }
        pool_free(p);
    }
    free(x), free(b), free(y), free(ref), drop(&s);
}
END_TEST

START_TEST(half_rounding) {
    for (uint32_t h = 0; h < 65536; h++) {
        if ((h & 0x7c00) == 0x7c00 && (h & 0x3ff)) continue; /* nan payloads */
        ck_assert_uint_eq(ops_float_to_half(ops_half_to_float((uint16_t)h)), h);
    }
    ck_assert_uint_eq(ops_float_to_half(1.0f + 0x1p-11f), 0x3c00);     /* tie: to even */
    ck_assert_uint_eq(ops_float_to_half(1.0f + 3 * 0x1p-11f), 0x3c02); /* tie: to even */
    ck_assert_uint_eq(ops_float_to_half(1.0f + 0x1p-11f + 0x1p-20f), 0x3c01);
    ck_assert_uint_eq(ops_float_to_half(65519.0f), 0x7bff);
    ck_assert_uint_eq(ops_float_to_half(65520.0f), 0x7c00);
    ck_assert_uint_eq(ops_float_to_half(-0x1p-25f), 0x8000); /* subnormal tie */
    ck_assert_uint_eq(ops_float_to_half(3 * 0x1p-25f), 0x0002);
    ck_assert_uint_eq(ops_float_to_half(0x1p-14f - 0x1p-26f), 0x0400); /* up to the normal */
    ck_assert_uint_eq(ops_float_to_half(NAN) & 0x7e00, 0x7e00);
}
END_TEST

START_TEST(quantize_refuses_non_finite) {
    float x[64] = {0};
    uint8_t q[68];
    ck_assert_int_eq(quantize_q8_0_row(x, 64, q), 0);
    ck_assert_int_eq(q[0] | q[1] | q[40], 0); /* zero block: scale 0, q 0 */
    x[40] = INFINITY;
    ck_assert_int_eq(quantize_q8_0_row(x, 64, q), -1);
    x[40] = 1e7f; /* scale 78740 > 65504 */
    ck_assert_int_eq(quantize_q8_0_row(x, 64, q), -1);
}
END_TEST

int main(void) {
    Suite *s = suite_create("kernels");
    TCase *tc = tcase_create("kernels");
    /* Check's default 4 s is per test, wall-clock: vector_expf_is_libm (a million values) took
     * longer than that on a machine busy with other work, which says nothing about the kernels. */
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, portable_f32_near_double, 0, N_SHAPES);
    tcase_add_loop_test(tc, batch_and_split_same_bits, 0, N_SHAPES);
    tcase_add_loop_test(tc, q8_0_is_f32_of_dequantized, 0, N_SHAPES);
    tcase_add_loop_test(tc, simd_near_portable, 0, N_SHAPES);
    tcase_add_loop_test(tc, vnni_is_scalar_copy, 0, N_VNNI);
    tcase_add_loop_test(tc, vnni_within_activation_rounding, 0, N_VNNI);
    tcase_add_test(tc, vnni_nan_and_wide);
    tcase_add_test(tc, vnni_jobs_same_bits);
    tcase_add_test(tc, dot_and_axpy_portable_order);
    tcase_add_test(tc, vector_expf_is_libm);
    tcase_add_test(tc, layer_norm_rows_same_bits);
    tcase_add_test(tc, linear_argmax);
    tcase_add_test(tc, half_rounding);
    tcase_add_test(tc, quantize_refuses_non_finite);
    suite_add_tcase(s, tc);
    return check_run(s);
}
