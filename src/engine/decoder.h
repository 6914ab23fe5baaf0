/* The decoder stack over rows (decoder.c, state.h). */
#ifndef ANUVAD_DECODER_H
#define ANUVAD_DECODER_H

#include "state.h"

/* Cross-attention K/V of every decoder layer for source `src`, from the encoder output in
 * s->x (encoder_forward of that source just before); once per sentence. */
void decoder_prepare(RunState *s, int src);
/* A new row reading source `src`, at position 0 (its first token is decoder_start). Returns
 * its index, or -1 when all max_rows are in use. */
int decoder_add_row(RunState *s, int src);
/* Row i becomes old row from[i], for i < n (n ≤ max_rows; a row may be taken twice, rows not
 * taken leave): the cache and the position move with the row. */
void decoder_reorder(RunState *s, const int *from, int n);
/* One step of every row: tokens[r] at row r's position (< max_positions), extending its cache.
 * Leaves each row's logits [V] (pad not yet masked) and attention of this step. */
void decoder_step(RunState *s, const int *tokens);
/* decoder_step for greedy without observers: best[r] = the argmax of row r's logits other than
 * pad, found as they are computed (ops_linear_argmax), or -1 when one is not finite. */
void decoder_step_argmax(RunState *s, const int *tokens, int *best);

#endif
