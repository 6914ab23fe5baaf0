/* Kernel set 3: Q8_0 matrices times activations quantized to int8 per block of 32, with
 * AVX-512 VNNI (kernels_vnni.c), on a copy of the weights repacked at load. Changes the
 * numbers (the activations are rounded to 8 bits), not their independence from batch and
 * thread count. */
#ifndef ANUVAD_KERNELS_VNNI_H
#define ANUVAD_KERNELS_VNNI_H

#include <stddef.h>
#include <stdint.h>

#include "tensor.h"

/* 1 when the CPU has AVX-512F, AVX-512BW and AVX-512 VNNI. */
int vnni_available(void);
/* Bytes of the repacked copy of a Q8_0 matrix (as many as the Q8_0 bytes once rows are
 * rounded up to 16), and the repacking: dst 64-byte aligned, q8 the rows' Q8_0 blocks. */
size_t vnni_packed_bytes(int rows, int cols);
void vnni_pack_q8(uint8_t *dst, const uint8_t *q8, int rows, int cols);
/* Row r of a repacked matrix, dequantized (embedding lookups on a tied output matrix). */
void vnni_unpack_row(const uint8_t *packed, int cols, int r, float *out);
/* The MatKernel for MAT_Q8_0_VNNI matrices. */
void vnni_rows_q8(float *y, const float *x, int T, const Matrix *w, const float *b, int lo, int hi);
/* What it does when its scratch cannot be allocated (same bits, slower; tests call it). */
void vnni_rows_q8_sliced(float *y, const float *x, int T, const Matrix *w, const float *b, int lo,
                         int hi);
/* The input rows quantized once for several calls on them: every chunk of a product split
 * across threads, and Q, K and V, which share their input, would otherwise each quantize all
 * T rows again. The rows live in the calling thread's scratch until its next kernel call;
 * NULL when that cannot grow (the caller then uses vnni_rows_q8, which copes). */
const uint8_t *vnni_quantize_input(const float *x, int T, int cols);
/* vnni_rows_q8 on rows from vnni_quantize_input (same bits); uses no scratch of its own, so
 * any thread may run it while the quantizing thread's scratch holds xq. */
void vnni_rows_q8_quantized(float *y, const uint8_t *xq, int T, const Matrix *w, const float *b,
                            int lo, int hi);

#endif
