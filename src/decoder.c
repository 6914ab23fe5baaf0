/* The decoder stack, one position per call (specs/marian.md): masked self-attention over the
 * cached K/V of earlier positions, cross-attention over the encoder output (its K/V projected
 * once per sentence by decoder_prepare), FFN; then the output projection. */
#include <math.h>
#include <string.h>

#include "forward.h"
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

/* s->dh = the block input: LN(x) for pre-norm, x itself for post-norm. */
static const float *block_input(RunState *s, const Norm *n) {
    if (!s->m->c.pre_norm) return s->dx;
    ops_layer_norm(s->dh, s->dx, 1, s->m->c.d_model, n, s->m->c.eps);
    return s->dh;
}

static void block_output(RunState *s, const float *o, const Norm *n) {
    int d = s->m->c.d_model;
    ops_add(s->dx, o, d);
    if (!s->m->c.pre_norm) ops_layer_norm(s->dx, s->dx, 1, d, n, s->m->c.eps);
}

static void scale_query(RunState *s) {
    int d = s->m->c.d_model;
    float scale = (float)(1.0 / sqrt((double)(d / s->m->c.heads)));
    for (int i = 0; i < d; i++) s->dq[i] *= scale;
}

static void self_attention(RunState *s, const LayerWeights *l, int layer, int pos) {
    const Config *c = &s->m->c;
    int d = c->d_model;
    size_t stride = (size_t)c->max_positions * d;
    float *K = s->self_k + layer * stride, *V = s->self_v + layer * stride;
    const float *in = block_input(s, &l->self_norm);
    float *y[3] = {s->dq, K + (size_t)pos * d, V + (size_t)pos * d};
    const Linear *qkv[3] = {&l->self_attn.q, &l->self_attn.k, &l->self_attn.v};
    ops_linear_n(s->pool, 3, y, in, 1, qkv);
    scale_query(s);
    int n = pos + 1;
    ops_attend(s->datt, s->self_w + (size_t)layer * c->heads * n, s->dq, K, V, n, d, c->heads,
               NULL);
    ops_apply(s->pool, s->dh, s->datt, 1, &l->self_attn.o);
    block_output(s, s->dh, &l->self_norm);
}

static void cross_attention(RunState *s, const LayerWeights *l, int layer) {
    const Config *c = &s->m->c;
    int d = c->d_model, n = s->src_len;
    size_t stride = (size_t)c->max_positions * d;
    const float *in = block_input(s, &l->cross_norm);
    ops_apply(s->pool, s->dq, in, 1, &l->cross_attn.q);
    scale_query(s);
    ops_attend(s->datt, s->cross_w + (size_t)layer * c->heads * n, s->dq,
               s->cross_k + layer * stride, s->cross_v + layer * stride, n, d, c->heads,
               s->src_mask);
    ops_apply(s->pool, s->dh, s->datt, 1, &l->cross_attn.o);
    block_output(s, s->dh, &l->cross_norm);
}

static void feed_forward(RunState *s, const LayerWeights *l) {
    const Config *c = &s->m->c;
    const float *in = block_input(s, &l->final_norm);
    ops_apply(s->pool, s->dffn, in, 1, &l->fc1);
    ops_activate(s->dffn, (size_t)c->ffn_dim, c->activation);
    ops_apply(s->pool, s->dh, s->dffn, 1, &l->fc2);
    block_output(s, s->dh, &l->final_norm);
}

void decoder_step(RunState *s, int token, int pos) {
    const Model *m = s->m;
    const Config *c = &m->c;
    int d = c->d_model;
    embed_token(m, s->dx, &m->w.dec_embed, token, &m->w.dec_pos, pos, s->dh);
    for (int i = 0; i < c->dec_layers; i++) {
        self_attention(s, &m->w.dec[i], i, pos);
        cross_attention(s, &m->w.dec[i], i);
        feed_forward(s, &m->w.dec[i]);
    }
    if (c->pre_norm) ops_layer_norm(s->dx, s->dx, 1, d, &m->w.dec_norm, c->eps);
    ops_linear(s->pool, s->logits, s->dx, 1, &m->w.lm_head, m->w.logits_bias);
}

/* What source position j adds to one layer's cross-attention output is Σ_h α_hj·(v_hj W_o^h),
 * where v_hj is head h's slice of j's value vector and W_o^h the matching columns of the
 * output projection (its bias belongs to no position). A row of Z holding only some heads'
 * slices, scaled, and multiplied by W_o gives that sum for those heads: Y = Z·W_oᵀ. */
static float row_norm(const float *y, int d) {
    return sqrtf(ops_dot(y, y, d));
}

void decoder_norms_prepare(RunState *s) {
    const Config *c = &s->m->c;
    int d = c->d_model, H = c->heads, dh = d / H, n = s->src_len;
    size_t stride = (size_t)c->max_positions * d;
    float *Z = s->q, *Y = s->k;
    for (int l = 0; l < c->dec_layers; l++) {
        const float *V = s->cross_v + l * stride;
        for (int h = 0; h < H; h++) {
            memset(Z, 0, (size_t)n * d * sizeof *Z);
            for (int j = 0; j < n; j++)
                memcpy(Z + (size_t)j * d + h * dh, V + (size_t)j * d + h * dh, dh * sizeof *Z);
            ops_linear(s->pool, Y, Z, n, &s->m->w.dec[l].cross_attn.o.w, NULL);
            for (int j = 0; j < n; j++)
                s->vo_norm[((size_t)l * H + h) * n + j] = row_norm(Y + (size_t)j * d, d);
        }
    }
}

void decoder_norms_step(RunState *s) {
    const Config *c = &s->m->c;
    int d = c->d_model, H = c->heads, dh = d / H, n = s->src_len;
    size_t stride = (size_t)c->max_positions * d, lh = (size_t)H * n;
    float *Z = s->q, *Y = s->k;
    for (int l = 0; l < c->dec_layers; l++) {
        const float *V = s->cross_v + l * stride, *w = s->cross_w + l * lh;
        for (int j = 0; j < n; j++)
            for (int h = 0; h < H; h++) {
                float a = w[(size_t)h * n + j];
                s->cross_n[l * lh + (size_t)h * n + j] = a * s->vo_norm[l * lh + (size_t)h * n + j];
                for (int i = 0; i < dh; i++)
                    Z[(size_t)j * d + h * dh + i] = a * V[(size_t)j * d + h * dh + i];
            }
        ops_linear(s->pool, Y, Z, n, &s->m->w.dec[l].cross_attn.o.w, NULL);
        for (int j = 0; j < n; j++) s->cross_nl[(size_t)l * n + j] = row_norm(Y + (size_t)j * d, d);
    }
}
