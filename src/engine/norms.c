/* The norm reading (norms.h). What source position j adds to one layer's cross-attention
 * output is Σ_h α_hj·(v_hj W_o^h), where v_hj is head h's slice of j's value vector and W_o^h
 * the matching columns of the output projection (its bias belongs to no position). A row of Z
 * holding only some heads' slices, scaled, and multiplied by W_o gives that sum for those
 * heads: Y = Z·W_oᵀ. */
#include "norms.h"

#include <math.h>
#include <string.h>

#include "ops.h"

static float row_norm(const float *y, int d) { return sqrtf(ops_dot(y, y, d)); }

void norms_prepare(RunState *s, int src) {
    const Config *c = &s->m->c;
    const Source *so = &s->src[src];
    int d = c->d_model, H = c->heads, dh = d / H, n = so->len;
    size_t stride = (size_t)c->max_positions * d;
    float *Z = s->q, *Y = s->k;
    for (int l = 0; l < c->dec_layers; l++) {
        const float *V = so->v + l * stride;
        for (int h = 0; h < H; h++) {
            memset(Z, 0, (size_t)n * d * sizeof *Z);
            for (int j = 0; j < n; j++)
                memcpy(Z + (size_t)j * d + h * dh, V + (size_t)j * d + h * dh, dh * sizeof *Z);
            ops_linear(s->pool, Y, Z, n, &s->m->w.dec[l].cross_attn.o.w, NULL);
            for (int j = 0; j < n; j++)
                so->vo_norm[((size_t)l * H + h) * n + j] = row_norm(Y + (size_t)j * d, d);
        }
    }
}

void norms_step(RunState *s, int row) {
    const Config *c = &s->m->c;
    const Source *so = &s->src[s->rows[row].src];
    int d = c->d_model, H = c->heads, dh = d / H, n = so->len;
    size_t stride = (size_t)c->max_positions * d, lh = (size_t)H * n;
    float *Z = s->q, *Y = s->k, *cross_n = state_cross_n(s, row),
          *cross_nl = state_cross_nl(s, row);
    for (int l = 0; l < c->dec_layers; l++) {
        const float *V = so->v + l * stride, *w = state_cross_w(s, row) + l * lh;
        for (int j = 0; j < n; j++)
            for (int h = 0; h < H; h++) {
                float a = w[(size_t)h * n + j];
                cross_n[l * lh + (size_t)h * n + j] = a * so->vo_norm[l * lh + (size_t)h * n + j];
                for (int i = 0; i < dh; i++)
                    Z[(size_t)j * d + h * dh + i] = a * V[(size_t)j * d + h * dh + i];
            }
        ops_linear(s->pool, Y, Z, n, &s->m->w.dec[l].cross_attn.o.w, NULL);
        for (int j = 0; j < n; j++) cross_nl[(size_t)l * n + j] = row_norm(Y + (size_t)j * d, d);
    }
}
