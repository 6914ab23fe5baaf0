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
 * (batch_size 4, greedy and beam; on one thread, and on three: lanes), a translation whose step callback records every event
 * (forced tokens too, scores and attention asked for), a batch of token lists on two workers
 * (anuvad_translate_tokens_batch), loading a bare .model, and the source tokenizer over hostile
 * lines: every 60th line of lines.txt in make test, all of them in `make oom-full` (OOM_FULL=1).
 *
 * The library's other calls that can fail are wrapped too (--wrap=pthread_create,mmap,fopen)
 * and swept the same way on a counter of their own, so the allocations' counts stay as they
 * were: a model loaded with a pool thread (-t 2), a clone with a pool of three decoding rows,
 * a stream on three workers (writer and worker threads), the token-list batch, a bare .model
 * (fopen) and anuvad_quantize (map and output file). A failed call fails as the kernel would
 * (EAGAIN, ENOMEM, EMFILE), and an error must name that cause. Threads the stream cannot have
 * leave it fewer workers: the same output, and one warning saying so.
 * OOM_REPORT=1 prints the failure points per path ("oom:" allocations, "sys:" the others). */
#include <check.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

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
int __real_pthread_create(pthread_t *t, const pthread_attr_t *a, void *(*fn)(void *), void *arg);
void *__real_mmap(void *addr, size_t n, int prot, int flags, int fd, off_t off);
FILE *__real_fopen(const char *path, const char *mode);

/* Two counters, so that sweeping the system calls leaves the allocations' failure points as
 * they were (and the other way round). */
typedef struct {
    const char *kind; /* "oom" or "sys", in OOM_REPORT's lines */
    long at;          /* fail this call (1-based) while armed; 0: none */
    long calls;       /* calls counted since arming */
    int armed, hit;
    const char *why; /* strerror of what a failed system call set: the error must name it */
} Fault;
static Fault alloc_fault = {.kind = "oom"}, sys_fault = {.kind = "sys"};

/* Pool threads may allocate too: the counters are atomic. */
static int tick(Fault *f) {
    if (!__atomic_load_n(&f->armed, __ATOMIC_SEQ_CST)) return 0;
    if (__atomic_add_fetch(&f->calls, 1, __ATOMIC_SEQ_CST) != f->at) return 0;
    __atomic_store_n(&f->hit, 1, __ATOMIC_SEQ_CST);
    return 1;
}
static int oom_tick(void) { return tick(&alloc_fault); }
void *__wrap_malloc(size_t n) { return oom_tick() ? NULL : __real_malloc(n); }
void *__wrap_calloc(size_t n, size_t s) { return oom_tick() ? NULL : __real_calloc(n, s); }
void *__wrap_realloc(void *p, size_t n) { return oom_tick() ? NULL : __real_realloc(p, n); }
void *__wrap_aligned_alloc(size_t a, size_t n) {
    return oom_tick() ? NULL : __real_aligned_alloc(a, n);
}
char *__wrap_strdup(const char *s) { return oom_tick() ? NULL : __real_strdup(s); }
char *__wrap_strndup(const char *s, size_t n) { return oom_tick() ? NULL : __real_strndup(s, n); }

/* A failed system call as the kernel would fail it: the thread limit, the address space, the
 * open-file limit. */
static int sys_tick(int e) {
    if (!tick(&sys_fault)) return 0;
    sys_fault.why = strerror(e);
    errno = e;
    return e;
}
int __wrap_pthread_create(pthread_t *t, const pthread_attr_t *a, void *(*fn)(void *), void *arg) {
    return sys_tick(EAGAIN) ? EAGAIN : __real_pthread_create(t, a, fn, arg);
}
void *__wrap_mmap(void *addr, size_t n, int prot, int flags, int fd, off_t off) {
    return sys_tick(ENOMEM) ? MAP_FAILED : __real_mmap(addr, n, prot, flags, fd, off);
}
FILE *__wrap_fopen(const char *path, const char *mode) {
    return sys_tick(EMFILE) ? NULL : __real_fopen(path, mode);
}

static void arm(Fault *f, long at) {
    f->at = at;
    f->calls = 0;
    f->hit = 0;
    f->why = NULL;
    __atomic_store_n(&f->armed, 1, __ATOMIC_SEQ_CST);
}
static void disarm(Fault *f) { __atomic_store_n(&f->armed, 0, __ATOMIC_SEQ_CST); }

/* Around what a path checks or records for itself, which is not the library's: both counters
 * off, then back as they were. */
static int pause_faults(void) {
    int was = alloc_fault.armed | sys_fault.armed << 1;
    disarm(&alloc_fault);
    disarm(&sys_fault);
    return was;
}
static void resume_faults(int was) {
    __atomic_store_n(&alloc_fault.armed, was & 1, __ATOMIC_SEQ_CST);
    __atomic_store_n(&sys_fault.armed, was >> 1, __ATOMIC_SEQ_CST);
}

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

static void load_with(Result *r, int threads) {
    AnuvadModel *m = anuvad_load(MODEL, threads, &r->rc, r->err, sizeof r->err);
    if (!m) return;
    /* What was loaded is checked by what it translates, with failures off. */
    int was = pause_faults();
    translate(m, "we are friends", NULL, r);
    anuvad_free(m);
    resume_faults(was);
}
static void load_path(Result *r) { load_with(r, 1); }
/* -t 2: the map and the pool's one thread. */
static void load2_path(Result *r) { load_with(r, 2); }

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
static void rows_on(AnuvadModel *m, Result *r) {
    AnuvadOptions o;
    anuvad_options_default(&o);
    o.batch_size = 4;
    for (int beam = 1; beam <= 2 && !r->rc; beam++) {
        o.beam_size = beam;
        AnuvadResult res[N_BATCH];
        r->rc = anuvad_translate_batch(m, batch_lines, N_BATCH, &o, res, r->err, sizeof r->err);
        take_results(r, res, N_BATCH);
    }
}
static void rows_path(Result *r) { rows_on(loaded, r); }

/* Rows split over a pool of three threads (anuvad -t 3 --batch-size 4): a clone's pool, whose
 * threads are the only ones the rows use. */
static void pool_path(Result *r) {
    AnuvadModel *c = anuvad_clone(loaded, 3, &r->rc, r->err, sizeof r->err);
    if (!c) return;
    rows_on(c, r);
    anuvad_free(c);
}

/* The batch lines as a stream on three workers (anuvad -t 3): a writer thread and one thread
 * per worker, each but the first on a clone. */
typedef struct {
    int next;
    long written; /* lines written, in order: a line lost or out of order changes the hash */
    uint64_t *hash;
    int warnings;
    char warning[512];
} Feed;

static int feed_read(void *user, const char **text, size_t *len, char *w, size_t wl) {
    (void)w, (void)wl;
    Feed *f = user;
    if (f->next == N_BATCH) return 0;
    *text = batch_lines[f->next++];
    *len = strlen(*text);
    return 1;
}
static int feed_write(void *user, long index, AnuvadResult *res) {
    Feed *f = user;
    *f->hash = mix(*f->hash, &index, sizeof index);
    *f->hash = mix(*f->hash, &f->written, sizeof f->written);
    *f->hash =
        res->status ? mix(*f->hash, res->error, strlen(res->error)) : mix_result(*f->hash, res);
    f->written++;
    return 0;
}
static void feed_warn(void *user, const char *message) {
    Feed *f = user;
    f->warnings++;
    snprintf(f->warning, sizeof f->warning, "%s", message);
}

static void stream_path(Result *r) {
    Feed f = {.hash = &r->hash};
    AnuvadStream io = {feed_read, feed_write, feed_warn, &f};
    AnuvadOptions o;
    anuvad_options_default(&o);
    o.workers = 3;
    r->rc = anuvad_translate_stream(loaded, &o, &io, r->err, sizeof r->err);
    r->hash = mix(r->hash, &f.written, sizeof f.written);
    /* Every failed thread leaves fewer than asked for, and the stream must say so, once. */
    int was = pause_faults();
    if (!r->rc) {
        ck_assert_msg(f.warnings == sys_fault.hit, "stream: %d warnings, %d failed threads: %s",
                      f.warnings, sys_fault.hit, f.warning);
        ck_assert_msg(!f.warnings || (strstr(f.warning, "translation threads started") &&
                                      strstr(f.warning, sys_fault.why)),
                      "stream: warning \"%s\"", f.warning);
    }
    resume_faults(was);
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
    int was = pause_faults();
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
    resume_faults(was);
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
    int was = pause_faults(); /* what was loaded is checked by what it gives */
    r->rc = anuvad_tokenize(t, "we are friends", 14, &pc, r->err, sizeof r->err);
    for (int i = 0; !r->rc && i < pc.n; i++) r->hash = mix(r->hash, &pc.ids[i], sizeof(int));
    if (!r->rc) anuvad_tokens_free(&pc);
    anuvad_tokenizer_free(t);
    resume_faults(was);
}

/* anuvad_quantize of a small F32 model: the input's map and the output's FILE. The output is
 * written whole or not at all: a failure leaves neither it nor its .tmp. */
static char q_out[] = "/tmp/anuvad_oom_q8_XXXXXX";

static void quantize_path(Result *r) {
    unlink(q_out);
    r->rc = anuvad_quantize("tests/fixtures/engine/q8_post_gelu_sin_f32.gguf", q_out, r->err,
                            sizeof r->err);
    int was = pause_faults();
    char tmp[sizeof q_out + 4];
    snprintf(tmp, sizeof tmp, "%s.tmp", q_out);
    ck_assert_msg(access(tmp, F_OK) != 0, "quantize left %s behind", tmp);
    FILE *f = fopen(q_out, "rb");
    ck_assert_msg(!f == !!r->rc, "quantize: rc %d, yet the output is %s", r->rc,
                  f ? "there" : "missing");
    char buf[1 << 14];
    for (size_t n; f && (n = fread(buf, 1, sizeof buf, f)) > 0;) r->hash = mix(r->hash, buf, n);
    if (f) fclose(f);
    resume_faults(was);
}

/* Runs `path` failing call 1, 2, ... of f's kind until a run makes no failing call (the count
 * of the run without failures: the paths are deterministic). Returns the failure points. */
static long sweep(const char *name, Path path, Fault *f) {
    Result want = {0};
    arm(f, 0);
    path(&want);
    disarm(f);
    long points = f->calls;
    ck_assert_msg(want.rc == 0, "%s without failures: %s", name, want.err);
    for (long at = 1; at <= points + 1; at++) {
        Result r = {0};
        arm(f, at);
        path(&r);
        disarm(f);
        if (at > points) { /* the run past the last point fails nothing and matches */
            ck_assert_msg(!f->hit && r.rc == 0 && r.hash == want.hash, "%s: not repeatable", name);
            break;
        }
        ck_assert_msg(f->hit, "%s: call %ld of %ld was not made: not repeatable", name, at, points);
        if (r.rc == 0)
            ck_assert_msg(r.hash == want.hash,
                          "%s: %s call %ld failed, yet a different result was reported as success",
                          name, f->kind, at);
        else /* a failed system call's error says why (allocations: "out of memory") */
            ck_assert_msg(r.err[0] && !strchr(r.err, '\n') && (!f->why || strstr(r.err, f->why)),
                          "%s: %s call %ld: rc %d with message \"%s\"", name, f->kind, at, r.rc,
                          r.err);
    }
    if (getenv("OOM_REPORT")) printf("%s: %-9s %6ld failure points\n", f->kind, name, points);
    return points;
}

static void open_default(void) {
    char err[512];
    loaded = anuvad_load(MODEL, 1, NULL, err, sizeof err);
    ck_assert_msg(loaded != NULL, "%s", err);
}
static void close_default(void) { anuvad_free(loaded); }

START_TEST(load_survives_every_failure) { sweep("load", load_path, &alloc_fault); }
END_TEST
START_TEST(batch_survives_every_failure) { sweep("batch", batch_path, &alloc_fault); }
END_TEST
START_TEST(rows_survive_every_failure) { sweep("rows", rows_path, &alloc_fault); }
END_TEST
/* The same rows on three threads: three lanes side by side (batch_rows.c), each its own state. */
START_TEST(lanes_survive_every_failure) { sweep("rows -t 3", pool_path, &alloc_fault); }

START_TEST(step_survives_every_failure) { sweep("step", step_path, &alloc_fault); }
END_TEST
START_TEST(tokens_survive_every_failure) { sweep("tokens", tokens_path, &alloc_fault); }
END_TEST
START_TEST(tokenizer_load_survives_every_failure) {
    sweep("spm load", tokenizer_load_path, &alloc_fault);
}
END_TEST
/* The system calls that are not allocations: pthread_create, mmap, fopen. */
START_TEST(load_survives_failed_calls) { sweep("load -t 2", load2_path, &sys_fault); }
END_TEST
START_TEST(tokenizer_load_survives_failed_calls) {
    sweep("spm load", tokenizer_load_path, &sys_fault);
}
END_TEST
START_TEST(quantize_survives_failed_calls) {
    int fd = mkstemp(q_out);
    ck_assert_int_ge(fd, 0);
    close(fd);
    sweep("quantize", quantize_path, &sys_fault);
    unlink(q_out);
}
END_TEST
START_TEST(pool_survives_failed_calls) { sweep("pool -t 3", pool_path, &sys_fault); }
END_TEST
START_TEST(stream_survives_failed_calls) { sweep("stream", stream_path, &sys_fault); }
END_TEST
START_TEST(tokens_survive_failed_calls) { sweep("tokens", tokens_path, &sys_fault); }
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
    sweep("tokenize", tokenize_path, &alloc_fault);
    anuvad_free(tok_model);
    free(hostile);
}
END_TEST

int main(void) {
    Suite *s = suite_create("oom");
    TCase *tc = tcase_create("sweep");
    tcase_add_test(tc, load_survives_every_failure);
    tcase_add_test(tc, tokenizer_load_survives_every_failure);
    tcase_add_test(tc, tokenize_survives_every_failure);
    TCase *tm = tcase_create("loaded");
    tcase_add_test(tm, batch_survives_every_failure);
    tcase_add_test(tm, rows_survive_every_failure);
    tcase_add_test(tm, lanes_survive_every_failure);
    tcase_add_test(tm, step_survives_every_failure);
    tcase_add_test(tm, tokens_survive_every_failure);
    /* The other calls: by themselves (CK_RUN_CASE=calls, calls-loaded). */
    TCase *cc = tcase_create("calls");
    tcase_add_test(cc, load_survives_failed_calls);
    tcase_add_test(cc, tokenizer_load_survives_failed_calls);
    tcase_add_test(cc, quantize_survives_failed_calls);
    TCase *cm = tcase_create("calls-loaded");
    tcase_add_test(cm, pool_survives_failed_calls);
    tcase_add_test(cm, stream_survives_failed_calls);
    tcase_add_test(cm, tokens_survive_failed_calls);
    TCase *all[] = {tc, tm, cc, cm};
    for (int i = 0; i < 4; i++) {
        tcase_set_timeout(all[i], 600);
        if (all[i] == tm || all[i] == cm)
            tcase_add_checked_fixture(all[i], open_default, close_default);
        suite_add_tcase(s, all[i]);
    }
    return check_run(s);
}
