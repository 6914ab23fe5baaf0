/* What the encoder and decoder stacks are both made of (specs/marian.md): token embeddings,
 * the block input and residual of either norm placement, the query scale, the feed-forward
 * block. Each works on n rows of d_model floats. */
#ifndef ANUVAD_LAYER_H
#define ANUVAD_LAYER_H

#include "model.h"
#include "pool.h"

/* x = E[id]·s + P[p] (specs/marian.md "Embeddings"); `tmp` holds d floats. */
void layer_embed(const Model *m, float *x, const Matrix *emb, int id, const Matrix *pos, int p,
                 float *tmp);
/* A block's input: LN(x) written to h for pre-norm; x itself for post-norm. */
const float *layer_input(const Model *m, float *h, const float *x, int n, const Norm *nrm);
/* x ← x + o (pre-norm) or LN(x + o) (post-norm). */
void layer_residual(const Model *m, float *x, const float *o, int n, const Norm *nrm);
/* q ← q / sqrt(d_head), before the dot products with the keys. */
void layer_scale_query(const Model *m, float *q, int n);
/* The FFN block with its residual on x [n][d]; h [n][d] and ffn [n][ffn_dim] are scratch. */
void layer_feed_forward(Pool *p, const Model *m, const LayerWeights *l, float *x, float *h,
                        float *ffn, int n);

#endif
