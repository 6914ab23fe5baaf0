/* Sentence-parallel translation of a stream or a batch (anuvad_translate_stream/_batch), as
 * CTranslate2's inter_threads: the model is small, so splitting each matrix product over
 * threads costs more in hand-offs than it saves, while whole sentences on separate threads
 * share nothing but the read-only weights.
 *
 * The calling thread reads sentences into a ring of slots (a few per worker); each worker, with
 * its own translator (the model or a clone, one thread each), takes the next untaken slot; a
 * writer thread hands the slots to io->write strictly in input order, each as soon as it and
 * every earlier one are done. Writing never waits on reading, so an interactive reader sees
 * each translation at once. Each sentence is computed by one thread with the same kernels: the
 * results are the same bytes for any number of workers. With one worker, or when no thread can
 * be started, everything runs on the calling thread: read, translate, write, in turn. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "translator.h"

#define SLOTS_PER_WORKER 4

typedef struct {
    char *buf; /* the sentence, copied (NUL-terminated after len bytes) */
    size_t cap, len;
    int oom;        /* the copy could not be made: the result is that error */
    char note[256]; /* the reader's warning about it, or "" */
    int done;       /* translated: the writer may hand it on */
    AnuvadResult r;
} Slot;

/* Everything below `lock` is guarded by it. A slot belongs to the reader until n_read passes
 * it, then to the worker that took it, then (done) to the writer until n_written passes it. */
typedef struct {
    const AnuvadOptions *opt;
    const AnuvadStream *io;
    SourceKind kind;
    Slot *slots;
    long n_slots;
    pthread_mutex_t lock;
    pthread_cond_t can_read, can_take, can_write;
    long n_read, n_taken, n_written;
    int eof;  /* the reader has no more sentences */
    int stop; /* write asked to stop (or the threads failed): everyone stops */
} Batch;

typedef struct {
    Batch *b;
    AnuvadModel *m;
    pthread_t thread;
} Worker;

/* The next sentence into s. 0 at the end of the input. */
static int read_one(const AnuvadStream *io, Slot *s) {
    const char *text;
    size_t len;
    s->note[0] = 0;
    if (io->read(io->user, &text, &len, s->note, sizeof s->note) <= 0) return 0;
    s->oom = 0;
    if (len + 1 > s->cap) {
        char *p = len < (size_t)-1 ? realloc(s->buf, len + 1) : NULL;
        if (!p) return s->oom = 1;
        s->buf = p;
        s->cap = len + 1;
    }
    memcpy(s->buf, text, len);
    s->buf[len] = 0;
    s->len = len;
    return 1;
}

static void translate(AnuvadModel *m, Slot *s, SourceKind kind, const AnuvadOptions *o) {
    if (s->oom) result_fail(&s->r, ANUVAD_ERR_NOMEM, "out of memory");
    else translator_run(m, s->buf, s->len, kind, s->note, o, &s->r);
}

static void *work(void *arg) {
    Worker *w = arg;
    Batch *b = w->b;
    for (;;) {
        pthread_mutex_lock(&b->lock);
        while (b->n_taken == b->n_read && !b->eof && !b->stop)
            pthread_cond_wait(&b->can_take, &b->lock);
        if (b->stop || b->n_taken == b->n_read) {
            pthread_mutex_unlock(&b->lock);
            return NULL;
        }
        Slot *s = &b->slots[b->n_taken++ % b->n_slots];
        pthread_mutex_unlock(&b->lock);
        translate(w->m, s, b->kind, b->opt);
        pthread_mutex_lock(&b->lock);
        s->done = 1;
        pthread_cond_signal(&b->can_write);
        pthread_mutex_unlock(&b->lock);
    }
}

static void *write_out(void *arg) {
    Batch *b = arg;
    pthread_mutex_lock(&b->lock);
    for (;;) {
        Slot *s = &b->slots[b->n_written % b->n_slots];
        while (!(b->n_written < b->n_read && s->done) && !(b->eof && b->n_written == b->n_read) &&
               !b->stop)
            pthread_cond_wait(&b->can_write, &b->lock);
        if (b->stop || b->n_written == b->n_read) break; /* stopped, or eof and all written */
        pthread_mutex_unlock(&b->lock);
        int stop = b->io->write(b->io->user, b->n_written, &s->r);
        anuvad_result_free(&s->r);
        pthread_mutex_lock(&b->lock);
        s->done = 0;
        b->n_written++;
        if (stop) {
            b->stop = 1;
            pthread_cond_broadcast(&b->can_take);
            pthread_cond_signal(&b->can_read);
            break;
        }
        pthread_cond_signal(&b->can_read);
    }
    pthread_mutex_unlock(&b->lock);
    return NULL;
}

static void read_all(Batch *b) {
    for (;;) {
        pthread_mutex_lock(&b->lock);
        while (b->n_read - b->n_written >= b->n_slots && !b->stop)
            pthread_cond_wait(&b->can_read, &b->lock);
        int stop = b->stop;
        pthread_mutex_unlock(&b->lock);
        if (stop) return;
        int got = read_one(b->io, &b->slots[b->n_read % b->n_slots]); /* only we move n_read */
        pthread_mutex_lock(&b->lock);
        if (got) {
            b->n_read++;
            pthread_cond_signal(&b->can_take);
        } else {
            b->eof = 1;
            pthread_cond_broadcast(&b->can_take);
            pthread_cond_signal(&b->can_write);
        }
        pthread_mutex_unlock(&b->lock);
        if (!got) return;
    }
}

/* The one warning when fewer workers run than were asked for (0: the calling thread alone). */
static void warn_fewer(const AnuvadStream *io, int started, int n, const char *why) {
    if (!io->warn) return;
    char msg[400];
    snprintf(msg, sizeof msg, "%d of %d translation threads started (%s); going on with %d",
             started, n, why, started ? started : 1);
    io->warn(io->user, msg);
}

/* Workers: m and up to n - 1 clones of it; fewer if a clone or a thread cannot be made (the
 * stream still runs, more slowly, with one warning). Returns how many started. */
static int start_workers(Batch *b, AnuvadModel *m, Worker *w, int n) {
    int started = 0;
    char err[256] = "";
    for (int i = 0; i < n; i++) {
        w[i].b = b;
        w[i].m = i == 0 ? m : anuvad_clone(m, 1, NULL, err, sizeof err);
        if (!w[i].m) break;
        int rc = pthread_create(&w[i].thread, NULL, work, &w[i]);
        if (rc) {
            snprintf(err, sizeof err, "cannot create a thread: %s", strerror(rc));
            if (i) anuvad_free(w[i].m);
            break;
        }
        started++;
    }
    if (started < n) warn_fewer(b->io, started, n, err);
    return started;
}

static void stop_workers(Batch *b, Worker *w, int started) {
    pthread_mutex_lock(&b->lock);
    b->stop = 1;
    pthread_cond_broadcast(&b->can_take);
    pthread_mutex_unlock(&b->lock);
    for (int i = 0; i < started; i++) {
        pthread_join(w[i].thread, NULL);
        if (i) anuvad_free(w[i].m);
    }
}

/* One sentence after another on the calling thread. */
static int run_inline(AnuvadModel *m, const AnuvadOptions *o, const AnuvadStream *io,
                      SourceKind kind) {
    Slot s = {0};
    int rc = ANUVAD_OK;
    for (long i = 0; rc == ANUVAD_OK && read_one(io, &s); i++) {
        translate(m, &s, kind, o);
        if (io->write(io->user, i, &s.r)) rc = ANUVAD_ERR_STOPPED;
        anuvad_result_free(&s.r);
    }
    free(s.buf);
    return rc;
}

/* The threaded stream; 1 when not one worker could be started (nothing was read then). */
static int run_threads(AnuvadModel *m, const AnuvadOptions *o, const AnuvadStream *io,
                       SourceKind kind, int workers) {
    Batch b = {.opt = o, .io = io, .kind = kind, .n_slots = (long)workers * SLOTS_PER_WORKER};
    b.slots = calloc((size_t)b.n_slots, sizeof *b.slots);
    Worker *w = calloc((size_t)workers, sizeof *w);
    pthread_t writer;
    pthread_mutex_init(&b.lock, NULL);
    pthread_cond_init(&b.can_read, NULL);
    pthread_cond_init(&b.can_take, NULL);
    pthread_cond_init(&b.can_write, NULL);
    /* The writer first: it is needed whatever happens, while the workers can make do with
     * fewer when they have taken the address space (ulimit -v) or the thread limit. */
    int made = b.slots && w, rc = made ? pthread_create(&writer, NULL, write_out, &b) : 0;
    int writing = made && !rc;
    if (!writing) {
        char why[128] = "out of memory";
        if (made) snprintf(why, sizeof why, "cannot create a thread: %s", strerror(rc));
        warn_fewer(io, 0, workers, why);
    }
    int started = writing ? start_workers(&b, m, w, workers) : 0;
    if (started) {
        read_all(&b);
    } else if (writing) { /* not one worker: the writer has nothing to write */
        pthread_mutex_lock(&b.lock);
        b.stop = 1;
        pthread_cond_signal(&b.can_write);
        pthread_mutex_unlock(&b.lock);
    }
    if (writing) pthread_join(writer, NULL);
    rc = !started ? 1 : b.stop ? ANUVAD_ERR_STOPPED : ANUVAD_OK;
    stop_workers(&b, w, started);
    for (long i = 0; b.slots && i < b.n_slots; i++) {
        free(b.slots[i].buf);
        anuvad_result_free(&b.slots[i].r);
    }
    pthread_cond_destroy(&b.can_read);
    pthread_cond_destroy(&b.can_take);
    pthread_cond_destroy(&b.can_write);
    pthread_mutex_destroy(&b.lock);
    free(b.slots);
    free(w);
    return rc;
}

/* Greedy rows keep no per-token scores (beam search's always do); a step callback, forced
 * tokens or attention go one sentence at a time (or on workers), with the same results. */
int anuvad_options_use_rows(const AnuvadOptions *o) {
    return o->batch_size > 1 && !o->on_step && !o->n_forced && !o->return_attention &&
           (o->beam_size > 1 || !o->return_scores);
}

int translator_stream(AnuvadModel *m, const AnuvadOptions *o, const AnuvadStream *io,
                      SourceKind kind, char *err, size_t errlen) {
    AnuvadOptions def;
    if (!o) anuvad_options_default(&def), o = &def;
    int rc = translator_check(m, o, err, errlen);
    if (rc) return rc;
    if (anuvad_options_use_rows(o) && (rc = translator_run_rows(m, o, io, kind)) <= 0) return rc;
    if (o->workers > 1 && (rc = run_threads(m, o, io, kind, o->workers)) <= 0) return rc;
    return run_inline(m, o, io, kind); /* one worker, or no thread could be started */
}

int anuvad_translate_stream(AnuvadModel *m, const AnuvadOptions *o, const AnuvadStream *io,
                            char *err, size_t errlen) {
    return translator_stream(m, o, io, SOURCE_TEXT, err, errlen);
}

/* The array form over the stream: texts in, results moved out. */
typedef struct {
    AnuvadResult *results; /* first: translator_keep_result's user */
    const char *const *texts;
    int n, next;
} Array;

static int array_read(void *user, const char **text, size_t *len, char *note, size_t n) {
    (void)note, (void)n;
    Array *a = user;
    if (a->next == a->n) return 0;
    *text = a->texts[a->next++];
    *len = strlen(*text);
    return 1;
}

int translator_keep_result(void *user, long index, AnuvadResult *r) {
    AnuvadResult *results = *(AnuvadResult **)user;
    results[index] = *r;
    memset(r, 0, sizeof *r);
    return 0;
}

int anuvad_translate_batch(AnuvadModel *m, const char *const *texts, int n, const AnuvadOptions *o,
                           AnuvadResult *results, char *err, size_t errlen) {
    memset(results, 0, (size_t)(n > 0 ? n : 0) * sizeof *results);
    Array a = {results, texts, n > 0 ? n : 0, 0};
    AnuvadStream io = {array_read, translator_keep_result, NULL, &a};
    return translator_stream(m, o, &io, SOURCE_TEXT, err, errlen);
}
