/* The model: hyperparameters (Config) and weights (Weights) bound from a GGUF file
 * (docs/format.md), plus the vocabulary. Weights are views into the map: F32 as they are,
 * F16 too where the CPU converts halves in hardware (x86-64 F16C); elsewhere F16 matrices are
 * widened once at load into one arena; Q8_0 matrices are used in place, except that kernel set
 * 3 (AVX-512 VNNI) multiplies a repacked copy of them (packed, ops_pack). Every matrix
 * gets its kernel at load (tensor.h). */
#ifndef ANUVAD_MODEL_H
#define ANUVAD_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "gguf.h"
#include "tensor.h"
#include "vocab.h"

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
    int marian_text;       /* text in and out as MarianTokenizer (spm/marian_text.h) */
    float eps;
    int pad, eos, unk, decoder_start; /* target vocabulary ids */
    int src_eos, src_unk;             /* source ids: eos and unk unless separate */
} Config;

typedef struct {
    Linear q, k, v, o;
} AttnWeights;

typedef struct {
    AttnWeights self_attn;
    Norm self_norm;
    AttnWeights cross_attn; /* decoder layers only */
    Norm cross_norm;
    Linear fc1, fc2;
    Norm final_norm;
} LayerWeights;

typedef struct {
    Matrix embed;             /* [V][d] shared.weight or encoder.embed_tokens.weight */
    Matrix dec_embed;         /* [Vt][d]: embed when shared */
    Matrix lm_head;           /* [Vt][d]: dec_embed when tied */
    const float *logits_bias; /* [Vt] or NULL */
    Matrix enc_pos, dec_pos;  /* [P][d]: learned, or the sinusoidal table */
    LayerWeights *enc, *dec;
    Norm enc_norm, dec_norm; /* pre-norm only */
} Weights;

typedef struct {
    Gguf gguf;
    Config c;
    Weights w;
    float *arena;         /* widened F16 matrices and the sinusoidal table */
    uint8_t *packed;      /* matrices in a kernel set's own layout (ops_pack), or NULL */
    LayerWeights *layers; /* enc then dec */
    Vocab vocab;          /* tokenizer.vocab: source id <-> piece (and target, unless separate) */
    Vocab tgt_vocab;      /* tokenizer.target_vocab; n == 0: the vocabularies are one */
    /* Optional (scripts/confidence.py): the source words of the training corpus, and the mean
     * token log-probability below which a translation is flagged. */
    Vocab known_words; /* n == 0: the file has no list */
    int has_threshold;
    float min_mean_log_prob;
    GgufStr name, description, src_lang, tgt_lang; /* views into the map */
    const uint8_t *src_spm, *tgt_spm;
    size_t src_spm_size, tgt_spm_size;
    uint64_t n_params;
    size_t f16_tensors; /* how many matrices were stored as F16 */
    size_t q8_tensors;  /* ... and as Q8_0 */
    int simd;           /* kernel set (ops_have_simd): 3 AVX-512 + VNNI, 2 AVX-512, 1 AVX2,
                                  0 portable; ANUVAD_NO_SIMD sets 0, ANUVAD_NO_AVX512 at most 1,
                                  ANUVAD_NO_VNNI at most 2 */
} Model;

int model_load(Model *m, const char *path, char *err, size_t errlen);
/* Bind an already opened GGUF (takes ownership of *g on success and failure). */
int model_bind(Model *m, Gguf *g, char *err, size_t errlen);
void model_free(Model *m);

const char *model_activation_name(Activation a);

/* The target (decoder side) vocabulary: tgt_vocab when separate, else vocab. */
static inline const Vocab *model_tgt_vocab(const Model *m) {
    return m->tgt_vocab.n ? &m->tgt_vocab : &m->vocab;
}

#endif
