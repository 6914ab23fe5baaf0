/* The working memory of one translator (RunState): every buffer the forward passes use,
 * allocated once by state_init and sized by one function, state_floats, which the model
 * loader also uses to refuse files whose sizes imply too much memory. Nothing is allocated per
 * sentence or per step. One RunState serves one translation at a time. */
#ifndef ANUVAD_STATE_H
#define ANUVAD_STATE_H

#include <stdint.h>

#include "model.h"
#include "pool.h"

typedef struct {
    const Model *m;
    Pool *pool;
    int src_len;              /* current source length (≤ max_positions) */
    unsigned char *src_mask;  /* [P] 1 where the source id is pad (masked, as the reference) */
    /* Encoder, [P][d] each (ffn [P][F]); `x` holds the encoder output (memory) afterwards. */
    float *x, *h, *q, *k, *v, *att, *ffn, *scores;
    /* Decoder: caches [L][P][d]; per-step rows. */
    float *cross_k, *cross_v, *self_k, *self_v;
    float *dx, *dh, *dq, *datt, *dffn, *logits;
    float *self_w;            /* [L][H][pos + 1] of the last step */
    float *cross_w;           /* [L][H][src_len] of the last step */
    float *buf;               /* the one allocation all of the above point into */
} RunState;

/* Floats of working memory a RunState for config c takes. */
uint64_t state_floats(const Config *c);
/* 0, or -1 when out of memory. */
int state_init(RunState *s, const Model *m, Pool *pool);
void state_free(RunState *s);

#endif
