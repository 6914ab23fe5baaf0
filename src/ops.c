/* Kernels. The dot product uses GCC/Clang vector extensions (8 lanes, 2 accumulators) so it
 * vectorizes at -O2 on any target without intrinsics; the summation order is fixed. */
#include "ops.h"

#include <math.h>
#include <string.h>

typedef float v8f __attribute__((vector_size(32)));

/* Unaligned 8-float load; a macro, because a function returning a 32-byte vector changes
 * the ABI on targets without AVX (-Wpsabi). */
#define LOAD8(v, p) memcpy(&(v), (p), sizeof(v8f))

float ops_dot(const float *a, const float *b, int n) {
    v8f s0 = {0}, s1 = {0}, a0, b0, a1, b1;
    int i = 0;
    for (; i + 16 <= n; i += 16) {
        LOAD8(a0, a + i), LOAD8(b0, b + i), LOAD8(a1, a + i + 8), LOAD8(b1, b + i + 8);
        s0 += a0 * b0;
        s1 += a1 * b1;
    }
    if (i + 8 <= n) {
        LOAD8(a0, a + i), LOAD8(b0, b + i);
        s0 += a0 * b0;
        i += 8;
    }
    s0 += s1;
    float s = ((s0[0] + s0[4]) + (s0[1] + s0[5])) + ((s0[2] + s0[6]) + (s0[3] + s0[7]));
    for (; i < n; i++) s += a[i] * b[i];
    return s;
}

void ops_axpy(float *y, const float *x, float s, int n) {
    for (int i = 0; i < n; i++) y[i] += s * x[i];
}

void ops_add(float *y, const float *x, int n) {
    for (int i = 0; i < n; i++) y[i] += x[i];
}

typedef struct {
    float *y;
    const float *x, *w, *b;
    int T, out, in;
} LinearJob;

static void linear_rows(void *ctx, int begin, int end) {
    const LinearJob *j = ctx;
    for (int o = begin; o < end; o++) {
        const float *w = j->w + (size_t)o * j->in;
        float bias = j->b ? j->b[o] : 0.0f;
        for (int t = 0; t < j->T; t++)
            j->y[(size_t)t * j->out + o] = ops_dot(j->x + (size_t)t * j->in, w, j->in) + bias;
    }
}

void ops_linear(Pool *p, float *y, const float *x, int T, const float *w, const float *b,
                int out, int in) {
    LinearJob j = {y, x, w, b, T, out, in};
    /* Below ~32k multiply-adds a thread hand-off costs more than it saves. */
    long work = (long)T * out * in;
    pool_for(work < 32768 ? NULL : p, out, 16, linear_rows, &j);
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
    case ACT_GELU:   /* erf form, specs/marian.md */
        for (size_t i = 0; i < n; i++) x[i] = 0.5f * x[i] * (1.0f + erff(x[i] * 0.70710678118654752f));
        break;
    case ACT_SWISH:
        for (size_t i = 0; i < n; i++) x[i] = x[i] / (1.0f + expf(-x[i]));
        break;
    }
}

void ops_attend(float *out, float *w, const float *q, const float *K, const float *V, int n,
                int d, int H, const unsigned char *mask) {
    int dh = d / H;
    for (int h = 0; h < H; h++) {
        float *wh = w + (size_t)h * n, *oh = out + (size_t)h * dh;
        for (int j = 0; j < n; j++)
            wh[j] = mask && mask[j] ? -INFINITY : ops_dot(q + h * dh, K + (size_t)j * d + h * dh, dh);
        ops_softmax(wh, n);
        memset(oh, 0, (size_t)dh * sizeof *oh);
        for (int j = 0; j < n; j++) ops_axpy(oh, V + (size_t)j * d + h * dh, wh[j], dh);
    }
}
