/* Greedy decoding of many sentences at once (greedy_rows.c): continuous batching over the
 * decoder's rows. */
#ifndef ANUVAD_GREEDY_ROWS_H
#define ANUVAD_GREEDY_ROWS_H

#include "state.h"

typedef struct {
    const int *ids; /* source ids, </s> last */
    int len;        /* 1..max_positions */
    int max_len;    /* 1..max_positions */
    int *out;       /* [max_len]: the generated ids, </s> included when reached */
    int n_out;
    int status;     /* ANUVAD_OK, or ANUVAD_ERR_FORMAT: a logit was not finite */
    float log_prob; /* sum of the picks' log-probabilities with sum_log_probs (the confidence
                       warning's mean; else 0): as search_greedy's, bit for bit */
} RowsJob;

/* Greedy (search.c's rules: never pad, first maximum on ties, stop at </s> or max_len, </s>
 * forced at the last step when the model asks for it) for n
 * sentences, up to min(s->max_rows, s->max_sources) decoded together, shortest source first: one
 * pass over each weight matrix per step for all of them. A finished sentence's row goes to the
 * next waiting one at once (its cache restarts at position 0); rows leave only when none is
 * waiting. Each sentence gets the ids search_greedy gives it alone, bit for bit (the kernels
 * compute a row the same in any batch). The log-softmax over the vocabulary is computed only
 * with sum_log_probs (or where a pick's log-probability might not be finite, which refuses
 * it). 0, or -1 when out of memory (nothing decoded). */
int greedy_rows(RunState *s, RowsJob *jobs, int n, int sum_log_probs);

#endif
