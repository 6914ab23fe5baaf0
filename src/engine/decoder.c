/* The decoder stack, one position of every row per call (specs/marian.md): masked
 * self-attention over the row's cached K/V of earlier positions, cross-attention over its
 * source's encoder output (K/V projected once per sentence by decoder_prepare), FFN; then the
 * output projection. The matrix products take all rows at once (one pass over the weights);
 * attention is per row. A row's numbers do not depend on the other rows. */
#include "decoder.h"

#include <string.h>

#include "layer.h"
#include "ops.h"

void decoder_prepare(RunState *s, int src) {
    const Model *m = s->m;
    const Source *so = &s->src[src];
    size_t stride = (size_t)m->c.max_positions * m->c.d_model;
    /* All layers' K and V in one job: 2L products of the same encoder output. */
    float *y[4];
    const Linear *l[4];
    int n = 0;
    for (int i = 0; i < m->c.dec_layers; i++) {
        const AttnWeights *a = &m->w.dec[i].cross_attn;
        y[n] = so->k + i * stride, l[n++] = &a->k;
        y[n] = so->v + i * stride, l[n++] = &a->v;
        if (n == 4 || i == m->c.dec_layers - 1) {
            ops_linear_n(s->pool, n, y, s->x, so->len, l);
            n = 0;
        }
    }
}

int decoder_add_row(RunState *s, int src) {
    if (s->n_rows == s->max_rows) return -1;
    s->rows[s->n_rows] = (Row){src, 0};
    return s->n_rows++;
}

/* Floats of one row's self-attention cache. */
static size_t cache_floats(const Config *c) {
    return (size_t)c->dec_layers * c->max_positions * c->d_model;
}

void decoder_reorder(RunState *s, const int *from, int n) {
    int same = n <= s->n_rows;
    for (int i = 0; same && i < n; i++) same = from[i] == i;
    if (same) { /* rows only leave from the end: nothing moves */
        s->n_rows = n;
        return;
    }
    const Config *c = &s->m->c;
    size_t row = cache_floats(c), layer = (size_t)c->max_positions * c->d_model;
    Row *moved = s->rows + s->max_rows; /* the spare half */
    for (int i = 0; i < n; i++) {
        moved[i] = s->rows[from[i]];
        size_t used = (size_t)moved[i].pos * c->d_model * sizeof(float);
        for (int l = 0; l < c->dec_layers; l++) {
            size_t to = i * row + l * layer, at = (size_t)from[i] * row + l * layer;
            memcpy(s->spare_k + to, s->self_k + at, used);
            memcpy(s->spare_v + to, s->self_v + at, used);
        }
    }
    float *k = s->self_k, *v = s->self_v;
    s->self_k = s->spare_k, s->self_v = s->spare_v;
    s->spare_k = k, s->spare_v = v;
    memcpy(s->rows, moved, (size_t)n * sizeof *moved);
    s->n_rows = n;
}

/* Masked self-attention: each row's new K and V go to its cache at its position; its query
 * attends over its positions 0..pos. */
static void self_attention(RunState *s, const LayerWeights *l, int layer) {
    const Config *c = &s->m->c;
    int d = c->d_model, R = s->n_rows;
    size_t layer_at = (size_t)layer * c->max_positions * d;
    const float *in = layer_input(s->m, s->dh, s->dx, R, &l->self_norm);
    float *y[3] = {s->dq, s->dk, s->dv};
    const Linear *qkv[3] = {&l->self_attn.q, &l->self_attn.k, &l->self_attn.v};
    ops_linear_n(s->pool, 3, y, in, R, qkv);
    layer_scale_query(s->m, s->dq, R);
    for (int r = 0; r < R; r++) {
        int pos = s->rows[r].pos, n = pos + 1;
        float *K = s->self_k + r * cache_floats(c) + layer_at;
        float *V = s->self_v + r * cache_floats(c) + layer_at;
        memcpy(K + (size_t)pos * d, s->dk + (size_t)r * d, (size_t)d * sizeof(float));
        memcpy(V + (size_t)pos * d, s->dv + (size_t)r * d, (size_t)d * sizeof(float));
        float *w = state_self_w(s, r) + (size_t)layer * c->heads * n;
        ops_attend(s->datt + (size_t)r * d, w, s->dq + (size_t)r * d, K, V, n, d, c->heads, NULL);
    }
    ops_apply(s->pool, s->dh, s->datt, R, &l->self_attn.o);
    layer_residual(s->m, s->dx, s->dh, R, &l->self_norm);
}

/* Cross-attention: each row's query over its source's K and V (its own length and mask). */
static void cross_attention(RunState *s, const LayerWeights *l, int layer) {
    const Config *c = &s->m->c;
    int d = c->d_model, R = s->n_rows;
    size_t layer_at = (size_t)layer * c->max_positions * d;
    const float *in = layer_input(s->m, s->dh, s->dx, R, &l->cross_norm);
    ops_apply(s->pool, s->dq, in, R, &l->cross_attn.q);
    layer_scale_query(s->m, s->dq, R);
    for (int r = 0; r < R; r++) {
        const Source *so = &s->src[s->rows[r].src];
        float *w = state_cross_w(s, r) + (size_t)layer * c->heads * so->len;
        ops_attend(s->datt + (size_t)r * d, w, s->dq + (size_t)r * d, so->k + layer_at,
                   so->v + layer_at, so->len, d, c->heads, so->mask);
    }
    ops_apply(s->pool, s->dh, s->datt, R, &l->cross_attn.o);
    layer_residual(s->m, s->dx, s->dh, R, &l->cross_norm);
}

void decoder_step(RunState *s, const int *tokens) {
    const Model *m = s->m;
    const Config *c = &m->c;
    int d = c->d_model, R = s->n_rows;
    for (int r = 0; r < R; r++)
        layer_embed(m, s->dx + (size_t)r * d, &m->w.dec_embed, tokens[r], &m->w.dec_pos,
                    s->rows[r].pos, s->dh + (size_t)r * d);
    for (int i = 0; i < c->dec_layers; i++) {
        self_attention(s, &m->w.dec[i], i);
        cross_attention(s, &m->w.dec[i], i);
        layer_feed_forward(s->pool, m, &m->w.dec[i], s->dx, s->dh, s->dffn, R);
    }
    if (c->pre_norm) ops_layer_norm(s->dx, s->dx, R, d, &m->w.dec_norm, c->eps);
    ops_linear(s->pool, s->logits, s->dx, R, &m->w.lm_head, m->w.logits_bias);
    for (int r = 0; r < R; r++) s->rows[r].pos++;
}
