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
/* Greedy's output layer: y = x·Wᵀ + b for T input rows, and best[t] = the index of the
 * largest y[t][o] other than o = skip (the first on ties, as torch.argmax), found by each
 * thread over the outputs it has just computed, while they are in cache, instead of in a second
 * pass over y; -1 when any y[t][o] (skip included) is not finite. */
void ops_linear_argmax(Pool *p, float *y, const float *x, int T, const Matrix *w, const float *b,
                       int skip, int *best);
/* Row r of a matrix as F32 (embedding lookups; Q8_0 rows dequantized). */
void ops_row(const Matrix *m, int r, float *out);

/* The best kernel set this CPU runs (x86-64 built with GCC or Clang): 3 AVX-512F with BW and
 * VNNI (Q8_0 times int8-quantized activations, kernels_vnni.h), 2 AVX-512F, 1 AVX2 with FMA and
 * F16C, 0 none (portable C). */
int ops_have_simd(void);
/* log Σ e^x[i] over n finite values (the log-softmax normalizer); simd (ops_have_simd) > 0: the
 * AVX2 exponential (about 1 ulp), else libm's. */
float ops_log_sum_exp(const float *x, int n, int simd);
/* Sets w->kernel for its type from kernel set `simd` (≤ ops_have_simd(); 0: portable C).
 * 0, or -1 when no kernel multiplies this type here (F16 without simd: widen it first). */
int ops_bind_kernel(Matrix *w, int simd);
/* Bytes kernel set `simd` wants for its own copy of w (0: it multiplies w where it is): set 3
 * repacks Q8_0 matrices (kernels_vnni.h). ops_pack copies w there (dst 64-byte aligned) and
 * points w at the copy, with its kernel bound; nothing when ops_pack_bytes is 0. */
size_t ops_pack_bytes(const Matrix *w, int simd);
void ops_pack(Matrix *w, void *dst, int simd);
/* The portable kernel for any type but MAT_Q8_0_VNNI, F16 included (tests compare the others with it). */
void ops_bind_portable(Matrix *w);
float ops_half_to_float(uint16_t h);
/* float -> IEEE half, round to nearest even (as numpy's astype(float16)); ±inf past 65504. */
uint16_t ops_float_to_half(float f);

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
