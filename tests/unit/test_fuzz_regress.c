/* Fuzz regressions: every input under tests/fuzz/regress/<target>/ (inputs that once crashed
 * or hung a fuzz target, kept after the fix) is replayed through that target's own code,
 * included here with its entry point renamed, so `make test` (and the sanitizer build in CI)
 * runs exactly what the fuzzer ran. A crash fails the test; so does an empty directory. */
#define LLVMFuzzerTestOneInput fuzz_model_one
#include "../fuzz/fuzz_model.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_spm_load_one
#include "../fuzz/fuzz_spm_load.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_spm_text_one
#define LLVMFuzzerInitialize fuzz_spm_text_init
#include "../fuzz/fuzz_spm_text.c"
#undef LLVMFuzzerTestOneInput
#undef LLVMFuzzerInitialize

#include <check.h>
#include <dirent.h>
#include <string.h>

#include "check_run.h"

static int replay_file(const char *path, int (*one)(const uint8_t *, size_t)) {
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    size_t cap = 1 << 16, n = 0;
    uint8_t *buf = malloc(cap);
    for (size_t got; buf && (got = fread(buf + n, 1, cap - n, f)) > 0;) {
        n += got;
        if (n == cap) buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    ck_assert_ptr_nonnull(buf);
    /* An exact-size copy, so ASan sees a read one past the input as the fuzzer would. */
    uint8_t *exact = malloc(n ? n : 1);
    memcpy(exact, buf, n);
    free(buf);
    one(exact, n);
    free(exact);
    return 1;
}

static int replay_dir(const char *target, int (*one)(const uint8_t *, size_t)) {
    char dir[256], path[512];
    snprintf(dir, sizeof dir, "tests/fuzz/regress/%s", target);
    DIR *d = opendir(dir);
    ck_assert_msg(d != NULL, "cannot open %s (run from the repository root)", dir);
    int n = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.') continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        n += replay_file(path, one);
    }
    closedir(d);
    return n;
}

START_TEST(model_inputs) { ck_assert_int_gt(replay_dir("fuzz_model", fuzz_model_one), 0); }
END_TEST

START_TEST(spm_load_inputs) { ck_assert_int_gt(replay_dir("fuzz_spm_load", fuzz_spm_load_one), 0); }
END_TEST

START_TEST(spm_text_inputs) {
    fuzz_spm_text_init(NULL, NULL);
    ck_assert_int_gt(replay_dir("fuzz_spm_text", fuzz_spm_text_one), 0);
    for (int i = 0; i < N_MODELS; i++) spm_free(models[i]);
}
END_TEST

int main(void) {
    Suite *s = suite_create("fuzz_regress");
    TCase *tc = tcase_create("replay");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, model_inputs);
    tcase_add_test(tc, spm_load_inputs);
    tcase_add_test(tc, spm_text_inputs);
    suite_add_tcase(s, tc);
    return check_run(s);
}
