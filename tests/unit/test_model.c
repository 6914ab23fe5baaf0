/* Model binding: a fixture model loads with the right config and vocabulary; each patched
 * variant (missing, unexpected, mis-shaped, mistyped tensor; bad keys) is refused with an
 * error naming the culprit. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anuvad.h"
#include "check_run.h"
#include "engine/model.h"

#define FIX "tests/fixtures/engine/post_relu_sin_f32.gguf"
#define FIX_UNTIED "tests/fixtures/engine/pre_relu_learned_f32.gguf"
#define FIX_SEPARATE "tests/fixtures/hf/tiny_separate_relu.gguf" /* 250 + 300 pieces */

static uint8_t *file;
static size_t file_len;

static void load_file(const char *path) {
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    file_len = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    file = malloc(file_len);
    ck_assert(fread(file, 1, file_len, f) == file_len);
    fclose(f);
}

/* Position of the length-prefixed string `s` (a key or a tensor name) in the file: the byte
 * after it. */
static size_t after(const char *s) {
    size_t n = strlen(s);
    for (size_t i = 8; i + n <= file_len; i++)
        if (memcmp(file + i, s, n) == 0 && memcmp(file + i - 8, &(uint64_t){n}, 8) == 0)
            return i + n;
    ck_abort_msg("%s not in the file", s);
    return 0;
}

static int bind_patched(char *err, size_t errlen) {
    Gguf g;
    Model m;
    int rc = gguf_open_memory(&g, file, file_len, err, errlen);
    if (rc) return rc;
    rc = model_bind(&m, &g, err, errlen);
    if (!rc) model_free(&m);
    return rc;
}

static void expect(const char *want) {
    char err[512] = "";
    ck_assert_int_eq(bind_patched(err, sizeof err), ANUVAD_ERR_FORMAT);
    ck_assert_msg(strstr(err, want), "want \"%s\" in \"%s\"", want, err);
}

static void put32(size_t at, uint32_t v) { memcpy(file + at, &v, 4); }

typedef struct {
    const char *key;
    uint32_t value;
    const char *want;
} KeyCase;

/* Each case: `path` with one u32 key set to a bad value must fail with `want`. */
static void expect_key_cases(const char *path, const KeyCase *cases, size_t n) {
    for (size_t i = 0; i < n; i++) {
        load_file(path);
        put32(after(cases[i].key) + 4, cases[i].value);
        expect(cases[i].want);
        free(file);
    }
}

START_TEST(fixture_binds) {
    Model m;
    char err[512];
    ck_assert_msg(model_load(&m, FIX, err, sizeof err) == 0, "%s", err);
    ck_assert_int_eq(m.c.d_model, 16);
    ck_assert_int_eq(m.c.heads, 2);
    ck_assert_int_eq(m.c.enc_layers, 2);
    ck_assert_int_eq(m.c.pre_norm, 0);
    ck_assert_int_eq(m.c.activation, ACT_RELU);
    ck_assert_int_eq(m.c.pad, 2);
    ck_assert(m.w.lm_head.data == m.w.embed.data && m.w.logits_bias != NULL);
    ck_assert_int_eq(vocab_id(&m.vocab, "<pad>", 5), 2);
    ck_assert_int_eq(vocab_id(&m.vocab, "▁w31", strlen("▁w31")), 31);
    ck_assert_int_eq(vocab_id(&m.vocab, "▁w3", strlen("▁w3")), 3);
    ck_assert_int_eq(vocab_id(&m.vocab, "▁w", strlen("▁w")), -1);
    ck_assert_str_eq(m.vocab.piece[0], "</s>");
    ck_assert(m.n_params > 10000);
    model_free(&m);
    ck_assert_int_eq(model_load(&m, FIX_UNTIED, err, sizeof err), 0);
    ck_assert(m.w.lm_head.data != m.w.embed.data && m.c.learned_positions && m.c.pre_norm);
    model_free(&m);
}
END_TEST

START_TEST(missing_tensor) {
    load_file(FIX);
    file[after("encoder.layers.1.fc2.bias") - 1] = 'X';
    expect("missing tensor encoder.layers.1.fc2.bias");
    free(file);
}
END_TEST

START_TEST(unexpected_tensor) {
    load_file(FIX); /* final_logits_bias is optional: renamed, it becomes an extra */
    file[after("final_logits_bias") - 1] = 'X';
    expect("unexpected tensor final_logits_biaX");
    free(file);
}
END_TEST

START_TEST(wrong_shape) {
    load_file(FIX);
    size_t at = after("decoder.layers.0.fc1.weight"); /* n_dims, dims [16, 32] */
    uint64_t d0 = 32, d1 = 16;
    memcpy(file + at + 4, &d0, 8);
    memcpy(file + at + 12, &d1, 8);
    expect("tensor decoder.layers.0.fc1.weight has shape [16, 32], want [32, 16]");
    free(file);
}
END_TEST

START_TEST(wrong_type) {
    load_file(FIX);
    put32(after("encoder.layers.0.self_attn_layer_norm.bias") + 4 + 8, 1); /* F16 */
    expect("tensor encoder.layers.0.self_attn_layer_norm.bias has type F16, want F32");
    free(file);
}
END_TEST

START_TEST(bad_keys) {
    static const KeyCase cases[] = {
        {"anuvad.heads", 3, "anuvad.d_model 16 is not a multiple of anuvad.heads 3"},
        {"anuvad.vocab_size", 33, "tokenizer.vocab has 32 pieces, anuvad.vocab_size is 33"},
        {"anuvad.vocab_size", 0, "anuvad.vocab_size = 0 is out of range"},
        {"anuvad.token.eos", 32, "anuvad.token.eos = 32 is out of range [0, 31]"},
        {"anuvad.d_model", 1u << 30, "anuvad.d_model = 1073741824 is out of range"},
        {"anuvad.ffn_dim", 31,
         "tensor encoder.layers.0.fc1.weight has shape [32, 16], want [31, 16]"},
    };
    expect_key_cases(FIX, cases, sizeof cases / sizeof cases[0]);
    load_file(FIX);
    memcpy(file + after("anuvad.norm") + 4 + 8, "pust", 4);
    expect("anuvad.norm = \"pust\" is not supported");
    free(file);
    load_file(FIX);
    memcpy(file + after("general.architecture") + 4 + 8, "llama!", 6);
    expect("general.architecture is \"llama!\", not \"anuvad\"");
    free(file);
    load_file(FIX);
    put32(after("anuvad.heads"), 5); /* u32 -> i32, same size */
    expect("key anuvad.heads has type i32 (want u32)");
    free(file);
}
END_TEST

START_TEST(separate_vocabularies) {
    Model m;
    char err[512];
    ck_assert_msg(model_load(&m, FIX_SEPARATE, err, sizeof err) == 0, "%s", err);
    ck_assert_int_eq(m.c.vocab_size, 250);
    ck_assert_int_eq(m.c.tgt_vocab_size, 300);
    ck_assert(!m.c.shared_embeddings && m.c.marian_text && m.c.forced_eos);
    ck_assert(model_tgt_vocab(&m) == &m.tgt_vocab && m.w.dec_embed.data != m.w.embed.data);
    ck_assert(m.w.lm_head.data == m.w.dec_embed.data);
    ck_assert_int_eq(m.w.dec_embed.rows, 300);
    ck_assert_int_eq(m.tgt_vocab.n, 300);
    ck_assert_str_eq(m.tgt_vocab.piece[m.c.pad], "<pad>");
    ck_assert_str_eq(m.vocab.piece[m.c.src_eos], "</s>");
    model_free(&m);

    static const KeyCase cases[] = {
        {"anuvad.target_vocab_size", 301,
         "tokenizer.target_vocab has 300 pieces, "
         "anuvad.target_vocab_size is 301"},
        {"anuvad.source_token.eos", 250, "anuvad.source_token.eos = 250 is out of range [0, 249]"},
        {"anuvad.token.pad", 300, "anuvad.token.pad = 300 is out of range [0, 299]"},
        {"anuvad.target_vocab_size", 250, "tokenizer.target_vocab has 300 pieces"},
    };
    expect_key_cases(FIX_SEPARATE, cases, sizeof cases / sizeof cases[0]);
    load_file(FIX_SEPARATE); /* one matrix cannot serve two vocabulary sizes */
    file[after("anuvad.shared_embeddings") + 4] = 1;
    expect("anuvad.target_vocab_size 300 differs from anuvad.vocab_size 250, so "
           "anuvad.shared_embeddings must be false");
    free(file);
    load_file(FIX_SEPARATE); /* a renamed key: the target list alone is not enough */
    memcpy(file + after("anuvad.target_vocab_size") - 4, "sizx", 4);
    expect("tokenizer.target_vocab and anuvad.target_vocab_size come together");
    free(file);
}
END_TEST

START_TEST(load_names_the_file) {
    Model m;
    char err[512];
    ck_assert_int_eq(model_load(&m, "tests/fixtures/engine/nope.gguf", err, sizeof err),
                     ANUVAD_ERR_IO);
    ck_assert_str_eq(err, "tests/fixtures/engine/nope.gguf: No such file or directory");
}
END_TEST

int main(void) {
    Suite *s = suite_create("model");
    TCase *tc = tcase_create("bind");
    tcase_add_test(tc, fixture_binds);
    tcase_add_test(tc, separate_vocabularies);
    tcase_add_test(tc, missing_tensor);
    tcase_add_test(tc, unexpected_tensor);
    tcase_add_test(tc, wrong_shape);
    tcase_add_test(tc, wrong_type);
    tcase_add_test(tc, bad_keys);
    tcase_add_test(tc, load_names_the_file);
    suite_add_tcase(s, tc);
    return check_run(s);
}
