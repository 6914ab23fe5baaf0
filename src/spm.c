/* The tokenizer's public entry points (spm.h): load, encode, decode. Encoding is
 * normalize -> segment (unigram or BPE) -> pieces as SentencePieceProcessor::Encode gives
 * them: runs of unknown pieces fused, or split into <0xNN> byte pieces with byte_fallback.
 * `make SPM=1` swaps this file for a wrapper over libsentencepiece. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spm_impl.h"

static const char kSpace[] = "\xe2\x96\x81";

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || !errlen)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

const char *spm_backend(void) { return "anuvad"; }

SpmModel *spm_load(const void *data, size_t size, char *err, size_t errlen)
{
    return spm_model_parse(data, size, err, errlen);
}

void spm_free(SpmModel *m) { spm_model_free(m); }

void spm_pieces_free(SpmPieces *p)
{
    if (!p)
        return;
    free(p->pieces);
    free(p->ids);
    p->pieces = NULL;
    p->ids = NULL;
    p->n = 0;
}

/* One output piece before it is copied out: bytes of the normalized string, or a byte. */
typedef struct {
    uint32_t off, len;   /* len == 0: a byte piece for `byte` */
    int32_t id;
    int byte;
} OutPiece;

/* PopulateSentencePieceText: fuse unknown runs, expand them to bytes with byte_fallback. */
static int populate(const SpmModel *m, const char *norm, const SpmSegs *segs, SpmPieces *out,
                    const char **why)
{
    size_t cap = 0, n = 0, bytes = 0;
    for (size_t i = 0; i < segs->n; i++)
        cap += m->byte_fallback ? segs->v[i].len : 1;
    if (cap > (size_t)INT32_MAX || cap > SIZE_MAX / sizeof(OutPiece)) {
        *why = "too many pieces";
        return -1;
    }
    OutPiece *v = malloc((cap ? cap : 1) * sizeof *v);
    if (!v) {
        *why = "out of memory";
        return -1;
    }
    int prev_unk = 0;
    for (size_t i = 0; i < segs->n; i++) {
        const SpmSeg *g = &segs->v[i];
        int unk = m->type[g->id] == SPM_UNKNOWN;
        if (unk && m->byte_fallback) {
            for (uint32_t k = 0; k < g->len; k++) {
                uint8_t c = (uint8_t)norm[g->off + k];
                v[n++] = (OutPiece){0, 0, m->byte_id[c], c};
                bytes += 7;
            }
        } else if (unk && prev_unk && n > 0) {
            v[n - 1].len += g->len; /* the previous unknown ends where this one starts */
            bytes += g->len;
        } else {
            v[n++] = (OutPiece){g->off, g->len, g->id, 0};
            bytes += g->len + 1;
        }
        prev_unk = unk;
    }
    if (n > SIZE_MAX / sizeof(char *) - 1 || bytes > SIZE_MAX - (n + 1) * sizeof(char *)) {
        free(v);
        *why = "too many pieces";
        return -1;
    }
    /* One block: the pointer array followed by the strings it points to. */
    char **pieces = malloc((n + 1) * sizeof(char *) + bytes);
    int *ids = malloc((n ? n : 1) * sizeof *ids);
    if (!pieces || !ids) {
        free(v);
        free(pieces);
        free(ids);
        *why = "out of memory";
        return -1;
    }
    char *dst = (char *)(pieces + n + 1);
    for (size_t i = 0; i < n; i++) {
        pieces[i] = dst;
        if (v[i].len == 0) {
            snprintf(dst, 7, "<0x%02X>", v[i].byte);
            dst += 7;
        } else {
            memcpy(dst, norm + v[i].off, v[i].len);
            dst[v[i].len] = 0;
            dst += v[i].len + 1;
        }
        ids[i] = v[i].id;
    }
    pieces[n] = NULL;
    free(v);
    out->n = (int)n;
    out->pieces = pieces;
    out->ids = ids;
    return 0;
}

int spm_encode(const SpmModel *m, const char *text, size_t len, SpmPieces *out, char *err,
               size_t errlen)
{
    SpmBuf norm = {0};
    SpmSegs segs = {0};
    const char *why = "out of memory";
    int rc = -1;
    out->n = 0;
    out->pieces = NULL;
    out->ids = NULL;
    if (!text && len) {
        set_err(err, errlen, "spm: no text");
        return -1;
    }
    if (spm_normalize(m, &m->norm, 1, m->ws_suffix, text, len, &norm, &why) < 0)
        goto done;
    if (norm.n > UINT32_MAX / 2) {
        why = "input too long";
        goto done;
    }
    int r = m->model_type == SPM_MODEL_BPE ? spm_bpe_encode(m, norm.p, norm.n, &segs, &why)
                                           : spm_unigram_encode(m, norm.p, norm.n, &segs, &why);
    if (r < 0 || populate(m, norm.p, &segs, out, &why) < 0)
        goto done;
    rc = 0;
done:
    if (rc < 0)
        set_err(err, errlen, "spm: encode: %s", why);
    free(norm.p);
    free(segs.v);
    return rc;
}

/* A "<0xNN>" piece's byte (uppercase hex, as ByteToPiece writes it), or -1. */
static int piece_byte(const char *p)
{
    static const char hex[] = "0123456789ABCDEF";
    if (strlen(p) != 6 || memcmp(p, "<0x", 3) != 0 || p[5] != '>')
        return -1;
    const char *hi = strchr(hex, p[3]), *lo = strchr(hex, p[4]);
    if (!p[3] || !p[4] || !hi || !lo)
        return -1;
    return (int)((hi - hex) * 16 + (lo - hex));
}

/* Appends piece with U+2581 -> ' ' (absl::StrReplaceAll). */
static int put_unescaped(SpmBuf *b, const char *p, size_t n)
{
    for (size_t i = 0; i < n;) {
        if (n - i >= 3 && memcmp(p + i, kSpace, 3) == 0) {
            if (spm_buf_put(b, " ", 1) < 0)
                return -1;
            i += 3;
        } else {
            if (spm_buf_put(b, p + i, 1) < 0)
                return -1;
            i++;
        }
    }
    return 0;
}

/* Consecutive byte pieces: their bytes as UTF-8, U+FFFD for each byte that starts no valid
 * character (ProcessBytePieces). */
static int put_bytes(SpmBuf *b, const uint8_t *bytes, size_t n)
{
    for (size_t i = 0; i < n;) {
        size_t k = spm_utf8_valid_len(bytes + i, n - i);
        if (k == 0) {
            if (spm_buf_put(b, "\xef\xbf\xbd", 3) < 0)
                return -1;
            i++;
        } else {
            if (spm_buf_put(b, bytes + i, k) < 0)
                return -1;
            i += k;
        }
    }
    return 0;
}

int spm_decode(const SpmModel *m, const char *const *pieces, int n, char **out, char *err,
               size_t errlen)
{
    SpmBuf text = {0}, bytes = {0}, denorm = {0};
    const char *why = "out of memory";
    int bos_ws = 1, bos_ws_seen = 0;
    *out = NULL;
    if (n < 0 || (n > 0 && !pieces)) {
        set_err(err, errlen, "spm: decode: bad arguments");
        return -1;
    }
    for (int i = 0; i <= n; i++) {
        const char *p = i < n ? pieces[i] : NULL;
        size_t plen = p ? strlen(p) : 0;
        int id = p ? spm_piece_id(m, p, plen) : -1;
        if (p && m->type[id] == SPM_BYTE) {
            int c = piece_byte(p);
            if (c < 0) {
                why = "byte piece is not <0xNN>";
                goto fail;
            }
            uint8_t ch = (uint8_t)c;
            if (spm_buf_put(&bytes, &ch, 1) < 0)
                goto fail;
            continue;
        }
        if (put_bytes(&text, (const uint8_t *)bytes.p, bytes.n) < 0)
            goto fail;
        bytes.n = 0;
        if (!p)
            break;
        /* DecodeSentencePiece: strip the first U+2581 of the text (the dummy prefix). */
        if (bos_ws_seen || text.n > 0)
            bos_ws = 0;
        bos_ws_seen = 0;
        if (m->type[id] == SPM_CONTROL)
            continue;
        if (m->type[id] == SPM_UNKNOWN) {
            int is_unk_piece = plen == m->len[id] && memcmp(p, m->strs + m->off[id], plen) == 0;
            const char *s = is_unk_piece ? m->unk_surface : p;
            if (spm_buf_put(&text, s, strlen(s)) < 0)
                goto fail;
            continue;
        }
        if (bos_ws && (m->norm.add_dummy_prefix || m->norm.remove_extra_whitespaces) &&
            plen >= 3 && memcmp(p, kSpace, 3) == 0) {
            p += 3;
            plen -= 3;
            bos_ws_seen = !m->norm.remove_extra_whitespaces;
        }
        if (put_unescaped(&text, p, plen) < 0)
            goto fail;
    }
    if (m->has_denorm) {
        if (spm_normalize(m, &m->denorm, 0, 0, text.p, text.n, &denorm, &why) < 0)
            goto fail;
        free(text.p);
        text = denorm;
        denorm.p = NULL;
    }
    if (spm_buf_put(&text, "", 1) < 0)
        goto fail;
    free(bytes.p);
    *out = text.p;
    return 0;
fail:
    set_err(err, errlen, "spm: decode: %s", why);
    free(text.p);
    free(bytes.p);
    free(denorm.p);
    return -1;
}
