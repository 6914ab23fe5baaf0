/* The public API end to end on the tiny CLI model (tests/fixtures/engine/cli_tiny.*):
 * translations equal the reference pipeline's, step events are consistent (attention rows
 * sum to 1, candidates sorted, prefix as documented), forced tokens, stopping, bad options;
 * clones translating at the same time on different threads give the same translations. */
#include <check.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anuvad.h"
#include "check_run.h"

#define MODEL "tests/fixtures/engine/cli_tiny.gguf"
#define TSV "tests/fixtures/engine/cli_tiny.tsv"

static AnuvadModel *m;

static void setup(void) {
    char err[512];
    int st;
    m = anuvad_load(MODEL, 0, &st, err, sizeof err);
    ck_assert_msg(m != NULL, "%s", err);
}

static void teardown(void) { anuvad_free(m); }

/* One sentence on translator t with `fn` watching: *out gets the translation (or NULL), err the
 * error or the first warning ("" if none). Returns the status. */
static int translate_on(AnuvadModel *t, const char *text, const AnuvadOptions *o, AnuvadStepFn fn,
                        void *user, char **out, char *err, size_t errlen) {
    AnuvadOptions opt;
    if (o) opt = *o;
    else anuvad_options_default(&opt);
    opt.on_step = fn;
    opt.step_user = user;
    AnuvadResult r;
    int rc = anuvad_translate(t, text, &opt, &r);
    ck_assert_int_eq(rc, r.status);
    ck_assert_int_eq(r.n_hypotheses, rc ? 0 : 1);
    snprintf(err, errlen, "%s", rc ? r.error : r.n_warnings ? r.warnings[0] : "");
    *out = rc ? NULL : strdup(r.hypotheses[0].text);
    anuvad_result_free(&r);
    return rc;
}

static int translate(const char *text, const AnuvadOptions *o, AnuvadStepFn fn, void *user,
                     char **out, char *err, size_t errlen) {
    return translate_on(m, text, o, fn, user, out, err, errlen);
}

typedef struct {
    int steps, stop_at, forced_seen, tokens[64];
    int bad; /* first inconsistency found, as a line number */
} Seen;

#define EXPECT(c)                               \
    do {                                        \
        if (!(c) && !s->bad) s->bad = __LINE__; \
    } while (0)

static int sums_to_one(const float *row, int n) {
    double sum = 0;
    for (int i = 0; i < n; i++) {
        if (row[i] < 0 || row[i] > 1) return 0;
        sum += row[i];
    }
    return fabs(sum - 1) < 1e-5;
}

static int observe(const AnuvadStep *ev, void *user) {
    Seen *s = user;
    EXPECT(ev->step == s->steps);
    EXPECT(ev->prefix_len == ev->step + 1 && ev->prefix[0] == 2);
    EXPECT(strcmp(ev->prefix_pieces[0], "<pad>") == 0);
    EXPECT(ev->step == 0 || ev->prefix[ev->step] == s->tokens[ev->step - 1]);
    EXPECT(strcmp(ev->src_pieces[ev->src_len - 1], "</s>") == 0);
    EXPECT(ev->n_top == 5 && ev->top[0].prob >= ev->top[4].prob);
    for (int i = 1; i < ev->n_top; i++) EXPECT(ev->top[i - 1].prob >= ev->top[i].prob);
    EXPECT(ev->forced || ev->token == ev->top[0].id);
    EXPECT(ev->forced || ev->prob == ev->top[0].prob);
    EXPECT(strcmp(ev->piece, ev->top[0].piece) == 0 || ev->forced);
    EXPECT(ev->n_layers == 2 && ev->n_heads == 2);
    for (int lh = 0; lh < ev->n_layers * ev->n_heads; lh++) {
        EXPECT(sums_to_one(ev->cross + lh * ev->src_len, ev->src_len));
        EXPECT(sums_to_one(ev->self + lh * ev->prefix_len, ev->prefix_len));
    }
    s->forced_seen += ev->forced;
    s->tokens[s->steps++] = ev->token;
    return s->stop_at && s->steps == s->stop_at;
}

START_TEST(translations_match_the_reference) {
    FILE *f = fopen(TSV, "r");
    ck_assert_ptr_nonnull(f);
    char line[1024], err[512];
    int n = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = 0;
        char *want = strchr(line, '\t');
        *want++ = 0;
        char *out;
        Seen s = {0};
        ck_assert_int_eq(translate(line, NULL, observe, &s, &out, err, sizeof err), 0);
        ck_assert_str_eq(out, want);
        ck_assert_msg(!s.bad, "step event inconsistent (test line %d)", s.bad);
        ck_assert_int_gt(s.steps, 0);
        free(out);
        n++;
    }
    fclose(f);
    ck_assert_int_eq(n, 5);
}
END_TEST

START_TEST(forced_tokens_are_used) {
    AnuvadOptions o;
    anuvad_options_default(&o);
    int forced[] = {5, 6, 7};
    o.forced = forced;
    o.n_forced = 3;
    o.max_len = 6;
    char *out, err[512];
    Seen s = {0};
    ck_assert_int_eq(translate("we are friends", &o, observe, &s, &out, err, sizeof err), 0);
    ck_assert_msg(!s.bad, "step event inconsistent (test line %d)", s.bad);
    ck_assert_int_eq(s.forced_seen, 3);
    ck_assert(s.tokens[0] == 5 && s.tokens[1] == 6 && s.tokens[2] == 7);
    ck_assert_int_le(s.steps, 6);
    free(out);
}
END_TEST

START_TEST(observer_can_stop) {
    char *out = (char *)1, err[512];
    Seen s = {.stop_at = 2};
    ck_assert_int_eq(translate("we are friends", NULL, observe, &s, &out, err, sizeof err),
                     ANUVAD_ERR_STOPPED);
    ck_assert_ptr_null(out);
    ck_assert_int_eq(s.steps, 2);
}
END_TEST

START_TEST(max_len_and_empty_input) {
    AnuvadOptions o;
    anuvad_options_default(&o);
    o.max_len = 3;
    char *out, err[512];
    Seen s = {0};
    ck_assert_int_eq(translate("the dog runs", &o, observe, &s, &out, err, sizeof err), 0);
    ck_assert_int_eq(s.steps, 3);
    ck_assert_str_eq(out, "ooo");
    free(out);
    Seen e = {0};
    ck_assert_int_eq(translate("   ", NULL, observe, &e, &out, err, sizeof err), 0);
    ck_assert_str_eq(out, "");
    ck_assert_int_eq(e.steps, 0);
    free(out);
}
END_TEST

START_TEST(long_source_warns) {
    char text[2000] = "", *out, err[512];
    for (int i = 0; i < 100; i++) strcat(text, "we are friends ");
    ck_assert_int_eq(translate(text, NULL, NULL, NULL, &out, err, sizeof err), 0);
    ck_assert_msg(strstr(err, "source truncated") != NULL, "%s", err);
    free(out);
}
END_TEST

START_TEST(bad_options_are_usage_errors) {
    AnuvadOptions o;
    char *out, err[512];
    int bad_forced[] = {40};
    struct {
        int top_k, max_len, n_forced;
        const int *forced;
        const char *want;
    } cases[] = {
        {65, 0, 0, NULL, "top-k"},
        {-1, 0, 0, NULL, "top-k"},
        {5, -1, 0, NULL, "max-len"},
        {5, 0, 1, NULL, "forced"},
        {5, 0, 1, bad_forced, "forced token 40 is not a vocabulary id"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        anuvad_options_default(&o);
        o.top_k = cases[i].top_k;
        o.max_len = cases[i].max_len;
        o.n_forced = cases[i].n_forced;
        o.forced = cases[i].forced;
        ck_assert_int_eq(translate("we", &o, NULL, NULL, &out, err, sizeof err), ANUVAD_ERR_USAGE);
        ck_assert_msg(strstr(err, cases[i].want) != NULL, "%s", err);
    }
}
END_TEST

START_TEST(load_errors) {
    char err[512];
    int st;
    ck_assert_ptr_null(anuvad_load(MODEL, 300, &st, err, sizeof err));
    ck_assert_int_eq(st, ANUVAD_ERR_USAGE);
    ck_assert_ptr_null(
        anuvad_load("tests/fixtures/engine/post_relu_sin_f32.gguf", 0, &st, err, sizeof err));
    ck_assert_int_eq(st, ANUVAD_ERR_FORMAT);
    ck_assert_msg(strstr(err, "tokenizer.source.spm") != NULL, "%s", err);
}
END_TEST

typedef struct {
    AnuvadModel *m;
    int wrong, done; /* translations that differ from the reference; made */
} CloneRun;

/* Every reference line, 20 times over, on one translator. */
static void *translate_all(void *arg) {
    CloneRun *r = arg;
    for (int rep = 0; rep < 20; rep++) {
        FILE *f = fopen(TSV, "r");
        if (!f) return r->wrong++, NULL;
        char line[1024], err[512], *out;
        while (fgets(line, sizeof line, f)) {
            line[strcspn(line, "\n")] = 0;
            char *want = strchr(line, '\t');
            *want++ = 0;
            if (translate_on(r->m, line, NULL, NULL, NULL, &out, err, sizeof err) ||
                strcmp(out, want) != 0)
                r->wrong++;
            free(out);
            r->done++;
        }
        fclose(f);
    }
    return NULL;
}

START_TEST(clones_translate_concurrently) {
    char err[512];
    int st;
    CloneRun r[3] = {{m, 0, 0}};
    for (int i = 1; i < 3; i++) {
        r[i].m = anuvad_clone(m, i, &st, err, sizeof err); /* 1 and 2 threads of their own */
        ck_assert_msg(r[i].m != NULL, "%s", err);
    }
    pthread_t t[3];
    for (int i = 0; i < 3; i++)
        ck_assert_int_eq(pthread_create(&t[i], NULL, translate_all, &r[i]), 0);
    for (int i = 0; i < 3; i++) {
        pthread_join(t[i], NULL);
        ck_assert_int_eq(r[i].done, 100);
        ck_assert_msg(r[i].wrong == 0, "translator %d: %d translations differ", i, r[i].wrong);
    }
    anuvad_free(r[1].m);
    anuvad_free(r[2].m);
    ck_assert_ptr_null(anuvad_clone(m, 300, &st, err, sizeof err));
    ck_assert_int_eq(st, ANUVAD_ERR_USAGE);
    ck_assert_msg(strstr(err, "threads must be 1 to 256") != NULL, "%s", err);
}
END_TEST

/* What a step callback saw, to check the result's scores and attention against. */
typedef struct {
    int steps, tokens[64];
    float prob[64];
    float attn[64][64]; /* mean over layers and heads of each step's cross-attention */
    int src_len;
} Trace;

static int trace_step(const AnuvadStep *ev, void *user) {
    Trace *t = user;
    int LH = ev->n_layers * ev->n_heads;
    t->src_len = ev->src_len;
    t->tokens[t->steps] = ev->token;
    t->prob[t->steps] = ev->prob;
    for (int j = 0; j < ev->src_len; j++) {
        double sum = 0;
        for (int k = 0; k < LH; k++) sum += ev->cross[k * ev->src_len + j];
        t->attn[t->steps][j] = (float)(sum / LH);
    }
    t->steps++;
    return 0;
}

START_TEST(result_has_tokens_scores_and_attention) {
    AnuvadOptions o;
    anuvad_options_default(&o);
    o.return_scores = 1;
    o.return_attention = 1;
    o.on_step = trace_step;
    Trace t = {0};
    o.step_user = &t;
    AnuvadResult r;
    ck_assert_int_eq(anuvad_translate(m, "we are friends", &o, &r), ANUVAD_OK);
    ck_assert_int_eq(r.n_hypotheses, 1);
    const AnuvadHypothesis *h = &r.hypotheses[0];
    ck_assert_str_eq(h->text, "oooooooooooooooo");
    ck_assert_int_eq(h->n_tokens, t.steps);
    ck_assert_int_eq(r.src_len, t.src_len);
    double sum = 0;
    for (int i = 0; i < h->n_tokens; i++) {
        ck_assert_int_eq(h->tokens[i], t.tokens[i]);
        /* The step event's probability leaves pad out of the softmax; log_probs are over the
         * whole vocabulary (tests/cli/score.sh checks them against PyTorch), so pad's share
         * makes them a little lower. */
        ck_assert_msg(h->log_probs[i] < logf(t.prob[i]) + 1e-5f &&
                          h->log_probs[i] > logf(t.prob[i]) - 0.5f,
                      "token %d: %g vs %g", i, h->log_probs[i], logf(t.prob[i]));
        ck_assert(h->log_probs[i] <= 0);
        sum += h->log_probs[i];
        for (int j = 0; j < r.src_len; j++)
            ck_assert(fabsf(h->attention[i * r.src_len + j] - t.attn[i][j]) < 1e-5f);
    }
    ck_assert(fabs(h->score - sum) < 1e-4);
    ck_assert(fabs(h->log_prob - sum) < 1e-4);
    float score = h->score;
    anuvad_result_free(&r);
    anuvad_result_free(&r); /* safe twice */
    /* Without asking: scores all the same, no attention. */
    ck_assert_int_eq(anuvad_translate(m, "we are friends", NULL, &r), ANUVAD_OK);
    ck_assert_ptr_nonnull(r.hypotheses[0].log_probs);
    ck_assert_ptr_null(r.hypotheses[0].attention);
    ck_assert(r.hypotheses[0].score == score);
    anuvad_result_free(&r);
}
END_TEST

static int count_beams(const AnuvadStep *ev, void *user) {
    int *n = user;
    ck_assert_int_eq(ev->n_beams, 4);
    for (int i = 1; i < ev->n_beams; i++) ck_assert(ev->beams[i].score <= ev->beams[0].score);
    (*n)++;
    return 0;
}

/* n_best hypotheses: distinct, best first, the first one's steps replayed to the callback. */
START_TEST(beam_search_options) {
    AnuvadOptions o;
    anuvad_options_default(&o);
    o.beam_size = 17;
    AnuvadResult r;
    ck_assert_int_eq(anuvad_translate(m, "we", &o, &r), ANUVAD_ERR_USAGE);
    ck_assert_msg(strstr(r.error, "beam size must be 1 to 16") != NULL, "%s", r.error);
    anuvad_result_free(&r);
    o.beam_size = 1;
    o.n_best = 2;
    ck_assert_int_eq(anuvad_translate(m, "we", &o, &r), ANUVAD_ERR_USAGE);
    anuvad_result_free(&r);
    o.beam_size = 4, o.n_best = 3;
    int steps = 0;
    o.on_step = count_beams, o.step_user = &steps;
    ck_assert_int_eq(anuvad_translate(m, "we are friends", &o, &r), ANUVAD_OK);
    ck_assert_int_eq(r.n_hypotheses, 3);
    ck_assert_int_eq(steps, r.hypotheses[0].n_tokens);
    for (int i = 0; i < 3; i++) {
        const AnuvadHypothesis *h = &r.hypotheses[i];
        double sum = 0;
        for (int k = 0; k < h->n_tokens; k++) sum += h->log_probs[k];
        ck_assert(fabs(h->log_prob - sum) < 1e-4);
        ck_assert(fabs(h->score - sum / h->n_tokens) < 1e-4); /* length penalty 1 */
        if (i) ck_assert(h->score <= r.hypotheses[i - 1].score);
        for (int j = 0; j < i; j++) { /* distinct token sequences */
            const AnuvadHypothesis *p = &r.hypotheses[j];
            ck_assert(h->n_tokens != p->n_tokens ||
                      memcmp(h->tokens, p->tokens, (size_t)h->n_tokens * sizeof *h->tokens));
        }
    }
    anuvad_result_free(&r);
}
END_TEST

typedef struct {
    int steps, forced, single;
} ForcedBeams;

static int forced_beams(const AnuvadStep *ev, void *user) {
    ForcedBeams *f = user;
    f->steps++, f->forced += ev->forced, f->single += ev->n_beams == 1;
    return 0;
}

/* Beam search from a forced prefix (what the step view's "force" does with --beam): every
 * hypothesis starts with it, its tokens' log-probabilities are the ones greedy decoding gives
 * the same prefix, the step events say which were forced, with one live hypothesis each; a
 * prefix that ends the sentence is the one result. */
START_TEST(beam_search_from_forced_tokens) {
    AnuvadOptions o;
    anuvad_options_default(&o);
    AnuvadResult g, r;
    const char *src = "we are friends";
    ck_assert_int_eq(anuvad_translate(m, src, &o, &g), ANUVAD_OK); /* greedy, no forcing */
    /* greedy's first token, then one greedy did not pick (ids 4 and 5 are ordinary pieces) */
    int forced[2] = {g.hypotheses[0].tokens[0], g.hypotheses[0].tokens[1] == 4 ? 5 : 4};
    anuvad_result_free(&g);
    o.forced = forced, o.n_forced = 2;
    ck_assert_int_eq(anuvad_translate(m, src, &o, &g), ANUVAD_OK); /* greedy from the prefix */
    ForcedBeams f = {0};
    o.beam_size = 4, o.n_best = 3, o.on_step = forced_beams, o.step_user = &f;
    ck_assert_int_eq(anuvad_translate(m, src, &o, &r), ANUVAD_OK);
    ck_assert_int_eq(r.n_hypotheses, 3);
    for (int i = 0; i < 3; i++) {
        const AnuvadHypothesis *h = &r.hypotheses[i];
        ck_assert_int_ge(h->n_tokens, 2);
        ck_assert_int_eq(h->tokens[0], forced[0]);
        ck_assert_int_eq(h->tokens[1], forced[1]);
        for (int k = 0; k < 2; k++)
            ck_assert(fabsf(h->log_probs[k] - g.hypotheses[0].log_probs[k]) < 1e-5f);
        if (i) ck_assert(h->score <= r.hypotheses[i - 1].score);
    }
    ck_assert_int_eq(f.steps, r.hypotheses[0].n_tokens);
    ck_assert_int_eq(f.forced, 2);
    ck_assert_int_ge(f.single, 2);
    /* Forcing the whole best hypothesis, </s> included, gives it back, alone. */
    int n = r.hypotheses[0].n_tokens, *all = malloc((size_t)n * sizeof *all);
    ck_assert_ptr_nonnull(all);
    memcpy(all, r.hypotheses[0].tokens, (size_t)n * sizeof *all);
    float score = r.hypotheses[0].score;
    anuvad_result_free(&r);
    o.forced = all, o.n_forced = n, o.on_step = NULL;
    ck_assert_int_eq(anuvad_translate(m, src, &o, &r), ANUVAD_OK);
    ck_assert_int_eq(r.n_hypotheses, 1);
    ck_assert_int_eq(r.hypotheses[0].n_tokens, n);
    ck_assert(memcmp(r.hypotheses[0].tokens, all, (size_t)n * sizeof *all) == 0);
    ck_assert(fabsf(r.hypotheses[0].score - score) < 1e-5f);
    anuvad_result_free(&r);
    anuvad_result_free(&g);
    free(all);
}
END_TEST

/* Beam search with attention (it crashed: the search kept no rows to copy): each
 * hypothesis's rows sum to 1, and the best one's are those its replay shows the callback. */
START_TEST(beam_search_attention) {
    AnuvadOptions o;
    anuvad_options_default(&o);
    o.beam_size = 4, o.n_best = 2, o.return_attention = 1;
    Trace t = {0};
    o.on_step = trace_step, o.step_user = &t;
    AnuvadResult r;
    ck_assert_int_eq(anuvad_translate(m, "we are friends", &o, &r), ANUVAD_OK);
    ck_assert_int_eq(r.hypotheses[0].n_tokens, t.steps);
    for (int i = 0; i < 2; i++) {
        const AnuvadHypothesis *h = &r.hypotheses[i];
        ck_assert_ptr_nonnull(h->attention);
        for (int k = 0; k < h->n_tokens; k++) {
            double row = 0;
            for (int j = 0; j < r.src_len; j++) {
                row += h->attention[k * r.src_len + j];
                if (i == 0)
                    ck_assert_msg(fabsf(h->attention[k * r.src_len + j] - t.attn[k][j]) < 1e-5f,
                                  "step %d, source %d", k, j);
            }
            ck_assert_msg(fabs(row - 1) < 1e-4, "hypothesis %d step %d: %g", i, k, row);
        }
    }
    anuvad_result_free(&r);
}
END_TEST

/* The reference lines as an array, then through anuvad_translate_batch with 1 and 3 workers,
 * and decoded together as rows (batch_size). */
START_TEST(batch_keeps_the_order) {
    char *texts[64], *want[64], line[1024], err[512];
    int n = 0;
    FILE *f = fopen(TSV, "r");
    ck_assert_ptr_nonnull(f);
    while (n < 32 && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = 0;
        char *tab = strchr(line, '\t');
        *tab = 0;
        texts[n] = strdup(line);
        want[n++] = strdup(tab + 1);
    }
    fclose(f);
    for (int i = n; i < 32; i++) texts[i] = texts[i % n], want[i] = want[i % n]; /* 32 lines */
    for (int run = 0; run < 4; run++) { /* workers 1, 3; rows of batch 5 and 64 */
        AnuvadOptions o;
        anuvad_options_default(&o);
        o.workers = run == 1 ? 3 : 1;
        o.batch_size = run == 2 ? 5 : run == 3 ? 64 : 0;
        AnuvadResult r[32];
        ck_assert_int_eq(
            anuvad_translate_batch(m, (const char *const *)texts, 32, &o, r, err, sizeof err),
            ANUVAD_OK);
        for (int i = 0; i < 32; i++) {
            ck_assert_int_eq(r[i].status, ANUVAD_OK);
            ck_assert_str_eq(r[i].hypotheses[0].text, want[i]);
            anuvad_result_free(&r[i]);
        }
    }
    AnuvadOptions o;
    anuvad_options_default(&o);
    o.workers = 999;
    AnuvadResult r[1];
    ck_assert_int_eq(
        anuvad_translate_batch(m, (const char *const *)texts, 1, &o, r, err, sizeof err),
        ANUVAD_ERR_USAGE);
    for (int i = 0; i < n; i++) free(texts[i]), free(want[i]);
}
END_TEST

static int count_steps(const AnuvadStep *ev, void *user) {
    (void)ev;
    ++*(int *)user;
    return 0;
}

/* anuvad_options_use_rows against what a batch does: greedy rows compute no log-probabilities,
 * one at a time they do; and the documented cases that turn rows off. */
START_TEST(use_rows_says_how_a_batch_decodes) {
    static const char *const texts[] = {"we are friends", "the dog runs"};
    static const int forced[] = {3};
    char err[512];
    for (int c = 0; c < 8; c++) {
        AnuvadOptions o;
        anuvad_options_default(&o);
        o.batch_size = c == 0 ? 0 : c == 1 ? 1 : 4;
        o.return_scores = c == 3 || c == 4;
        o.beam_size = c == 4 ? 3 : 1;
        o.return_attention = c == 5;
        int steps = 0;
        o.on_step = c == 6 ? count_steps : NULL, o.step_user = &steps;
        o.forced = forced, o.n_forced = c == 7;
        int want = c == 2 || c == 4; /* plain greedy rows; beam rows keep their scores */
        ck_assert_msg(anuvad_options_use_rows(&o) == want, "case %d", c);
        if (c == 4) continue; /* beam rows and beam one at a time look alike */
        o.return_scores = 0;  /* what the result shows, for the same decoding */
        int rows = anuvad_options_use_rows(&o);
        AnuvadResult r[2];
        ck_assert_int_eq(anuvad_translate_batch(m, texts, 2, &o, r, err, sizeof err), ANUVAD_OK);
        for (int i = 0; i < 2; i++) {
            ck_assert_int_eq(r[i].status, ANUVAD_OK);
            const AnuvadHypothesis *h = &r[i].hypotheses[0];
            ck_assert_msg((h->log_probs == NULL) == rows, "case %d line %d", c, i);
            anuvad_result_free(&r[i]);
        }
    }
}
END_TEST

/* no_confidence on the default model (it has a confidence threshold and known words): the same
 * translations one at a time and as rows, no confidence warning, and no log-probabilities
 * unless return_scores asks for them (then the same bits as without no_confidence). */
START_TEST(no_confidence_skips_the_log_softmax) {
    static const char *const texts[] = {"we are friends", "xyzzy qwfp glorp", "the zorblax runs",
                                        "I like eating ice-cream."};
    const int n = 4;
    char err[512];
    int st;
    AnuvadModel *d = anuvad_load("models/en-hi.gguf", 1, &st, err, sizeof err);
    if (!d) return; /* the default model is not there yet */
    AnuvadResult want[4], got[4];
    AnuvadOptions o;
    anuvad_options_default(&o);
    ck_assert_int_eq(anuvad_translate_batch(d, texts, n, &o, want, err, sizeof err), ANUVAD_OK);
    int warned = 0;
    for (int i = 0; i < n; i++)
        for (int k = 0; k < want[i].n_warnings; k++)
            warned += strstr(want[i].warnings[k], "low confidence") != NULL;
    ck_assert_int_ge(warned, 2);        /* the test would prove nothing without them */
    for (int run = 0; run < 4; run++) { /* one at a time, rows; without and with scores */
        anuvad_options_default(&o);
        o.no_confidence = 1;
        o.batch_size = run % 2 ? 3 : 0;
        o.return_scores = run >= 2;
        ck_assert_int_eq(anuvad_translate_batch(d, texts, n, &o, got, err, sizeof err), ANUVAD_OK);
        for (int i = 0; i < n; i++) {
            const AnuvadHypothesis *w = &want[i].hypotheses[0], *g = &got[i].hypotheses[0];
            ck_assert_int_eq(got[i].status, ANUVAD_OK);
            ck_assert_str_eq(g->text, w->text);
            for (int k = 0; k < got[i].n_warnings; k++)
                ck_assert_ptr_null(strstr(got[i].warnings[k], "confidence"));
            if (o.return_scores) { /* (rows turn off with scores) */
                ck_assert_ptr_nonnull(g->log_probs);
                ck_assert(memcmp(g->log_probs, w->log_probs, (size_t)w->n_tokens * 4) == 0);
                ck_assert(g->score == w->score);
            } else {
                ck_assert_ptr_null(g->log_probs);
                ck_assert(g->score == 0 && g->log_prob == 0);
            }
            anuvad_result_free(&got[i]);
        }
    }
    for (int i = 0; i < n; i++) anuvad_result_free(&want[i]);
    anuvad_free(d);
}
END_TEST

/* A stream: a NUL byte in every sentence, the reader's own warning on odd ones (first of the
 * result's), and a writer that stops after the second result. */
typedef struct {
    int next, stop_after, written;
    char warning[128];
} Feed;

static int feed_read(void *user, const char **text, size_t *len, char *note, size_t n) {
    Feed *f = user;
    if (f->next == 10) return 0;
    if (f->next++ % 2) snprintf(note, n, "odd");
    *text = "we are\0 friends";
    *len = 15;
    return 1;
}

static int feed_write(void *user, long index, AnuvadResult *r) {
    Feed *f = user;
    ck_assert_int_eq(index, f->written);
    ck_assert_int_eq(r->status, ANUVAD_OK);
    /* the reader's own, the NUL byte, and the tiny model's output cut at the length limit */
    ck_assert_int_eq(r->n_warnings, 2 + index % 2);
    if (index % 2) ck_assert_str_eq(r->warnings[0], "odd");
    ck_assert_msg(strstr(r->warnings[r->n_warnings - 1], "output cut") != NULL, "%s",
                  r->warnings[r->n_warnings - 1]);
    snprintf(f->warning, sizeof f->warning, "%s", r->warnings[index % 2]);
    f->written++;
    return f->stop_after && f->written == f->stop_after;
}

START_TEST(stream_warns_and_stops) {
    char err[256];
    for (int workers = 1; workers <= 2; workers++) {
        AnuvadOptions o;
        anuvad_options_default(&o);
        o.workers = workers;
        Feed f = {0};
        AnuvadStream io = {feed_read, feed_write, NULL, &f};
        ck_assert_int_eq(anuvad_translate_stream(m, &o, &io, err, sizeof err), ANUVAD_OK);
        ck_assert_int_eq(f.written, 10);
        ck_assert_str_eq(f.warning, "NUL byte at column 7: the rest of the line is ignored");
        Feed g = {.stop_after = 2};
        io.user = &g;
        ck_assert_int_eq(anuvad_translate_stream(m, &o, &io, err, sizeof err), ANUVAD_ERR_STOPPED);
        ck_assert_int_eq(g.written, 2);
    }
}
END_TEST

START_TEST(tokenizers_and_info) {
    char err[256], *text;
    AnuvadTokens t;
    const AnuvadTokenizer *src = anuvad_tokenizer(m, ANUVAD_SOURCE);
    ck_assert_int_eq(anuvad_tokenize(src, "we are friends", 14, &t, err, sizeof err), ANUVAD_OK);
    int want[] = {15, 7, 4, 8, 27, 6}; /* tests/fixtures/spm/cli_tiny.tsv, from the library */
    ck_assert_int_eq(t.n, 6);
    for (int i = 0; i < 6; i++) ck_assert_int_eq(t.ids[i], want[i]);
    ck_assert_str_eq(t.pieces[4], "▁friend");
    ck_assert_int_eq(
        anuvad_detokenize(anuvad_tokenizer(m, ANUVAD_TARGET), t.ids, t.n, &text, err, sizeof err),
        ANUVAD_OK);
    ck_assert_str_eq(text, "we are friends");
    free(text);
    anuvad_tokens_free(&t);
    AnuvadTokenizer *bare =
        anuvad_tokenizer_load("tests/fixtures/spm/unigram.model", NULL, err, sizeof err);
    ck_assert_msg(bare != NULL, "%s", err);
    ck_assert_int_eq(anuvad_detokenize(bare, want, 1, &text, err, sizeof err), ANUVAD_ERR_USAGE);
    anuvad_tokenizer_free(bare);
    int st;
    ck_assert_ptr_null(
        anuvad_tokenizer_load("tests/fixtures/spm/nope.model", &st, err, sizeof err));
    ck_assert_int_eq(st, ANUVAD_ERR_IO);

    AnuvadInfo info;
    anuvad_info(m, &info);
    ck_assert_int_eq(info.vocab_size, 40);
    ck_assert_int_eq(info.decoder_layers, 2);
    ck_assert_int_eq(info.heads, 2);
    ck_assert_str_eq(info.path, MODEL);
    ck_assert_str_eq(anuvad_piece(m, info.eos), "</s>");
    ck_assert_ptr_null(anuvad_piece(m, 40));
    AnuvadTensor tensor;
    anuvad_tensor(m, 0, &tensor);
    ck_assert_str_eq(tensor.name, "shared.weight");
    ck_assert(tensor.n_dims == 2 && tensor.dims[0] == 40 && tensor.dims[1] == 16);
    ck_assert_int_eq(info.f32_tensors + info.f16_tensors, info.n_tensors);
}
END_TEST

int main(void) {
    Suite *s = suite_create("api");
    TCase *tc = tcase_create("translate");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, translations_match_the_reference);
    tcase_add_test(tc, forced_tokens_are_used);
    tcase_add_test(tc, observer_can_stop);
    tcase_add_test(tc, max_len_and_empty_input);
    tcase_add_test(tc, long_source_warns);
    tcase_add_test(tc, bad_options_are_usage_errors);
    tcase_add_test(tc, load_errors);
    tcase_add_test(tc, clones_translate_concurrently);
    tcase_add_test(tc, result_has_tokens_scores_and_attention);
    tcase_add_test(tc, beam_search_options);
    tcase_add_test(tc, beam_search_from_forced_tokens);
    tcase_add_test(tc, beam_search_attention);
    tcase_add_test(tc, batch_keeps_the_order);
    tcase_add_test(tc, use_rows_says_how_a_batch_decodes);
    tcase_add_test(tc, no_confidence_skips_the_log_softmax);
    tcase_add_test(tc, stream_warns_and_stops);
    tcase_add_test(tc, tokenizers_and_info);
    suite_add_tcase(s, tc);
    return check_run(s);
}
