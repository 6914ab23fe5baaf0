/* RunState (state.h): one 64-byte aligned allocation of floats cut into the buffers in one
 * table, and one of bytes for the masks, rows and sources. */
#include "state.h"

#include <stdlib.h>
#include <string.h>

#define N_BUFFERS 25

/* Floats of each buffer, in the order of the pointers state_init fills. */
static void sizes(const Config *c, uint64_t R, uint64_t S, uint64_t *n) {
    uint64_t P = (uint64_t)c->max_positions, d = (uint64_t)c->d_model, F = (uint64_t)c->ffn_dim;
    uint64_t L = (uint64_t)c->dec_layers, H = (uint64_t)c->heads, V = (uint64_t)c->tgt_vocab_size;
    uint64_t spare = R > 1 ? R * L * P * d : 0;
    uint64_t s[N_BUFFERS] = {
        P * d, P * d,         P * d,         P * d,         P * d,         P * d,         P * F,
        H * P, S * L * P * d, S * L * P * d, S * L * H * P, R * L * P * d, R * L * P * d, spare,
        spare, R * d,         R * d,         R * d,         R * d,         R * d,         R * d,
        R * F, R * V,         R * L * H * P, R * L * P};
    memcpy(n, s, sizeof s);
}

static uint64_t rounded(uint64_t n) { return (n + 15) & ~(uint64_t)15; } /* 64-byte rows */

static uint64_t attn_floats(const Config *c, uint64_t R) {
    return rounded(R * (uint64_t)c->dec_layers * c->heads * c->max_positions);
}

uint64_t state_floats(const Config *c, int rows, int sources) {
    uint64_t n[N_BUFFERS], total = 2 * attn_floats(c, (uint64_t)rows);
    sizes(c, (uint64_t)rows, (uint64_t)sources, n);
    for (int i = 0; i < N_BUFFERS; i++) total += rounded(n[i]);
    return total;
}

int state_init(RunState *s, const Model *m, Pool *pool, int rows, int sources) {
    const Config *c = &m->c;
    memset(s, 0, sizeof *s);
    s->m = m;
    s->pool = pool;
    s->max_rows = rows;
    s->max_sources = sources;
    float *cross_k, *cross_v, *vo_norm;
    float **ptrs[N_BUFFERS] = {&s->x,    &s->h,      &s->q,      &s->k,       &s->v,
                               &s->att,  &s->ffn,    &s->scores, &cross_k,    &cross_v,
                               &vo_norm, &s->self_k, &s->self_v, &s->spare_k, &s->spare_v,
                               &s->dx,   &s->dh,     &s->dq,     &s->dk,      &s->dv,
                               &s->datt, &s->dffn,   &s->logits, &s->cross_n, &s->cross_nl};
    uint64_t n[N_BUFFERS];
    sizes(c, (uint64_t)rows, (uint64_t)sources, n);
    size_t P = (size_t)c->max_positions;
    size_t src_bytes = (size_t)sources * (sizeof(Source) + P),
           row_bytes = 2 * (size_t)rows * sizeof(Row);
    s->buf = aligned_alloc(64, (size_t)state_floats(c, rows, sources) * sizeof(float));
    s->bytes = malloc(row_bytes + src_bytes);
    if (!s->buf || !s->bytes) {
        state_free(s);
        return -1;
    }
    float *p = s->buf;
    for (int i = 0; i < N_BUFFERS; i++) {
        *ptrs[i] = n[i] ? p : NULL;
        p += rounded(n[i]);
    }
    s->self_w = p;
    s->cross_w = p + attn_floats(c, (uint64_t)rows);
    s->rows = (Row *)(void *)s->bytes;
    s->src = (Source *)(void *)(s->bytes + row_bytes);
    unsigned char *masks = (unsigned char *)(s->src + sources);
    size_t per_source = (size_t)c->dec_layers * P * (size_t)c->d_model;
    size_t per_norms = (size_t)c->dec_layers * (size_t)c->heads * P;
    for (int i = 0; i < sources; i++)
        s->src[i] = (Source){0, masks + (size_t)i * P, cross_k + i * per_source,
                             cross_v + i * per_source, vo_norm + i * per_norms};
    return 0;
}

void state_free(RunState *s) {
    free(s->buf);
    free(s->bytes);
    memset(s, 0, sizeof *s);
}
