/* The encoder stack (specs/marian.md): embeddings, then per layer self-attention and FFN with
 * post- or pre-norm residuals; a final layer norm for pre-norm. Matrix-matrix over the source. */
#include "encoder.h"

#include "layer.h"
#include "ops.h"

static void self_attention(RunState *s, const LayerWeights *l, int n, const unsigned char *mask) {
    const Model *m = s->m;
    int d = m->c.d_model, H = m->c.heads;
    const float *in = layer_input(m, s->h, s->x, n, &l->self_norm);
    float *y[3] = {s->q, s->k, s->v};
    const Linear *qkv[3] = {&l->self_attn.q, &l->self_attn.k, &l->self_attn.v};
    ops_linear_n(s->pool, 3, y, in, n, qkv);
    layer_scale_query(m, s->q, n);
    for (int t = 0; t < n; t++)
        ops_attend(s->att + (size_t)t * d, s->scores, s->q + (size_t)t * d, s->k, s->v, n, d, H,
                   mask);
    ops_apply(s->pool, s->h, s->att, n, &l->self_attn.o);
    layer_residual(m, s->x, s->h, n, &l->self_norm);
}

void encoder_forward(RunState *s, int src, const int *ids, int n) {
    const Model *m = s->m;
    Source *so = &s->src[src];
    so->len = n;
    /* A Marian model's "<pad>" in the text is a token like any other (MarianTokenizer's
     * attention mask is all ones for one sentence); the default model masks it. */
    for (int t = 0; t < n; t++) so->mask[t] = ids[t] == m->c.pad && !m->c.marian_text;
    for (int t = 0; t < n; t++)
        layer_embed(m, s->x + (size_t)t * m->c.d_model, &m->w.embed, ids[t], &m->w.enc_pos, t,
                    s->h);
    for (int i = 0; i < m->c.enc_layers; i++) {
        self_attention(s, &m->w.enc[i], n, so->mask);
        layer_feed_forward(s->pool, m, &m->w.enc[i], s->x, s->h, s->ffn, n);
    }
    if (m->c.pre_norm) ops_layer_norm(s->x, s->x, n, m->c.d_model, &m->w.enc_norm, m->c.eps);
}
