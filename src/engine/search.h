/* Choosing the output tokens from the decoder's logits (search.c). */
#ifndef ANUVAD_SEARCH_H
#define ANUVAD_SEARCH_H

#include "anuvad.h"
#include "state.h"

/* Greedy decoding. The caller owns every array. */
typedef struct {
    int max_len;              /* ≥ 1, ≤ max_positions */
    int top_k;                /* candidates per step event, 1..64 */
    const int *forced;        /* first n_forced picks (ids checked by the caller) */
    int n_forced;
    AnuvadStepFn on_step;
    void *user;
    const char *const *src_pieces;   /* [src_len] for the step events */
    int *prefix;              /* [max_len + 1]: decoder_start, then the generated ids */
    const char **prefix_pieces;      /* [max_len + 1] */
    int n_out;                /* generated ids (prefix + 1), the final </s> included */
} Search;

/* Encoder output must be in s (encoder_forward). Returns ANUVAD_OK, ANUVAD_ERR_STOPPED, or
 * ANUVAD_ERR_FORMAT when the logits are not finite (NaN/Inf weights). */
int search_greedy(RunState *s, Search *q);

#endif
