/* Internals of the SentencePiece tokenizer shared by src/spm*.c (not a public interface).
 * The model is parsed once (spm_model.c); the normalizer (spm_norm.c), the piece trie
 * (spm_trie.c) and the two segmenters (spm_unigram.c, spm_bpe.c) only read it. */
#ifndef ANUVAD_SPM_IMPL_H
#define ANUVAD_SPM_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "spm.h"

/* SentencePiece.Type (sentencepiece_model.proto). */
enum { SPM_NORMAL = 1, SPM_UNKNOWN = 2, SPM_CONTROL = 3, SPM_USER_DEFINED = 4, SPM_UNUSED = 5,
       SPM_BYTE = 6 };
/* TrainerSpec.ModelType. */
enum { SPM_MODEL_UNIGRAM = 1, SPM_MODEL_BPE = 2, SPM_MODEL_WORD = 3, SPM_MODEL_CHAR = 4 };

/* A growable byte buffer; p is not NUL-terminated unless the caller adds one. */
typedef struct {
    char *p;
    size_t n, cap;
} SpmBuf;

int spm_buf_reserve(SpmBuf *b, size_t extra);  /* 0 ok, -1 out of memory */
int spm_buf_put(SpmBuf *b, const void *s, size_t n);

/* NormalizerSpec with its precompiled charsmap decoded (darts-clone units + replacement
 * strings). n_units == 0 means identity: no replacement. */
typedef struct {
    uint32_t *units;
    size_t n_units;
    char *strs;          /* replacement strings, the last byte is NUL (checked at load) */
    size_t strs_len;
    int add_dummy_prefix, remove_extra_whitespaces, escape_whitespaces;
    uint8_t first[256];  /* 1 if some charsmap key starts with this byte (skip the walk if 0) */
} SpmNormSpec;

/* A byte trie over every piece, with an edge hash table: (node << 8 | byte) -> child. */
typedef struct {
    uint64_t *keys;      /* UINT64_MAX = empty slot */
    uint32_t *vals;
    size_t mask;         /* table size - 1 (a power of two) */
    int32_t root[256];   /* children of the root, -1 = none */
    int32_t *normal_id;  /* per node: id of a NORMAL/USER_DEFINED/UNUSED piece ending here */
    int32_t *reserved_id;/* per node: id of an UNKNOWN/CONTROL/BYTE piece ending here */
    size_t n_nodes;
} SpmTrie;

struct SpmModel {
    int n;               /* number of pieces; ids are 0..n-1 */
    char *strs;          /* all pieces, each NUL-terminated */
    uint32_t *off, *len; /* piece i is strs + off[i], len[i] bytes */
    float *score;
    uint8_t *type;
    int model_type;
    int byte_fallback, ws_suffix;
    int unk_id;          /* the UNKNOWN piece's id (exactly one exists) */
    char *unk_surface;   /* decode of <unk> */
    float min_score, max_score; /* over NORMAL pieces, as unigram_model.cc computes them */
    int has_user_defined;
    int byte_id[256];    /* PieceToId("<0xNN>") */
    SpmNormSpec norm, denorm;
    int has_denorm;
    SpmTrie trie;
};

/* One segment of the normalized string: bytes [off, off+len) with the model's id. */
typedef struct {
    uint32_t off, len;
    int32_t id;
} SpmSeg;

typedef struct {
    SpmSeg *v;
    size_t n, cap;
} SpmSegs;

int spm_segs_push(SpmSegs *s, uint32_t off, uint32_t len, int32_t id);

/* spm_model.c: parse a serialized ModelProto. */
SpmModel *spm_model_parse(const void *data, size_t size, char *err, size_t errlen);
void spm_model_free(SpmModel *m);

/* spm_trie.c */
int spm_trie_build(SpmTrie *t, const SpmModel *m);  /* 0 ok, -1 out of memory */
void spm_trie_free(SpmTrie *t);
/* PieceToId as the library: reserved pieces first, then normal ones, else unk_id. */
int spm_piece_id(const SpmModel *m, const char *s, size_t n);
/* Longest USER_DEFINED piece that is a prefix of s[0..n): its length, 0 if none. */
size_t spm_match_user_defined(const SpmModel *m, const char *s, size_t n);

static inline int32_t spm_trie_child(const SpmTrie *t, int32_t node, uint8_t c)
{
    if (node == 0)
        return t->root[c];
    uint64_t key = ((uint64_t)(uint32_t)node << 8) | c;
    size_t h = (size_t)((key * 0x9E3779B97F4A7C15ull) >> 20) & t->mask;
    for (;;) {
        uint64_t k = t->keys[h];
        if (k == key)
            return (int32_t)t->vals[h];
        if (k == UINT64_MAX)
            return -1;
        h = (h + 1) & t->mask;
    }
}

/* Bytes of the UTF-8 character led by c, as the library's OneCharLen (no validation). */
static inline size_t spm_one_char_len(uint8_t c)
{
    static const uint8_t len[16] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 3, 4};
    return len[c >> 4];
}

/* Length of a valid UTF-8 character at s (1..4), or 0 if s does not start with one
 * (the library's IsValidDecodeUTF8; an encoded U+FFFD is valid). */
size_t spm_utf8_valid_len(const uint8_t *s, size_t n);

/* spm_norm.c */
int spm_norm_init(SpmNormSpec *ns, const uint8_t *charsmap, size_t len, const char **why);
void spm_norm_free(SpmNormSpec *ns);
/* Normalizer::Normalize. `m` supplies user-defined pieces (copied through unnormalized) when
 * use_matcher is set, and treat_whitespace_as_suffix. Returns 0, or -1 with *why set. */
int spm_normalize(const SpmModel *m, const SpmNormSpec *ns, int use_matcher, int ws_suffix,
                  const char *in, size_t len, SpmBuf *out, const char **why);

/* spm_unigram.c, spm_bpe.c: segment a normalized string. 0 ok, -1 with *why. */
int spm_unigram_encode(const SpmModel *m, const char *s, size_t n, SpmSegs *out,
                       const char **why);
int spm_bpe_encode(const SpmModel *m, const char *s, size_t n, SpmSegs *out, const char **why);

#endif
