/* The tokenizer's public entry points (spm.h): load, encode, decode. Encoding is
 * normalize -> segment (unigram or BPE) -> pieces as SentencePieceProcessor::Encode gives
 * them: runs of unknown pieces fused, or split into <0xNN> byte pieces with byte_fallback.
 * `make SPM=1` swaps this file for a wrapper over libsentencepiece. */
#include "spm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "spm_model.h"
#include "spm_norm.h"
#include "spm_segment.h"
#include "spm_util.h"

static const char kSpace[] = "\xe2\x96\x81";

const char *spm_backend(void) { return "anuvad"; }

SpmModel *spm_load(const void *data, size_t size, char *err, size_t errlen) {
    return spm_model_parse(data, size, err, errlen);
}

void spm_free(SpmModel *m) { spm_model_free(m); }

void spm_pieces_free(SpmPieces *p) {
    if (!p) return;
    free(p->pieces);
    free(p->ids);
    p->pieces = NULL;
    p->ids = NULL;
    p->n = 0;
}

/* PopulateSentencePieceText: fuse unknown runs, expand them to bytes with byte_fallback.
 * Two passes over the segments: count pieces and bytes, then write them into one block. */
static int populate(const SpmModel *m, const char *norm, const SpmSegs *segs, SpmPieces *out,
                    const char **why) {
    size_t n = 0, bytes = 0;
    int prev_unk = 0;
    for (size_t i = 0; i < segs->n; i++) {
        const SpmSeg *g = &segs->v[i];
        int unk = m->type[g->id] == SPM_UNKNOWN;
        if (unk && m->byte_fallback) {
            n += g->len;
            bytes += 7 * (size_t)g->len; /* "<0xNN>" + NUL */
        } else if (unk && prev_unk && n > 0) {
            bytes += g->len; /* joins the previous unknown piece */
        } else {
            n++;
            bytes += (size_t)g->len + 1;
        }
        prev_unk = unk;
    }
    if (n > (size_t)INT32_MAX || bytes > SIZE_MAX / 2 - (n + 1) * sizeof(char *)) {
        *why = "too many pieces";
        return -1;
    }
    char **pieces = malloc((n + 1) * sizeof(char *) + bytes);
    int *ids = malloc((n ? n : 1) * sizeof *ids);
    if (!pieces || !ids) {
        free(pieces);
        free(ids);
        *why = "out of memory";
        return -1;
    }
    char *dst = (char *)(pieces + n + 1);
    size_t k = 0;
    prev_unk = 0;
    for (size_t i = 0; i < segs->n; i++) {
        const SpmSeg *g = &segs->v[i];
        int unk = m->type[g->id] == SPM_UNKNOWN;
        if (unk && m->byte_fallback) {
            for (uint32_t b = 0; b < g->len; b++) {
                uint8_t c = (uint8_t)norm[g->off + b];
                pieces[k] = dst;
                snprintf(dst, 7, "<0x%02X>", c);
                dst += 7;
                ids[k++] = m->byte_id[c];
            }
        } else if (unk && prev_unk && k > 0) {
            /* the previous piece is the last string written: extend it over its NUL */
            memcpy(dst - 1, norm + g->off, g->len);
            dst += g->len;
            dst[-1] = 0;
        } else {
            pieces[k] = dst;
            memcpy(dst, norm + g->off, g->len);
            dst[g->len] = 0;
            dst += g->len + 1;
            ids[k++] = g->id;
        }
        prev_unk = unk;
    }
    pieces[n] = NULL;
    out->n = (int)n;
    out->pieces = pieces;
    out->ids = ids;
    return 0;
}

int spm_encode(const SpmModel *m, const char *text, size_t len, SpmPieces *out, char *err,
               size_t errlen) {
    SpmBuf norm = {0};
    SpmSegs segs = {0};
    const char *why = "out of memory";
    int rc = -1;
    out->n = 0;
    out->pieces = NULL;
    out->ids = NULL;
    if (!text && len) {
        err_set(err, errlen, -1, "spm: no text");
        return -1;
    }
    if (spm_normalize(m, &m->norm, 1, m->ws_suffix, text, len, &norm, &why) < 0) goto done;
    if (norm.n > UINT32_MAX / 2) {
        why = "input too long";
        goto done;
    }
    /* At most one segment per byte: size the list once. */
    segs.cap = norm.n + 1;
    if (!(segs.v = malloc(segs.cap * sizeof *segs.v))) goto done;
    int r = m->model_type == SPM_MODEL_BPE ? spm_bpe_encode(m, norm.p, norm.n, &segs, &why)
                                           : spm_unigram_encode(m, norm.p, norm.n, &segs, &why);
    if (r < 0 || populate(m, norm.p, &segs, out, &why) < 0) goto done;
    rc = 0;
done:
    if (rc < 0) err_set(err, errlen, -1, "spm: encode: %s", why);
    free(norm.p);
    free(segs.v);
    return rc;
}

/* A "<0xNN>" piece's byte (uppercase hex, as ByteToPiece writes it), or -1. */
static int piece_byte(const char *p) {
    static const char hex[] = "0123456789ABCDEF";
    if (strlen(p) != 6 || memcmp(p, "<0x", 3) != 0 || p[5] != '>') return -1;
    const char *hi = strchr(hex, p[3]), *lo = strchr(hex, p[4]);
    if (!p[3] || !p[4] || !hi || !lo) return -1;
    return (int)((hi - hex) * 16 + (lo - hex));
}

/* Appends piece with U+2581 -> ' ' (absl::StrReplaceAll). */
static int put_unescaped(SpmBuf *b, const char *p, size_t n) {
    for (size_t i = 0; i < n;) {
        if (n - i >= 3 && memcmp(p + i, kSpace, 3) == 0) {
            if (spm_buf_put(b, " ", 1) < 0) return -1;
            i += 3;
        } else {
            if (spm_buf_put(b, p + i, 1) < 0) return -1;
            i++;
        }
    }
    return 0;
}

/* Consecutive byte pieces: their bytes as UTF-8, U+FFFD for each byte that starts no valid
 * character (ProcessBytePieces). */
static int put_bytes(SpmBuf *b, const uint8_t *bytes, size_t n) {
    for (size_t i = 0; i < n;) {
        size_t k = spm_utf8_valid_len(bytes + i, n - i);
        if (k == 0) {
            if (spm_buf_put(b, "\xef\xbf\xbd", 3) < 0) return -1;
            i++;
        } else {
            if (spm_buf_put(b, bytes + i, k) < 0) return -1;
            i += k;
        }
    }
    return 0;
}

int spm_decode(const SpmModel *m, const char *const *pieces, int n, char **out, char *err,
               size_t errlen) {
    SpmBuf text = {0}, bytes = {0}, denorm = {0};
    const char *why = "out of memory";
    int bos_ws = 1, bos_ws_seen = 0;
    *out = NULL;
    if (n < 0 || (n > 0 && !pieces)) {
        err_set(err, errlen, -1, "spm: decode: bad arguments");
        return -1;
    }
    for (int i = 0; i <= n; i++) {
        const char *p = i < n ? pieces[i] : NULL;
        if (i < n && !p) {
            why = "a piece is NULL";
            goto fail;
        }
        size_t plen = p ? strlen(p) : 0;
        int id = p ? spm_piece_id(m, p, plen) : -1;
        if (p && m->type[id] == SPM_BYTE) {
            int c = piece_byte(p);
            if (c < 0) {
                why = "byte piece is not <0xNN>";
                goto fail;
            }
            uint8_t ch = (uint8_t)c;
            if (spm_buf_put(&bytes, &ch, 1) < 0) goto fail;
            continue;
        }
        if (put_bytes(&text, (const uint8_t *)bytes.p, bytes.n) < 0) goto fail;
        bytes.n = 0;
        if (!p) break;
        /* DecodeSentencePiece: strip the first U+2581 of the text (the dummy prefix). */
        if (bos_ws_seen || text.n > 0) bos_ws = 0;
        bos_ws_seen = 0;
        if (m->type[id] == SPM_CONTROL) continue;
        if (m->type[id] == SPM_UNKNOWN) {
            int is_unk_piece = plen == m->len[id] && memcmp(p, m->strs + m->off[id], plen) == 0;
            const char *s = is_unk_piece ? m->unk_surface : p;
            if (spm_buf_put(&text, s, strlen(s)) < 0) goto fail;
            continue;
        }
        if (bos_ws && (m->norm.add_dummy_prefix || m->norm.remove_extra_whitespaces) && plen >= 3 &&
            memcmp(p, kSpace, 3) == 0) {
            p += 3;
            plen -= 3;
            bos_ws_seen = !m->norm.remove_extra_whitespaces;
        }
        if (put_unescaped(&text, p, plen) < 0) goto fail;
    }
    if (m->has_denorm) {
        if (spm_normalize(m, &m->denorm, 0, 0, text.p, text.n, &denorm, &why) < 0) goto fail;
        free(text.p);
        text = denorm;
        denorm.p = NULL;
    }
    if (spm_buf_put(&text, "", 1) < 0) goto fail;
    free(bytes.p);
    *out = text.p;
    return 0;
fail:
    err_set(err, errlen, -1, "spm: decode: %s", why);
    free(text.p);
    free(bytes.p);
    free(denorm.p);
    return -1;
}
