/* MarianTokenizer's text handling (transformers: tokenization_marian.py and the slow
 * tokenizer's split on special tokens), see marian_text.h. */
#include "marian_text.h"

#include <stdlib.h>
#include <string.h>

#include "err.h"

static const char *const SPECIALS[] = {"</s>", "<unk>", "<pad>"};
#define N_SPECIALS 3

/* The pieces collected so far: strings (not NUL-terminated) and ids. */
typedef struct {
    const char **s;
    size_t *len;
    int *id;
    int n, cap;
} List;

static int push(List *l, const char *s, size_t len, int id) {
    if (l->n == l->cap) {
        int cap = l->cap ? 2 * l->cap : 32;
        const char **ns = realloc(l->s, (size_t)cap * sizeof *ns);
        if (ns) l->s = ns;
        size_t *nl = realloc(l->len, (size_t)cap * sizeof *nl);
        if (nl) l->len = nl;
        int *ni = realloc(l->id, (size_t)cap * sizeof *ni);
        if (ni) l->id = ni;
        if (!ns || !nl || !ni) return -1;
        l->cap = cap;
    }
    l->s[l->n] = s, l->len[l->n] = len, l->id[l->n++] = id;
    return 0;
}

/* Offset of the first special token string at or after `from` (len if none); *k its index. */
static size_t find_special(const char *t, size_t len, size_t from, int *k) {
    for (size_t i = from; i < len; i++) {
        if (t[i] != '<') continue;
        for (*k = 0; *k < N_SPECIALS; ++*k) {
            size_t n = strlen(SPECIALS[*k]);
            if (n <= len - i && memcmp(t + i, SPECIALS[*k], n) == 0) return i;
        }
    }
    return len;
}

/* One chunk between special tokens: a leading ">>code<<", then SentencePiece. The encoded
 * part stays alive until the pieces are copied out. -1: SentencePiece failed (err set),
 * -2: out of memory. */
static int chunk(const SpmModel *sp, const char *t, size_t len, List *l, SpmPieces *part, char *err,
                 size_t errlen) {
    if (len >= 2 && t[0] == '>' && t[1] == '>') {
        for (size_t i = 2; i + 1 < len; i++)
            if (t[i] == '<' && t[i + 1] == '<') {
                if (push(l, t, i + 2, -1)) return -2;
                t += i + 2, len -= i + 2;
                break;
            }
    }
    if (spm_encode(sp, t, len, part, err, errlen)) return -1;
    for (int i = 0; i < part->n; i++)
        if (push(l, part->pieces[i], strlen(part->pieces[i]), part->ids[i])) return -2;
    return 0;
}

int marian_encode(const SpmModel *sp, const char *text, size_t len, SpmPieces *out, char *err,
                  size_t errlen) {
    List l = {0};
    SpmPieces *parts = NULL;
    int n_parts = 0, rc = -1;
    memset(out, 0, sizeof *out);
    for (size_t pos = 0; pos <= len;) {
        int k = 0;
        size_t at = find_special(text, len, pos, &k);
        SpmPieces *np = realloc(parts, (size_t)(n_parts + 1) * sizeof *np);
        if (!np) goto oom;
        parts = np;
        memset(&parts[n_parts], 0, sizeof *parts);
        int c = chunk(sp, text + pos, at - pos, &l, &parts[n_parts++], err, errlen);
        if (c == -2) goto oom;
        if (c) goto done;
        if (at == len) break;
        if (push(&l, SPECIALS[k], strlen(SPECIALS[k]), -1)) goto oom;
        pos = at + strlen(SPECIALS[k]);
    }
    size_t bytes = 0;
    for (int i = 0; i < l.n; i++) bytes += l.len[i] + 1;
    out->pieces = malloc((size_t)(l.n + 1) * sizeof *out->pieces + bytes);
    out->ids = malloc((size_t)(l.n ? l.n : 1) * sizeof *out->ids);
    if (!out->pieces || !out->ids) goto oom;
    char *dst = (char *)(out->pieces + l.n + 1);
    for (int i = 0; i < l.n; i++) {
        out->pieces[i] = dst;
        memcpy(dst, l.s[i], l.len[i]);
        dst[l.len[i]] = 0;
        dst += l.len[i] + 1;
        out->ids[i] = l.id[i];
    }
    out->pieces[l.n] = NULL;
    out->n = l.n;
    rc = 0;
    goto done;
oom:
    spm_pieces_free(out);
    err_set(err, errlen, -1, "out of memory");
done:
    for (int i = 0; i < n_parts; i++) spm_pieces_free(&parts[i]);
    free(parts);
    free(l.s);
    free(l.len);
    free(l.id);
    return rc;
}

void marian_clean(char *s) {
    char *w = s;
    for (const char *r = s; *r;) {
        if ((unsigned char)r[0] == 0xE2 && (unsigned char)r[1] == 0x96 &&
            (unsigned char)r[2] == 0x81) {
            *w++ = ' ';
            r += 3;
        } else {
            *w++ = *r++;
        }
    }
    *w = 0;
    size_t n = strlen(s), a = 0;
    while (n && strchr(" \t\n\r\f\v", s[n - 1])) s[--n] = 0;
    while (a < n && strchr(" \t\n\r\f\v", s[a])) a++;
    memmove(s, s + a, n - a + 1);
}
