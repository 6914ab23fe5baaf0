/* Kernel set 3: Q8_0 matrices times activations quantized to int8 per block of 32, with
 * AVX-512 VNNI (kernels_vnni.c). Changes the numbers (the activations are rounded to 8 bits),
 * not their independence from batch and thread count. */
#ifndef ANUVAD_KERNELS_VNNI_H
#define ANUVAD_KERNELS_VNNI_H

#include "tensor.h"

/* 1 when the CPU has AVX-512F, AVX-512BW and AVX-512 VNNI. */
int vnni_available(void);
/* A MatKernel for MAT_Q8_0 matrices. */
void vnni_rows_q8(float *y, const float *x, int T, const Matrix *w, const float *b, int lo, int hi);
/* What it falls back to past 32768 columns (kernels.c: the AVX-512F float Q8_0 kernel). */
void vnni_fallback_q8(float *y, const float *x, int T, const Matrix *w, const float *b, int lo,
                      int hi);

#endif
