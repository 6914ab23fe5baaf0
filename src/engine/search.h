/* Choosing the output tokens from the decoder's logits (search.c). */
#ifndef ANUVAD_SEARCH_H
#define ANUVAD_SEARCH_H

#include "anuvad.h"
#include "state.h"

/* Greedy decoding of one encoded source. The caller owns every array. */
typedef struct {
    int src;           /* the source (encoder_forward, decoder_prepare done) */
    int max_len;       /* ≥ 1, ≤ max_positions */
    int top_k;         /* candidates per step event, 1..64 */
    const int *forced; /* first n_forced picks (ids checked by the caller) */
    int n_forced;
    AnuvadStepFn on_step;
    void *user;
    const char *const *src_pieces; /* [src_len] for the step events */
    int *prefix;                   /* [max_len + 1]: decoder_start, then the generated ids */
    const char **prefix_pieces;    /* [max_len + 1] */
    float *log_probs; /* [max_len]: log-probability of each pick, or NULL: not wanted */
    float *attention; /* [max_len][src_len]: cross-attention, mean of layers and heads,
                                 or NULL: not wanted */
    int n_out;        /* generated ids (prefix + 1), the final </s> included */
} Search;

/* Returns ANUVAD_OK, ANUVAD_ERR_STOPPED, or ANUVAD_ERR_FORMAT when the logits are not finite
 * (NaN/Inf weights). Uses the state's rows (all are dropped first). */
int search_greedy(RunState *s, Search *q);

#endif
