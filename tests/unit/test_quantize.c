/* anuvad_quantize against scripts/gguf_writer.py's Q8_0: the F32 fixture quantized here has
 * the same tensors, byte for byte, as the Q8_0 fixture the Python writer made from the same
 * weights (fixtures_engine.py), and loads as a model; bad paths give one-line errors. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "anuvad.h"
#include "check_run.h"
#include "engine/model.h"

#define DIR "tests/fixtures/engine/"

START_TEST(same_as_python_writer) {
    char out[] = "/tmp/anuvad_q8_XXXXXX", err[512];
    int fd = mkstemp(out);
    ck_assert_int_ge(fd, 0);
    close(fd);
    ck_assert_msg(anuvad_quantize(DIR "q8_post_gelu_sin_f32.gguf", out, err, sizeof err) == 0, "%s",
                  err);
    Gguf mine, py;
    ck_assert_msg(gguf_open(&mine, out, err, sizeof err) == 0, "%s", err);
    ck_assert_msg(gguf_open(&py, DIR "q8_post_gelu_sin_q8_0.gguf", err, sizeof err) == 0, "%s",
                  err);
    ck_assert_uint_eq(mine.n_tensors, py.n_tensors);
    int q8 = 0;
    for (uint64_t i = 0; i < py.n_tensors; i++) {
        const GgufTensor *a = &mine.tensors[i], *b = &py.tensors[i];
        ck_assert_str_eq(a->name, b->name);
        ck_assert_msg(a->type == b->type, "%s: type %u, python %u", a->name, a->type, b->type);
        ck_assert_uint_eq(a->n_bytes, b->n_bytes);
        ck_assert_msg(!memcmp(a->data, b->data, (size_t)a->n_bytes), "%s: bytes differ", a->name);
        q8 += a->type == GGML_Q8_0;
    }
    ck_assert_int_gt(q8, 10);
    gguf_close(&mine);
    gguf_close(&py);
    Model m; /* the fixture's tokenizers are empty: bind the model only */
    ck_assert_msg(model_load(&m, out, err, sizeof err) == 0, "%s", err);
    ck_assert_int_eq(m.q8_tensors, q8);
    model_free(&m);
    unlink(out);
}
END_TEST

START_TEST(bad_paths) {
    char err[512];
    ck_assert_int_eq(anuvad_quantize("/nonexistent/m.gguf", "/tmp/x.gguf", err, sizeof err),
                     ANUVAD_ERR_IO);
    ck_assert_ptr_nonnull(strstr(err, "/nonexistent/m.gguf"));
    ck_assert_int_eq(anuvad_quantize(DIR "q8_post_gelu_sin_f32.gguf", "/nonexistent/dir/out.gguf",
                                     err, sizeof err),
                     ANUVAD_ERR_IO);
    ck_assert_ptr_nonnull(strstr(err, "cannot write /nonexistent/dir/out.gguf"));
}
END_TEST

int main(void) {
    Suite *s = suite_create("quantize");
    TCase *tc = tcase_create("quantize");
    tcase_add_test(tc, same_as_python_writer);
    tcase_add_test(tc, bad_paths);
    suite_add_tcase(s, tc);
    return check_run(s);
}
