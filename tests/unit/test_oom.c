/* Allocation failures in SQLite's manner: this binary is linked with
 * -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=aligned_alloc,--wrap=strdup,--wrap=strndup
 * (mk/test.mk), so every allocation the library makes passes through oom_tick(), which fails
 * the Nth one. strdup and strndup are wrapped themselves: libc's own copies call libc's malloc,
 * which the linker's renaming of the library's references never reaches. Each path runs with
 * N = 1, 2, ... until a run makes no failing call; every run must end with a clean error (a
 * status, a one-line message, nothing leaked: ASan/LSan in the sanitizer build) or the very
 * result of the run without failures (text and warnings). A wrong result reported as success
 * fails.
 *
 * Paths: loading the default model, a batch of lines on a clone, the same lines as rows
 * (batch_size 4, greedy and beam), a translation whose step callback records every event
 * (forced tokens too, scores and attention asked for), a batch of token lists on two workers
 * (anuvad_translate_tokens_batch), loading a bare .model, and the source tokenizer over hostile
 * lines: every 60th line of lines.txt in make test, all of them in `make oom-full` (OOM_FULL=1).
 * OOM_REPORT=1 prints the failure points per path. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anuvad.h"
#include "check_run.h"

#define MODEL "models/en-hi.gguf"
#define LINES "tests/fixtures/spm/lines.txt"

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
void *__real_aligned_alloc(size_t a, size_t n);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);

static long oom_at;    /* fail this call (1-based) while armed; 0: none */
static long oom_calls; /* calls counted since arming */
static int oom_armed, oom_hit;

/* Pool threads may allocate too: the counters are atomic. */
static int oom_tick(void) {
    if (!__atomic_load_n(&oom_armed, __ATOMIC_SEQ_CST)) return 0;
    if (__atomic_add_fetch(&oom_calls, 1, __ATOMIC_SEQ_CST) != oom_at) return 0;
    __atomic_store_n(&oom_hit, 1, __ATOMIC_SEQ_CST);
    return 1;
}
void *__wrap_malloc(size_t n) { return oom_tick() ? NULL : __real_malloc(n); }
void *__wrap_calloc(size_t n, size_t s) { return oom_tick() ? NULL : __real_calloc(n, s); }
void *__wrap_realloc(void *p, size_t n) { return oom_tick() ? NULL : __real_realloc(p, n); }
void *__wrap_aligned_alloc(size_t a, size_t n) {
    return oom_tick() ? NULL : __real_aligned_alloc(a, n);
}
char *__wrap_strdup(const char *s) { return oom_tick() ? NULL : __real_strdup(s); }
char *__wrap_strndup(const char *s, size_t n) { return oom_tick() ? NULL : __real_strndup(s, n); }

static void arm(long at) {
    oom_at = at;
    oom_calls = 0;
    oom_hit = 0;
    __atomic_store_n(&oom_armed, 1, __ATOMIC_SEQ_CST);
}
static void disarm(void) { __atomic_store_n(&oom_armed, 0, __ATOMIC_SEQ_CST); }

/* A result to compare with the run without failures: a hash of everything observed. */
typedef struct {
    int rc;
    uint64_t hash;
    char err[512];
} Result;

static uint64_t mix(uint64_t h, const void *p, size_t n) {
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) h = (h ^ b[i]) * 1099511628211ull;
    return h;
}

/* One path: fills r; a failure is a non-zero rc with a message. */
typedef void (*Path)(Result *r);

/* A word the model never saw: its warning needs the copy of the source text (a strndup). */
static const char *const batch_lines[] = {"we are friends", "the dog runs", "", "I like tea .",
                                          "the zorblax runs"};
#define N_BATCH (int)(sizeof batch_lines / sizeof *batch_lines)

static AnuvadModel *loaded; /* for the paths after loading, made without failures */

/* A result's text and warnings: a warning lost to a failed allocation is a wrong result too. */
static uint64_t mix_result(uint64_t h, const AnuvadResult *res) {
    h = mix(h, res->hypotheses[0].text, strlen(res->hypotheses[0].text) + 1);
    for (int i = 0; i < res->n_warnings; i++)
        h = mix(h, res->warnings[i], strlen(res->warnings[i]) + 1);
    return h;
}

/* One translation into r: its result into the hash, or its error into r->err. */
static void translate(AnuvadModel *m, const char *text, const AnuvadOptions *o, Result *r) {
    AnuvadResult res;
    r->rc = anuvad_translate(m, text, o, &res);
    if (r->rc) snprintf(r->err, sizeof r->err, "%s", res.error);
    else r->hash = mix_result(r->hash, &res);
    anuvad_result_free(&res);
}

/* A batch's n results into r (each one's hash, or the first failure's message), then freed. A
 * batch call that failed as a whole left them zeroed. */
static void take_results(Result *r, AnuvadResult *res, int n) {
    for (int i = 0; i < n && !r->rc; i++) {
        if ((r->rc = res[i].status)) snprintf(r->err, sizeof r->err, "%s", res[i].error);
        else r->hash = mix_result(r->hash, &res[i]);
    }
    for (int i = 0; i < n; i++) anuvad_result_free(&res[i]);
}

static void load_path(Result *r) {
    AnuvadModel *m = anuvad_load(MODEL, 1, &r->rc, r->err, sizeof r->err);
    if (!m) return;
    /* What was loaded is checked by what it translates, with failures off. */
    int armed = oom_armed;
    disarm();
    translate(m, "we are friends", NULL, r);
    anuvad_free(m);
    oom_armed = armed;
}

static void batch_path(Result *r) {
    AnuvadModel *c = anuvad_clone(loaded, 1, &r->rc, r->err, sizeof r->err);
    if (!c) return;
    /* Alternate: the parent and the clone share weights, not buffers. */
    for (int i = 0; i < N_BATCH && !r->rc; i++)
        translate(i % 2 ? c : loaded, batch_lines[i], NULL, r);
    anuvad_free(c);
}

/* The batch lines decoded together as rows (batch_size > 1: batch_rows.c), greedy and then
 * beam search: their packing, their per-row buffers and copies of the source text. */
static void rows_path(Result *r) {
    AnuvadOptions o;
    anuvad_options_default(&o);
    o.batch_size = 4;
    for (int beam = 1; beam <= 2 && !r->rc; beam++) {
        o.beam_size = beam;
        AnuvadResult res[N_BATCH];
        r->rc =
            anuvad_translate_batch(loaded, batch_lines, N_BATCH, &o, res, r->err, sizeof r->err);
        take_results(r, res, N_BATCH);
    }
}

/* Token-list input: a batch of piece lists (unknown pieces among them, an empty one) on two
 * workers, so the packing, the slots' copies and the clone all meet failures. */
static void tokens_path(Result *r) {
#define WB "\xe2\x96\x81" /* U+2581 */
    static const char *const s0[] = {WB "we", WB "a", "re", WB "friends"};
    static const char *const s1[] = {WB "the", "no-such-piece", "\xe2\x98\x83"};
    const char *const *lists[] = {s0, s1, NULL};
    int lengths[] = {4, 3, 0};
    AnuvadOptions o;
    anuvad_options_default(&o);
    o.workers = 2;
    AnuvadResult res[3];
    r->rc =
        anuvad_translate_tokens_batch(loaded, lists, lengths, 3, &o, res, r->err, sizeof r->err);
    take_results(r, res, 3); /* a clone that cannot be had: fewer workers, the same results */
}

/* The observer's own copies are not the library's allocations: it counts nothing. */
static int record(const AnuvadStep *ev, void *user) {
    int armed = oom_armed;
    disarm();
    uint64_t *h = user;
    *h = mix(*h, &ev->token, sizeof ev->token);
    *h = mix(*h, &ev->prob, sizeof ev->prob);
    for (int i = 0; i < ev->n_top; i++) {
        *h = mix(*h, &ev->top[i].id, sizeof(int));
        *h = mix(*h, ev->top[i].piece, strlen(ev->top[i].piece));
    }
    for (int i = 0; i < ev->src_len; i++)
        *h = mix(*h, ev->src_pieces[i], strlen(ev->src_pieces[i]));
    for (int i = 0; i < ev->prefix_len; i++)
        *h = mix(*h, ev->prefix_pieces[i], strlen(ev->prefix_pieces[i]));
    size_t lh = (size_t)ev->n_layers * (size_t)ev->n_heads;
    *h = mix(*h, ev->cross, lh * (size_t)ev->src_len * sizeof(float));
    *h = mix(*h, ev->self, lh * (size_t)ev->prefix_len * sizeof(float));
    oom_armed = armed;
    return 0;
}

static void step_path(Result *r) {
    static const int forced[] = {5, 6};
    AnuvadOptions o;
    anuvad_options_default(&o);
    o.top_k = 8;
    o.forced = forced;
    o.n_forced = 2;
    o.return_scores = o.return_attention = 1;
    o.on_step = record;
    o.step_user = &r->hash;
    translate(loaded, "the old man reads a book", &o, r);
}

static char *hostile; /* lines.txt, a stride of its lines */
static size_t hostile_len;

/* The default model's source tokenizer; its loading is the load path's, here only encoding
 * counts (a bare .model's loading: tokenizer_load_path). */
static AnuvadModel *tok_model;

static void tokenize_path(Result *r) {
    const AnuvadTokenizer *t = anuvad_tokenizer(tok_model, ANUVAD_SOURCE);
    for (const char *p = hostile; p < hostile + hostile_len && !r->rc;) {
        const char *nl = memchr(p, '\n', (size_t)(hostile + hostile_len - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(hostile + hostile_len - p);
        AnuvadTokens pc;
        if ((r->rc = anuvad_tokenize(t, p, len, &pc, r->err, sizeof r->err))) break;
        for (int i = 0; i < pc.n; i++)
            r->hash = mix(r->hash, pc.pieces[i], strlen(pc.pieces[i]) + 1);
        anuvad_tokens_free(&pc);
        p += len + 1;
    }
}

static void tokenizer_load_path(Result *r) {
    AnuvadTokenizer *t =
        anuvad_tokenizer_load("tests/fixtures/spm/unigram.model", &r->rc, r->err, sizeof r->err);
    if (!t) return;
    AnuvadTokens pc;
    int armed = oom_armed;
    disarm(); /* what was loaded is checked by what it gives */
    r->rc = anuvad_tokenize(t, "we are friends", 14, &pc, r->err, sizeof r->err);
    for (int i = 0; !r->rc && i < pc.n; i++) r->hash = mix(r->hash, &pc.ids[i], sizeof(int));
    if (!r->rc) anuvad_tokens_free(&pc);
    anuvad_tokenizer_free(t);
    oom_armed = armed;
}

/* Runs `path` failing allocation 1, 2, ... until a run makes no failing call (the count of
 * the run without failures: the paths are deterministic). Returns the failure points. */
static long sweep(const char *name, Path path) {
    Result want = {0};
    arm(0);
    path(&want);
    disarm();
    long points = oom_calls;
    ck_assert_msg(want.rc == 0, "%s without failures: %s", name, want.err);
    for (long at = 1; at <= points + 1; at++) {
        Result r = {0};
        arm(at);
        path(&r);
        disarm();
        if (at > points) { /* the run past the last point fails nothing and matches */
            ck_assert_msg(!oom_hit && r.rc == 0 && r.hash == want.hash, "%s: not repeatable", name);
            break;
        }
        ck_assert_msg(oom_hit, "%s: call %ld of %ld was not made: not repeatable", name, at,
                      points);
        if (r.rc == 0)
            ck_assert_msg(r.hash == want.hash,
                          "%s: allocation %ld failed, yet a different "
                          "result was reported as success",
                          name, at);
        else
            ck_assert_msg(r.err[0] && !strchr(r.err, '\n'),
                          "%s: allocation %ld: rc %d with "
                          "message \"%s\"",
                          name, at, r.rc, r.err);
    }
    if (getenv("OOM_REPORT")) printf("oom: %-9s %6ld failure points\n", name, points);
    return points;
}

static void open_default(void) {
    char err[512];
    loaded = anuvad_load(MODEL, 1, NULL, err, sizeof err);
    ck_assert_msg(loaded != NULL, "%s", err);
}
static void close_default(void) { anuvad_free(loaded); }

START_TEST(load_survives_every_failure) { sweep("load", load_path); }
END_TEST
START_TEST(batch_survives_every_failure) { sweep("batch", batch_path); }
END_TEST
START_TEST(rows_survive_every_failure) { sweep("rows", rows_path); }
END_TEST
START_TEST(step_survives_every_failure) { sweep("step", step_path); }
END_TEST
START_TEST(tokens_survive_every_failure) { sweep("tokens", tokens_path); }
END_TEST
START_TEST(tokenizer_load_survives_every_failure) { sweep("spm load", tokenizer_load_path); }
END_TEST
START_TEST(tokenize_survives_every_failure) {
    FILE *f = fopen(LINES, "rb");
    ck_assert_ptr_nonnull(f);
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    /* Every 60th line in make test (51 of them); all 3048 with OOM_FULL=1. */
    long keep = getenv("OOM_FULL") ? 1 : 60, line = 0;
    hostile = malloc(n + 1);
    hostile_len = 0;
    for (size_t i = 0; i < n;) {
        char *nl = memchr(buf + i, '\n', n - i);
        size_t len = nl ? (size_t)(nl - (buf + i)) + 1 : n - i;
        if (line++ % keep == 0) {
            memcpy(hostile + hostile_len, buf + i, len);
            hostile_len += len;
        }
        i += len;
    }
    char err[512];
    tok_model = anuvad_load(MODEL, 1, NULL, err, sizeof err);
    ck_assert_msg(tok_model != NULL, "%s", err);
    sweep("tokenize", tokenize_path);
    anuvad_free(tok_model);
    free(hostile);
}
END_TEST

int main(void) {
    Suite *s = suite_create("oom");
    TCase *tc = tcase_create("sweep");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, load_survives_every_failure);
    tcase_add_test(tc, tokenizer_load_survives_every_failure);
    tcase_add_test(tc, tokenize_survives_every_failure);
    TCase *tm = tcase_create("loaded");
    tcase_set_timeout(tm, 600);
    tcase_add_checked_fixture(tm, open_default, close_default);
    tcase_add_test(tm, batch_survives_every_failure);
    tcase_add_test(tm, rows_survive_every_failure);
    tcase_add_test(tm, step_survives_every_failure);
    tcase_add_test(tm, tokens_survive_every_failure);
    suite_add_tcase(s, tc);
    suite_add_tcase(s, tm);
    return check_run(s);
}
