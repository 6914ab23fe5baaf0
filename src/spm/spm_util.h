/* What every file of the tokenizer uses (spm_util.c): the piece and model types of the
 * .proto, growable buffers, segment lists, the library's UTF-8 rules. Not a public interface. */
#ifndef ANUVAD_SPM_UTIL_H
#define ANUVAD_SPM_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* SentencePiece.Type (sentencepiece_model.proto). */
enum {
    SPM_NORMAL = 1,
    SPM_UNKNOWN = 2,
    SPM_CONTROL = 3,
    SPM_USER_DEFINED = 4,
    SPM_UNUSED = 5,
    SPM_BYTE = 6
};
/* TrainerSpec.ModelType. */
enum { SPM_MODEL_UNIGRAM = 1, SPM_MODEL_BPE = 2, SPM_MODEL_WORD = 3, SPM_MODEL_CHAR = 4 };

/* A growable byte buffer; p is not NUL-terminated unless the caller adds one. */
typedef struct {
    char *p;
    size_t n, cap;
} SpmBuf;

int spm_buf_reserve(SpmBuf *b, size_t extra); /* 0 ok, -1 out of memory */
int spm_buf_put(SpmBuf *b, const void *s, size_t n);

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

/* Bytes of the UTF-8 character led by c, as the library's OneCharLen (no validation). */
static inline size_t spm_one_char_len(uint8_t c) {
    static const uint8_t len[16] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 3, 4};
    return len[c >> 4];
}

/* Length of a valid UTF-8 character at s (1..4), or 0 if s does not start with one
 * (the library's IsValidDecodeUTF8; an encoded U+FFFD is valid). */
size_t spm_utf8_valid_len(const uint8_t *s, size_t n);

#endif
