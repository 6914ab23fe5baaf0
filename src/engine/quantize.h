/* Q8_0 quantization (quantize.c; anuvad_quantize in anuvad.h writes whole files). */
#ifndef ANUVAD_QUANTIZE_H
#define ANUVAD_QUANTIZE_H

#include <stdint.h>

/* n floats (a multiple of 32) -> n/32 blocks of {half scale d = max|x|/127, 32 int8
 * round(x·(1/d)), ties away from zero}: ggml's reference quantizer. 0, or -1 when a value is
 * not finite or too large for a half scale. */
int quantize_q8_0_row(const float *x, int n, uint8_t *out);

#endif
