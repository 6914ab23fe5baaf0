/* Tokenizers (anuvad.h): a model's two, or a bare SentencePiece .model file. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "spm/marian_text.h"
#include "translator.h"

const AnuvadTokenizer *anuvad_tokenizer(const AnuvadModel *m, AnuvadSide side) {
    return &m->sh->tok[side == ANUVAD_TARGET];
}

/* The whole file in memory (a .model is a few hundred KB). */
static char *read_file(const char *path, size_t *len, char *err, size_t errlen) {
    FILE *f = fopen(path, "rb");
    if (!f)
        return err_set(err, errlen, ANUVAD_ERR_IO, "cannot read %s: %s", path, strerror(errno)),
               NULL;
    size_t cap = 1 << 16, n = 0, got;
    char *b = malloc(cap);
    while (b && (got = fread(b + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n < cap) continue;
        char *nb = cap <= SIZE_MAX / 2 ? realloc(b, cap * 2) : NULL;
        if (!nb) free(b);
        b = nb;
        cap *= 2;
    }
    int bad = ferror(f);
    fclose(f);
    if (!b || bad) {
        free(b);
        err_set(err, errlen, ANUVAD_ERR_IO, "cannot read %s", path);
        return NULL;
    }
    *len = n;
    return b;
}

AnuvadTokenizer *anuvad_tokenizer_load(const char *path, int *status, char *err, size_t errlen) {
    size_t len;
    char msg[256];
    int rc = ANUVAD_OK;
    char *data = read_file(path, &len, err, errlen);
    AnuvadTokenizer *t = data ? calloc(1, sizeof *t) : NULL;
    if (!data) rc = ANUVAD_ERR_IO;
    else if (!t) rc = err_set(err, errlen, ANUVAD_ERR_NOMEM, "out of memory");
    else if (!(t->spm = spm_load(data, len, msg, sizeof msg)))
        rc = err_set(err, errlen, ANUVAD_ERR_FORMAT, "%s: %s", path, msg);
    free(data);
    if (status) *status = rc;
    if (rc) {
        free(t);
        return NULL;
    }
    return t;
}

void anuvad_tokenizer_free(AnuvadTokenizer *t) {
    if (!t) return;
    spm_free(t->spm);
    free(t);
}

int tokenizer_encode(const struct AnuvadTokenizer *t, const char *text, size_t len, SpmPieces *out,
                     char *err, size_t errlen) {
    return (t->marian ? marian_encode : spm_encode)(t->spm, text, len, out, err, errlen);
}

int anuvad_tokenize(const AnuvadTokenizer *t, const char *text, size_t len, AnuvadTokens *out,
                    char *err, size_t errlen) {
    SpmPieces p;
    memset(out, 0, sizeof *out);
    if (tokenizer_encode(t, text, len, &p, err, errlen)) return ANUVAD_ERR_INPUT;
    for (int i = 0; t->vocab && i < p.n; i++) {
        int id = vocab_id(t->vocab, p.pieces[i], strlen(p.pieces[i]));
        p.ids[i] = id < 0 ? t->unk : id;
    }
    *out = (AnuvadTokens){p.n, p.pieces, p.ids};
    return ANUVAD_OK;
}

void anuvad_tokens_free(AnuvadTokens *tokens) {
    SpmPieces p = {tokens->n, tokens->pieces, tokens->ids};
    spm_pieces_free(&p);
    memset(tokens, 0, sizeof *tokens);
}

int anuvad_detokenize(const AnuvadTokenizer *t, const int *ids, int n, char **out, char *err,
                      size_t errlen) {
    *out = NULL;
    if (!t->vocab)
        return err_set(err, errlen, ANUVAD_ERR_USAGE, "only a model's tokenizer detokenizes ids");
    const char **pieces = malloc(((size_t)n + 1) * sizeof *pieces);
    if (!pieces) return err_set(err, errlen, ANUVAD_ERR_NOMEM, "out of memory");
    int k = 0;
    for (int i = 0; i < n; i++) {
        if (ids[i] < 0 || ids[i] >= t->vocab->n) {
            free(pieces);
            return err_set(err, errlen, ANUVAD_ERR_USAGE, "%d is not a vocabulary id", ids[i]);
        }
        /* MarianTokenizer.decode skips <unk> too. */
        if (ids[i] != t->eos && ids[i] != t->pad && !(t->marian && ids[i] == t->unk))
            pieces[k++] = t->vocab->piece[ids[i]];
    }
    int rc = spm_decode(t->spm, pieces, k, out, err, errlen) ? ANUVAD_ERR_INPUT : ANUVAD_OK;
    if (!rc && t->marian) marian_clean(*out);
    free(pieces);
    return rc;
}
