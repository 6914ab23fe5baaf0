/* The pieces both stacks share (layer.h). */
#include "layer.h"

#include <math.h>

#include "ops.h"

void layer_embed(const Model *m, float *x, const Matrix *emb, int id, const Matrix *pos, int p,
                 float *tmp) {
    int d = m->c.d_model;
    float scale = m->c.scale_embedding ? sqrtf((float)d) : 1.0f;
    ops_row(emb, id, x);
    ops_row(pos, p, tmp);
    for (int i = 0; i < d; i++) x[i] = x[i] * scale + tmp[i];
}

const float *layer_input(const Model *m, float *h, const float *x, int n, const Norm *nrm) {
    if (!m->c.pre_norm) return x;
    ops_layer_norm(h, x, n, m->c.d_model, nrm, m->c.eps);
    return h;
}

void layer_residual(const Model *m, float *x, const float *o, int n, const Norm *nrm) {
    int d = m->c.d_model;
    ops_add(x, o, n * d);
    if (!m->c.pre_norm) ops_layer_norm(x, x, n, d, nrm, m->c.eps);
}

void layer_scale_query(const Model *m, float *q, int n) {
    int d = m->c.d_model;
    float scale = (float)(1.0 / sqrt((double)(d / m->c.heads)));
    for (size_t i = 0; i < (size_t)n * d; i++) q[i] *= scale;
}

void layer_feed_forward(Pool *p, const Model *m, const LayerWeights *l, float *x, float *h,
                        float *ffn, int n) {
    const float *in = layer_input(m, h, x, n, &l->final_norm);
    ops_apply(p, ffn, in, n, &l->fc1);
    ops_activate(ffn, (size_t)n * m->c.ffn_dim, m->c.activation);
    ops_apply(p, h, ffn, n, &l->fc2);
    layer_residual(m, x, h, n, &l->final_norm);
}
