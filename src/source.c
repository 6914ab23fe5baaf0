/* A sentence's source as the translators read it: text, which the source tokenizer splits, or
 * pieces already split (anuvad_translate_tokens: what CTranslate2's users pass), which skip
 * the tokenizer and its text round-trip. Either way the engine then looks each piece up in
 * the vocabulary by string, so a piece the vocabulary lacks is the unk id on both paths. */
#include <stdlib.h>
#include <string.h>

#include "translator.h"

/* The pieces of a buffer of NUL-terminated strings, pointing into it. */
static int split_pieces(const char *buf, size_t len, SpmPieces *p) {
    int n = 0;
    for (size_t i = 0; i < len; i++) n += buf[i] == 0;
    p->n = n;
    p->ids = NULL;
    p->pieces = malloc(((size_t)n + 1) * sizeof *p->pieces);
    if (!p->pieces) return -1;
    size_t at = 0;
    for (int k = 0; k < n; k++) {
        p->pieces[k] = (char *)buf + at;
        at += strlen(buf + at) + 1;
    }
    return 0;
}

int source_read(const AnuvadModel *a, const char *src, size_t len, SourceKind kind, SourceIn *s,
                AnuvadResult *r) {
    const struct AnuvadTokenizer *t = &a->sh->tok[ANUVAD_SOURCE];
    char msg[300];
    memset(s, 0, sizeof *s);
    s->kind = kind;
    if (kind == SOURCE_PIECES) {
        if (split_pieces(src, len, &s->p)) return result_fail(r, ANUVAD_ERR_NOMEM, "out of memory");
        /* The unknown-word check reads words: the text these pieces stand for. */
        if (a->sh->m.known_words.n && s->p.n > 0 &&
            spm_decode(t->spm, (const char *const *)s->p.pieces, s->p.n, &s->text, msg, sizeof msg))
            return result_fail(r, ANUVAD_ERR_NOMEM, "cannot decode the source pieces: %s", msg);
        return r->status;
    }
    size_t n = strnlen(src, len);
    if (n < len) /* the rest cannot be passed on as a C string */
        result_warn(r, "NUL byte at column %zu: the rest of the line is ignored", n + 1);
    if (tokenizer_encode(t, src, n, &s->p, msg, sizeof msg))
        return result_fail(r, ANUVAD_ERR_INPUT, "cannot tokenize: %s", msg);
    s->tokenized = 1;
    if (!(s->text = strndup(src, n))) return result_fail(r, ANUVAD_ERR_NOMEM, "out of memory");
    return r->status;
}

void source_free(SourceIn *s) {
    if (s->tokenized) spm_pieces_free(&s->p);
    else free(s->p.pieces);
    free(s->text);
    memset(s, 0, sizeof *s);
}

const char *source_text(const SourceIn *s) { return s->text ? s->text : ""; }
