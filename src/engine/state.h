/* The working memory of one translator (RunState): every buffer the forward passes use,
 * allocated once by state_init and sized by one function, state_floats, which the model
 * loader also uses to refuse files whose sizes imply too much memory. Nothing is allocated per
 * sentence or per step.
 *
 * The decoder works on rows: a row is one hypothesis (the tokens decoded so far, in its own
 * self-attention cache) reading one source (a sentence's encoder output, as cross-attention K/V
 * projected once). Several rows may read the same source (beams) or different ones (a batch of
 * sentences); each has its own position. Rows join (decoder_add_row), and leave or are
 * reordered and duplicated (decoder_reorder, CTranslate2's gather_state). Greedy decoding of one
 * sentence is one row over one source. */
#ifndef ANUVAD_STATE_H
#define ANUVAD_STATE_H

#include <stdint.h>

#include "model.h"
#include "pool.h"

/* One encoded sentence. */
typedef struct {
    int len;             /* source positions, </s> included */
    unsigned char *mask; /* [P] 1 where the source id is pad (masked, as the reference) */
    float *k, *v;        /* cross-attention K and V of every decoder layer: [L][P][d] */
    float *vo_norm;      /* [L][H][len] ‖v W_o‖ per head (norms_prepare), for the norm
                                 reading of cross-attention (norms.h) */
} Source;

/* One hypothesis. */
typedef struct {
    int src; /* the Source it reads */
    int pos; /* tokens in its cache: the position of its next token */
} Row;

typedef struct {
    const Model *m;
    Pool *pool;
    int max_rows, max_sources;
    /* Encoder, one sentence at a time: [P][d] each (ffn [P][F], scores [H][P]); `x` holds the
     * encoder output afterwards. */
    float *x, *h, *q, *k, *v, *att, *ffn, *scores;
    Source *src; /* [max_sources] */
    Row *rows;   /* [2 max_rows]: the first n_rows in use, the rest scratch */
    int n_rows;
    float *self_k, *self_v;   /* [max_rows][L][P][d]: each row's self-attention cache */
    float *spare_k, *spare_v; /* the same (max_rows > 1): decoder_reorder copies into them */
    /* One step, row r at [r]: [R][d] (dffn [R][F], logits [R][V]). */
    float *dx, *dh, *dq, *dk, *dv, *datt, *dffn, *logits;
    /* [R][L][H][P]: row r's attention of the last step, [L][H][n] packed at row r's start,
     * n = its position + 1 (self) or its source's len (cross). */
    float *self_w, *cross_w;
    /* The norm reading of row r's last step (norms_step), packed likewise: cross_n [R][L][H][P]
     * α·‖v W_o‖ per head, cross_nl [R][L][P] ‖Σ_h α·v W_o‖ per layer. */
    float *cross_n, *cross_nl;
    float *buf;           /* the one allocation the float buffers point into */
    unsigned char *bytes; /* the one allocation of the masks, rows and sources */
} RunState;

/* Floats of working memory a RunState of `rows` rows over `sources` sources takes. */
uint64_t state_floats(const Config *c, int rows, int sources);
/* 0, or -1 when out of memory. rows, sources ≥ 1. */
int state_init(RunState *s, const Model *m, Pool *pool, int rows, int sources);
void state_free(RunState *s);

static inline float *state_logits(const RunState *s, int row) {
    return s->logits + (size_t)row * s->m->c.tgt_vocab_size;
}
static inline float *state_self_w(const RunState *s, int row) {
    const Config *c = &s->m->c;
    return s->self_w + (size_t)row * c->dec_layers * c->heads * c->max_positions;
}
static inline float *state_cross_w(const RunState *s, int row) {
    const Config *c = &s->m->c;
    return s->cross_w + (size_t)row * c->dec_layers * c->heads * c->max_positions;
}
static inline float *state_cross_n(const RunState *s, int row) {
    const Config *c = &s->m->c;
    return s->cross_n + (size_t)row * c->dec_layers * c->heads * c->max_positions;
}
static inline float *state_cross_nl(const RunState *s, int row) {
    const Config *c = &s->m->c;
    return s->cross_nl + (size_t)row * c->dec_layers * c->max_positions;
}

#endif
