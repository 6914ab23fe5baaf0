/* Thread pool: workers spin briefly on a job counter (the gaps between matrix products
 * within one decoder step are microseconds, shorter than a futex wake-up), then sleep on a
 * condition variable so an idle pool costs nothing. */
#include "pool.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>

#define SPIN_ROUNDS 20000

struct Pool {
    int n_threads;
    pthread_t *threads;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    atomic_uint job;          /* incremented per pool_for; workers run each job once */
    atomic_int pending;       /* workers still busy with the current job */
    atomic_int quit;
    /* The current job, written before `job` is incremented. */
    PoolFn fn;
    void *ctx;
    int n, grain;
};

typedef struct {
    Pool *p;
    int index;
} WorkerArg;

static void run_chunk(Pool *p, int index) {
    int units = (p->n + p->grain - 1) / p->grain;
    long u0 = (long)units * index / p->n_threads, u1 = (long)units * (index + 1) / p->n_threads;
    int begin = (int)(u0 * p->grain), end = (int)(u1 * p->grain);
    if (end > p->n) end = p->n;
    if (begin < end) p->fn(p->ctx, begin, end);
}

static unsigned wait_job(Pool *p, unsigned seen) {
    for (int i = 0; i < SPIN_ROUNDS; i++) {
        unsigned j = atomic_load_explicit(&p->job, memory_order_acquire);
        if (j != seen || atomic_load(&p->quit)) return j;
    }
    pthread_mutex_lock(&p->lock);
    unsigned j;
    while ((j = atomic_load(&p->job)) == seen && !atomic_load(&p->quit))
        pthread_cond_wait(&p->wake, &p->lock);
    pthread_mutex_unlock(&p->lock);
    return j;
}

static void *worker(void *arg) {
    WorkerArg *a = arg;
    Pool *p = a->p;
    unsigned seen = 0;
    for (;;) {
        seen = wait_job(p, seen);
        if (atomic_load(&p->quit)) break;
        run_chunk(p, a->index);
        atomic_fetch_sub_explicit(&p->pending, 1, memory_order_release);
    }
    free(a);
    return NULL;
}

Pool *pool_new(int n_threads) {
    if (n_threads < 1) return NULL;
    Pool *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    p->n_threads = n_threads;
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->wake, NULL);
    p->threads = calloc((size_t)n_threads, sizeof *p->threads);
    if (!p->threads) {
        pool_free(p);
        return NULL;
    }
    for (int i = 1; i < n_threads; i++) {
        WorkerArg *a = malloc(sizeof *a);
        if (!a || (a->p = p, a->index = i, pthread_create(&p->threads[i], NULL, worker, a))) {
            free(a);
            p->n_threads = i;   /* only the started ones are joined */
            pool_free(p);
            return NULL;
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

void pool_for(Pool *p, int n, int grain, PoolFn fn, void *ctx) {
    if (n <= 0) return;
    if (grain < 1) grain = 1;
    if (!p || p->n_threads == 1 || n <= grain) {
        fn(ctx, 0, n);
        return;
    }
    p->fn = fn;
    p->ctx = ctx;
    p->n = n;
    p->grain = grain;
    atomic_store(&p->pending, p->n_threads - 1);
    pthread_mutex_lock(&p->lock);
    atomic_fetch_add_explicit(&p->job, 1, memory_order_release);
    pthread_cond_broadcast(&p->wake);
    pthread_mutex_unlock(&p->lock);
    run_chunk(p, 0);
    for (int spins = 0; atomic_load_explicit(&p->pending, memory_order_acquire) > 0; spins++)
        if (spins > SPIN_ROUNDS) sched_yield();
}
