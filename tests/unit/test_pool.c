/* Thread pool: every index of every job is handled exactly once, for many sizes, grains and
 * thread counts, over thousands of back-to-back jobs (the decoder's pattern). */
#include <check.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "engine/pool.h"

typedef struct {
    atomic_int *hits;
    int grain;
    atomic_int bad;
} Job;

static void mark(void *ctx, int begin, int end) {
    Job *j = ctx;
    if (begin % j->grain || begin >= end) atomic_store(&j->bad, 1);
    for (int i = begin; i < end; i++) atomic_fetch_add(&j->hits[i], 1);
}

START_TEST(each_index_once) {
    static atomic_int hits[5000];
    for (int threads = 1; threads <= 3; threads++) {
        Pool *p = pool_new(threads);
        ck_assert_ptr_nonnull(p);
        ck_assert_int_eq(pool_threads(p), threads);
        for (int round = 0; round < 200; round++) {
            int n = 1 + (round * 7919) % 5000, grain = 1 + round % 32;
            for (int i = 0; i < n; i++) atomic_store(&hits[i], 0);
            Job j = {hits, grain, 0};
            pool_for(p, n, grain, mark, &j);
            ck_assert_int_eq(atomic_load(&j.bad), 0);
            for (int i = 0; i < n; i++)
                ck_assert_msg(atomic_load(&hits[i]) == 1,
                              "threads %d n %d grain %d: index %d hit %d", threads, n, grain, i,
                              atomic_load(&hits[i]));
        }
        pool_free(p);
    }
}
END_TEST

START_TEST(null_pool_and_empty_ranges) {
    static atomic_int hits[10];
    Job j = {hits, 1, 0};
    pool_for(NULL, 10, 1, mark, &j);
    for (int i = 0; i < 10; i++) ck_assert_int_eq(atomic_load(&hits[i]), 1);
    Pool *p = pool_new(2);
    pool_for(p, 0, 1, mark, &j);
    ck_assert_int_eq(atomic_load(&j.bad), 0);
    pool_free(p);
    ck_assert_ptr_null(pool_new(0));
    pool_free(NULL);
}
END_TEST

int main(void) {
    Suite *s = suite_create("pool");
    TCase *tc = tcase_create("pool");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, each_index_once);
    tcase_add_test(tc, null_pool_and_empty_ranges);
    suite_add_tcase(s, tc);
    return check_run(s);
}
