/* What the forward passes compute with: matrices (views into the model file, or widened copies),
 * linear layers, layer norms, activations. Each matrix carries the kernel that multiplies by
 * it, chosen once at load from its storage type and the CPU (ops_bind_kernel), so a new
 * storage type (Q8_0) is a new kernel, not a new branch in every caller. */
#ifndef ANUVAD_TENSOR_H
#define ANUVAD_TENSOR_H

typedef enum { ACT_RELU, ACT_GELU, ACT_SWISH } Activation;

typedef enum { MAT_F32, MAT_F16 } MatType;

typedef struct Matrix Matrix;

/* y[o] = x·W[o] + b[o] for output rows o in [lo, hi) of one input row x; b may be NULL. */
typedef void (*MatKernel)(float *y, const float *x, const Matrix *w, const float *b, int lo,
                          int hi);

/* The same for two input rows x0, x1 (stride cols) into y0, y1 (stride rows) at once: each
 * weight is read once for both, and each row's result is the same bits as `kernel` gives. */
typedef void (*MatKernel2)(float *y, const float *x, const Matrix *w, const float *b, int lo,
                           int hi);

/* A row-major matrix [rows][cols]: F32, or IEEE halves. */
struct Matrix {
    const void *data;
    MatType type;
    int rows, cols;
    MatKernel kernel;
    MatKernel2 kernel2; /* NULL: rows one at a time */
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
