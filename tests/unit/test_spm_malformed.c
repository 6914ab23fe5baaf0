/* Malformed .model files: every error path of the model parser gives a one-line error and
 * no crash (run under valgrind / ASan too); truncations at many points of the fixture models
 * either fail cleanly or load a shorter, still usable model. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "check_run.h"
#include "spm/spm.h"
#include "spm_fixture.h"
#include "spm_proto.h"

/* A small valid unigram model: <unk>, <s>, </s>, then ▁a, a, b, ab. `extra` is appended. */
static void base_model(Proto *p, const Proto *normalizer) {
    p->n = 0;
    pr_piece(p, "<unk>", 0, 2);
    pr_piece(p, "<s>", 0, 3);
    pr_piece(p, "</s>", 0, 3);
    pr_piece(p,
             "\xe2\x96\x81"
             "a",
             -1, 0);
    pr_piece(p, "a", -2, 1);
    pr_piece(p, "b", -2, 1);
    pr_piece(p, "ab", -3, 1);
    Proto t = {.n = 0};
    pr_uint(&t, 3, 1);
    pr_len(p, 2, t.b, t.n);
    if (normalizer) pr_len(p, 3, normalizer->b, normalizer->n);
}

static int is_ours(void) { return strcmp(spm_backend(), "anuvad") == 0; }

/* Loads p; expects failure with `want` in the message. Under make SPM=1 the library decides:
 * it reads a known field with the wrong wire type as an unknown one, and its messages
 * differ, so there only a failure's "spm:" prefix is checked. */
static void expect_error(const Proto *p, const char *want) {
    char err[256] = "";
    SpmModel *m = spm_load(p->b, p->n, err, sizeof err);
    if (!is_ours()) {
        if (m) spm_free(m);
        else ck_assert_msg(strncmp(err, "spm: ", 5) == 0, "error \"%s\"", err);
        return;
    }
    ck_assert_msg(m == NULL, "loaded, expected error \"%s\"", want);
    ck_assert_msg(strstr(err, want) != NULL, "error \"%s\" lacks \"%s\"", err, want);
    ck_assert_msg(strncmp(err, "spm: ", 5) == 0, "error \"%s\" lacks the spm: prefix", err);
}

static char *encode_join(const SpmModel *m, const char *text, int *rc, char *err, size_t errlen) {
    SpmPieces p;
    static char buf[1024];
    *rc = spm_encode(m, text, strlen(text), &p, err, errlen);
    buf[0] = 0;
    if (*rc == 0) {
        for (int i = 0; i < p.n; i++) {
            strcat(buf, i ? " " : "");
            strcat(buf, p.pieces[i]);
        }
        spm_pieces_free(&p);
    }
    return buf;
}

START_TEST(test_valid_base) {
    Proto p;
    base_model(&p, NULL);
    char err[256];
    SpmModel *m = spm_load(p.b, p.n, err, sizeof err);
    ck_assert_msg(m != NULL, "%s", err);
    int rc;
    ck_assert_str_eq(encode_join(m, "ab b", &rc, err, sizeof err), "\xe2\x96\x81"
                                                                   "a b \xe2\x96\x81 b");
    ck_assert_int_eq(rc, 0);
    spm_free(m);
}
END_TEST

START_TEST(test_unknown_fields_skipped) {
    Proto p;
    base_model(&p, NULL);
    pr_uint(&p, 99, 12345);
    pr_key(&p, 98, 1);
    pr_bytes(&p, "12345678", 8);
    pr_fixed32(&p, 97, 7);
    pr_str(&p, 96, "ignored");
    char err[256];
    SpmModel *m = spm_load(p.b, p.n, err, sizeof err);
    ck_assert_msg(m != NULL, "%s", err);
    spm_free(m);
}
END_TEST

START_TEST(test_framing_errors) {
    Proto p;
    base_model(&p, NULL);
    Proto q = p;
    pr_key(&q, 1, 2);
    pr_varint(&q, 1000); /* length past the end */
    pr_bytes(&q, "xx", 2);
    expect_error(&q, "length past the end");

    q = p;
    pr_uint(&q, 1, 5); /* pieces as a varint */
    expect_error(&q, "wire type 0, expected 2");

    q = p;
    pr_key(&q, 7, 0);
    for (int i = 0; i < 11; i++) q.b[q.n++] = 0xff; /* an 11-byte varint */
    q.b[q.n++] = 0x01;
    expect_error(&q, "varint");

    q = p;
    pr_key(&q, 7, 0);
    for (int i = 0; i < 9; i++) q.b[q.n++] = 0xff;
    q.b[q.n++] = 0x02; /* 10th byte beyond bit 63 */
    expect_error(&q, "64 bits");

    q = p;
    pr_key(&q, 7, 0);
    q.b[q.n++] = 0x80; /* truncated varint */
    expect_error(&q, "truncated varint");

    q = p;
    pr_key(&q, 7, 3); /* start group */
    expect_error(&q, "group");
    q = p;
    pr_key(&q, 7, 4); /* end group */
    expect_error(&q, "group");
    q = p;
    pr_key(&q, 7, 6);
    expect_error(&q, "unknown wire type");

    q = p;
    pr_key(&q, 7, 5);
    q.b[q.n++] = 1; /* fixed32 with one byte */
    expect_error(&q, "truncated fixed");

    q = p;
    q.b[q.n++] = 0x00; /* key 0: field number 0 */
    q.b[q.n++] = 0x00;
    expect_error(&q, "bad field number");
}
END_TEST

START_TEST(test_piece_errors) {
    Proto p = {.n = 0}, m = {.n = 0};
    /* score as a varint inside a piece */
    pr_str(&m, 1, "x");
    pr_uint(&m, 2, 3);
    base_model(&p, NULL);
    pr_len(&p, 1, m.b, m.n);
    expect_error(&p, "wire type 0, expected 5");

    /* a piece message whose string runs past the piece */
    base_model(&p, NULL);
    m.n = 0;
    pr_key(&m, 1, 2);
    pr_varint(&m, 50);
    pr_bytes(&m, "abc", 3);
    pr_len(&p, 1, m.b, m.n);
    expect_error(&p, "length past the end");

    base_model(&p, NULL);
    pr_piece(&p, "", -1, 1);
    expect_error(&p, "empty");

    base_model(&p, NULL);
    pr_piece(&p, "ab", -1, 1);
    expect_error(&p, "already defined");

    base_model(&p, NULL);
    pr_piece(&p, "<unk2>", 0, 2);
    expect_error(&p, "unk is already defined");

    p.n = 0;
    pr_piece(&p, "a", -1, 1);
    expect_error(&p, "unk is not defined");

    p.n = 0;
    expect_error(&p, "no pieces");

    p.n = 0;
    pr_piece(&p, "<unk>", 0, 2);
    pr_piece(&p, "<s>", 0, 3);
    expect_error(&p, "no pieces are loaded");

    base_model(&p, NULL);
    Proto t = {.n = 0};
    pr_uint(&t, 3, 3); /* WORD model */
    pr_len(&p, 2, t.b, t.n);
    expect_error(&p, "not supported");

    base_model(&p, NULL);
    t.n = 0;
    pr_uint(&t, 44, 1); /* unk_surface as a varint */
    pr_len(&p, 2, t.b, t.n);
    expect_error(&p, "trainer_spec field 44");
}
END_TEST

/* A charsmap: uint32 trie size, `n` units, then strings. */
static void charsmap(Proto *norm, const uint32_t *units, size_t n, const char *strs,
                     size_t strs_len) {
    static unsigned char blob[8192];
    size_t k = 0;
    uint32_t size = (uint32_t)(4 * n);
    memcpy(blob, &size, 4);
    k = 4;
    for (size_t i = 0; i < n; i++) {
        memcpy(blob + k, &units[i], 4);
        k += 4;
    }
    memcpy(blob + k, strs, strs_len);
    k += strs_len;
    norm->n = 0;
    pr_str(norm, 1, "test");
    pr_len(norm, 2, blob, k);
}

START_TEST(test_charsmap) {
    static uint32_t u[300];
    Proto norm, p;
    char err[256];
    int rc;
    if (!is_ours())
        return; /* libsentencepiece trusts the trie: corrupt ones are undefined behaviour */
    /* A valid one-rule map 'a' -> "b": root offset 1; unit 1^'a' has label 'a', a leaf and
     * offset 2; the leaf unit at (1^'a')^2 holds value 0 (offset of "b" in the strings). */
    memset(u, 0, sizeof u);
    u[0] = 1u << 10;
    u[1 ^ 'a'] = 'a' | (1u << 8) | (2u << 10);
    u[(1 ^ 'a') ^ 2] = 0x80000000u;
    charsmap(&norm, u, 300, "b\0", 2);
    base_model(&p, &norm);
    SpmModel *m = spm_load(p.b, p.n, err, sizeof err);
    ck_assert_msg(m != NULL, "%s", err);
    ck_assert_str_eq(encode_join(m, "aa", &rc, err, sizeof err), "\xe2\x96\x81 b b");
    spm_free(m);

    /* The leaf's value points past the strings: an encode error, not a read past the end. */
    u[(1 ^ 'a') ^ 2] = 0x80000000u | 5000;
    charsmap(&norm, u, 300, "b\0", 2);
    base_model(&p, &norm);
    m = spm_load(p.b, p.n, err, sizeof err);
    ck_assert_msg(m != NULL, "%s", err);
    encode_join(m, "xa", &rc, err, sizeof err);
    ck_assert_int_eq(rc, -1);
    ck_assert_msg(strstr(err, "out of range") != NULL, "%s", err);
    spm_free(m);

    /* A child offset that leaves the array. */
    u[(1 ^ 'a') ^ 2] = 0x80000000u;
    u[1 ^ 'a'] = 'a' | (1u << 8) | (100000u << 10);
    charsmap(&norm, u, 300, "b\0", 2);
    base_model(&p, &norm);
    m = spm_load(p.b, p.n, err, sizeof err);
    ck_assert_msg(m != NULL, "%s", err);
    encode_join(m, "a", &rc, err, sizeof err);
    ck_assert_int_eq(rc, -1);
    ck_assert_msg(strstr(err, "trie index out of range") != NULL, "%s", err);
    spm_free(m);

    /* Load-time checks. */
    u[0] = 100000u << 10;
    charsmap(&norm, u, 300, "b\0", 2);
    base_model(&p, &norm);
    expect_error(&p, "root points past");

    u[0] = 1u << 10;
    charsmap(&norm, u, 300, "b", 1);
    base_model(&p, &norm);
    expect_error(&p, "not NUL-terminated");

    norm.n = 0;
    pr_len(&norm, 2, "\x01\x00", 2);
    base_model(&p, &norm);
    expect_error(&p, "too short");

    norm.n = 0;
    pr_len(&norm, 2, "\xff\xff\x00\x00xyz\0", 8);
    base_model(&p, &norm);
    expect_error(&p, "exceeds");

    norm.n = 0;
    pr_len(&norm, 2, "\x03\x00\x00\x00xyz\0", 8);
    base_model(&p, &norm);
    expect_error(&p, "multiple of 4");

    norm.n = 0;
    pr_uint(&norm, 2, 7); /* charsmap as a varint */
    base_model(&p, &norm);
    expect_error(&p, "normalizer_spec field 2");
}
END_TEST

/* Truncates a fixture model at many points: a clean error, or a model that encodes. */
static void truncations(const char *name, size_t stride) {
    char path[256];
    size_t len;
    snprintf(path, sizeof path, SPM_FIXTURES "%s.model", name);
    char *data = fx_read(path, &len);
    ck_assert_msg(data != NULL, "cannot read %s", path);
    size_t errors = 0, loaded = 0;
    for (size_t cut = 0; cut < len; cut += (cut < 256 || len - cut < 256) ? 1 : stride) {
        char err[256] = "";
        /* A copy of exactly `cut` bytes, so that ASan/valgrind see any read past it. */
        char *copy = malloc(cut ? cut : 1);
        memcpy(copy, data, cut);
        SpmModel *m = spm_load(copy, cut, err, sizeof err);
        free(copy);
        if (!m) {
            ck_assert_msg(strncmp(err, "spm: ", 5) == 0 && strlen(err) > 5,
                          "cut %zu: bad error \"%s\"", cut, err);
            errors++;
            continue;
        }
        loaded++;
        SpmPieces p;
        const char *text = "The boy reads a book. लड़का किताब पढ़ता है।";
        if (spm_encode(m, text, strlen(text), &p, err, sizeof err) == 0) spm_pieces_free(&p);
        spm_free(m);
    }
    printf("spm truncated %s: %zu clean errors, %zu loadable prefixes\n", name, errors, loaded);
    ck_assert_uint_gt(errors, 100);
    free(data);
}

START_TEST(test_truncated_ident) { truncations("ident", 1); }
END_TEST

START_TEST(test_truncated_unigram) { truncations("unigram", 997); }
END_TEST

int main(void) {
    Suite *s = suite_create("spm_malformed");
    TCase *tc = tcase_create("malformed");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_valid_base);
    tcase_add_test(tc, test_unknown_fields_skipped);
    tcase_add_test(tc, test_framing_errors);
    tcase_add_test(tc, test_piece_errors);
    tcase_add_test(tc, test_charsmap);
    tcase_add_test(tc, test_truncated_ident);
    tcase_add_test(tc, test_truncated_unigram);
    suite_add_tcase(s, tc);
    return check_run(s);
}
