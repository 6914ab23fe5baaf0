/* The model: hyperparameters (Config) and weights (Weights) bound from a GGUF file
 * (docs/format.md), plus the vocabulary. Weights are views into the map: F32 as they are,
 * F16 too where the CPU converts halves in hardware (x86-64 F16C); elsewhere F16 matrices are
 * widened once at load into one arena. */
#ifndef ANUVAD_MODEL_H
#define ANUVAD_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "gguf.h"

typedef enum { ACT_RELU, ACT_GELU, ACT_SWISH } Activation;

typedef struct {
    /* vocab_size: the source (encoder) vocabulary; tgt_vocab_size: the target (decoder input,
     * output projection) one, equal unless the model has separate vocabularies. */
    int vocab_size, tgt_vocab_size, d_model, enc_layers, dec_layers, heads, ffn_dim, max_positions;
    Activation activation;
    int pre_norm;          /* 0: post-norm (Marian), 1: pre-norm with final stack norms */
    int learned_positions; /* 0: sinusoidal table (Marian layout) */
    int scale_embedding, tie_output;
    int shared_embeddings; /* 1: shared.weight for both stacks; 0: {en,de}coder.embed_tokens */
    int forced_eos;        /* the last token the length limit allows is </s> (OPUS-MT) */
    int marian_text;       /* text in and out as MarianTokenizer (marian_text.h) */
    float eps;
    int pad, eos, unk, decoder_start;   /* target vocabulary ids */
    int src_eos, src_unk;               /* source ids: eos and unk unless separate */
} Config;

typedef enum { MAT_F32, MAT_F16 } MatType;

/* A row-major matrix [rows][cols]: F32, or IEEE halves. `simd`: use the AVX2/FMA/F16C
 * kernels (chosen at load from the CPU; F16 only with simd). */
typedef struct {
    const void *data;
    MatType type;
    int simd;
    int rows, cols;
} Matrix;

/* y = x·Wᵀ + b with W [out][in] row-major (PyTorch Linear). */
typedef struct {
    Matrix w;
    const float *b;
} Linear;

typedef struct {
    const float *g, *b;
} Norm;

typedef struct {
    Linear q, k, v, o;
} AttnWeights;

typedef struct {
    AttnWeights self_attn;
    Norm self_norm;
    AttnWeights cross_attn;   /* decoder layers only */
    Norm cross_norm;
    Linear fc1, fc2;
    Norm final_norm;
} LayerWeights;

typedef struct {
    Matrix embed;              /* [V][d] shared.weight or encoder.embed_tokens.weight */
    Matrix dec_embed;          /* [Vt][d]: embed when shared */
    Matrix lm_head;            /* [Vt][d]: dec_embed when tied */
    const float *logits_bias;  /* [Vt] or NULL */
    Matrix enc_pos, dec_pos;   /* [P][d]: learned, or the sinusoidal table */
    LayerWeights *enc, *dec;
    Norm enc_norm, dec_norm;   /* pre-norm only */
} Weights;

typedef struct {
    Gguf gguf;
    Config c;
    Weights w;
    float *arena;              /* widened F16 matrices and the sinusoidal table */
    LayerWeights *layers;      /* enc then dec */
    char **vocab;              /* [V] NUL-terminated source pieces */
    char **tgt_vocab;          /* [Vt]: vocab itself unless the vocabularies are separate */
    char *vocab_chars, *tgt_vocab_chars;
    int32_t *vocab_hash;       /* open addressing: piece -> id, -1 empty */
    size_t hash_cap;
    GgufStr name, description, src_lang, tgt_lang;   /* views into the map */
    const uint8_t *src_spm, *tgt_spm;
    size_t src_spm_size, tgt_spm_size;
    uint64_t n_params;
    size_t f16_tensors;        /* how many matrices were stored as F16 */
    int simd;                  /* AVX2+FMA+F16C kernels (unless ANUVAD_NO_SIMD is set) */
} Model;

int model_load(Model *m, const char *path, char *err, size_t errlen);
/* Bind an already opened GGUF (takes ownership of *g on success and failure). */
int model_bind(Model *m, Gguf *g, char *err, size_t errlen);
void model_free(Model *m);

/* Vocabulary id of a piece, or -1. */
int model_piece_id(const Model *m, const char *piece, size_t len);

const char *model_activation_name(Activation a);

#endif
