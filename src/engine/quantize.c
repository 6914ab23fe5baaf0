/* anuvad_quantize (anuvad.h): a model file with its matrices rewritten as Q8_0 (docs/format.md).
 * The input is validated as a model first (model_load), so a file that would not load is not
 * quantized either. The key/value section is copied byte for byte; the tensor infos get the
 * new types and offsets; 1-D tensors, final_logits_bias, matrices whose rows are not whole
 * 32-blocks and matrices already Q8_0 are copied unchanged. Written to OUT.tmp, then renamed,
 * so OUT is never half written (and IN may be OUT). Rows are quantized by quantize_q8_0_row,
 * ggml's reference arithmetic, as scripts/gguf_writer.py does (the files come out the same). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anuvad.h"
#include "err.h"
#include "engine/model.h"
#include "engine/ops.h"
#include "engine/quantize.h"

static int to_q8_0(const GgufTensor *t) {
    return t->n_dims == 2 && t->dims[0] % Q8_BLOCK == 0 &&
           (t->type == GGML_F32 || t->type == GGML_F16) &&
           strcmp(t->name, "final_logits_bias") != 0;
}

static float element(const GgufTensor *t, uint64_t i) {
    const uint8_t *p = t->data;
    if (t->type == GGML_F16) return ops_half_to_float((uint16_t)(p[2 * i] | p[2 * i + 1] << 8));
    float f;
    memcpy(&f, p + 4 * i, sizeof f);
    return f;
}

int quantize_q8_0_row(const float *x, int n, uint8_t *out) {
    for (int k = 0; k < n; k += Q8_BLOCK, out += Q8_BLOCK_BYTES) {
        float amax = 0;
        for (int i = 0; i < Q8_BLOCK; i++) {
            if (!isfinite(x[k + i])) return -1;
            if (fabsf(x[k + i]) > amax) amax = fabsf(x[k + i]);
        }
        float d = amax / 127.0f, id = d > 0 ? 1.0f / d : 0.0f;
        uint16_t h = ops_float_to_half(d);
        if ((h & 0x7c00) == 0x7c00) return -1; /* a weight past 8.3 million: no half scale */
        out[0] = (uint8_t)(h & 0xff);
        out[1] = (uint8_t)(h >> 8);
        for (int i = 0; i < Q8_BLOCK; i++) out[2 + i] = (uint8_t)(int8_t)roundf(x[k + i] * id);
    }
    return 0;
}

/* Row r of a 2-D F32 or F16 tensor quantized into out; `row` holds dims[0] floats. */
static int quantize_row(const GgufTensor *t, uint64_t r, float *row, uint8_t *out) {
    uint64_t n = t->dims[0];
    for (uint64_t i = 0; i < n; i++) row[i] = element(t, r * n + i);
    return quantize_q8_0_row(row, (int)n, out);
}

static int put(FILE *f, const void *p, size_t n) { return fwrite(p, 1, n, f) == n ? 0 : -1; }
static int put_u32(FILE *f, uint32_t v) {
    uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    return put(f, b, 4);
}
static int put_u64(FILE *f, uint64_t v) {
    return put_u32(f, (uint32_t)v) || put_u32(f, (uint32_t)(v >> 32));
}
static int put_zeros(FILE *f, size_t n) {
    static const uint8_t z[64];
    for (; n > sizeof z; n -= sizeof z)
        if (put(f, z, sizeof z)) return -1;
    return put(f, z, n);
}

static uint64_t new_bytes(const GgufTensor *t) {
    return to_q8_0(t) ? t->n_elements / Q8_BLOCK * Q8_BLOCK_BYTES : t->n_bytes;
}

/* Header, key/values as they were, tensor infos with the new types and offsets. */
static int write_head(FILE *f, const Gguf *g) {
    if (put(f, g->base, g->infos_start)) return -1; /* magic, version, counts, key/values */
    uint64_t off = 0, a = g->alignment;
    for (uint64_t i = 0; i < g->n_tensors; i++) {
        const GgufTensor *t = &g->tensors[i];
        size_t len = strlen(t->name);
        if (put_u64(f, len) || put(f, t->name, len) || put_u32(f, t->n_dims)) return -1;
        for (uint32_t d = 0; d < t->n_dims; d++)
            if (put_u64(f, t->dims[d])) return -1;
        if (put_u32(f, to_q8_0(t) ? GGML_Q8_0 : t->type) || put_u64(f, off)) return -1;
        off += (new_bytes(t) + a - 1) / a * a;
    }
    return 0;
}

/* 0, -1 on a write error, -2 out of memory, or 1 + the index of a tensor with a value Q8_0
 * cannot hold. */
static long write_file(FILE *f, const Gguf *g) {
    long at = ftell(f);
    if (at < 0 || write_head(f, g)) return -1;
    uint64_t a = g->alignment, pos = (uint64_t)ftell(f);
    if (put_zeros(f, (size_t)((a - pos % a) % a))) return -1;
    for (uint64_t i = 0; i < g->n_tensors; i++) {
        const GgufTensor *t = &g->tensors[i];
        if (!to_q8_0(t)) {
            if (put(f, t->data, (size_t)t->n_bytes)) return -1;
        } else {
            uint64_t cols = t->dims[0];
            float *row = malloc((size_t)cols * sizeof *row);
            uint8_t *q = malloc(q8_row_bytes(cols));
            long rc = row && q ? 0 : -2;
            for (uint64_t r = 0; !rc && r < t->dims[1]; r++)
                rc = quantize_row(t, r, row, q) ? (long)i + 1 : put(f, q, q8_row_bytes(cols));
            free(row);
            free(q);
            if (rc) return rc;
        }
        if (put_zeros(f, (size_t)((a - new_bytes(t) % a) % a))) return -1;
    }
    return 0;
}

int anuvad_quantize(const char *in, const char *out, char *err, size_t errlen) {
    Model m;
    int rc = model_load(&m, in, err, errlen);
    if (rc) return rc;
    size_t n = strlen(out);
    char *tmp = malloc(n + 5);
    if (!tmp) {
        model_free(&m);
        return err_set(err, errlen, ANUVAD_ERR_NOMEM, "out of memory");
    }
    memcpy(tmp, out, n);
    memcpy(tmp + n, ".tmp", 5);
    FILE *f = fopen(tmp, "wb");
    long bad = f ? write_file(f, &m.gguf) : -1;
    if (f && fclose(f) && !bad) bad = -1;
    if (bad == -2) rc = err_set(err, errlen, ANUVAD_ERR_NOMEM, "out of memory");
    else if (bad > 0)
        rc = err_set(err, errlen, ANUVAD_ERR_FORMAT,
                     "%s: tensor %s has a value Q8_0 cannot hold "
                     "(not finite, or past 8.3e6)",
                     in, m.gguf.tensors[bad - 1].name);
    else if (bad || rename(tmp, out)) /* errno: the failed open, write, close or rename */
        rc = err_set(err, errlen, ANUVAD_ERR_IO, "cannot write %s: %s", out, strerror(errno));
    if (rc) remove(tmp);
    free(tmp);
    model_free(&m);
    return rc;
}
