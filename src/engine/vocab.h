/* The model's vocabulary: id -> piece (NUL-terminated copies, for the step view and the
 * detokenizer) and piece -> id (a hash map: the tokenizer's pieces are looked up by string,
 * which is how Marian's vocab.json works). The one piece <-> id map of the library. */
#ifndef ANUVAD_VOCAB_H
#define ANUVAD_VOCAB_H

#include <stddef.h>
#include <stdint.h>

#include "gguf.h"

typedef struct {
    int n;
    char **piece;  /* [n] */
    char *chars;   /* the pieces' bytes */
    int32_t *hash; /* open addressing: piece -> id, -1 empty */
    size_t cap;    /* slots in hash, a power of two */
} Vocab;

/* From the n strings of the key `name` (for messages). A piece listed twice keeps its first id.
 * ANUVAD_OK, or ANUVAD_ERR_FORMAT (a piece holds a NUL) / ANUVAD_ERR_NOMEM; *v is freed then. */
int vocab_init(Vocab *v, const char *name, const GgufStr *pieces, size_t n, char *err,
               size_t errlen);
void vocab_free(Vocab *v);
/* Id of a piece of `len` bytes, or -1. */
int vocab_id(const Vocab *v, const char *piece, size_t len);

#endif
