/* Token-list input (anuvad_translate_tokens, _batch): each sentence's pieces packed into one
 * buffer of NUL-terminated strings, the form the translators read as SOURCE_PIECES
 * (source.c), so that a batch's threads and rows copy a sentence as they copy text. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "translator.h"

/* Checks n pieces; their packed size (each with its NUL) into *bytes. `what` names them in
 * the message ("" or "sentence 3: "). */
static int check_pieces(const char *const *pieces, int n, size_t *bytes, const char *what,
                        char *err, size_t errlen) {
    if (n < 0)
        return err_set(err, errlen, ANUVAD_ERR_USAGE, "%sa list of %d pieces", what, n);
    if (n > 0 && !pieces)
        return err_set(err, errlen, ANUVAD_ERR_USAGE, "%sthe piece list is NULL", what);
    *bytes = 0;
    for (int i = 0; i < n; i++) {
        if (!pieces[i])
            return err_set(err, errlen, ANUVAD_ERR_USAGE, "%spiece %d is NULL", what, i);
        *bytes += strlen(pieces[i]) + 1;
    }
    return ANUVAD_OK;
}

/* The pieces one after another into buf, each with its NUL; returns the bytes written. */
static size_t pack(char *buf, const char *const *pieces, int n) {
    size_t at = 0;
    for (int i = 0; i < n; i++) {
        size_t k = strlen(pieces[i]) + 1;
        memcpy(buf + at, pieces[i], k);
        at += k;
    }
    return at;
}

int anuvad_translate_tokens(AnuvadModel *m, const char *const *pieces, int n,
                            const AnuvadOptions *o, AnuvadResult *r) {
    char msg[200];
    size_t bytes;
    memset(r, 0, sizeof *r);
    int rc = check_pieces(pieces, n, &bytes, "", msg, sizeof msg);
    if (rc) return result_fail(r, rc, "%s", msg);
    char *buf = malloc(bytes + 1);
    if (!buf) return result_fail(r, ANUVAD_ERR_NOMEM, "out of memory");
    rc = translator_run(m, buf, pack(buf, pieces, n), SOURCE_PIECES, NULL, o, r);
    free(buf);
    return rc;
}

/* The batch as a stream over one buffer that holds every sentence's pieces; results moved
 * out. */
typedef struct {
    AnuvadResult *results; /* first: translator_keep_result's user */
    const char *buf;
    const size_t *start; /* [n + 1] sentence i is buf[start[i], start[i + 1]) */
    int n, next;
} Array;

static int array_read(void *user, const char **src, size_t *len, char *note, size_t n) {
    (void)note, (void)n;
    Array *a = user;
    if (a->next == a->n) return 0;
    int i = a->next++;
    *src = a->buf + a->start[i];
    *len = a->start[i + 1] - a->start[i];
    return 1;
}

int anuvad_translate_tokens_batch(AnuvadModel *m, const char *const *const *sources,
                                  const int *lengths, int n, const AnuvadOptions *o,
                                  AnuvadResult *results, char *err, size_t errlen) {
    n = n > 0 ? n : 0;
    memset(results, 0, (size_t)n * sizeof *results);
    if (n > 0 && (!sources || !lengths))
        return err_set(err, errlen, ANUVAD_ERR_USAGE, "bad sentence list (NULL)");
    size_t *start = malloc(((size_t)n + 1) * sizeof *start), total = 0, bytes;
    if (!start) return err_set(err, errlen, ANUVAD_ERR_NOMEM, "out of memory");
    for (int i = 0; i < n; i++) {
        char what[32];
        snprintf(what, sizeof what, "sentence %d: ", i);
        int rc = check_pieces(sources[i], lengths[i], &bytes, what, err, errlen);
        if (rc) return free(start), rc;
        start[i] = total;
        total += bytes;
    }
    start[n] = total;
    char *buf = malloc(total + 1);
    if (!buf) return free(start), err_set(err, errlen, ANUVAD_ERR_NOMEM, "out of memory");
    for (int i = 0; i < n; i++) pack(buf + start[i], sources[i], lengths[i]);
    Array a = {results, buf, start, n, 0};
    AnuvadStream io = {array_read, translator_keep_result, NULL, &a};
    int rc = translator_stream(m, o, &io, SOURCE_PIECES, err, errlen);
    free(buf);
    free(start);
    return rc;
}
