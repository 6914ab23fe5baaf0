/* Protobuf wire-format reader: varints, fixed 32/64, length-delimited; every length is checked
 * against the bytes left in its parent before it is used (specs/sentencepiece.md). */
#include "pb.h"

#include <string.h>

void pb_init(PbReader *r, const void *data, size_t len) {
    r->p = data;
    r->end = r->p + len;
}

int pb_read_varint(const uint8_t **p, const uint8_t *end, uint64_t *out, const char **why) {
    uint64_t v = 0;
    const uint8_t *q = *p;
    for (int i = 0; i < 10; i++) {
        if (q == end) {
            *why = "truncated varint";
            return -1;
        }
        uint8_t b = *q++;
        /* The 10th byte carries bit 63 only; anything more does not fit in 64 bits. */
        if (i == 9 && b > 1) {
            *why = "varint longer than 64 bits";
            return -1;
        }
        v |= (uint64_t)(b & 0x7f) << (7 * i);
        if (!(b & 0x80)) {
            *p = q;
            *out = v;
            return 0;
        }
    }
    *why = "varint longer than 10 bytes";
    return -1;
}

static uint64_t read_le(const uint8_t *p, int n) {
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; i--) v = (v << 8) | p[i];
    return v;
}

int pb_next(PbReader *r, PbField *f, const char **why) {
    if (r->p == r->end) return 0;
    uint64_t key;
    if (pb_read_varint(&r->p, r->end, &key, why) < 0) return -1;
    uint64_t field = key >> 3;
    if (field == 0 || field > 0x1fffffff) {
        *why = "bad field number";
        return -1;
    }
    f->field = (uint32_t)field;
    f->wire = (int)(key & 7);
    f->data = NULL;
    f->len = 0;
    f->u = 0;
    size_t left;
    switch (f->wire) {
    case PB_VARINT: return pb_read_varint(&r->p, r->end, &f->u, why) < 0 ? -1 : 1;
    case PB_FIXED64:
    case PB_FIXED32: {
        size_t n = f->wire == PB_FIXED64 ? 8 : 4;
        if ((size_t)(r->end - r->p) < n) {
            *why = "truncated fixed-size value";
            return -1;
        }
        f->u = read_le(r->p, (int)n);
        r->p += n;
        return 1;
    }
    case PB_LEN: {
        uint64_t n;
        if (pb_read_varint(&r->p, r->end, &n, why) < 0) return -1;
        left = (size_t)(r->end - r->p);
        if (n > left) {
            *why = "length past the end of its message";
            return -1;
        }
        f->data = r->p;
        f->len = (size_t)n;
        r->p += n;
        return 1;
    }
    case 3:
    case 4: *why = "group wire type (3/4) is not supported"; return -1;
    default: *why = "unknown wire type"; return -1;
    }
}

float pb_float(const PbField *f) {
    uint32_t u = (uint32_t)f->u;
    float x;
    memcpy(&x, &u, sizeof x);
    return x;
}
