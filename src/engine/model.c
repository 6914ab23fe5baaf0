/* Bind Config and Weights from a validated GGUF (docs/format.md): every key read with its
 * type, every tensor's name, shape and type checked against the config; the first missing,
 * unexpected or mis-shaped tensor is named in the error. */
#include "model.h"

#include "anuvad.h"
#include "err.h"
#include "ops.h"
#include "state.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Bounds that keep every size computed from the config far from overflow. */
#define MAX_D 65536
#define MAX_FFN (1 << 20)
#define MAX_VOCAB (1 << 24)
#define MAX_POSITIONS 65536
#define MAX_LAYERS 256

/* Every problem this file reports is the model file's: ANUVAD_ERR_FORMAT. */
#define FAIL(err, errlen, ...) err_set(err, errlen, ANUVAD_ERR_FORMAT, __VA_ARGS__)

static int str_is(GgufStr s, const char *lit) {
    return s.len == strlen(lit) && memcmp(s.s, lit, s.len) == 0;
}

const char *model_activation_name(Activation a) {
    return a == ACT_RELU ? "relu" : a == ACT_GELU ? "gelu" : "swish";
}

static int get_int(const Gguf *g, const char *key, int lo, int hi, int *out, char *err,
                   size_t errlen) {
    uint32_t v;
    int rc = gguf_get_u32(g, key, &v, err, errlen);
    if (rc) return rc;
    if (v < (uint32_t)lo || v > (uint32_t)hi)
        return FAIL(err, errlen, "%s = %u is out of range [%d, %d]", key, v, lo, hi);
    *out = (int)v;
    return 0;
}

/* A string key that must be one of `choices` (NULL-terminated); *out gets its index. */
static int get_choice(const Gguf *g, const char *key, const char *const *choices, int *out,
                      char *err, size_t errlen) {
    GgufStr s;
    int rc = gguf_get_str(g, key, &s, err, errlen);
    if (rc) return rc;
    for (int i = 0; choices[i]; i++)
        if (str_is(s, choices[i])) return *out = i, 0;
    return FAIL(err, errlen, "%s = \"%.*s\" is not supported", key, (int)(s.len > 40 ? 40 : s.len),
                s.s);
}

/* Working memory the sizes imply: a greedy run state (state_floats) plus the sinusoid table, in 64
 * bits from the range-checked sizes. Each size is bounded alone, but their products are not:
 * a 34 KB file declaring d_model = max_positions = 65536 made the loader fill a 16 GB table
 * (found while writing the robustness tests). */
#define MAX_WORK_MIB 1024
static uint64_t work_floats(const Config *c) {
    return state_floats(c, 1, 1) + (uint64_t)c->max_positions * (uint64_t)c->d_model;
}

static int read_sizes(const Gguf *g, Config *c, char *err, size_t errlen) {
    int rc;
    if ((rc = get_int(g, "anuvad.vocab_size", 1, MAX_VOCAB, &c->vocab_size, err, errlen)) ||
        (rc = get_int(g, "anuvad.d_model", 1, MAX_D, &c->d_model, err, errlen)) ||
        (rc = get_int(g, "anuvad.encoder.layers", 0, MAX_LAYERS, &c->enc_layers, err, errlen)) ||
        (rc = get_int(g, "anuvad.decoder.layers", 0, MAX_LAYERS, &c->dec_layers, err, errlen)) ||
        (rc = get_int(g, "anuvad.heads", 1, MAX_D, &c->heads, err, errlen)) ||
        (rc = get_int(g, "anuvad.ffn_dim", 1, MAX_FFN, &c->ffn_dim, err, errlen)) ||
        (rc = get_int(g, "anuvad.max_positions", 2, MAX_POSITIONS, &c->max_positions, err, errlen)))
        return rc;
    if (c->d_model % c->heads)
        return FAIL(err, errlen, "anuvad.d_model %d is not a multiple of anuvad.heads %d",
                    c->d_model, c->heads);
    /* Separate vocabularies (docs/format.md): the target one sizes the decoder side, and the
     * source side's </s> and <unk> have their own ids. Absent keys: one vocabulary. */
    c->tgt_vocab_size = c->vocab_size;
    if (gguf_find_kv(g, "anuvad.target_vocab_size") &&
        (rc =
             get_int(g, "anuvad.target_vocab_size", 1, MAX_VOCAB, &c->tgt_vocab_size, err, errlen)))
        return rc;
    int hi = c->tgt_vocab_size - 1, src_hi = c->vocab_size - 1;
    if ((rc = get_int(g, "anuvad.token.pad", 0, hi, &c->pad, err, errlen)) ||
        (rc = get_int(g, "anuvad.token.eos", 0, hi, &c->eos, err, errlen)) ||
        (rc = get_int(g, "anuvad.token.unk", 0, hi, &c->unk, err, errlen)) ||
        (rc = get_int(g, "anuvad.token.decoder_start", 0, hi, &c->decoder_start, err, errlen)))
        return rc;
    /* The search masks pad out of every step, so a pad that is also </s> could never end a
     * sentence: a forced </s> then came back with log-probability -inf (fuzz_hf_model). */
    if (c->pad == c->eos)
        return FAIL(err, errlen,
                    "anuvad.token.pad and anuvad.token.eos are both %d: pad is never "
                    "generated, so no sentence could end",
                    c->pad);
    c->src_eos = c->eos, c->src_unk = c->unk;
    if ((gguf_find_kv(g, "anuvad.source_token.eos") &&
         (rc = get_int(g, "anuvad.source_token.eos", 0, src_hi, &c->src_eos, err, errlen))) ||
        (gguf_find_kv(g, "anuvad.source_token.unk") &&
         (rc = get_int(g, "anuvad.source_token.unk", 0, src_hi, &c->src_unk, err, errlen))))
        return rc;
    if (c->src_eos > src_hi || c->src_unk > src_hi)
        return FAIL(err, errlen,
                    "anuvad.token.eos/unk (%d, %d) are not source vocabulary ids "
                    "(%d pieces): set anuvad.source_token.eos and .unk",
                    c->src_eos, c->src_unk, c->vocab_size);
    uint64_t mib = (work_floats(c) * sizeof(float)) >> 20;
    if (mib > MAX_WORK_MIB)
        return FAIL(err, errlen,
                    "anuvad.max_positions = %d with d_model %d, ffn_dim %d, %d decoder "
                    "layers needs %llu MiB of working memory, more than %d MiB",
                    c->max_positions, c->d_model, c->ffn_dim, c->dec_layers,
                    (unsigned long long)mib, MAX_WORK_MIB);
    return 0;
}

static int read_config(const Gguf *g, Config *c, char *err, size_t errlen) {
    GgufStr arch;
    int rc = gguf_get_str(g, "general.architecture", &arch, err, errlen);
    if (rc) return rc;
    if (!str_is(arch, "anuvad"))
        return FAIL(err, errlen, "general.architecture is \"%.*s\", not \"anuvad\"",
                    (int)(arch.len > 40 ? 40 : arch.len), arch.s);
    if ((rc = read_sizes(g, c, err, errlen))) return rc;
    static const char *const acts[] = {"relu", "gelu", "swish", NULL};
    static const char *const norms[] = {"post", "pre", NULL};
    static const char *const pos[] = {"sinusoidal", "learned", NULL};
    int act;
    if ((rc = get_choice(g, "anuvad.activation", acts, &act, err, errlen)) ||
        (rc = get_choice(g, "anuvad.norm", norms, &c->pre_norm, err, errlen)) ||
        (rc = get_choice(g, "anuvad.positions", pos, &c->learned_positions, err, errlen)) ||
        (rc = gguf_get_f32(g, "anuvad.layer_norm_eps", &c->eps, err, errlen)) ||
        (rc = gguf_get_bool(g, "anuvad.scale_embedding", &c->scale_embedding, err, errlen)) ||
        (rc = gguf_get_bool(g, "anuvad.tie_output", &c->tie_output, err, errlen)))
        return rc;
    c->shared_embeddings = 1;
    if (gguf_find_kv(g, "anuvad.shared_embeddings") &&
        (rc = gguf_get_bool(g, "anuvad.shared_embeddings", &c->shared_embeddings, err, errlen)))
        return rc;
    if (gguf_find_kv(g, "anuvad.tokenizer.marian") &&
        (rc = gguf_get_bool(g, "anuvad.tokenizer.marian", &c->marian_text, err, errlen)))
        return rc;
    if (gguf_find_kv(g, "anuvad.generation.forced_eos") &&
        (rc = gguf_get_bool(g, "anuvad.generation.forced_eos", &c->forced_eos, err, errlen)))
        return rc;
    if (c->shared_embeddings && c->tgt_vocab_size != c->vocab_size)
        return FAIL(err, errlen,
                    "anuvad.target_vocab_size %d differs from anuvad.vocab_size %d, "
                    "so anuvad.shared_embeddings must be false",
                    c->tgt_vocab_size, c->vocab_size);
    c->activation = (Activation)act;
    if (!(c->eps > 0 && c->eps < 1))
        return FAIL(err, errlen, "anuvad.layer_norm_eps = %g is not in (0, 1)", c->eps);
    if (!c->learned_positions && c->d_model % 2)
        return FAIL(err, errlen, "sinusoidal positions need an even d_model, got %d", c->d_model);
    return 0;
}

typedef struct {
    Model *m;
    unsigned char *used;
    size_t arena_used, arena_cap;
    int rc;
    char *err;
    size_t errlen;
} Binder;

/* Tensor `name` of PyTorch shape [rows, cols] (cols = 0: 1-D [rows]), marked used. NULL
 * after the first error. */
static const GgufTensor *find(Binder *b, const char *name, int rows, int cols) {
    if (b->rc) return NULL;
    const Gguf *g = &b->m->gguf;
    long i = gguf_tensor_index(g, name);
    if (i < 0) return b->rc = FAIL(b->err, b->errlen, "missing tensor %s", name), NULL;
    const GgufTensor *t = &g->tensors[i];
    b->used[i] = 1;
    uint32_t want_dims = cols ? 2 : 1;
    int ok = t->n_dims == want_dims &&
             (cols ? t->dims[0] == (uint64_t)cols && t->dims[1] == (uint64_t)rows
                   : t->dims[0] == (uint64_t)rows);
    if (!ok) {
        char have[96] = "", want[48];
        size_t n = 0;
        for (uint32_t d = t->n_dims; d-- > 0;) /* GGML order reversed = PyTorch order */
            n += (size_t)snprintf(have + n, sizeof have - n, "%s%llu", n ? ", " : "",
                                  (unsigned long long)t->dims[d]);
        if (cols) snprintf(want, sizeof want, "%d, %d", rows, cols);
        else snprintf(want, sizeof want, "%d", rows);
        b->rc = FAIL(b->err, b->errlen, "tensor %s has shape [%s], want [%s]", name, have, want);
        return NULL;
    }
    return t;
}

static int wrong_type(Binder *b, const GgufTensor *t, const char *want) {
    return b->rc = FAIL(b->err, b->errlen, "tensor %s has type %s, want %s", t->name,
                        gguf_type_name(t->type), want);
}

/* A 1-D (or [1, n]) tensor: F32 only. */
static const float *bind(Binder *b, const char *name, int rows, int cols) {
    const GgufTensor *t = find(b, name, rows, cols);
    if (!t) return NULL;
    if (t->type != GGML_F32) return wrong_type(b, t, "F32"), NULL;
    return t->data;
}

/* An F16 matrix the CPU cannot multiply in place: widened into the arena. */
static void widen(Binder *b, Matrix *mat, const GgufTensor *t) {
    float *dst = b->m->arena + b->arena_used;
    const uint8_t *src = t->data;
    for (uint64_t k = 0; k < t->n_elements; k++)
        dst[k] = ops_half_to_float((uint16_t)(src[2 * k] | src[2 * k + 1] << 8));
    b->arena_used += (size_t)t->n_elements;
    *mat = (Matrix){dst, MAT_F32, mat->rows, mat->cols, NULL};
}

/* A matrix: F32 and Q8_0 in place (gguf.c checked a Q8_0 row is whole blocks and the bytes
 * are in the file; set 3 repacks them later, pack_weights); F16 in place with the SIMD
 * kernels, else widened into the arena. */
static void bind_matrix(Binder *b, Matrix *mat, const char *name, int rows, int cols) {
    const GgufTensor *t = find(b, name, rows, cols);
    *mat = (Matrix){t ? t->data : NULL, MAT_F32, rows, cols, NULL};
    if (t && t->type == GGML_F16) {
        b->m->f16_tensors++;
        mat->type = MAT_F16;
        if (ops_bind_kernel(mat, b->m->simd)) widen(b, mat, t);
    } else if (t && t->type == GGML_Q8_0) {
        b->m->q8_tensors++;
        mat->type = MAT_Q8_0;
    } else if (t && t->type != GGML_F32) {
        wrong_type(b, t, "F32, F16 or Q8_0");
    }
    ops_bind_kernel(mat, b->m->simd);
}

static void bind_linear(Binder *b, Linear *l, const char *prefix, int out, int in) {
    char name[256];
    snprintf(name, sizeof name, "%s.weight", prefix);
    bind_matrix(b, &l->w, name, out, in);
    snprintf(name, sizeof name, "%s.bias", prefix);
    l->b = bind(b, name, out, 0);
}

static void bind_norm(Binder *b, Norm *n, const char *prefix, int d) {
    char name[256];
    snprintf(name, sizeof name, "%s.weight", prefix);
    n->g = bind(b, name, d, 0);
    snprintf(name, sizeof name, "%s.bias", prefix);
    n->b = bind(b, name, d, 0);
}

static void bind_attn(Binder *b, AttnWeights *a, const char *prefix, int d) {
    static const char *const parts[] = {"q_proj", "k_proj", "v_proj", "out_proj"};
    Linear *ls[] = {&a->q, &a->k, &a->v, &a->o};
    char name[192];
    for (int i = 0; i < 4; i++) {
        snprintf(name, sizeof name, "%s.%s", prefix, parts[i]);
        bind_linear(b, ls[i], name, d, d);
    }
}

static void bind_layer(Binder *b, LayerWeights *l, const char *stack, int i, int decoder) {
    const Config *c = &b->m->c;
    int d = c->d_model;
    char p[64], name[128]; /* sizes nest: each level's name fits the next one's buffer */
    snprintf(p, sizeof p, "%s.layers.%d", stack, i);
    snprintf(name, sizeof name, "%s.self_attn", p);
    bind_attn(b, &l->self_attn, name, d);
    snprintf(name, sizeof name, "%s.self_attn_layer_norm", p);
    bind_norm(b, &l->self_norm, name, d);
    if (decoder) {
        snprintf(name, sizeof name, "%s.encoder_attn", p);
        bind_attn(b, &l->cross_attn, name, d);
        snprintf(name, sizeof name, "%s.encoder_attn_layer_norm", p);
        bind_norm(b, &l->cross_norm, name, d);
    }
    snprintf(name, sizeof name, "%s.fc1", p);
    bind_linear(b, &l->fc1, name, c->ffn_dim, d);
    snprintf(name, sizeof name, "%s.fc2", p);
    bind_linear(b, &l->fc2, name, d, c->ffn_dim);
    snprintf(name, sizeof name, "%s.final_layer_norm", p);
    bind_norm(b, &l->final_norm, name, d);
}

/* Marian/HF layout (specs/marian.md): sines of every frequency in the first half, cosines in
 * the second. Computed in double like the reference, then rounded. */
static void fill_sinusoids(float *t, int n_pos, int d) {
    int half = d / 2;
    double div[MAX_D / 2]; /* 10000^(2i/d), once per frequency: same doubles as per entry */
    for (int i = 0; i < half; i++) div[i] = pow(10000.0, 2.0 * i / d);
    for (int p = 0; p < n_pos; p++)
        for (int i = 0; i < half; i++) {
            double angle = p / div[i];
            t[(size_t)p * d + i] = (float)sin(angle);
            t[(size_t)p * d + half + i] = (float)cos(angle);
        }
}

static int bind_weights(Model *m, char *err, size_t errlen) {
    const Config *c = &m->c;
    const Gguf *g = &m->gguf;
    Binder b = {m, calloc((size_t)g->n_tensors + 1, 1), 0, 0, 0, err, errlen};
    size_t f16 = 0; /* arena room for widened F16 matrices, when they are not used in place */
    for (uint64_t i = 0; !m->simd && i < g->n_tensors; i++)
        if (g->tensors[i].type == GGML_F16) f16 += (size_t)g->tensors[i].n_elements;
    size_t table = c->learned_positions ? 0 : (size_t)c->max_positions * (size_t)c->d_model;
    m->arena = malloc((f16 + table + 1) * sizeof(float));
    m->layers = calloc((size_t)(c->enc_layers + c->dec_layers) + 1, sizeof *m->layers);
    if (!b.used || !m->arena || !m->layers) {
        free(b.used);
        FAIL(err, errlen, "out of memory");
        return ANUVAD_ERR_NOMEM;
    }
    Weights *w = &m->w;
    int V = c->vocab_size, Vt = c->tgt_vocab_size, d = c->d_model, P = c->max_positions;
    if (c->shared_embeddings) {
        bind_matrix(&b, &w->embed, "shared.weight", V, d);
        w->dec_embed = w->embed;
    } else {
        bind_matrix(&b, &w->embed, "encoder.embed_tokens.weight", V, d);
        bind_matrix(&b, &w->dec_embed, "decoder.embed_tokens.weight", Vt, d);
    }
    if (c->tie_output) w->lm_head = w->dec_embed;
    else bind_matrix(&b, &w->lm_head, "lm_head.weight", Vt, d);
    if (gguf_tensor_index(g, "final_logits_bias") >= 0) {
        /* [1, Vt] in PyTorch order: GGML dims [Vt, 1]. */
        w->logits_bias = bind(&b, "final_logits_bias", 1, Vt);
    }
    if (c->learned_positions) {
        bind_matrix(&b, &w->enc_pos, "encoder.embed_positions.weight", P, d);
        bind_matrix(&b, &w->dec_pos, "decoder.embed_positions.weight", P, d);
    } else { /* filled at the end, once every shape has been checked */
        w->enc_pos = (Matrix){m->arena + (m->simd ? 0 : f16), MAT_F32, P, d, NULL};
        ops_bind_kernel(&w->enc_pos, m->simd);
        w->dec_pos = w->enc_pos;
    }
    w->enc = m->layers;
    w->dec = m->layers + c->enc_layers;
    for (int i = 0; i < c->enc_layers; i++) bind_layer(&b, &w->enc[i], "encoder", i, 0);
    for (int i = 0; i < c->dec_layers; i++) bind_layer(&b, &w->dec[i], "decoder", i, 1);
    if (c->pre_norm) {
        bind_norm(&b, &w->enc_norm, "encoder.layer_norm", d);
        bind_norm(&b, &w->dec_norm, "decoder.layer_norm", d);
    }
    for (uint64_t i = 0; !b.rc && i < g->n_tensors; i++)
        if (!b.used[i]) b.rc = FAIL(err, errlen, "unexpected tensor %s", g->tensors[i].name);
    for (uint64_t i = 0; !b.rc && i < g->n_tensors; i++) m->n_params += g->tensors[i].n_elements;
    if (!b.rc && !c->learned_positions) fill_sinusoids(m->arena + (m->simd ? 0 : f16), P, d);
    free(b.used);
    return b.rc;
}

/* The matrices the kernels multiply, packed into m->packed where the kernel set wants its own
 * layout (ops_pack: set 3's Q8_0); with dst NULL only the bytes needed are counted. Embedding
 * tables stay as they are (only rows are read from them); a tied lm_head is its own Matrix. */
static size_t pack_weights(Model *m, uint8_t *dst) {
    int n = m->c.enc_layers + m->c.dec_layers;
    size_t at = 0;
    for (int i = 0; i <= n; i++) {
        Matrix *ms[10] = {&m->w.lm_head};
        int k = 1;
        if (i < n) {
            LayerWeights *l = &m->layers[i];
            AttnWeights *a[2] = {&l->self_attn, &l->cross_attn}; /* encoder: cross is empty */
            k = 0;
            for (int s = 0; s < 2; s++) {
                ms[k++] = &a[s]->q.w, ms[k++] = &a[s]->k.w;
                ms[k++] = &a[s]->v.w, ms[k++] = &a[s]->o.w;
            }
            ms[k++] = &l->fc1.w, ms[k++] = &l->fc2.w;
        }
        for (int j = 0; j < k; j++) {
            size_t bytes = (ops_pack_bytes(ms[j], m->simd) + 63) / 64 * 64;
            const void *from = ms[j]->data;
            if (dst && bytes) {
                ops_pack(ms[j], dst + at, m->simd);
                /* Only the copy is read from now on, unless the embeddings share the tensor. */
                if (from != m->w.embed.data && from != m->w.dec_embed.data)
                    gguf_release(&m->gguf, from,
                                 (size_t)ms[j]->rows * q8_row_bytes((uint64_t)ms[j]->cols));
            }
            at += bytes;
        }
    }
    return at;
}

/* The `want` pieces of `key` (size_key: the config key that promises the count). */
static int read_pieces(const Gguf *g, const char *key, const char *size_key, int want, Vocab *out,
                       char *err, size_t errlen) {
    GgufStr *v;
    size_t n;
    int rc = gguf_get_str_array(g, key, &v, &n, err, errlen);
    if (rc) return rc;
    if (n != (size_t)want)
        rc = FAIL(err, errlen, "%s has %zu pieces, %s is %d", key, n, size_key, want);
    else rc = vocab_init(out, key, v, n, err, errlen);
    free(v);
    return rc;
}

/* The source vocabulary, and the target one when the file has tokenizer.target_vocab (else
 * m->tgt_vocab stays empty and model_tgt_vocab gives the source one). */
static int read_vocab(Model *m, char *err, size_t errlen) {
    int rc = read_pieces(&m->gguf, "tokenizer.vocab", "anuvad.vocab_size", m->c.vocab_size,
                         &m->vocab, err, errlen);
    if (rc) return rc;
    int separate = gguf_find_kv(&m->gguf, "tokenizer.target_vocab") != NULL;
    if (separate != (gguf_find_kv(&m->gguf, "anuvad.target_vocab_size") != NULL))
        return FAIL(err, errlen,
                    "tokenizer.target_vocab and anuvad.target_vocab_size come "
                    "together; the file has only one of them");
    if (separate)
        rc = read_pieces(&m->gguf, "tokenizer.target_vocab", "anuvad.target_vocab_size",
                         m->c.tgt_vocab_size, &m->tgt_vocab, err, errlen);
    return rc;
}

/* The confidence keys are optional, but when present they must be well formed. */
static int read_confidence(Model *m, char *err, size_t errlen) {
    const char *words = "anuvad.confidence.known_words",
               *min = "anuvad.confidence.min_mean_log_prob";
    int rc = 0;
    if (gguf_find_kv(&m->gguf, words)) {
        GgufStr *v;
        size_t n;
        rc = gguf_get_str_array(&m->gguf, words, &v, &n, err, errlen);
        if (!rc) {
            rc = vocab_init(&m->known_words, words, v, n, err, errlen);
            free(v);
        }
    }
    if (!rc && gguf_find_kv(&m->gguf, min)) {
        rc = gguf_get_f32(&m->gguf, min, &m->min_mean_log_prob, err, errlen);
        if (!rc && !isfinite(m->min_mean_log_prob))
            rc = FAIL(err, errlen, "%s is not a finite number", min);
        m->has_threshold = !rc;
    }
    return rc;
}

static void read_optional_str(const Gguf *g, const char *key, GgufStr *out) {
    char err[8];
    if (gguf_get_str(g, key, out, err, sizeof err)) out->s = "", out->len = 0;
}

int model_bind(Model *m, Gguf *g, char *err, size_t errlen) {
    memset(m, 0, sizeof *m);
    m->gguf = *g;
    memset(g, 0, sizeof *g);
    m->simd = getenv("ANUVAD_NO_SIMD") ? 0 : ops_have_simd();
    if (m->simd > 1 && getenv("ANUVAD_NO_AVX512")) m->simd = 1;
    if (m->simd > 2 && getenv("ANUVAD_NO_VNNI")) m->simd = 2;
    int rc = read_config(&m->gguf, &m->c, err, errlen);
    if (!rc) rc = read_vocab(m, err, errlen);
    if (!rc)
        rc = gguf_get_bytes(&m->gguf, "tokenizer.source.spm", &m->src_spm, &m->src_spm_size, err,
                            errlen);
    if (!rc)
        rc = gguf_get_bytes(&m->gguf, "tokenizer.target.spm", &m->tgt_spm, &m->tgt_spm_size, err,
                            errlen);
    if (!rc) rc = bind_weights(m, err, errlen);
    size_t packed = rc ? 0 : pack_weights(m, NULL);
    if (packed && !(m->packed = aligned_alloc(64, packed)))
        rc = err_set(err, errlen, ANUVAD_ERR_NOMEM, "out of memory");
    if (m->packed) pack_weights(m, m->packed);
    if (!rc) rc = read_confidence(m, err, errlen);
    if (rc) {
        model_free(m);
        return rc;
    }
    read_optional_str(&m->gguf, "general.name", &m->name);
    read_optional_str(&m->gguf, "general.description", &m->description);
    read_optional_str(&m->gguf, "anuvad.source_language", &m->src_lang);
    read_optional_str(&m->gguf, "anuvad.target_language", &m->tgt_lang);
    return 0;
}

int model_load(Model *m, const char *path, char *err, size_t errlen) {
    Gguf g;
    memset(m, 0, sizeof *m);
    int rc = gguf_open(&g, path, err, errlen);
    if (rc) return rc;
    char msg[400];
    rc = model_bind(m, &g, msg, sizeof msg);
    if (rc) FAIL(err, errlen, "%s: %s", path, msg);
    return rc;
}

void model_free(Model *m) {
    if (!m) return;
    gguf_close(&m->gguf);
    free(m->arena);
    free(m->packed);
    free(m->layers);
    vocab_free(&m->vocab);
    vocab_free(&m->tgt_vocab);
    vocab_free(&m->known_words);
    memset(m, 0, sizeof *m);
}
