/* expf eight at a time with AVX-512F (vexpf.c), with the bits of glibc's expf, for the swish
 * activation and the attention softmax, which otherwise call libm once per value. */
#ifndef ANUVAD_VEXPF_H
#define ANUVAD_VEXPF_H

#include <stddef.h>

/* 1 when the functions below run here (x86-64 with AVX-512F, built with GCC or Clang). The
 * callers check it (ops.c: kernel set 2 and up) and otherwise loop over libm's expf. */
int vexpf_built(void);
/* x[i] = x[i] / (1 + expf(-x[i])) (swish, as ops_activate's loop). */
void vexpf_swish(float *x, size_t n);
/* x[i] = x[i] == -inf ? 0 : expf(x[i] - max) (ops_softmax's exponentials). */
void vexpf_shifted(float *x, int n, float max);
/* expf of one value by the vector code's method, in scalar C with fma() (the reference
 * tests/unit/test_kernels.c compares the vector code and libm with). */
float vexpf_reference(float x);

#endif
