/* The encoder stack (specs/marian.md): embeddings, then per layer self-attention and FFN with
 * post- or pre-norm residuals; a final layer norm for pre-norm. Matrix-matrix over the source. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "forward.h"
#include "ops.h"

int state_init(RunState *s, const Model *m, Pool *pool) {
    const Config *c = &m->c;
    size_t P = (size_t)c->max_positions, d = (size_t)c->d_model, F = (size_t)c->ffn_dim;
    size_t L = (size_t)c->dec_layers, H = (size_t)c->heads, V = (size_t)c->tgt_vocab_size;
    memset(s, 0, sizeof *s);
    s->m = m;
    s->pool = pool;
    size_t sizes[] = {P * d, P * d, P * d, P * d, P * d, P * d, P * F, H * P,
                      L * P * d, L * P * d, L * P * d, L * P * d,
                      d, d, d, d, F, V, L * H * P, L * H * P, L * H * P, L * H * P, L * P};
    float **ptrs[] = {&s->x, &s->h, &s->q, &s->k, &s->v, &s->att, &s->ffn, &s->scores,
                      &s->cross_k, &s->cross_v, &s->self_k, &s->self_v,
                      &s->dx, &s->dh, &s->dq, &s->datt, &s->dffn, &s->logits,
                      &s->self_w, &s->cross_w, &s->vo_norm, &s->cross_n, &s->cross_nl};
    size_t n = sizeof sizes / sizeof sizes[0], total = 0;
    for (size_t i = 0; i < n; i++) total += (sizes[i] + 15) & ~(size_t)15;   /* 64-byte rows */
    s->buf = aligned_alloc(64, total * sizeof(float));
    s->src_mask = malloc(P);
    if (!s->buf || !s->src_mask) {
        state_free(s);
        return -1;
    }
    float *p = s->buf;
    for (size_t i = 0; i < n; i++) {
        *ptrs[i] = p;
        p += (sizes[i] + 15) & ~(size_t)15;
    }
    return 0;
}

void state_free(RunState *s) {
    free(s->buf);
    free(s->src_mask);
    memset(s, 0, sizeof *s);
}

/* x = E[id]·s + P[pos] (specs/marian.md "Embeddings"); `tmp` holds d floats. */
void embed_token(const Model *m, float *x, const Matrix *emb, int id, const Matrix *pos, int p,
                 float *tmp) {
    int d = m->c.d_model;
    float scale = m->c.scale_embedding ? sqrtf((float)d) : 1.0f;
    ops_row(emb, id, x);
    ops_row(pos, p, tmp);
    for (int i = 0; i < d; i++) x[i] = x[i] * scale + tmp[i];
}

/* x ← x + o (pre-norm) or LN(x + o) (post-norm). */
static void residual(const Model *m, float *x, const float *o, int n, const Norm *nrm) {
    int d = m->c.d_model;
    ops_add(x, o, n * d);
    if (!m->c.pre_norm) ops_layer_norm(x, x, n, d, nrm, m->c.eps);
}

static void self_attention(RunState *s, const LayerWeights *l, int n) {
    const Model *m = s->m;
    int d = m->c.d_model, H = m->c.heads;
    const float *in = s->x;
    if (m->c.pre_norm) {
        ops_layer_norm(s->h, s->x, n, d, &l->self_norm, m->c.eps);
        in = s->h;
    }
    float *y[3] = {s->q, s->k, s->v};
    const Linear *qkv[3] = {&l->self_attn.q, &l->self_attn.k, &l->self_attn.v};
    ops_linear_n(s->pool, 3, y, in, n, qkv);
    float scale = (float)(1.0 / sqrt((double)(d / H)));
    for (size_t i = 0; i < (size_t)n * d; i++) s->q[i] *= scale;
    for (int t = 0; t < n; t++)
        ops_attend(s->att + (size_t)t * d, s->scores, s->q + (size_t)t * d, s->k, s->v, n, d, H,
                   s->src_mask);
    ops_apply(s->pool, s->h, s->att, n, &l->self_attn.o);
    residual(m, s->x, s->h, n, &l->self_norm);
}

static void feed_forward(RunState *s, const LayerWeights *l, int n) {
    const Model *m = s->m;
    int d = m->c.d_model;
    const float *in = s->x;
    if (m->c.pre_norm) {
        ops_layer_norm(s->h, s->x, n, d, &l->final_norm, m->c.eps);
        in = s->h;
    }
    ops_apply(s->pool, s->ffn, in, n, &l->fc1);
    ops_activate(s->ffn, (size_t)n * m->c.ffn_dim, m->c.activation);
    ops_apply(s->pool, s->h, s->ffn, n, &l->fc2);
    residual(m, s->x, s->h, n, &l->final_norm);
}

void encoder_forward(RunState *s, const int *ids, int n) {
    const Model *m = s->m;
    s->src_len = n;
    /* A Marian model's "<pad>" in the text is a token like any other (MarianTokenizer's
     * attention mask is all ones for one sentence); the default model masks it. */
    for (int t = 0; t < n; t++) s->src_mask[t] = ids[t] == m->c.pad && !m->c.marian_text;
    for (int t = 0; t < n; t++)
        embed_token(m, s->x + (size_t)t * m->c.d_model, &m->w.embed, ids[t], &m->w.enc_pos, t,
                    s->h);
    for (int i = 0; i < m->c.enc_layers; i++) {
        self_attention(s, &m->w.enc[i], n);
        feed_forward(s, &m->w.enc[i], n);
    }
    if (m->c.pre_norm) ops_layer_norm(s->x, s->x, n, m->c.d_model, &m->w.enc_norm, m->c.eps);
}
