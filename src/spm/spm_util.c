/* Small helpers of the tokenizer: growable buffers and the library's UTF-8 validity rule. */
#include "spm_util.h"

#include <stdlib.h>
#include <string.h>

int spm_buf_reserve(SpmBuf *b, size_t extra) {
    if (extra <= b->cap - b->n) return 0;
    if (extra > SIZE_MAX / 2 - b->n) return -1;
    size_t cap = b->cap ? b->cap : 64;
    while (cap - b->n < extra) cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) return -1;
    b->p = p;
    b->cap = cap;
    return 0;
}

int spm_buf_put(SpmBuf *b, const void *s, size_t n) {
    if (spm_buf_reserve(b, n) < 0) return -1;
    if (n) memcpy(b->p + b->n, s, n);
    b->n += n;
    return 0;
}

int spm_segs_push(SpmSegs *s, uint32_t off, uint32_t len, int32_t id) {
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 32;
        if (cap > SIZE_MAX / sizeof *s->v) return -1;
        SpmSeg *v = realloc(s->v, cap * sizeof *v);
        if (!v) return -1;
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n].off = off;
    s->v[s->n].len = len;
    s->v[s->n].id = id;
    s->n++;
    return 0;
}

static int is_trail(uint8_t c) { return (c & 0xc0) == 0x80; }

static int is_valid_cp(uint32_t c) { return c < 0xd800 || (c >= 0xe000 && c <= 0x10ffff); }

/* util.cc DecodeUTF8 + IsValidDecodeUTF8: shortest form, no surrogates, <= U+10FFFF. */
size_t spm_utf8_valid_len(const uint8_t *s, size_t n) {
    if (n == 0) return 0;
    uint8_t c = s[0];
    if (c < 0x80) return 1;
    if (n >= 2 && (c & 0xe0) == 0xc0) {
        uint32_t cp = ((uint32_t)(c & 0x1f) << 6) | (s[1] & 0x3f);
        return is_trail(s[1]) && cp >= 0x80 && is_valid_cp(cp) ? 2 : 0;
    }
    if (n >= 3 && (c & 0xf0) == 0xe0) {
        uint32_t cp = ((uint32_t)(c & 0x0f) << 12) | ((uint32_t)(s[1] & 0x3f) << 6) | (s[2] & 0x3f);
        return is_trail(s[1]) && is_trail(s[2]) && cp >= 0x800 && is_valid_cp(cp) ? 3 : 0;
    }
    if (n >= 4 && (c & 0xf8) == 0xf0) {
        uint32_t cp = ((uint32_t)(c & 0x07) << 18) | ((uint32_t)(s[1] & 0x3f) << 12) |
                      ((uint32_t)(s[2] & 0x3f) << 6) | (s[3] & 0x3f);
        return is_trail(s[1]) && is_trail(s[2]) && is_trail(s[3]) && cp >= 0x10000 &&
                       is_valid_cp(cp)
                   ? 4
                   : 0;
    }
    return 0;
}
