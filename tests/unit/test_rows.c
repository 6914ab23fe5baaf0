/* The decoder's rows (src/engine/state.h): rows over two sources of different lengths (one
 * holding a pad id, so its mask matters), reordered and duplicated as beam search will
 * (decoder_reorder), joined late and dropped as batches will, give at every step the same
 * logits, bit for bit, as each hypothesis decoded alone in a one-row state. The reference is
 * the one-row decoder, itself checked against PyTorch by test_forward.c. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "engine/decoder.h"
#include "engine/encoder.h"
#include "engine/model.h"
#include "engine/pool.h"
#include "engine/state.h"

#define DIR "tests/fixtures/engine/"
#define STEPS 12

static const char *const cases[] = {"pre_gelu_sin_f32", "post_swish_sin_f16",
                                    "pre_swish_learned_f16"};

typedef struct {
    int n, ids[16];    /* source */
    int tokens[STEPS]; /* decoder inputs, decoder_start first */
    float *logits;     /* [STEPS][V] decoded alone */
} Hyp;

static void make_hyps(const Config *c, Hyp *a, Hyp *b) {
    a->n = 7, b->n = 4;
    for (int i = 0; i < a->n; i++) a->ids[i] = (5 * i + 3) % c->vocab_size;
    for (int i = 0; i < b->n; i++) b->ids[i] = (11 * i + 4) % c->vocab_size;
    b->ids[1] = c->pad;
    a->ids[a->n - 1] = b->ids[b->n - 1] = c->eos;
    a->tokens[0] = b->tokens[0] = c->decoder_start;
    for (int t = 1; t < STEPS; t++) {
        a->tokens[t] = (7 * t + 1) % c->vocab_size;
        b->tokens[t] = (3 * t + 2) % c->vocab_size;
    }
}

/* Each hypothesis alone: one row, one source. */
static void decode_alone(const Model *m, Pool *pool, Hyp *h) {
    RunState s;
    size_t V = (size_t)m->c.vocab_size;
    ck_assert_int_eq(state_init(&s, m, pool, 1, 1), 0);
    h->logits = malloc(STEPS * V * sizeof(float));
    encoder_forward(&s, 0, h->ids, h->n);
    decoder_prepare(&s, 0);
    decoder_add_row(&s, 0);
    for (int t = 0; t < STEPS; t++) {
        decoder_step(&s, &h->tokens[t]);
        memcpy(h->logits + t * V, state_logits(&s, 0), V * sizeof(float));
    }
    state_free(&s);
}

/* Row r holds hypothesis h at step t: its logits must be h's own. */
static void same(const RunState *s, int r, const Hyp *h, int t, const char *what) {
    size_t V = (size_t)s->m->c.vocab_size;
    ck_assert_int_eq(s->rows[r].pos, t + 1);
    ck_assert_msg(memcmp(state_logits(s, r), h->logits + t * V, V * sizeof(float)) == 0,
                  "%s: row %d step %d differs from the hypothesis decoded alone", what, r, t);
}

START_TEST(rows_match_hypotheses_decoded_alone) {
    char path[256], err[512];
    snprintf(path, sizeof path, DIR "%s.gguf", cases[_i]);
    Model m;
    ck_assert_msg(model_load(&m, path, err, sizeof err) == 0, "%s", err);
    ck_assert_int_ge(m.c.max_positions, STEPS);
    Pool *pool = pool_new(2);
    pool_set_min_work(pool, 0); /* split every product across the threads */
    Hyp a, b;
    make_hyps(&m.c, &a, &b);
    decode_alone(&m, pool, &a);
    decode_alone(&m, pool, &b);

    RunState s;
    ck_assert_int_eq(state_init(&s, &m, pool, 4, 2), 0);
    encoder_forward(&s, 0, a.ids, a.n);
    decoder_prepare(&s, 0);
    encoder_forward(&s, 1, b.ids, b.n);
    decoder_prepare(&s, 1);
    ck_assert_int_eq(decoder_add_row(&s, 0), 0);
    ck_assert_int_eq(decoder_add_row(&s, 1), 1);
    int t = 0, tok[4];
    for (; t < 3; t++) { /* rows: a, b */
        tok[0] = a.tokens[t], tok[1] = b.tokens[t];
        decoder_step(&s, tok);
        same(&s, 0, &a, t, "two sources");
        same(&s, 1, &b, t, "two sources");
    }
    int swap_dup[] = {1, 0, 1}; /* rows: b, a, b (a beam taking one hypothesis twice) */
    decoder_reorder(&s, swap_dup, 3);
    ck_assert_int_eq(s.n_rows, 3);
    for (; t < 6; t++) {
        tok[0] = b.tokens[t], tok[1] = a.tokens[t], tok[2] = b.tokens[t];
        decoder_step(&s, tok);
        same(&s, 0, &b, t, "reordered");
        same(&s, 1, &a, t, "reordered");
        same(&s, 2, &b, t, "duplicated");
    }
    ck_assert_int_eq(decoder_add_row(&s, 0), 3);  /* a joins again, from its start */
    ck_assert_int_eq(decoder_add_row(&s, 1), -1); /* full */
    for (; t < 9; t++) {
        tok[0] = b.tokens[t], tok[1] = a.tokens[t], tok[2] = b.tokens[t], tok[3] = a.tokens[t - 6];
        decoder_step(&s, tok);
        same(&s, 1, &a, t, "beside a joined row");
        same(&s, 2, &b, t, "beside a joined row");
        same(&s, 3, &a, t - 6, "joined");
    }
    int leave[] = {3, 2}; /* rows 0 and 1 leave; the joined row and a copy of b stay */
    decoder_reorder(&s, leave, 2);
    for (; t < STEPS; t++) {
        tok[0] = a.tokens[t - 6], tok[1] = b.tokens[t];
        decoder_step(&s, tok);
        same(&s, 0, &a, t - 6, "after rows left");
        same(&s, 1, &b, t, "after rows left");
    }
    int keep_first[] = {0}; /* the last row leaves: nothing moves */
    decoder_reorder(&s, keep_first, 1);
    ck_assert_int_eq(s.n_rows, 1);
    ck_assert_int_eq(s.rows[0].pos, STEPS - 6);

    state_free(&s);
    free(a.logits);
    free(b.logits);
    pool_free(pool);
    model_free(&m);
}
END_TEST

/* The working memory grows with rows and sources as state_init allocates it. */
START_TEST(state_size_counts_rows) {
    Model m;
    char err[512];
    ck_assert_msg(model_load(&m, DIR "post_relu_sin_f32.gguf", err, sizeof err) == 0, "%s", err);
    const Config *c = &m.c;
    uint64_t one = state_floats(c, 1, 1),
             cache = (uint64_t)c->dec_layers * c->max_positions * c->d_model;
    /* a second row: its two caches, two spare caches, its step rows; a second source: K and V */
    ck_assert(state_floats(c, 2, 1) >= one + 4 * cache);
    ck_assert(state_floats(c, 1, 2) >= one + 2 * cache);
    ck_assert(state_floats(c, 1, 2) < state_floats(c, 2, 1));
    model_free(&m);
}
END_TEST

int main(void) {
    Suite *s = suite_create("rows");
    TCase *tc = tcase_create("decoder");
    tcase_add_loop_test(tc, rows_match_hypotheses_decoded_alone, 0,
                        (int)(sizeof cases / sizeof cases[0]));
    tcase_add_test(tc, state_size_counts_rows);
    suite_add_tcase(s, tc);
    return check_run(s);
}
