/* Forward passes (encoder.c, decoder.c) over one preallocated RunState: nothing is allocated
 * per sentence or per step. One RunState serves one translation at a time. */
#ifndef ANUVAD_FORWARD_H
#define ANUVAD_FORWARD_H

#include "anuvad.h"
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
    /* The norm reading (decoder_norms_*), computed only when someone watches the steps. */
    float *vo_norm;           /* [L][H][src_len] ‖v W_o‖ per head, once per sentence */
    float *cross_n;           /* [L][H][src_len] α·‖v W_o‖ of the last step */
    float *cross_nl;          /* [L][src_len] ‖Σ_h α·v W_o‖ of the last step */
    float *buf;               /* the one allocation all of the above point into */
} RunState;

int state_init(RunState *s, const Model *m, Pool *pool);
void state_free(RunState *s);

void embed_token(const Model *m, float *x, const Matrix *emb, int id, const Matrix *pos, int p,
                 float *tmp);
/* ids: n source ids (n ≤ max_positions). Leaves the encoder output in s->x [n][d]. */
void encoder_forward(RunState *s, const int *ids, int n);
/* Cross-attention K/V of every decoder layer from s->x; once per sentence. */
void decoder_prepare(RunState *s);
/* One step: `token` at decoder position `pos` (< max_positions), extending the self-attention
 * cache. Leaves logits [V] (pad not yet masked), self_w and cross_w. */
void decoder_step(RunState *s, int token, int pos);
/* The norm reading of cross-attention (Kobayashi et al. 2020): decoder_norms_prepare once per
 * sentence after decoder_prepare (vo_norm), decoder_norms_step after each decoder_step
 * (cross_n, cross_nl). They use the encoder's scratch rows, free while decoding. */
void decoder_norms_prepare(RunState *s);
void decoder_norms_step(RunState *s);

/* Greedy decoding (search.c). The caller owns every array. */
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
