/* The encoder stack (encoder.c). */
#ifndef ANUVAD_ENCODER_H
#define ANUVAD_ENCODER_H

#include "state.h"

/* ids: n source ids (n ≤ max_positions) of source slot `src` (< max_sources), whose length and
 * pad mask it sets. Leaves the encoder output in s->x [n][d], for decoder_prepare. */
void encoder_forward(RunState *s, int src, const int *ids, int n);

#endif
