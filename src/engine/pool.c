/* Thread pool with chunks claimed dynamically: the caller and the workers take chunks of the
 * current job from one atomic counter until none are left, and the caller returns when every
 * chunk is finished. A worker that is not scheduled in time (a busy machine) costs nothing:
 * the others take its share. Which thread computes a row does not change the row's value,
 * so results stay independent of the thread count and of timing.
 *
 * Publication is a seqlock: the job sequence number is odd while the caller rewrites the job,
 * and claims carry the job number, so a worker waking late can never run a chunk of a job it
 * did not read consistently. Idle workers spin briefly (the gaps between matrix products in a
 * decoder step are microseconds), then sleep on a condition variable. */
#include "pool.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>

#define SPIN_ROUNDS 20000
#define CHUNKS_PER_THREAD 4

struct Pool {
    int n_threads;
    pthread_t *threads;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    atomic_uint seq;     /* even: job seq/2 is published; odd: being rewritten */
    atomic_ullong claim; /* (seq << 32) | next chunk */
    atomic_int done;     /* chunks finished of the current job */
    atomic_int quit;
    _Atomic(PoolFn) fn;
    _Atomic(void *) ctx;
    atomic_int n, chunk, n_chunks;
    long min_work;
};

/* Take and run chunks of job `s` until none are left. */
static void work(Pool *p, unsigned s) {
    PoolFn fn = atomic_load(&p->fn);
    void *ctx = atomic_load(&p->ctx);
    int n = atomic_load(&p->n), chunk = atomic_load(&p->chunk), chunks = atomic_load(&p->n_chunks);
    if (atomic_load(&p->seq) != s) return; /* rewritten while we read: job s is over */
    for (;;) {
        unsigned long long c = atomic_load(&p->claim);
        unsigned k = (unsigned)(c & 0xffffffffu);
        if ((unsigned)(c >> 32) != s || k >= (unsigned)chunks) return;
        if (!atomic_compare_exchange_weak(&p->claim, &c, c + 1)) continue;
        int begin = (int)k * chunk, end = begin + chunk < n ? begin + chunk : n;
        fn(ctx, begin, end);
        atomic_fetch_add(&p->done, 1);
    }
}

static unsigned wait_job(Pool *p, unsigned seen) {
    for (int i = 0; i < SPIN_ROUNDS; i++) {
        unsigned s = atomic_load(&p->seq);
        if ((s != seen && !(s & 1)) || atomic_load(&p->quit)) return s;
    }
    pthread_mutex_lock(&p->lock);
    unsigned s;
    while (((s = atomic_load(&p->seq)) == seen || (s & 1)) && !atomic_load(&p->quit))
        pthread_cond_wait(&p->wake, &p->lock);
    pthread_mutex_unlock(&p->lock);
    return s;
}

static void *worker(void *arg) {
    Pool *p = arg;
    unsigned seen = 0;
    for (;;) {
        seen = wait_job(p, seen);
        if (atomic_load(&p->quit)) break;
        work(p, seen);
    }
    return NULL;
}

Pool *pool_new(int n_threads) {
    if (n_threads < 1) return NULL;
    Pool *p = calloc(1, sizeof *p);
    if (!p) return errno = ENOMEM, NULL;
    p->n_threads = n_threads;
    p->min_work = POOL_MIN_WORK;
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->wake, NULL);
    p->threads = calloc((size_t)n_threads, sizeof *p->threads);
    if (!p->threads) {
        p->n_threads = 1;
        pool_free(p);
        return errno = ENOMEM, NULL;
    }
    for (int i = 1; i < n_threads; i++) {
        int rc = pthread_create(&p->threads[i], NULL, worker, p);
        if (rc) {
            p->n_threads = i; /* only the started ones are joined */
            pool_free(p);
            return errno = rc, NULL;
        }
    }
    return p;
}

void pool_free(Pool *p) {
    if (!p) return;
    pthread_mutex_lock(&p->lock);
    atomic_store(&p->quit, 1);
    pthread_cond_broadcast(&p->wake);
    pthread_mutex_unlock(&p->lock);
    for (int i = 1; p->threads && i < p->n_threads; i++) pthread_join(p->threads[i], NULL);
    pthread_mutex_destroy(&p->lock);
    pthread_cond_destroy(&p->wake);
    free(p->threads);
    free(p);
}

int pool_threads(const Pool *p) { return p ? p->n_threads : 1; }
long pool_min_work(const Pool *p) { return p ? p->min_work : POOL_MIN_WORK; }
void pool_set_min_work(Pool *p, long work) { p->min_work = work; }

void pool_for(Pool *p, int n, int grain, PoolFn fn, void *ctx) {
    if (n <= 0) return;
    if (grain < 1) grain = 1;
    if (!p || p->n_threads == 1 || n <= grain) {
        fn(ctx, 0, n);
        return;
    }
    /* A few chunks per thread, each a multiple of grain. */
    int want = p->n_threads * CHUNKS_PER_THREAD;
    int chunk = (n + want - 1) / want;
    chunk = (chunk + grain - 1) / grain * grain;
    int chunks = (n + chunk - 1) / chunk;
    unsigned s = atomic_load(&p->seq);
    atomic_store(&p->seq, s + 1); /* odd: job being rewritten */
    atomic_store(&p->fn, fn);
    atomic_store(&p->ctx, ctx);
    atomic_store(&p->n, n);
    atomic_store(&p->chunk, chunk);
    atomic_store(&p->n_chunks, chunks);
    atomic_store(&p->done, 0);
    atomic_store(&p->claim, (unsigned long long)(s + 2) << 32);
    pthread_mutex_lock(&p->lock);
    atomic_store(&p->seq, s + 2); /* even: published */
    pthread_cond_broadcast(&p->wake);
    pthread_mutex_unlock(&p->lock);
    work(p, s + 2);
    for (int spins = 0; atomic_load(&p->done) < chunks; spins++)
        if (spins > SPIN_ROUNDS) sched_yield();
}
