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
    float *log_probs;  /* [max_len]: log-probability of each pick, or NULL: not wanted */
    float *attention;  /* [max_len][src_len]: cross-attention, mean of layers and heads,
                                 or NULL: not wanted */
    int n_out;         /* generated ids (prefix + 1), the final </s> included */
    const void *beams; /* replaying a beam hypothesis: BeamStep [max_len] for the step
                                 events (its tokens are q->forced, reported as picked but
                                 the first n_user_forced, which the caller forced) */
    int n_user_forced;
} Search;

/* Returns ANUVAD_OK, ANUVAD_ERR_STOPPED, or ANUVAD_ERR_FORMAT when the logits are not finite
 * (NaN/Inf weights). Uses the state's rows (all are dropped first). */
int search_greedy(RunState *s, Search *q);

#define SEARCH_MAX_BEAM 16

/* Beam search (beam.c) as transformers' generate(num_beams=N, do_sample=False). */
typedef struct {
    int beam;             /* N: 2..max_rows of the state */
    int n_best;           /* hypotheses wanted, 1..N */
    float length_penalty; /* a finished hypothesis scores sum / n_tokens^length_penalty */
    int early_stopping;   /* 1: stop once N hypotheses are finished */
} BeamParams;

/* One finished hypothesis; the caller owns the arrays (tokens and log_probs [max_len],
 * attention [max_len][src_len] or NULL). */
typedef struct {
    int n;
    int *tokens;
    float *log_probs;
    float *attention;
    float score; /* sum of log_probs / n^length_penalty */
} BeamHyp;

/* The live hypotheses after one step, for the step events (ordered by score). */
typedef struct {
    int n;
    int parent[SEARCH_MAX_BEAM], token[SEARCH_MAX_BEAM];
    float score[SEARCH_MAX_BEAM];
} BeamStep;

/* Fills out[0..*got) best first, *got = b->n_best unless q's forced tokens (the first
 * q->n_forced tokens of every hypothesis: the search starts from that prefix as its one live
 * hypothesis) end the sentence, leaving 1. q->src, max_len; q->on_step is not called (the
 * caller replays the best hypothesis); if `steps` is not NULL it gets [max_len] live beams
 * (1 during the forced steps). Returns as search_greedy, or ANUVAD_ERR_NOMEM. */
int search_beam(RunState *s, const Search *q, const BeamParams *b, BeamHyp *out, int *got,
                BeamStep *steps);

/* One sentence's beam search as steps (beam.c), for search_beam and for several sentences
 * decoded as rows of one decoder (beam_rows.c). The caller runs decoder_step; beam_step then
 * reads this sentence's rows [row0, row0 + beam_rows_next before the step) and decides the
 * next ones: row i of the next step is row beam_from(b)[i] (from row0) extended by
 * beam_tokens(b)[i] (before the first step: one row, decoder_start). */
typedef struct Beam Beam;
/* q: max_len, forced, n_forced, attention (non-NULL: kept); NULL when out of memory. */
Beam *beam_new(const Search *q, const BeamParams *p, int src_len, int decoder_start);
void beam_free(Beam *b);
/* 0 (beam_done tells whether it is over), or ANUVAD_ERR_FORMAT (over). rec: NULL, or this
 * step's live hypotheses. */
int beam_step(RunState *s, Beam *b, int row0, BeamStep *rec);
int beam_done(const Beam *b);
int beam_rows_next(const Beam *b); /* rows of the next step (0 when done) */
const int *beam_from(const Beam *b);
const int *beam_tokens(const Beam *b);
/* The results, best first, into out[0..n): n = n_best, or 1 when forced tokens ended it. */
int beam_results(const Beam *b, BeamHyp *out);

/* search.c, shared with beam.c: log of the sum of exp(x) over n finite values (the
 * log-softmax normalizer); 1 when all n are finite. */
float search_log_norm(const RunState *s, const float *x, int n);
int search_finite(const float *x, int n);
/* Whether token t's log-probability, l[t] - logsumexp(l), is surely finite without computing
 * it (greedy without scores): l finite, best its argmax but for pad. 0: compute it to know. */
int search_surely_finite(const float *l, int t, int best, int pad);
/* The order in which rows take sentences (greedy_rows, beam_rows, batch_rows.c's lanes):
 * order[0..n) = the indices of n jobs, size bytes apart, each with its int source length
 * len_at bytes in, shortest first, input order among equals. 0, or -1 when out of memory. */
int search_length_order(const void *jobs, size_t size, size_t len_at, int n, int *order);
/* out[j] = mean over layers and heads of row r's cross-attention to source position j. */
void search_mean_attention(const RunState *s, int r, float *out);

#endif
