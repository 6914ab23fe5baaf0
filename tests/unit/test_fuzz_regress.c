/* Fuzz regressions: every input under tests/fuzz/regress/<target>/ (inputs that once crashed
 * or hung a fuzz target, kept after the fix) and under tests/fuzz/corpus/<target>/ (the
 * committed, minimised corpus) is replayed through that target's own code, included here with
 * its entry point renamed, so `make test` (and the sanitizer build in CI) runs exactly what the
 * fuzzer ran. A crash or a failed check (abort) fails the test; so does a target with no
 * input at all. */
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
#define LLVMFuzzerTestOneInput fuzz_beam_one
#define LLVMFuzzerInitialize fuzz_beam_init
#include "../fuzz/fuzz_beam.c"
#undef LLVMFuzzerTestOneInput
#undef LLVMFuzzerInitialize
#define LLVMFuzzerTestOneInput fuzz_score_one
#define LLVMFuzzerInitialize fuzz_score_init
#include "../fuzz/fuzz_score.c"
#undef LLVMFuzzerTestOneInput
#undef LLVMFuzzerInitialize
#define LLVMFuzzerTestOneInput fuzz_hf_model_one
#define LLVMFuzzerCustomMutator fuzz_hf_model_mutate
#define LLVMFuzzerMutate fuzz_hf_model_libfuzzer_mutate /* only the mutator calls it */
#include "../fuzz/fuzz_hf_model.c"
#undef LLVMFuzzerTestOneInput
#undef LLVMFuzzerCustomMutator
#undef LLVMFuzzerMutate

#include <check.h>
#include <dirent.h>
#include <string.h>

#include "check_run.h"

/* The hf target's mutator is not run here; its call to libFuzzer's mutator needs a body. */
size_t fuzz_hf_model_libfuzzer_mutate(uint8_t *data, size_t size, size_t max_size) {
    (void)data, (void)max_size;
    return size;
}

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

static int replay_dir(const char *base, const char *target, int (*one)(const uint8_t *, size_t)) {
    char dir[256], path[512];
    snprintf(dir, sizeof dir, "tests/fuzz/%s/%s", base, target);
    DIR *d = opendir(dir);
    if (!d) return 0;
    int n = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.') continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        n += replay_file(path, one);
    }
    closedir(d);
    return n;
}

/* Both directories of a target; how many inputs they held. */
static int replay(const char *target, int (*one)(const uint8_t *, size_t)) {
    ck_assert_msg(access("tests/fuzz", F_OK) == 0, "run from the repository root");
    return replay_dir("regress", target, one) + replay_dir("corpus", target, one);
}

START_TEST(model_inputs) { ck_assert_int_gt(replay("fuzz_model", fuzz_model_one), 0); }
END_TEST

START_TEST(spm_load_inputs) { ck_assert_int_gt(replay("fuzz_spm_load", fuzz_spm_load_one), 0); }
END_TEST

START_TEST(spm_text_inputs) {
    fuzz_spm_text_init(NULL, NULL);
    ck_assert_int_gt(replay("fuzz_spm_text", fuzz_spm_text_one), 0);
    for (int i = 0; i < N_MODELS; i++) spm_free(models[i]);
}
END_TEST

/* Both load the same committed models (fuzz_load_good). */
START_TEST(beam_and_score_inputs) {
    fuzz_beam_init(NULL, NULL);
    fuzz_score_init(NULL, NULL);
    ck_assert_int_gt(replay("fuzz_beam", fuzz_beam_one), 0);
    ck_assert_int_gt(replay("fuzz_score", fuzz_score_one), 0);
    for (int i = 0; i < n_beam_models; i++)
        anuvad_free(beam_clones[i]), anuvad_free(beam_models[i]);
    for (int i = 0; i < n_score_models; i++) anuvad_free(score_models[i]);
}
END_TEST

/* Its seeds are the converted fixtures themselves, replayed with what the corpus adds. */
START_TEST(hf_model_inputs) {
    static const char *const seeds[] = {"tests/fixtures/hf/tiny_gelu_untied.gguf",
                                        "tests/fixtures/hf/tiny_separate_relu.gguf",
                                        "tests/fixtures/hf/tiny_swish.gguf"};
    for (int i = 0; i < 3; i++) replay_file(seeds[i], fuzz_hf_model_one);
    replay("fuzz_hf_model", fuzz_hf_model_one);
}
END_TEST

int main(void) {
    Suite *s = suite_create("fuzz_regress");
    TCase *tc = tcase_create("replay");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, model_inputs);
    tcase_add_test(tc, spm_load_inputs);
    tcase_add_test(tc, spm_text_inputs);
    tcase_add_test(tc, beam_and_score_inputs);
    tcase_add_test(tc, hf_model_inputs);
    suite_add_tcase(s, tc);
    return check_run(s);
}
