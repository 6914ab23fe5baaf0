/* Forward parity with the PyTorch reference (scripts/fixtures_engine.py): encoder output,
 * each incremental step's logits and cross-attention, and greedy output, for small random
 * models covering post/pre norm, relu/gelu/swish, sinusoidal/learned positions, F32/F16,
 * tied/untied output, with/without final_logits_bias. The same for tiny MarianMTModels that
 * transformers itself built and computed (hf/: scripts/check_hf.py, converted by
 * scripts/convert_hf.py): shared, unshared and separate vocabularies. Tolerance: 1e-4 max
 * abs. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "engine/decoder.h"
#include "engine/encoder.h"
#include "engine/model.h"
#include "engine/ops.h"
#include "engine/pool.h"
#include "engine/search.h"
#include "engine/state.h"

#define DIR "tests/fixtures/"
#define TOL 1e-4f
/* Kernel set 3 rounds a Q8_0 model's activations to 8 bits per block of 32 (kernels_vnni.c):
 * the tiny fixtures' encoder and logits then move by up to about 0.04; the greedy ids must
 * still be the reference's. */
#define VNNI_TOL 0.1f

static const char *const cases[] = {
    "engine/post_relu_sin_f32",
    "engine/post_gelu_learned_f16",
    "engine/post_swish_sin_f16",
    "engine/pre_relu_learned_f32",
    "engine/pre_gelu_sin_f32",
    "engine/pre_swish_learned_f16",
    "engine/post_swish_sin_untied_f32",
    "engine/q8_post_gelu_sin_f32",
    "engine/q8_post_gelu_sin_q8_0",
    "hf/tiny_swish",
    "hf/tiny_gelu_untied",
    "hf/tiny_separate_relu",
};
#define N_CASES (int)(sizeof cases / sizeof cases[0])

typedef struct {
    int S, T, d, V, L, H, G;
    int *src, *tgt, *greedy;
    float *enc, *logits, *cross;
} Ref;

static void *read_all(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s (run make fixtures)", path);
    fseek(f, 0, SEEK_END);
    *len = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    void *p = malloc(*len);
    ck_assert(fread(p, 1, *len, f) == *len);
    fclose(f);
    return p;
}

static void load_ref(const char *name, Ref *r, void **blob) {
    char path[256];
    size_t len;
    snprintf(path, sizeof path, DIR "%s.ref", name);
    int32_t *h = *blob = read_all(path, &len);
    ck_assert_int_eq(h[0], 0x46455241);
    r->S = h[1], r->T = h[2], r->d = h[3], r->V = h[4], r->L = h[5], r->H = h[6], r->G = h[7];
    r->src = h + 8;
    r->tgt = r->src + r->S;
    r->enc = (float *)(r->tgt + r->T);
    r->logits = r->enc + (size_t)r->S * r->d;
    r->cross = r->logits + (size_t)r->T * r->V;
    r->greedy = (int *)(r->cross + (size_t)r->T * r->L * r->H * r->S);
    ck_assert_uint_eq((size_t)((char *)(r->greedy + r->G) - (char *)h), len);
}

static float max_diff(const float *a, const float *b, size_t n) {
    float m = 0;
    for (size_t i = 0; i < n; i++) {
        float e = fabsf(a[i] - b[i]);
        if (!(e <= m)) m = e; /* NaN counts as a failure */
    }
    return m;
}

/* Runs one fixture with `threads`, with the portable kernels (simd 0), the SIMD ones short of
 * VNNI (1) or the best the CPU has (2); copies the logits of every step into `all_logits`. */
static void run_case(const char *name, int threads, int simd, float *all_logits, float *worst) {
    if (simd) unsetenv("ANUVAD_NO_SIMD");
    else setenv("ANUVAD_NO_SIMD", "1", 1);
    if (simd == 1) setenv("ANUVAD_NO_VNNI", "1", 1);
    else unsetenv("ANUVAD_NO_VNNI");
    Ref r;
    void *blob;
    load_ref(name, &r, &blob);
    Model m;
    char err[512], path[256];
    snprintf(path, sizeof path, DIR "%s.gguf", name);
    ck_assert_msg(model_load(&m, path, err, sizeof err) == 0, "%s", err);
    ck_assert_int_eq(m.c.d_model, r.d);
    ck_assert_int_eq(m.c.tgt_vocab_size, r.V);
    ck_assert_int_eq(m.f16_tensors > 0, strstr(name, "f16") != NULL);
    ck_assert_int_eq(m.q8_tensors > 0, strstr(name, "q8_0") != NULL);
    int best = ops_have_simd();
    ck_assert_int_eq(m.simd, !simd ? 0 : simd == 1 && best > 2 ? 2 : best);
    float tol = m.simd == 3 && m.q8_tensors ? VNNI_TOL : TOL;
    Pool *pool = pool_new(threads);
    pool_set_min_work(pool, 0); /* split every product, however small */
    RunState s;
    ck_assert_int_eq(state_init(&s, &m, pool, 1, 1), 0);

    encoder_forward(&s, 0, r.src, r.S);
    float e = max_diff(s.x, r.enc, (size_t)r.S * r.d);
    ck_assert_msg(e < tol, "%s: encoder max abs diff %g", name, e);
    if (e > worst[0]) worst[0] = e;
    decoder_prepare(&s, 0);
    ck_assert_int_eq(decoder_add_row(&s, 0), 0);
    ck_assert_int_eq(decoder_add_row(&s, 0), -1); /* one row only */
    for (int t = 0; t < r.T; t++) {
        decoder_step(&s, &r.tgt[t]);
        e = max_diff(s.logits, r.logits + (size_t)t * r.V, (size_t)r.V);
        ck_assert_msg(e < tol, "%s: step %d logits max abs diff %g", name, t, e);
        if (e > worst[1]) worst[1] = e;
        memcpy(all_logits + (size_t)t * r.V, s.logits, (size_t)r.V * sizeof(float));
        size_t nc = (size_t)r.L * r.H * r.S;
        e = max_diff(s.cross_w, r.cross + t * nc, nc);
        ck_assert_msg(e < tol, "%s: step %d cross-attention max abs diff %g", name, t, e);
    }

    encoder_forward(&s, 0, r.src, r.S);
    decoder_prepare(&s, 0);
    int prefix[256];
    const char *pieces[256];
    int max_len = 2 * r.S + 10 < m.c.max_positions ? 2 * r.S + 10 : m.c.max_positions;
    Search q = {0, max_len, 5, NULL, 0, NULL, NULL, NULL, prefix, pieces, NULL, NULL, 0, NULL, 0};
    ck_assert_int_eq(search_greedy(&s, &q), 0);
    ck_assert_int_eq(q.n_out, r.G);
    for (int i = 0; i < r.G; i++)
        ck_assert_msg(prefix[i + 1] == r.greedy[i], "%s: greedy id %d: %d, want %d", name, i,
                      prefix[i + 1], r.greedy[i]);

    state_free(&s);
    pool_free(pool);
    model_free(&m);
    free(blob);
}

START_TEST(matches_reference) {
    const char *name = cases[_i];
    Ref r;
    void *blob;
    load_ref(name, &r, &blob);
    for (int simd = 0; simd < 3; simd++) {
        size_t n = (size_t)r.T * r.V;
        float *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
        float worst[2] = {0, 0};
        ck_assert(a && b);
        run_case(name, 1, simd, a, worst);
        run_case(name, 3, simd, b, worst);
        /* Any thread count gives the same bits. */
        ck_assert(memcmp(a, b, n * sizeof(float)) == 0);
        free(a);
        free(b);
        int set = !simd ? 0 : simd == 1 && ops_have_simd() > 2 ? 2 : ops_have_simd();
        printf("%-26s set %d encoder max abs diff %.2e, logits %.2e\n", name, set, worst[0],
               worst[1]);
    }
    free(blob);
}
END_TEST

int main(void) {
    Suite *s = suite_create("forward");
    TCase *tc = tcase_create("parity");
    tcase_add_loop_test(tc, matches_reference, 0, N_CASES);
    suite_add_tcase(s, tc);
    return check_run(s);
}
