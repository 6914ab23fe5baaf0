/* The decoder stack, one position per call (specs/marian.md): masked self-attention over the
 * cached K/V of earlier positions, cross-attention over the encoder output (its K/V projected
 * once per sentence by decoder_prepare), FFN; then the output projection. */
#include "decoder.h"

#include "layer.h"
#include "ops.h"

void decoder_prepare(RunState *s) {
    const Model *m = s->m;
    size_t stride = (size_t)m->c.max_positions * m->c.d_model;
    /* All layers' K and V in one job: 2L products of the same encoder output. */
    float *y[4];
    const Linear *l[4];
    int n = 0;
    for (int i = 0; i < m->c.dec_layers; i++) {
        const AttnWeights *a = &m->w.dec[i].cross_attn;
        y[n] = s->cross_k + i * stride, l[n++] = &a->k;
        y[n] = s->cross_v + i * stride, l[n++] = &a->v;
        if (n == 4 || i == m->c.dec_layers - 1) {
            ops_linear_n(s->pool, n, y, s->x, s->src_len, l);
            n = 0;
        }
    }
}

static void self_attention(RunState *s, const LayerWeights *l, int layer, int pos) {
    const Config *c = &s->m->c;
    int d = c->d_model;
    size_t stride = (size_t)c->max_positions * d;
    float *K = s->self_k + layer * stride, *V = s->self_v + layer * stride;
    const float *in = layer_input(s->m, s->dh, s->dx, 1, &l->self_norm);
    float *y[3] = {s->dq, K + (size_t)pos * d, V + (size_t)pos * d};
    const Linear *qkv[3] = {&l->self_attn.q, &l->self_attn.k, &l->self_attn.v};
    ops_linear_n(s->pool, 3, y, in, 1, qkv);
    layer_scale_query(s->m, s->dq, 1);
    int n = pos + 1;
    ops_attend(s->datt, s->self_w + (size_t)layer * c->heads * n, s->dq, K, V, n, d, c->heads,
               NULL);
    ops_apply(s->pool, s->dh, s->datt, 1, &l->self_attn.o);
    layer_residual(s->m, s->dx, s->dh, 1, &l->self_norm);
}

static void cross_attention(RunState *s, const LayerWeights *l, int layer) {
    const Config *c = &s->m->c;
    int d = c->d_model, n = s->src_len;
    size_t stride = (size_t)c->max_positions * d;
    const float *in = layer_input(s->m, s->dh, s->dx, 1, &l->cross_norm);
    ops_apply(s->pool, s->dq, in, 1, &l->cross_attn.q);
    layer_scale_query(s->m, s->dq, 1);
    ops_attend(s->datt, s->cross_w + (size_t)layer * c->heads * n, s->dq,
               s->cross_k + layer * stride, s->cross_v + layer * stride, n, d, c->heads,
               s->src_mask);
    ops_apply(s->pool, s->dh, s->datt, 1, &l->cross_attn.o);
    layer_residual(s->m, s->dx, s->dh, 1, &l->cross_norm);
}

/* Everything up to the output layer's input (s->dx). */
static void hidden(RunState *s, int token, int pos) {
    const Model *m = s->m;
    const Config *c = &m->c;
    layer_embed(m, s->dx, token, &m->w.dec_pos, pos, s->dh);
    for (int i = 0; i < c->dec_layers; i++) {
        self_attention(s, &m->w.dec[i], i, pos);
        cross_attention(s, &m->w.dec[i], i);
        layer_feed_forward(s->pool, m, &m->w.dec[i], s->dx, s->dh, s->dffn, 1);
    }
    if (c->pre_norm) ops_layer_norm(s->dx, s->dx, 1, c->d_model, &m->w.dec_norm, c->eps);
}

void decoder_step(RunState *s, int token, int pos) {
    hidden(s, token, pos);
    ops_linear(s->pool, s->logits, s->dx, 1, &s->m->w.lm_head, s->m->w.logits_bias);
}

int decoder_step_argmax(RunState *s, int token, int pos) {
    hidden(s, token, pos);
    return ops_linear_argmax(s->pool, s->logits, s->dx, &s->m->w.lm_head, s->m->w.logits_bias,
                             s->m->c.pad);
}
