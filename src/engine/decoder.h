/* The decoder stack (decoder.c). */
#ifndef ANUVAD_DECODER_H
#define ANUVAD_DECODER_H

#include "state.h"

/* Cross-attention K/V of every decoder layer from s->x; once per sentence. */
void decoder_prepare(RunState *s);
/* One step: `token` at decoder position `pos` (< max_positions), extending the self-attention
 * cache. Leaves logits [V] (pad not yet masked), self_w and cross_w. */
void decoder_step(RunState *s, int token, int pos);

#endif
