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
    m = anuvad_load(MODEL, NULL, &st, err, sizeof err);
    ck_assert_msg(m != NULL, "%s", err);
}

static void teardown(void) { anuvad_free(m); }

typedef struct {
    int steps, stop_at, forced_seen, tokens[64];
    int bad;                  /* first inconsistency found, as a line number */
} Seen;

#define EXPECT(c) do { if (!(c) && !s->bad) s->bad = __LINE__; } while (0)

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
        ck_assert_int_eq(anuvad_translate(m, line, NULL, observe, &s, &out, err, sizeof err), 0);
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
    ck_assert_int_eq(anuvad_translate(m, "we are friends", &o, observe, &s, &out, err, sizeof err), 0);
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
    ck_assert_int_eq(anuvad_translate(m, "we are friends", NULL, observe, &s, &out, err, sizeof err),
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
    ck_assert_int_eq(anuvad_translate(m, "the dog runs", &o, observe, &s, &out, err, sizeof err), 0);
    ck_assert_int_eq(s.steps, 3);
    ck_assert_str_eq(out, "ooo");
    free(out);
    Seen e = {0};
    ck_assert_int_eq(anuvad_translate(m, "   ", NULL, observe, &e, &out, err, sizeof err), 0);
    ck_assert_str_eq(out, "");
    ck_assert_int_eq(e.steps, 0);
    free(out);
}
END_TEST

START_TEST(long_source_warns) {
    char text[2000] = "", *out, err[512];
    for (int i = 0; i < 100; i++) strcat(text, "we are friends ");
    ck_assert_int_eq(anuvad_translate(m, text, NULL, NULL, NULL, &out, err, sizeof err), 0);
    ck_assert_msg(strstr(err, "source truncated") != NULL, "%s", err);
    free(out);
}
END_TEST

START_TEST(bad_options_are_usage_errors) {
    AnuvadOptions o;
    char *out, err[512];
    int bad_forced[] = {40};
    struct { int top_k, max_len, n_forced; const int *forced; const char *want; } cases[] = {
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
        ck_assert_int_eq(anuvad_translate(m, "we", &o, NULL, NULL, &out, err, sizeof err),
                         ANUVAD_ERR_USAGE);
        ck_assert_msg(strstr(err, cases[i].want) != NULL, "%s", err);
    }
}
END_TEST

START_TEST(load_errors) {
    AnuvadOptions o;
    anuvad_options_default(&o);
    o.threads = 300;
    char err[512];
    int st;
    ck_assert_ptr_null(anuvad_load(MODEL, &o, &st, err, sizeof err));
    ck_assert_int_eq(st, ANUVAD_ERR_USAGE);
    ck_assert_ptr_null(anuvad_load("tests/fixtures/engine/post_relu_sin_f32.gguf", NULL, &st,
                                   err, sizeof err));
    ck_assert_int_eq(st, ANUVAD_ERR_FORMAT);
    ck_assert_msg(strstr(err, "tokenizer.source.spm") != NULL, "%s", err);
}
END_TEST

typedef struct {
    AnuvadModel *m;
    int wrong, done;          /* translations that differ from the reference; made */
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
            if (anuvad_translate(r->m, line, NULL, NULL, NULL, &out, err, sizeof err) ||
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
        r[i].m = anuvad_clone(m, i, &st, err, sizeof err);   /* 1 and 2 threads of their own */
        ck_assert_msg(r[i].m != NULL, "%s", err);
    }
    pthread_t t[3];
    for (int i = 0; i < 3; i++) ck_assert_int_eq(pthread_create(&t[i], NULL, translate_all, &r[i]), 0);
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
    suite_add_tcase(s, tc);
    return check_run(s);
}
