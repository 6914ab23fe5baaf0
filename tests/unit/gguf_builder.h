/* A tiny in-memory GGUF v3 writer for tests: builds valid files (docs/format.md) that the
 * tests then break in one place each. Records where each section starts. */
#ifndef GGUF_BUILDER_H
#define GGUF_BUILDER_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    uint8_t *p;
    size_t len, cap;
} GbBuf;

typedef struct {
    GbBuf kv, info, data;
    uint64_t n_kv, n_tensors;
    uint32_t alignment;
} GgufBuilder;

typedef struct {
    size_t kv_start, info_start, data_start, end;
} GbLayout;

static void gb_put(GbBuf *b, const void *src, size_t n) {
    if (b->len + n > b->cap) {
        b->cap = (b->len + n) * 2 + 64;
        b->p = realloc(b->p, b->cap);
    }
    memcpy(b->p + b->len, src, n);
    b->len += n;
}
static void gb_u32(GbBuf *b, uint32_t v) { gb_put(b, &v, 4); } /* little-endian hosts */
static void gb_u64(GbBuf *b, uint64_t v) { gb_put(b, &v, 8); }
static void gb_str(GbBuf *b, const char *s) {
    gb_u64(b, strlen(s));
    gb_put(b, s, strlen(s));
}

static void gb_init(GgufBuilder *g) {
    memset(g, 0, sizeof *g);
    g->alignment = 32;
}
static void gb_free(GgufBuilder *g) {
    free(g->kv.p);
    free(g->info.p);
    free(g->data.p);
}

static void gb_kv_u32(GgufBuilder *g, const char *k, uint32_t v) {
    gb_str(&g->kv, k);
    gb_u32(&g->kv, 4);
    gb_u32(&g->kv, v);
    g->n_kv++;
}
static void gb_kv_f32(GgufBuilder *g, const char *k, float v) {
    gb_str(&g->kv, k);
    gb_u32(&g->kv, 6);
    gb_put(&g->kv, &v, 4);
    g->n_kv++;
}
static void gb_kv_bool(GgufBuilder *g, const char *k, int v) {
    uint8_t b = (uint8_t)v;
    gb_str(&g->kv, k);
    gb_u32(&g->kv, 7);
    gb_put(&g->kv, &b, 1);
    g->n_kv++;
}
static void gb_kv_str(GgufBuilder *g, const char *k, const char *v) {
    gb_str(&g->kv, k);
    gb_u32(&g->kv, 8);
    gb_str(&g->kv, v);
    g->n_kv++;
}
static void gb_kv_bytes(GgufBuilder *g, const char *k, const void *v, size_t n) {
    gb_str(&g->kv, k);
    gb_u32(&g->kv, 9);
    gb_u32(&g->kv, 0);
    gb_u64(&g->kv, n);
    gb_put(&g->kv, v, n);
    g->n_kv++;
}
static void gb_kv_strs(GgufBuilder *g, const char *k, const char *const *v, size_t n) {
    gb_str(&g->kv, k);
    gb_u32(&g->kv, 9);
    gb_u32(&g->kv, 8);
    gb_u64(&g->kv, n);
    for (size_t i = 0; i < n; i++) gb_str(&g->kv, v[i]);
    g->n_kv++;
}

/* dims in GGML order (innermost first). `data` has the tensor's bytes. */
static void gb_tensor(GgufBuilder *g, const char *name, uint32_t n_dims, const uint64_t *dims,
                      uint32_t type, const void *data) {
    uint64_t n = 1;
    for (uint32_t i = 0; i < n_dims; i++) n *= dims[i];
    size_t bytes = (size_t)(type == 0 ? n * 4 : n * 2);
    while (g->data.len % g->alignment) gb_put(&g->data, "", 1);
    gb_str(&g->info, name);
    gb_u32(&g->info, n_dims);
    for (uint32_t i = 0; i < n_dims; i++) gb_u64(&g->info, dims[i]);
    gb_u32(&g->info, type);
    gb_u64(&g->info, g->data.len);
    gb_put(&g->data, data, bytes);
    g->n_tensors++;
}

/* The whole file, malloc'd. */
static uint8_t *gb_finish(GgufBuilder *g, size_t *len, GbLayout *lay) {
    GbBuf out = {0};
    gb_u32(&out, 0x46554747u);
    gb_u32(&out, 3);
    gb_u64(&out, g->n_tensors);
    gb_u64(&out, g->n_kv);
    GbLayout l;
    l.kv_start = out.len;
    gb_put(&out, g->kv.p, g->kv.len);
    l.info_start = out.len;
    gb_put(&out, g->info.p, g->info.len);
    while (out.len % g->alignment) gb_put(&out, "", 1);
    l.data_start = out.len;
    gb_put(&out, g->data.p, g->data.len);
    l.end = out.len;
    if (lay) *lay = l;
    *len = out.len;
    return out.p;
}

#endif
