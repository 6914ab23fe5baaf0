/* The end of every unit test's main: run the suite, exit status 1 if any test failed. */
#ifndef ANUVAD_CHECK_RUN_H
#define ANUVAD_CHECK_RUN_H

#include <check.h>

static inline int check_run(Suite *s) {
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}

#endif
