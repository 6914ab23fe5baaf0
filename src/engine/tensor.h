/* What the forward passes compute with: matrices (views into the model file, or widened copies),
 * linear layers, layer norms, activations. Each matrix carries the kernel that multiplies by
 * it, chosen once at load from its storage type and the CPU (ops_bind_kernel), so a new
 * storage type (Q8_0) is a new kernel, not a new branch in every caller. */
#ifndef ANUVAD_TENSOR_H
#define ANUVAD_TENSOR_H

#include <stddef.h>
#include <stdint.h>

typedef enum { ACT_RELU, ACT_GELU, ACT_SWISH } Activation;

/* MAT_Q8_0_VNNI: Q8_0 repacked at load for kernel set 3 (ops_pack, kernels_vnni.c). */
typedef enum { MAT_F32, MAT_F16, MAT_Q8_0, MAT_Q8_0_VNNI } MatType;

typedef struct Matrix Matrix;

/* y[t][o] = x[t]·W[o] + b[o] for input rows t < T and output rows o in [lo, hi); x rows are
 * cols floats apart, y rows `rows` floats apart; b may be NULL. One pass over W[lo, hi) for
 * all T input rows, and y[t] has the same bits whatever T is (kernel_tmpl.h). */
typedef void (*MatKernel)(float *y, const float *x, int T, const Matrix *w, const float *b, int lo,
                          int hi);

/* Q8_0 as GGML stores it, in the file and in memory (docs/format.md): a row is cols / Q8_BLOCK
 * blocks, each a half scale then Q8_BLOCK int8, weight = scale·q; cols a multiple of Q8_BLOCK. */
enum { Q8_BLOCK = 32, Q8_BLOCK_BYTES = 2 + Q8_BLOCK };
static inline size_t q8_row_bytes(uint64_t cols) {
    return (size_t)(cols / Q8_BLOCK) * Q8_BLOCK_BYTES;
}

/* A row-major matrix [rows][cols]: F32, IEEE halves, or Q8_0. */
struct Matrix {
    const void *data;
    MatType type;
    int rows, cols;
    MatKernel kernel;
};

/* y = x·Wᵀ + b with W [out][in] row-major (PyTorch Linear). */
typedef struct {
    Matrix w;
    const float *b;
} Linear;

typedef struct {
    const float *g, *b;
} Norm;

#endif
