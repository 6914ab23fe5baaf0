/* Shared by the fuzz targets that go through the public API (fuzz_model, fuzz_hf_model,
 * fuzz_beam, fuzz_score): loading bytes as a model file, reading every array a step event
 * points to, and checking what a successful translation claims about itself. A broken claim
 * calls abort(), so the fuzzer reports a wrong result as it reports a crash. */
#ifndef ANUVAD_FUZZ_COMMON_H
#define ANUVAD_FUZZ_COMMON_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* memfd_create */
#endif
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "anuvad.h"

/* The bytes as a model file through anuvad_load(): a memfd opened by path, so the real path
 * (fstat, mmap) runs. NULL when the file does not load. */
static inline AnuvadModel *fuzz_load_bytes(const uint8_t *data, size_t size) {
    int fd = memfd_create("fuzz.gguf", 0);
    if (fd < 0) return NULL;
    size_t done = 0;
    while (done < size) {
        ssize_t n = write(fd, data + done, size - done);
        if (n <= 0) break;
        done += (size_t)n;
    }
    char path[64], err[512];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    AnuvadModel *m = done == size ? anuvad_load(path, 1, NULL, err, sizeof err) : NULL;
    close(fd); /* the map outlives the descriptor */
    return m;
}

/* A committed model for the targets that fuzz what is done with a good one; NULL (and a
 * note) when the file is missing, so a checkout without it still runs the others. */
static inline AnuvadModel *fuzz_load_path(const char *who, const char *path) {
    char err[512];
    AnuvadModel *m = anuvad_load(path, 1, NULL, err, sizeof err);
    if (!m) fprintf(stderr, "%s: skipping %s: %s\n", who, path, err);
    return m;
}

/* The committed models the targets that fuzz options and text run on: the tiny CLI model
 * (16 positions), a converted Marian model with separate vocabularies and forced </s>, the
 * default model. Fills out[] with those that load (from the repository root, as mk/fuzz.mk
 * runs the targets) and returns how many; aborts when none does. */
#define FUZZ_GOOD_MODELS 3
static inline int fuzz_load_good(const char *who, AnuvadModel **out) {
    static const char *const paths[FUZZ_GOOD_MODELS] = {"tests/fixtures/engine/cli_tiny.gguf",
                                                        "tests/fixtures/hf/tiny_separate_relu.gguf",
                                                        "models/en-hi.gguf"};
    int n = 0;
    for (int i = 0; i < FUZZ_GOOD_MODELS; i++)
        if ((out[n] = fuzz_load_path(who, paths[i]))) n++;
    if (!n) abort();
    return n;
}

/* Step observer: reads everything a step event points to, so ASan checks the attention rows,
 * the candidates, the live beams and the piece strings against their stated sizes. *user is a
 * size_t sum; a step index of -1 in it never matches, others stop decoding there. */
typedef struct {
    size_t sum;
    int stop_at; /* step at which to return non-zero, or -1 */
} FuzzSeen;

static inline int fuzz_observe(const AnuvadStep *ev, void *user) {
    FuzzSeen *seen = user;
    volatile float sum = 0;
    size_t n = 0;
    int lh = ev->n_layers * ev->n_heads;
    for (int i = 0; i < lh * ev->src_len; i++) sum += ev->cross[i];
    for (int i = 0; i < lh * ev->prefix_len; i++) sum += ev->self[i];
    if (ev->cross_norm)
        for (int i = 0; i < lh * ev->src_len; i++) sum += ev->cross_norm[i];
    if (ev->cross_norm_layer)
        for (int i = 0; i < ev->n_layers * ev->src_len; i++) sum += ev->cross_norm_layer[i];
    for (int i = 0; i < ev->n_top; i++) n += strlen(ev->top[i].piece) + (size_t)ev->top[i].id;
    for (int i = 0; i < ev->n_beams; i++)
        n += strlen(ev->beams[i].piece) + (size_t)ev->beams[i].token + (size_t)ev->beams[i].parent;
    for (int i = 0; i < ev->src_len; i++) n += strlen(ev->src_pieces[i]);
    for (int i = 0; i < ev->prefix_len; i++)
        n += strlen(ev->prefix_pieces[i]) + (size_t)ev->prefix[i];
    n += strlen(ev->piece);
    seen->sum += n + (sum != sum);
    return ev->step == seen->stop_at;
}

#define FUZZ_CHECK(cond)                                                                   \
    do {                                                                                   \
        if (!(cond)) {                                                                     \
            fprintf(stderr, "fuzz check failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
            abort();                                                                       \
        }                                                                                  \
    } while (0)

static inline int fuzz_near(double a, double b) {
    if (isinf(a) || isinf(b)) return a == b;
    return fabs(a - b) <= 1e-3 + 1e-4 * fabs(b);
}

/* What every successful result must hold: n_hyp hypotheses, best first by score; each with
 * valid token ids, finite non-positive log-probabilities summing to log_prob, a score that is
 * log_prob / n^length_penalty (beam) or log_prob (greedy), and attention rows (when asked)
 * that are each a mean of softmaxes, so they sum to 1. */
static inline void fuzz_check_result(const AnuvadModel *m, const AnuvadResult *r, int n_hyp,
                                     int beam, float length_penalty, int attention) {
    AnuvadInfo info;
    anuvad_info(m, &info);
    FUZZ_CHECK(r->status == ANUVAD_OK && r->error[0] == 0);
    FUZZ_CHECK(r->n_hypotheses == n_hyp);
    FUZZ_CHECK(r->src_len >= 0 && r->src_len <= info.max_positions);
    for (int h = 0; h < r->n_hypotheses; h++) {
        const AnuvadHypothesis *y = &r->hypotheses[h];
        FUZZ_CHECK(y->text != NULL);
        (void)strlen(y->text);
        FUZZ_CHECK(y->n_tokens >= 0 && y->n_tokens <= info.max_positions);
        double sum = 0, head = 0;  /* head: all but the last token */
        float fsum = 0, fhead = 0; /* the same added in float, in order, as the library does */
        for (int i = 0; i < y->n_tokens; i++) {
            FUZZ_CHECK(y->tokens[i] >= 0 && y->tokens[i] < info.target_vocab_size);
            FUZZ_CHECK(isfinite(y->log_probs[i]) && y->log_probs[i] <= 1e-4f);
            sum += y->log_probs[i], fsum += y->log_probs[i];
            if (i < y->n_tokens - 1) head += y->log_probs[i], fhead += y->log_probs[i];
        }
        /* Broken but finite weights can make log-probs near -FLT_MAX (-3.1e38): their float
         * sum, which log_prob is, overflows to -inf where the double sum is still finite. */
        FUZZ_CHECK(fuzz_near(y->log_prob, sum) || (isinf(fsum) && y->log_prob == fsum));
        if (beam > 1 && y->n_tokens > 0) {
            /* A model with forced </s> ends a hypothesis at the length limit with </s> ranked
             * as 0 added (transformers' ForcedEOSTokenLogitsProcessor): its log-prob is in
             * log_prob, not in the score. The score is checked against the sum of the other
             * tokens' log-probs, not log_prob less the last one: log_prob is a float, and when
             * the forced </s> is very unlikely (a finite but huge weight makes it -2e8) that
             * difference is float rounding (±16), not the -2.3 the other tokens sum to. */
            int n = y->n_tokens;
            double div = pow(n, length_penalty);
            FUZZ_CHECK(fuzz_near(y->score, y->log_prob / div) ||
                       (info.forced_eos && y->tokens[n - 1] == info.eos &&
                        (fuzz_near(y->score, head / div) || (isinf(fhead) && y->score == fhead))));
        } else if (beam <= 1) FUZZ_CHECK(y->score == y->log_prob);
        if (h > 0) FUZZ_CHECK(!(y->score > r->hypotheses[h - 1].score));
        if (attention && r->src_len > 0 && y->n_tokens > 0) {
            FUZZ_CHECK(y->attention != NULL);
            for (int i = 0; i < y->n_tokens; i++) {
                double row = 0;
                for (int j = 0; j < r->src_len; j++) {
                    float a = y->attention[(size_t)i * r->src_len + j];
                    FUZZ_CHECK(a >= 0 && a <= 1.0001f);
                    row += a;
                }
                FUZZ_CHECK(fabs(row - 1) < 1e-3);
            }
        }
    }
}

/* The bytes as a NUL-terminated string (a NUL inside ends the line for the library). */
static inline char *fuzz_text(const uint8_t *data, size_t size) {
    char *s = malloc(size + 1);
    if (!s) abort();
    memcpy(s, data, size);
    s[size] = 0;
    return s;
}

#endif
