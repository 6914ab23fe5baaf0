/* Sentence-parallel translation of a batch (stdin lines, or two or more TEXT arguments), as
 * CTranslate2's inter_threads: the model is small, so splitting each matrix product over
 * threads costs more in hand-offs than it saves, while whole sentences on separate threads
 * share nothing but the read-only weights.
 *
 * The main thread reads lines into a ring of slots (a few per worker); each worker, with its
 * own translator (the loaded model or a clone, one thread each), takes the next untaken slot;
 * a writer thread prints the slots strictly in input order, each as soon as it and every
 * earlier one are done, one flushed line at a time, with the line's warnings and errors just
 * before it, as the sequential loop in main.c prints them. Printing never waits on reading,
 * so an interactive user sees each translation at once. Each sentence is computed by one
 * thread with the same kernels: the output is the same bytes for any thread count. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "cli.h"

#define SLOTS_PER_WORKER 4

typedef struct {
    CliLine line;              /* the stdin line (its buffer kept for reuse) */
    const char *text;          /* buf, or the argument */
    long n;                    /* line or argument number, from 1 */
    int blank;                 /* only whitespace: an empty line out, no translation */
    size_t nul_col;            /* column of a NUL byte in the line (1-based); 0 if none */
    int cut;                   /* longer than --max-line-bytes: line.full_len says how long */
    int done;                  /* translated: the writer may print it */
    int rc;
    char *out;
    char err[512];
} Slot;

/* Everything below `lock` is guarded by it. A slot belongs to the reader until n_read passes
 * it, then to the worker that took it, then (done) to the writer until n_written passes it. */
typedef struct {
    const CliOptions *o;
    const AnuvadOptions *opt;
    Slot *slots;
    long n_slots;
    pthread_mutex_t lock;
    pthread_cond_t can_read, can_take, can_write;
    long n_read, n_taken, n_written;
    int eof;                   /* the reader has no more lines */
    int read_errno;            /* why, when it was a read error (else 0) */
    int gone;                  /* stdout failed (its errno): everyone stops */
    int failed;
} Batch;

typedef struct {
    Batch *b;
    AnuvadModel *m;
    pthread_t thread;
} Worker;

static void *work(void *arg) {
    Worker *w = arg;
    Batch *b = w->b;
    for (;;) {
        pthread_mutex_lock(&b->lock);
        while (b->n_taken == b->n_read && !b->eof && !b->gone)
            pthread_cond_wait(&b->can_take, &b->lock);
        if (b->gone || b->n_taken == b->n_read) {
            pthread_mutex_unlock(&b->lock);
            return NULL;
        }
        Slot *s = &b->slots[b->n_taken++ % b->n_slots];
        pthread_mutex_unlock(&b->lock);
        s->rc = 0;
        s->err[0] = 0;
        s->out = NULL;
        if (!s->blank)
            s->rc = anuvad_translate(w->m, s->text, b->opt, NULL, NULL, &s->out, s->err,
                                     sizeof s->err);
        pthread_mutex_lock(&b->lock);
        s->done = 1;
        pthread_cond_signal(&b->can_write);
        pthread_mutex_unlock(&b->lock);
    }
}

/* The messages the sequential loop gives for this line, then the line. 0 or stdout's errno. */
static int print_slot(Batch *b, Slot *s) {
    char where[32];
    snprintf(where, sizeof where, "%s %ld", b->o->n_texts ? "argument" : "line", s->n);
    if (s->cut) cli_warn_cut(b->o, where, &s->line);
    if (s->nul_col)
        cli_warn(b->o, "%s: NUL byte at column %zu: the rest of the line is ignored", where,
                 s->nul_col);
    if (s->rc) {
        cli_error("%s: %s", where, s->err);   /* an error, not a warning: -q keeps it */
        b->failed++;
    } else if (s->err[0]) {
        cli_warn(b->o, "%s: %s", where, s->err);
    }
    int gone = cli_emit(s->rc || !s->out ? "" : s->out);
    free(s->out);
    s->out = NULL;
    return gone;
}

static void *write_out(void *arg) {
    Batch *b = arg;
    pthread_mutex_lock(&b->lock);
    for (;;) {
        Slot *s = &b->slots[b->n_written % b->n_slots];
        while (!(b->n_written < b->n_read && s->done) && !(b->eof && b->n_written == b->n_read))
            pthread_cond_wait(&b->can_write, &b->lock);
        if (b->n_written == b->n_read) break;   /* eof, all printed */
        pthread_mutex_unlock(&b->lock);
        int gone = print_slot(b, s);
        pthread_mutex_lock(&b->lock);
        s->done = 0;
        b->n_written++;
        if (gone) {
            b->gone = gone;
            pthread_cond_broadcast(&b->can_take);
            pthread_cond_signal(&b->can_read);
            break;
        }
        pthread_cond_signal(&b->can_read);
    }
    pthread_mutex_unlock(&b->lock);
    return NULL;
}

/* The next line into s, without its line ending. 1, 0 at the end of the input, -1 on a read
 * error (errno). */
static int read_line(Batch *b, Slot *s, long n) {
    const CliOptions *o = b->o;
    s->n = n;
    s->nul_col = 0;
    s->cut = 0;
    if (o->n_texts) {
        if (n > o->n_texts) return 0;
        s->text = o->texts[n - 1];
        s->blank = !s->text[strspn(s->text, " \t\f\v")];
        return 1;
    }
    int got = cli_read_line(stdin, &s->line, cli_max_line(o));
    if (got <= 0) return got;
    const char *t = s->line.buf;
    s->text = t;
    s->cut = s->line.full_len > cli_max_line(o);
    s->blank = strspn(t, " \t\f\v") == s->line.len;
    if (!s->blank && memchr(t, 0, s->line.len))   /* the API takes C strings */
        s->nul_col = strlen(t) + 1;
    return 1;
}

static void read_all(Batch *b) {
    for (long n = 1;; n++) {
        pthread_mutex_lock(&b->lock);
        while (b->n_read - b->n_written >= b->n_slots && !b->gone)
            pthread_cond_wait(&b->can_read, &b->lock);
        int stop = b->gone != 0;
        pthread_mutex_unlock(&b->lock);
        if (stop) return;
        int got = read_line(b, &b->slots[b->n_read % b->n_slots], n);   /* only we move n_read */
        pthread_mutex_lock(&b->lock);
        if (got > 0) {
            b->n_read++;
            pthread_cond_signal(&b->can_take);
        } else {
            if (got < 0) b->read_errno = errno ? errno : EIO;
            b->eof = 1;
            pthread_cond_broadcast(&b->can_take);
            pthread_cond_signal(&b->can_write);
        }
        pthread_mutex_unlock(&b->lock);
        if (got <= 0) return;
    }
}

/* Workers: m and up to n - 1 clones of it; fewer if a clone or a thread cannot be made (the
 * batch still runs, more slowly, with one warning). Returns how many started. */
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
    if (started && started < n)
        cli_warn(b->o, "%d of %d translation threads started (%s); going on with %d", started,
                 n, err, started);
    return started;
}

int cli_translate_batch(AnuvadModel *m, const AnuvadOptions *opt, const CliOptions *o,
                        int workers, int *failed) {
    Batch b = {.o = o, .opt = opt, .n_slots = (long)workers * SLOTS_PER_WORKER};
    b.slots = calloc((size_t)b.n_slots, sizeof *b.slots);
    Worker *w = calloc((size_t)workers, sizeof *w);
    pthread_t writer;
    pthread_mutex_init(&b.lock, NULL);
    pthread_cond_init(&b.can_read, NULL);
    pthread_cond_init(&b.can_take, NULL);
    pthread_cond_init(&b.can_write, NULL);
    /* The writer first: it is needed whatever happens, while the workers can make do with
     * fewer when they have taken the address space (ulimit -v) or the thread limit. */
    int writing = b.slots && w && !pthread_create(&writer, NULL, write_out, &b);
    int started = writing ? start_workers(&b, m, w, workers) : 0;
    if (started) {
        read_all(&b);
        pthread_join(writer, NULL);
        if (b.read_errno && !b.gone) {
            cli_error("line %ld: cannot read the input: %s", b.n_read + 1,
                      strerror(b.read_errno));
            b.failed++;
        }
    } else {
        cli_error("cannot start the translation threads");
        b.failed++;
        pthread_mutex_lock(&b.lock);
        b.eof = 1;     /* the writer has nothing to print */
        b.gone = -1;   /* not an errno: only stops the workers */
        pthread_cond_broadcast(&b.can_take);
        pthread_cond_signal(&b.can_write);
        pthread_mutex_unlock(&b.lock);
        if (writing) pthread_join(writer, NULL);
    }
    for (int i = 0; i < started; i++) {
        pthread_join(w[i].thread, NULL);
        if (i) anuvad_free(w[i].m);
    }
    for (long i = 0; b.slots && i < b.n_slots; i++) {
        cli_line_free(&b.slots[i].line);
        free(b.slots[i].out);
    }
    pthread_cond_destroy(&b.can_read);
    pthread_cond_destroy(&b.can_take);
    pthread_cond_destroy(&b.can_write);
    pthread_mutex_destroy(&b.lock);
    free(b.slots);
    free(w);
    *failed += b.failed;
    return b.gone > 0 ? b.gone : 0;
}
