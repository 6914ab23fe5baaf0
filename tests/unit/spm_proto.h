/* A tiny protobuf writer for building (malformed) SentencePiece models in tests. */
#ifndef ANUVAD_TEST_SPM_PROTO_H
#define ANUVAD_TEST_SPM_PROTO_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    unsigned char b[1 << 16];
    size_t n;
} Proto;

static inline void pr_bytes(Proto *p, const void *s, size_t n) {
    memcpy(p->b + p->n, s, n);
    p->n += n;
}

static inline void pr_varint(Proto *p, uint64_t v) {
    do {
        unsigned char c = v & 0x7f;
        v >>= 7;
        if (v) c |= 0x80;
        p->b[p->n++] = c;
    } while (v);
}

static inline void pr_key(Proto *p, unsigned field, unsigned wire) {
    pr_varint(p, (uint64_t)field << 3 | wire);
}

static inline void pr_len(Proto *p, unsigned field, const void *s, size_t n) {
    pr_key(p, field, 2);
    pr_varint(p, n);
    pr_bytes(p, s, n);
}

static inline void pr_str(Proto *p, unsigned field, const char *s) {
    pr_len(p, field, s, strlen(s));
}

static inline void pr_fixed32(Proto *p, unsigned field, uint32_t v) {
    pr_key(p, field, 5);
    for (int i = 0; i < 4; i++) p->b[p->n++] = (unsigned char)(v >> (8 * i));
}

static inline void pr_float(Proto *p, unsigned field, float f) {
    uint32_t u;
    memcpy(&u, &f, 4);
    pr_fixed32(p, field, u);
}

static inline void pr_uint(Proto *p, unsigned field, uint64_t v) {
    pr_key(p, field, 0);
    pr_varint(p, v);
}

/* Appends a SentencePiece message (ModelProto field 1). */
static inline void pr_piece(Proto *p, const char *piece, float score, int type) {
    Proto m = {.n = 0};
    pr_str(&m, 1, piece);
    pr_float(&m, 2, score);
    if (type) pr_uint(&m, 3, (uint64_t)type);
    pr_len(p, 1, m.b, m.n);
}

#endif
