/* Numeric kernels: the only hot code. Everything calls ops_linear for its matrix products. */
#ifndef ANUVAD_OPS_H
#define ANUVAD_OPS_H

#include <stddef.h>
#include <stdint.h>

#include "pool.h"
#include "tensor.h"

/* y[t][o] = x[t]·W[o] + b[o] for t < T, W [out][in] row-major; b may be NULL. Output rows
 * are split across the pool's threads; each y element is computed by one thread with the
 * same instruction sequence, so the result does not depend on the thread count. */
void ops_linear(Pool *p, float *y, const float *x, int T, const Matrix *w, const float *b);
static inline void ops_apply(Pool *p, float *y, const float *x, int T, const Linear *l) {
    ops_linear(p, y, x, T, &l->w, l->b);
}
/* n ≤ 4 products of the same input (Q, K and V): y[i] = x·W_iᵀ + b_i, handed to the pool as
 * one job over all their rows, so small matrices still split across threads. */
void ops_linear_n(Pool *p, int n, float *const *y, const float *x, int T, const Linear *const *l);
/* Row r of a matrix as F32 (embedding lookups). */
void ops_row(const Matrix *m, int r, float *out);

/* 1 if this CPU has AVX2, FMA and F16C (x86-64 built with GCC or Clang), else 0. */
int ops_have_simd(void);
/* log Σ e^x[i] over n finite values (the log-softmax normalizer); simd: the AVX2 exponential
 * (about 1 ulp; ops_have_simd), else libm's. */
float ops_log_sum_exp(const float *x, int n, int simd);
/* Sets w->kernel for its type: the AVX2 ones when simd (ops_have_simd), else portable C.
 * 0, or -1 when no kernel multiplies this type here (F16 without simd: widen it first). */
int ops_bind_kernel(Matrix *w, int simd);
float ops_half_to_float(uint16_t h);

float ops_dot(const float *a, const float *b, int n);
/* y = x·s + y */
void ops_axpy(float *y, const float *x, float s, int n);
void ops_add(float *y, const float *x, int n);

/* Per row of d: (x - mean) / sqrt(var + eps) · g + b (biased variance, as torch). */
void ops_layer_norm(float *y, const float *x, int T, int d, const Norm *n, float eps);
/* In place; -inf entries get probability 0. */
void ops_softmax(float *x, int n);
void ops_activate(float *x, size_t n, Activation a);

/* One query row against n keys, all heads: for head h, w[h][j] = softmax_j(q_h·K[j]_h) over
 * unmasked j (mask[j] != 0 masks; mask may be NULL), out_h = Σ_j w[h][j]·V[j]_h. q is already
 * scaled by dh^-0.5; K and V rows have stride d; w is [H][n]. */
void ops_attend(float *out, float *w, const float *q, const float *K, const float *V, int n, int d,
                int H, const unsigned char *mask);

#endif
