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
    int hi = c->vocab_size - 1;
    if ((rc = get_int(g, "anuvad.token.pad", 0, hi, &c->pad, err, errlen)) ||
        (rc = get_int(g, "anuvad.token.eos", 0, hi, &c->eos, err, errlen)) ||
        (rc = get_int(g, "anuvad.token.unk", 0, hi, &c->unk, err, errlen)) ||
        (rc = get_int(g, "anuvad.token.decoder_start", 0, hi, &c->decoder_start, err, errlen)))
        return rc;
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

/* A matrix: F32 in place; F16 in place with the SIMD kernels, else widened into the arena. */
static void bind_matrix(Binder *b, Matrix *mat, const char *name, int rows, int cols) {
    const GgufTensor *t = find(b, name, rows, cols);
    *mat = (Matrix){t ? t->data : NULL, MAT_F32, rows, cols, NULL};
    if (t && t->type == GGML_F16) {
        b->m->f16_tensors++;
        mat->type = MAT_F16;
        if (ops_bind_kernel(mat, b->m->simd)) widen(b, mat, t);
    } else if (t && t->type != GGML_F32) {
        wrong_type(b, t, "F32 or F16");
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
    int V = c->vocab_size, d = c->d_model, P = c->max_positions;
    bind_matrix(&b, &w->embed, "shared.weight", V, d);
    if (c->tie_output) w->lm_head = w->embed;
    else bind_matrix(&b, &w->lm_head, "lm_head.weight", V, d);
    if (gguf_tensor_index(g, "final_logits_bias") >= 0) {
        /* [1, V] in PyTorch order: GGML dims [V, 1]. */
        w->logits_bias = bind(&b, "final_logits_bias", 1, V);
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

static int read_vocab(Model *m, char *err, size_t errlen) {
    GgufStr *v;
    size_t n;
    int rc = gguf_get_str_array(&m->gguf, "tokenizer.vocab", &v, &n, err, errlen);
    if (rc) return rc;
    if (n != (size_t)m->c.vocab_size)
        rc = FAIL(err, errlen, "tokenizer.vocab has %zu pieces, anuvad.vocab_size is %d", n,
                  m->c.vocab_size);
    else rc = vocab_init(&m->vocab, "tokenizer.vocab", v, n, err, errlen);
    free(v);
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
    m->simd = ops_have_simd() && !getenv("ANUVAD_NO_SIMD");
    int rc = read_config(&m->gguf, &m->c, err, errlen);
    if (!rc) rc = read_vocab(m, err, errlen);
    if (!rc)
        rc = gguf_get_bytes(&m->gguf, "tokenizer.source.spm", &m->src_spm, &m->src_spm_size, err,
                            errlen);
    if (!rc)
        rc = gguf_get_bytes(&m->gguf, "tokenizer.target.spm", &m->tgt_spm, &m->tgt_spm_size, err,
                            errlen);
    if (!rc) rc = bind_weights(m, err, errlen);
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
    free(m->layers);
    vocab_free(&m->vocab);
    memset(m, 0, sizeof *m);
}
