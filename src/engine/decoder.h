/* The decoder stack (decoder.c). */
#ifndef ANUVAD_DECODER_H
#define ANUVAD_DECODER_H

#include "state.h"

/* Cross-attention K/V of every decoder layer from s->x; once per sentence. */
void decoder_prepare(RunState *s);
/* One step: `token` at decoder position `pos` (< max_positions), extending the self-attention
 * cache. Leaves logits [V] (pad not yet masked), self_w and cross_w. */
void decoder_step(RunState *s, int token, int pos);
/* decoder_step for greedy without observers: the argmax of the logits other than pad, found
 * as they are computed (ops_linear_argmax); -1 when a logit is not finite. */
int decoder_step_argmax(RunState *s, int token, int pos);

#endif
