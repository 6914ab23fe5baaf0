/* SentencePiece models: parse the ModelProto, normalize, encode (unigram, BPE), decode.
 * Reproduces libsentencepiece piece for piece (specs/sentencepiece.md); tests compare with it.
 * No printing: errors go to the caller's buffer. */
#ifndef ANUVAD_SPM_H
#define ANUVAD_SPM_H

#include <stddef.h>

typedef struct SpmModel SpmModel;

/* The pieces of one encoded line. A piece is the string the library's EncodeAsPieces gives:
 * vocabulary pieces as they are, an unknown run as its own surface text (id = unk id),
 * byte-fallback pieces as "<0xE0>". */
typedef struct {
    int n;
    char **pieces; /* n NUL-terminated strings */
    int *ids;      /* the .model's own ids (the engine maps pieces to its vocabulary by string) */
} SpmPieces;

/* Parse a serialized ModelProto. `data` must stay valid only during the call. */
SpmModel *spm_load(const void *data, size_t size, char *err, size_t errlen);
void spm_free(SpmModel *m);

/* Encode `len` bytes of text (need not be NUL-terminated; may hold NULs or invalid UTF-8).
 * A NUL byte in the input that survives normalization shows in its piece string as the end
 * of the string (the piece's id is still the library's). */
int spm_encode(const SpmModel *m, const char *text, size_t len, SpmPieces *out, char *err,
               size_t errlen);
void spm_pieces_free(SpmPieces *p);

/* Pieces back to text, as the library's DecodePieces. *out is malloc'd. */
int spm_decode(const SpmModel *m, const char *const *pieces, int n, char **out, char *err,
               size_t errlen);

/* Which implementation is linked: "anuvad" (src/spm.c) or "libsentencepiece" (make SPM=1). */
const char *spm_backend(void);

#endif
