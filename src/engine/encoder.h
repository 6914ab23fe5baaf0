/* The encoder stack (encoder.c). */
#ifndef ANUVAD_ENCODER_H
#define ANUVAD_ENCODER_H

#include "state.h"

/* ids: n source ids (n ≤ max_positions). Leaves the encoder output in s->x [n][d]. */
void encoder_forward(RunState *s, const int *ids, int n);

#endif
