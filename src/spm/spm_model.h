/* A parsed SentencePiece model (spm_model.c): pieces, scores and types, the normalizer and
 * denormalizer, the piece trie. Parsed once; everything else only reads it. */
#ifndef ANUVAD_SPM_MODEL_H
#define ANUVAD_SPM_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "spm.h"
#include "spm_norm.h"
#include "spm_trie.h"
#include "spm_util.h"

struct SpmModel {
    int n;               /* number of pieces; ids are 0..n-1 */
    char *strs;          /* all pieces, each NUL-terminated */
    uint32_t *off, *len; /* piece i is strs + off[i], len[i] bytes */
    float *score;
    uint8_t *type;
    int model_type;
    int byte_fallback, ws_suffix;
    int unk_id;                 /* the UNKNOWN piece's id (exactly one exists) */
    char *unk_surface;          /* decode of <unk> */
    float min_score, max_score; /* over NORMAL pieces, as unigram_model.cc computes them */
    int has_user_defined;
    int byte_id[256]; /* PieceToId("<0xNN>") */
    SpmNormSpec norm, denorm;
    int has_denorm;
    SpmTrie trie;
};

/* Parse a serialized ModelProto. NULL with a message on failure. */
SpmModel *spm_model_parse(const void *data, size_t size, char *err, size_t errlen);
void spm_model_free(SpmModel *m);
/* PieceToId as the library: reserved pieces first, then normal ones, else unk_id. */
int spm_piece_id(const SpmModel *m, const char *s, size_t n);

#endif
