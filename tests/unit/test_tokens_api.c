/* Token-list input (anuvad_translate_tokens, _batch) on the default model: the pieces of a text
 * give what the text gives (translation, ids, scores, attention, warnings; greedy, beam, rows
 * and workers), which on the reference sentences is the PyTorch reference's translation; a
 * piece the vocabulary lacks is the unk id, as the tokenizer maps it; bad piece lists are
 * usage errors, not crashes. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anuvad.h"
#include "check_run.h"

#define MODEL "models/en-hi.gguf"
#define TSV "tests/fixtures/engine/en-hi-greedy.tsv" /* source<TAB>PyTorch's greedy output */
#define MAX_LINES 600
#define WB "\xe2\x96\x81" /* U+2581, SentencePiece's word boundary */

static AnuvadModel *m;
static int n_lines;
static char *src[MAX_LINES], *want[MAX_LINES];
static AnuvadTokens tok[MAX_LINES];

static void setup(void) {
    char err[512], line[2048];
    m = anuvad_load(MODEL, 1, NULL, err, sizeof err);
    ck_assert_msg(m != NULL, "%s", err);
    FILE *f = fopen(TSV, "r");
    ck_assert_ptr_nonnull(f);
    n_lines = 0;
    while (n_lines < MAX_LINES && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = 0;
        char *tab = strchr(line, '\t');
        if (line[0] == '#' || !tab) continue;
        *tab = 0;
        src[n_lines] = strdup(line);
        want[n_lines] = strdup(tab + 1);
        const AnuvadTokenizer *t = anuvad_tokenizer(m, ANUVAD_SOURCE);
        ck_assert_int_eq(anuvad_tokenize(t, line, strlen(line), &tok[n_lines], err, sizeof err),
                         ANUVAD_OK);
        n_lines++;
    }
    fclose(f);
    ck_assert_int_eq(n_lines, 500);
}

static void teardown(void) {
    for (int i = 0; i < n_lines; i++) free(src[i]), free(want[i]), anuvad_tokens_free(&tok[i]);
    anuvad_free(m);
}

static const char *const *pieces(int i) { return (const char *const *)tok[i].pieces; }

/* Two results the same to the bit (floats compared as bytes), warnings included. */
static void same_result(const AnuvadResult *a, const AnuvadResult *b, int line) {
    ck_assert_msg(a->status == b->status, "line %d: status %d vs %d", line, a->status, b->status);
    ck_assert_int_eq(a->src_len, b->src_len);
    ck_assert_int_eq(a->n_warnings, b->n_warnings);
    for (int i = 0; i < a->n_warnings; i++) ck_assert_str_eq(a->warnings[i], b->warnings[i]);
    ck_assert_int_eq(a->n_hypotheses, b->n_hypotheses);
    for (int k = 0; k < a->n_hypotheses; k++) {
        const AnuvadHypothesis *x = &a->hypotheses[k], *y = &b->hypotheses[k];
        ck_assert_str_eq(x->text, y->text);
        ck_assert_int_eq(x->n_tokens, y->n_tokens);
        size_t n = (size_t)x->n_tokens;
        ck_assert(!memcmp(x->tokens, y->tokens, n * sizeof *x->tokens));
        ck_assert((x->log_probs == NULL) == (y->log_probs == NULL)); /* rows keep none */
        if (x->log_probs) ck_assert(!memcmp(x->log_probs, y->log_probs, n * sizeof *x->log_probs));
        ck_assert(!memcmp(&x->score, &y->score, sizeof x->score));
        ck_assert((x->attention == NULL) == (y->attention == NULL));
        if (x->attention)
            ck_assert(!memcmp(x->attention, y->attention,
                              n * (size_t)a->src_len * sizeof *x->attention));
    }
}

START_TEST(pieces_translate_as_their_text) {
    AnuvadOptions o;
    anuvad_options_default(&o);
    o.return_attention = 1;
    for (int i = 0; i < n_lines; i++) {
        AnuvadResult a, b;
        ck_assert_int_eq(anuvad_translate(m, src[i], &o, &a), ANUVAD_OK);
        ck_assert_int_eq(anuvad_translate_tokens(m, pieces(i), tok[i].n, &o, &b), ANUVAD_OK);
        same_result(&a, &b, i + 1);
        ck_assert_str_eq(b.hypotheses[0].text, want[i]); /* and so the reference's */
        anuvad_result_free(&a);
        anuvad_result_free(&b);
    }
}
END_TEST

START_TEST(beam_search_on_pieces) {
    AnuvadOptions o;
    anuvad_options_default(&o);
    o.beam_size = 4, o.n_best = 3, o.length_penalty = 0.6f, o.early_stopping = 1;
    o.return_attention = 1; /* beam search kept no attention rows and crashed here once */
    for (int i = 0; i < 40; i++) {
        AnuvadResult a, b;
        ck_assert_int_eq(anuvad_translate(m, src[i], &o, &a), ANUVAD_OK);
        ck_assert_int_eq(anuvad_translate_tokens(m, pieces(i), tok[i].n, &o, &b), ANUVAD_OK);
        same_result(&a, &b, i + 1);
        for (int k = 0; k < b.n_hypotheses; k++) /* each row a distribution over the source */
            for (int t = 0; t < b.hypotheses[k].n_tokens; t++) {
                double sum = 0;
                for (int j = 0; j < b.src_len; j++)
                    sum += b.hypotheses[k].attention[(size_t)t * b.src_len + j];
                ck_assert_msg(fabs(sum - 1) < 1e-4, "line %d hyp %d row %d: %g", i + 1, k, t, sum);
            }
        anuvad_result_free(&a);
        anuvad_result_free(&b);
    }
}
END_TEST

/* The batch forms agree, one at a time, on 2 workers and as rows of 8. */
START_TEST(batches_of_pieces) {
    enum { N = 64 };
    const char *const *lists[N];
    int lengths[N];
    for (int i = 0; i < N; i++) lists[i] = pieces(i), lengths[i] = tok[i].n;
    for (int run = 0; run < 3; run++) {
        AnuvadOptions o;
        anuvad_options_default(&o);
        o.workers = run == 1 ? 2 : 0;
        o.batch_size = run == 2 ? 8 : 0;
        AnuvadResult a[N], b[N];
        char err[256];
        ck_assert_int_eq(anuvad_translate_batch(m, (const char *const *)src, N, &o, a, err,
                                                sizeof err),
                         ANUVAD_OK);
        ck_assert_int_eq(anuvad_translate_tokens_batch(m, lists, lengths, N, &o, b, err, sizeof err),
                         ANUVAD_OK);
        for (int i = 0; i < N; i++) {
            same_result(&a[i], &b[i], i + 1);
            ck_assert_str_eq(b[i].hypotheses[0].text, want[i]);
            anuvad_result_free(&a[i]);
            anuvad_result_free(&b[i]);
        }
    }
}
END_TEST

/* The snowman is in no vocabulary of this model: the tokenizer makes it a piece of its own
 * with the unk id, and the same piece passed as a token is the unk id too. */
START_TEST(unknown_pieces_are_unk) {
    AnuvadInfo info;
    anuvad_info(m, &info);
    const char *text = "we \xe2\x98\x83 are friends";
    AnuvadTokens t;
    char err[256];
    ck_assert_int_eq(anuvad_tokenize(anuvad_tokenizer(m, ANUVAD_SOURCE), text, strlen(text), &t,
                                     err, sizeof err),
                     ANUVAD_OK);
    int at = -1;
    for (int i = 0; i < t.n; i++)
        if (t.ids[i] == info.source_unk) at = i;
    ck_assert_msg(at >= 0, "the test needs a piece the tokenizer maps to unk");
    AnuvadResult a, b, c, d;
    ck_assert_int_eq(anuvad_translate(m, text, NULL, &a), ANUVAD_OK);
    ck_assert_int_eq(anuvad_translate_tokens(m, (const char *const *)t.pieces, t.n, NULL, &b),
                     ANUVAD_OK);
    same_result(&a, &b, 0); /* the unknown-word warning included */
    ck_assert_int_ge(b.n_warnings, 1);
    /* Any piece outside the vocabulary reads as the unk piece itself. */
    const char *p[16];
    for (int i = 0; i < t.n && i < 16; i++) p[i] = t.pieces[i];
    p[at] = WB "no-such-piece";
    ck_assert_int_eq(anuvad_translate_tokens(m, p, t.n, NULL, &c), ANUVAD_OK);
    p[at] = anuvad_source_piece(m, info.source_unk);
    ck_assert_int_eq(anuvad_translate_tokens(m, p, t.n, NULL, &d), ANUVAD_OK);
    ck_assert_str_eq(c.hypotheses[0].text, a.hypotheses[0].text);
    ck_assert_int_eq(c.hypotheses[0].n_tokens, d.hypotheses[0].n_tokens);
    ck_assert(!memcmp(c.hypotheses[0].tokens, d.hypotheses[0].tokens,
                      (size_t)c.hypotheses[0].n_tokens * sizeof(int)));
    ck_assert(c.hypotheses[0].score == d.hypotheses[0].score);
    ck_assert(c.hypotheses[0].score == a.hypotheses[0].score);
    anuvad_result_free(&a);
    anuvad_result_free(&b);
    anuvad_result_free(&c);
    anuvad_result_free(&d);
    anuvad_tokens_free(&t);
}
END_TEST

/* A split the tokenizer would not make is translated as given, not re-split. */
START_TEST(pieces_are_not_resplit) {
    const char *given[] = {WB "we", WB "are", WB "friends"};
    AnuvadResult r;
    ck_assert_int_eq(anuvad_translate_tokens(m, given, 3, NULL, &r), ANUVAD_OK);
    ck_assert_int_eq(r.src_len, 4); /* the text would be 4 pieces and </s> */
    anuvad_result_free(&r);
}
END_TEST

START_TEST(bad_piece_lists) {
    AnuvadResult r;
    const char *with_null[] = {WB "we", NULL};
    ck_assert_int_eq(anuvad_translate_tokens(m, with_null, 2, NULL, &r), ANUVAD_ERR_USAGE);
    ck_assert_int_eq(r.n_hypotheses, 0);
    ck_assert_msg(strstr(r.error, "piece 1 is NULL") != NULL, "%s", r.error);
    anuvad_result_free(&r);
    ck_assert_int_eq(anuvad_translate_tokens(m, NULL, -1, NULL, &r), ANUVAD_ERR_USAGE);
    anuvad_result_free(&r);
    ck_assert_int_eq(anuvad_translate_tokens(m, NULL, 0, NULL, &r), ANUVAD_OK); /* empty */
    ck_assert_int_eq(r.n_hypotheses, 1);
    ck_assert_str_eq(r.hypotheses[0].text, "");
    anuvad_result_free(&r);
    const char *const *lists[2] = {pieces(0), with_null};
    int lengths[2] = {tok[0].n, 2};
    AnuvadResult rs[2];
    char err[256];
    ck_assert_int_eq(anuvad_translate_tokens_batch(m, lists, lengths, 2, NULL, rs, err, sizeof err),
                     ANUVAD_ERR_USAGE);
    ck_assert_msg(strstr(err, "sentence 1: piece 1 is NULL") != NULL, "%s", err);
    ck_assert_int_eq(rs[0].n_hypotheses, 0); /* nothing was translated */
    AnuvadOptions o;
    anuvad_options_default(&o);
    o.beam_size = 99;
    ck_assert_int_eq(anuvad_translate_tokens(m, pieces(0), tok[0].n, &o, &r), ANUVAD_ERR_USAGE);
    anuvad_result_free(&r);
}
END_TEST

int main(void) {
    Suite *s = suite_create("tokens_api");
    TCase *tc = tcase_create("tokens");
    tcase_set_timeout(tc, 600);
    tcase_add_unchecked_fixture(tc, setup, teardown);
    tcase_add_test(tc, pieces_translate_as_their_text);
    tcase_add_test(tc, beam_search_on_pieces);
    tcase_add_test(tc, batches_of_pieces);
    tcase_add_test(tc, unknown_pieces_are_unk);
    tcase_add_test(tc, pieces_are_not_resplit);
    tcase_add_test(tc, bad_piece_lists);
    suite_add_tcase(s, tc);
    return check_run(s);
}
