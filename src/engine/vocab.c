/* Vocabulary (vocab.h): one block of NUL-terminated pieces and an FNV-1a hash map over them. */
#include "vocab.h"

#include <stdlib.h>
#include <string.h>

#include "anuvad.h"
#include "err.h"

static uint32_t hash_piece(const char *s, size_t len) {
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < len; i++) h = (h ^ (uint8_t)s[i]) * 16777619u;
    return h;
}

int vocab_id(const Vocab *v, const char *piece, size_t len) {
    size_t mask = v->cap - 1;
    for (size_t i = hash_piece(piece, len) & mask;; i = (i + 1) & mask) {
        int32_t id = v->hash[i];
        if (id < 0) return -1;
        const char *p = v->piece[id];
        if (strlen(p) == len && memcmp(p, piece, len) == 0) return id;
    }
}

/* A piece listed twice keeps its first id, as a dict built from the list would not; Marian's
 * vocab.json cannot hold duplicates anyway. */
static void insert(Vocab *v, int32_t id) {
    size_t mask = v->cap - 1, j = hash_piece(v->piece[id], strlen(v->piece[id])) & mask;
    for (; v->hash[j] >= 0; j = (j + 1) & mask)
        if (strcmp(v->piece[v->hash[j]], v->piece[id]) == 0) return;
    v->hash[j] = id;
}

int vocab_init(Vocab *v, const char *name, const GgufStr *pieces, size_t n, char *err,
               size_t errlen) {
    memset(v, 0, sizeof *v);
    size_t chars = 0;
    for (size_t i = 0; i < n; i++) chars += pieces[i].len + 1; /* bounded by the file size */
    v->cap = 16;
    while (v->cap < 2 * n) v->cap *= 2;
    v->n = (int)n;
    v->piece = malloc((n ? n : 1) * sizeof *v->piece);
    v->chars = malloc(chars ? chars : 1);
    v->hash = malloc(v->cap * sizeof *v->hash);
    if (!v->piece || !v->chars || !v->hash) {
        vocab_free(v);
        return err_set(err, errlen, ANUVAD_ERR_NOMEM, "out of memory");
    }
    memset(v->hash, 0xff, v->cap * sizeof *v->hash);
    char *p = v->chars;
    for (size_t i = 0; i < n; i++) {
        if (memchr(pieces[i].s, 0, pieces[i].len)) {
            vocab_free(v);
            return err_set(err, errlen, ANUVAD_ERR_FORMAT, "%s piece %zu contains a NUL byte", name,
                           i);
        }
        memcpy(p, pieces[i].s, pieces[i].len);
        p[pieces[i].len] = 0;
        v->piece[i] = p;
        p += pieces[i].len + 1;
        insert(v, (int32_t)i);
    }
    return ANUVAD_OK;
}

void vocab_free(Vocab *v) {
    free(v->piece);
    free(v->chars);
    free(v->hash);
    memset(v, 0, sizeof *v);
}
