/* Beam search of many sentences at once (beam_rows.c): each sentence's hypotheses are rows of
 * one decoder, next to the other sentences' rows. */
#ifndef ANUVAD_BEAM_ROWS_H
#define ANUVAD_BEAM_ROWS_H

#include "search.h"
#include "state.h"

typedef struct {
    const int *ids; /* source ids, </s> last */
    int len;        /* 1..max_positions */
    int max_len;    /* 1..max_positions */
    BeamHyp *out;   /* [n_best]: the caller's arrays (tokens, log_probs [max_len]; attention
                       NULL) */
    int got;        /* hypotheses in out */
    int status;     /* ANUVAD_OK, ANUVAD_ERR_FORMAT (a logit was not finite) or
                       ANUVAD_ERR_NOMEM */
} BeamJob;

/* search_beam for n sentences, shortest source first, as many at once as the state has
 * sources and rows for (max_rows / p->beam, at least 1): one pass over each weight matrix per
 * step for all of their hypotheses. A finished sentence's rows leave and the next sentence
 * starts in its source slot. Each sentence gets what search_beam gives it alone, bit for bit
 * (the kernels compute a row the same in any batch). 0, or -1 when out of memory (nothing
 * decoded). */
int beam_rows(RunState *s, BeamJob *jobs, int n, const BeamParams *p);

#endif
