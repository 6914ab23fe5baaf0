/* A small fixed thread pool for data-parallel loops. pool_for splits [0, n) into one
 * contiguous chunk per thread, always the same chunks for the same n and thread count, and
 * each index is handled by exactly one thread: results never depend on timing. */
#ifndef ANUVAD_POOL_H
#define ANUVAD_POOL_H

typedef struct Pool Pool;
typedef void (*PoolFn)(void *ctx, int begin, int end);

/* n_threads >= 1 (the caller counts as one). NULL on failure, with errno ENOMEM or why a
 * thread could not be created (pthread_create's code: EAGAIN at the thread limit). */
Pool *pool_new(int n_threads);
void pool_free(Pool *p);
int pool_threads(const Pool *p);
/* Jobs smaller than this many multiply-adds (the caller's measure) run on the calling thread:
 * a hand-off costs a few microseconds. Default POOL_MIN_WORK; tests set 0 to split all. */
#define POOL_MIN_WORK (1L << 17)
long pool_min_work(const Pool *p);
void pool_set_min_work(Pool *p, long work);
/* Run fn over [0, n) split across the threads; returns when all are done. Chunk boundaries
 * are multiples of `grain` (except the end) so work stays cache-line sized. */
void pool_for(Pool *p, int n, int grain, PoolFn fn, void *ctx);

#endif
