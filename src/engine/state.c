/* RunState (state.h): one 64-byte aligned allocation, cut into the buffers in one table. */
#include "state.h"

#include <stdlib.h>
#include <string.h>

#define N_BUFFERS 20

/* Floats of each buffer, in the order of the pointers state_init fills. */
static void sizes(const Config *c, uint64_t *n) {
    uint64_t P = (uint64_t)c->max_positions, d = (uint64_t)c->d_model, F = (uint64_t)c->ffn_dim;
    uint64_t L = (uint64_t)c->dec_layers, H = (uint64_t)c->heads, V = (uint64_t)c->vocab_size;
    uint64_t s[N_BUFFERS] = {P * d, P * d, P * d, P * d, P * d, P * d, P * F, H * P,
                             L * P * d, L * P * d, L * P * d, L * P * d,
                             d, d, d, d, F, V, L * H * P, L * H * P};
    memcpy(n, s, sizeof s);
}

static uint64_t rounded(uint64_t n) { return (n + 15) & ~(uint64_t)15; }   /* 64-byte rows */

uint64_t state_floats(const Config *c) {
    uint64_t n[N_BUFFERS], total = 0;
    sizes(c, n);
    for (int i = 0; i < N_BUFFERS; i++) total += rounded(n[i]);
    return total;
}

int state_init(RunState *s, const Model *m, Pool *pool) {
    memset(s, 0, sizeof *s);
    s->m = m;
    s->pool = pool;
    float **ptrs[N_BUFFERS] = {&s->x, &s->h, &s->q, &s->k, &s->v, &s->att, &s->ffn, &s->scores,
                               &s->cross_k, &s->cross_v, &s->self_k, &s->self_v,
                               &s->dx, &s->dh, &s->dq, &s->datt, &s->dffn, &s->logits,
                               &s->self_w, &s->cross_w};
    uint64_t n[N_BUFFERS];
    sizes(&m->c, n);
    s->buf = aligned_alloc(64, (size_t)state_floats(&m->c) * sizeof(float));
    s->src_mask = malloc((size_t)m->c.max_positions);
    if (!s->buf || !s->src_mask) {
        state_free(s);
        return -1;
    }
    float *p = s->buf;
    for (int i = 0; i < N_BUFFERS; i++) {
        *ptrs[i] = p;
        p += rounded(n[i]);
    }
    return 0;
}

void state_free(RunState *s) {
    free(s->buf);
    free(s->src_mask);
    memset(s, 0, sizeof *s);
}
