/* The tokenizer against libsentencepiece: for every fixture model and every line of
 * tests/fixtures/spm/lines.txt, pieces and ids must equal the library's EncodeAsPieces /
 * EncodeAsIds, and decoding those pieces must equal its DecodePieces
 * (scripts/fixtures_spm.py wrote the expected values with python3-sentencepiece). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "engine/gguf.h"
#include "spm/spm.h"
#include "spm_fixture.h"

/* The default model's tokenizers are checked from the GGUF itself (not copied). */
#define DEFAULT_GGUF "models/en-hi.gguf"

typedef struct {
    size_t total, pieces_ok, ids_ok, decode_ok;
} Counts;

static void report_diff(const char *name, size_t line, const char *what, const char *want,
                        const char *got, int *shown) {
    if ((*shown)++ < 5)
        fprintf(stderr, "  %s line %zu %s differs:\n    want %s\n    got  %s\n", name, line + 1,
                what, want, got);
}

/* Joins pieces (escaped like the fixture) with spaces, for diagnostics. */
static char *join(const SpmPieces *p) {
    size_t n = 1;
    for (int i = 0; i < p->n; i++) n += 4 * strlen(p->pieces[i]) + 1;
    char *s = malloc(n), *d = s;
    for (int i = 0; i < p->n; i++) {
        if (i) *d++ = ' ';
        for (const unsigned char *c = (const unsigned char *)p->pieces[i]; *c; c++)
            d += (*c <= 0x20 || *c == 0x7f || *c == '\\') ? sprintf(d, "\\x%02x", *c)
                                                          : sprintf(d, "%c", *c);
    }
    *d = 0;
    return s;
}

/* Compares one expected row "ids\tpieces\tdecode" with our output for `line`. */
static void check_row(const SpmModel *m, const char *name, size_t li, const char *line,
                      size_t line_len, char *row, Counts *c, int *shown) {
    char *t1 = strchr(row, '\t');
    ck_assert_msg(t1 != NULL, "%s.expected line %zu: no tab", name, li + 1);
    char *t2 = strchr(t1 + 1, '\t');
    ck_assert_msg(t2 != NULL, "%s.expected line %zu: no second tab", name, li + 1);
    *t1 = *t2 = 0;
    const char *ids_s = row, *pieces_s = t1 + 1, *dec_s = t2 + 1;

    SpmPieces p;
    char err[256];
    ck_assert_msg(spm_encode(m, line, line_len, &p, err, sizeof err) == 0, "%s: %s", name, err);
    c->total++;

    /* ids */
    int ok = 1, k = 0;
    const char *s = ids_s;
    while (*s) {
        char *end;
        long id = strtol(s, &end, 10);
        ck_assert_msg(end != s, "%s.expected line %zu: bad id list", name, li + 1);
        if (k >= p.n || p.ids[k] != id) ok = 0;
        k++;
        s = *end == ' ' ? end + 1 : end;
    }
    if (k != p.n) ok = 0;
    c->ids_ok += ok;

    /* pieces */
    char *want = malloc(strlen(pieces_s) + 1);
    ok = 1;
    k = 0;
    s = pieces_s;
    while (*s) {
        const char *sp = strchr(s, ' ');
        size_t n = sp ? (size_t)(sp - s) : strlen(s);
        size_t wn = fx_unescape(s, n, want);
        if (k >= p.n || strlen(p.pieces[k]) != wn || memcmp(p.pieces[k], want, wn) != 0) ok = 0;
        k++;
        s = sp ? sp + 1 : s + n;
    }
    if (k != p.n) ok = 0;
    c->pieces_ok += ok;
    if (!ok) {
        char *got = join(&p);
        report_diff(name, li, "pieces", pieces_s, got, shown);
        free(got);
    }

    /* decode of our pieces against the library's decode of its pieces */
    char *dec = NULL;
    ck_assert_msg(spm_decode(m, (const char *const *)p.pieces, p.n, &dec, err, sizeof err) == 0,
                  "%s: %s", name, err);
    size_t dn;
    if (strcmp(dec_s, "=") == 0) {
        dn = line_len;
        ok = strlen(dec) == dn && memcmp(dec, line, dn) == 0;
    } else {
        char *wd = malloc(strlen(dec_s) + 1);
        dn = fx_unescape(dec_s, strlen(dec_s), wd);
        ok = strlen(dec) == dn && memcmp(dec, wd, dn) == 0;
        free(wd);
    }
    c->decode_ok += ok;
    if (!ok) report_diff(name, li, "decode", dec_s, dec, shown);
    free(dec);
    free(want);
    spm_pieces_free(&p);
}

static void check_model(const char *name) {
    char path[256];
    size_t lines_len, exp_len, model_len;
    char *lines_buf = fx_read(SPM_FIXTURES "lines.txt", &lines_len);
    ck_assert_msg(lines_buf != NULL, "cannot read lines.txt (run make test from the root)");
    snprintf(path, sizeof path, SPM_FIXTURES "%s.expected", name);
    char *exp_buf = fx_read(path, &exp_len);
    ck_assert_msg(exp_buf != NULL, "cannot read %s", path);
    char err[256];
    SpmModel *m;
    if (strncmp(name, "enhi-", 5) == 0) {
        /* enhi-source / enhi-target: tokenizer.{source,target}.spm of the default model */
        Gguf g;
        const uint8_t *bytes;
        size_t n;
        char key[64];
        snprintf(key, sizeof key, "tokenizer.%s.spm", name + 5);
        ck_assert_msg(gguf_open(&g, DEFAULT_GGUF, err, sizeof err) == 0, "%s", err);
        ck_assert_msg(gguf_get_bytes(&g, key, &bytes, &n, err, sizeof err) == 0, "%s", err);
        m = spm_load(bytes, n, err, sizeof err);
        gguf_close(&g);
    } else {
        snprintf(path, sizeof path, SPM_FIXTURES "%s.model", name);
        char *model = fx_read(path, &model_len);
        ck_assert_msg(model != NULL, "cannot read %s", path);
        m = spm_load(model, model_len, err, sizeof err);
        free(model);
    }
    ck_assert_msg(m != NULL, "%s: %s", name, err);

    char **lines, **rows;
    size_t *lens, *row_lens;
    size_t n = fx_lines(lines_buf, lines_len, &lines, &lens);
    size_t nr = fx_lines(exp_buf, exp_len, &rows, &row_lens);
    ck_assert_msg(n == nr, "%s: %zu input lines but %zu expected rows", name, n, nr);
    ck_assert_msg(n >= 3000, "only %zu fixture lines", n);

    Counts c = {0};
    int shown = 0;
    for (size_t i = 0; i < n; i++) check_row(m, name, i, lines[i], lens[i], rows[i], &c, &shown);
    printf("spm %-12s pieces %zu/%zu  ids %zu/%zu  decode %zu/%zu identical\n", name, c.pieces_ok,
           c.total, c.ids_ok, c.total, c.decode_ok, c.total);
    ck_assert_uint_eq(c.pieces_ok, c.total);
    ck_assert_uint_eq(c.ids_ok, c.total);
    ck_assert_uint_eq(c.decode_ok, c.total);

    spm_free(m);
    free(lines);
    free(lens);
    free(rows);
    free(row_lens);
    free(lines_buf);
    free(exp_buf);
}

START_TEST(test_unigram) { check_model("unigram"); }
END_TEST

START_TEST(test_bpe) { check_model("bpe"); }
END_TEST

START_TEST(test_byte_fallback) { check_model("bytefb"); }
END_TEST

START_TEST(test_identity_suffix_user_defined) { check_model("ident"); }
END_TEST

/* The default model's tokenizers: scripts/fixtures_spm.py writes their expected output when
 * models/en-hi.gguf exists, so with the model there the fixtures must be there too. */
START_TEST(test_default_model) {
    static const char *const sides[] = {"enhi-source", "enhi-target"};
    for (int i = 0; i < 2; i++) {
        char path[256];
        snprintf(path, sizeof path, SPM_FIXTURES "%s.expected", sides[i]);
        FILE *f = fopen(path, "rb");
        FILE *model = fopen(DEFAULT_GGUF, "rb");
        if (model) fclose(model);
        ck_assert_msg(f || !model, "%s exists but %s does not (scripts/fixtures_spm.py)",
                      DEFAULT_GGUF, path);
        if (!f) {
            printf("spm %-12s no fixture yet (run make fixtures once %s exists)\n", sides[i],
                   DEFAULT_GGUF);
            continue;
        }
        fclose(f);
        check_model(sides[i]);
    }
}
END_TEST

int main(void) {
    Suite *s = suite_create("spm");
    TCase *tc = tcase_create("agreement");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_unigram);
    tcase_add_test(tc, test_bpe);
    tcase_add_test(tc, test_byte_fallback);
    tcase_add_test(tc, test_identity_suffix_user_defined);
    tcase_add_test(tc, test_default_model);
    suite_add_tcase(s, tc);
    return check_run(s);
}
