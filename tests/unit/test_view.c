/* The step view's data: every step is recorded, attention rows are distributions, forced
 * tokens are honoured, the JSON trace parses and carries the same rows, pieces group into
 * words, display widths match tmux, alignments follow the reading asked for. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "anuvad.h"
#include "check_run.h"
#include "cli/view/view.h"
#include "cli/view/view_screen.h"

#define MODEL "tests/fixtures/engine/cli_tiny.gguf"

static AnuvadModel *load(void) {
    char err[512];
    AnuvadModel *m = anuvad_load(MODEL, 0, NULL, err, sizeof err);
    ck_assert_msg(m != NULL, "%s", err);
    return m;
}

static void translate(AnuvadModel *m, const char *text, const int *forced, int n_forced,
                      ViewRecord *r, char **out) {
    AnuvadOptions o;
    anuvad_options_default(&o);
    o.forced = forced;
    o.n_forced = n_forced;
    o.top_k = 9;
    o.on_step = view_record_step;
    o.step_user = r;
    AnuvadResult res;
    int rc = anuvad_translate(m, text, &o, &res);
    ck_assert_msg(rc == 0, "%s", res.error);
    ck_assert(!r->oom);
    *out = res.hypotheses[0].text;
    res.hypotheses[0].text = NULL;
    anuvad_result_free(&res);
}

static void assert_distribution(const float *x, int n, const char *what, int t) {
    double s = 0;
    for (int i = 0; i < n; i++) {
        ck_assert_msg(x[i] >= 0 && x[i] <= 1, "%s step %d: weight %g", what, t, (double)x[i]);
        s += x[i];
    }
    ck_assert_msg(fabs(s - 1) <= 1e-5, "%s step %d: row sums to %.8f", what, t, s);
}

START_TEST(record_rows_are_distributions) {
    AnuvadModel *m = load();
    ViewRecord r = {0};
    char *out;
    translate(m, "we are friends", NULL, 0, &r, &out);
    ck_assert_int_gt(r.n_steps, 0);
    ck_assert_int_gt(r.n_layers * r.n_heads, 0);
    ck_assert_str_eq(r.src_pieces[r.src_len - 1], "</s>");
    for (int t = 0; t < r.n_steps; t++) {
        const ViewStep *s = &r.steps[t];
        ck_assert_int_eq(s->token, s->top[0].id); /* greedy: the top candidate */
        for (int lh = 0; lh < r.n_layers * r.n_heads; lh++) {
            assert_distribution(s->cross + (size_t)lh * r.src_len, r.src_len, "cross", t);
            assert_distribution(s->self + (size_t)lh * (t + 1), t + 1, "self", t);
        }
        float row[64];
        view_cross_row(&r, t, VIEW_MEAN, VIEW_MEAN, row);
        assert_distribution(row, r.src_len, "mean cross", t);
        view_self_row(&r, t, 0, VIEW_MEAN, row);
        assert_distribution(row, t + 1, "mean self", t);
        /* the norm reading: shares of a row; the heads together are at most the sum of the
         * heads (triangle inequality); one head alone is its norms over their sum */
        ck_assert(s->norm && s->norm_layer);
        view_source_row(&r, t, VIEW_MEAN, VIEW_MEAN, VIEW_NORM, row);
        assert_distribution(row, r.src_len, "norm share", t);
        double sum = 0;
        for (int j = 0; j < r.src_len; j++) {
            double heads = 0;
            for (int h = 0; h < r.n_heads; h++) heads += s->norm[(size_t)h * r.src_len + j];
            ck_assert_msg(s->norm_layer[j] <= heads * (1 + 1e-5) + 1e-7,
                          "step %d: heads together %g > their sum %g", t, (double)s->norm_layer[j],
                          heads);
            sum += s->norm[j];
        }
        view_source_row(&r, t, 0, 0, VIEW_NORM, row);
        for (int j = 0; j < r.src_len; j++) ck_assert(fabs(row[j] - s->norm[j] / sum) < 1e-6);
    }
    /* only the last step may produce </s> */
    for (int t = 0; t + 1 < r.n_steps; t++) ck_assert_str_ne(r.steps[t].piece, "</s>");
    /* one step per generated token: the steps' pieces, in order, spell the translation */
    VBuf spelled = {0};
    for (int t = 0; t < r.n_steps; t++) {
        const char *p = r.steps[t].piece;
        if (strcmp(p, "</s>") == 0) continue;
        if (strncmp(p, "▁", 3) == 0) vb_puts(&spelled, spelled.n ? " " : ""), p += 3;
        vb_puts(&spelled, p);
    }
    ck_assert_str_eq(spelled.p ? spelled.p : "", out);
    vb_free(&spelled);
    free(out);
    view_record_clear(&r);
    anuvad_free(m);
}
END_TEST

START_TEST(forced_tokens_are_honoured) {
    AnuvadModel *m = load();
    ViewRecord r = {0};
    char *out;
    translate(m, "the dog runs", NULL, 0, &r, &out);
    /* the step view's "force candidate 3 at step 1" */
    int alt = r.steps[0].top[2].id;
    ck_assert_int_ne(alt, r.steps[0].token);
    free(out);
    view_record_clear(&r);
    translate(m, "the dog runs", &alt, 1, &r, &out);
    ck_assert_int_eq(r.steps[0].token, alt);
    ck_assert(r.steps[0].forced);
    ck_assert_int_gt(r.n_steps, 1); /* decoding went on from it */
    ck_assert(!r.steps[1].forced);
    ck_assert_str_eq(view_prefix_piece(&r, 1), r.steps[0].top[2].piece);
    free(out);
    view_record_clear(&r);
    int three[3] = {7, 8, 9};
    translate(m, "the dog runs", three, 3, &r, &out);
    for (int t = 0; t < 3; t++) ck_assert_int_eq(r.steps[t].token, three[t]);
    free(out);
    view_record_clear(&r);
    anuvad_free(m);
}
END_TEST

/* ---- a small JSON reader: validates and reports every innermost array of numbers ---- */

typedef struct {
    const char *p;
    int steps; /* elements of "steps" */
    int rows_cross, rows_self, bad_rows;
    int self_len_ok;
} Json;

static void ws(Json *j) {
    while (*j->p == ' ' || *j->p == '\n' || *j->p == '\t' || *j->p == '\r') j->p++;
}

static int jstring(Json *j, char *key, size_t n) {
    if (*j->p != '"') return -1;
    size_t k = 0;
    for (j->p++; *j->p != '"'; j->p++) {
        unsigned char c = (unsigned char)*j->p;
        if (c < 0x20) return -1;
        if (c == '\\') {
            j->p++;
            if (*j->p == 'u') {
                for (int i = 1; i <= 4; i++)
                    if (!strchr("0123456789abcdefABCDEF", j->p[i]) || !j->p[i]) return -1;
                j->p += 4;
            } else if (!strchr("\"\\/bfnrt", *j->p) || !*j->p) {
                return -1;
            }
        } else if (key && k + 1 < n) {
            key[k++] = (char)c;
        }
    }
    if (key) key[k] = 0;
    j->p++;
    return 0;
}

static int jvalue(Json *j, const char *key, int depth);

static int jarray(Json *j, const char *key, int depth) {
    j->p++;
    ws(j);
    int n = 0, all_numbers = 1;
    double sum = 0;
    if (*j->p == ']') return j->p++, 0;
    for (;;) {
        ws(j);
        const char *start = j->p;
        if (jvalue(j, key, depth + 1)) return -1;
        if (*start == '-' || (*start >= '0' && *start <= '9')) sum += strtod(start, NULL);
        else all_numbers = 0;
        n++;
        ws(j);
        if (*j->p == ']') break;
        if (*j->p != ',') return -1;
        j->p++;
    }
    j->p++;
    if (strcmp(key, "steps") == 0 && depth == 1) j->steps = n;
    if (all_numbers && (strcmp(key, "cross") == 0 || strcmp(key, "self") == 0)) {
        if (fabs(sum - 1) > 1e-5) j->bad_rows++;
        if (key[0] == 'c') j->rows_cross++;
        else j->rows_self++;
    }
    return 0;
}

static int jobject(Json *j, int depth) {
    j->p++;
    ws(j);
    if (*j->p == '}') return j->p++, 0;
    for (;;) {
        char key[32];
        ws(j);
        if (jstring(j, key, sizeof key)) return -1;
        ws(j);
        if (*j->p++ != ':') return -1;
        ws(j);
        if (jvalue(j, key, depth + 1)) return -1;
        ws(j);
        if (*j->p == '}') break;
        if (*j->p != ',') return -1;
        j->p++;
    }
    j->p++;
    return 0;
}

static int jvalue(Json *j, const char *key, int depth) {
    ws(j);
    if (*j->p == '{') return jobject(j, depth);
    if (*j->p == '[') return jarray(j, key, depth);
    if (*j->p == '"') return jstring(j, NULL, 0);
    for (const char *lit[] = {"true", "false", "null"}, **l = lit; l < lit + 3; l++)
        if (strncmp(j->p, *l, strlen(*l)) == 0) return j->p += strlen(*l), 0;
    char *end;
    strtod(j->p, &end);
    if (end == j->p || *j->p == '+' || *j->p == '.') return -1;
    j->p = end;
    return 0;
}

static int parse(Json *j, const char *s) {
    memset(j, 0, sizeof *j);
    j->p = s;
    if (jvalue(j, "", 0)) return -1;
    ws(j);
    return *j->p ? -1 : 0;
}

START_TEST(trace_json_parses_and_rows_sum_to_one) {
    AnuvadModel *m = load();
    ViewRecord r = {0};
    char *out;
    int forced = 9;
    translate(m, "she reads \"a\" book\\", &forced, 1, &r, &out);
    VBuf b = {0};
    view_trace_json(&r, "she reads \"a\" book\\\x01\xff", out, &b);
    ck_assert(!b.oom);
    ck_assert_ptr_null(strchr(b.p, '\n')); /* one line: JSON Lines */
    Json j;
    ck_assert_msg(parse(&j, b.p) == 0, "invalid JSON near: %.40s", j.p);
    ck_assert_int_eq(j.steps, r.n_steps);
    int lh = r.n_layers * r.n_heads;
    ck_assert_int_eq(j.rows_cross, r.n_steps * lh);
    ck_assert_int_eq(j.rows_self, r.n_steps * lh);
    ck_assert_int_eq(j.bad_rows, 0);
    ck_assert_ptr_nonnull(strstr(b.p, "\"step\":0,\"token\":9,"));
    ck_assert_ptr_nonnull(strstr(b.p, "\"forced\":true"));
    vb_free(&b);
    /* a broken document is refused by the reader (the check can fail) */
    ck_assert_int_ne(parse(&j, "{\"a\":[1,2,]}"), 0);
    ck_assert_int_ne(parse(&j, "{\"a\":\"\x01\"}"), 0);
    free(out);
    view_record_clear(&r);
    anuvad_free(m);
}
END_TEST

START_TEST(json_and_xml_escaping) {
    VBuf b = {0};
    vb_json_str(&b, "a\"b\\c\x01\n\xff\xe0\x80 ▁हम");
    ck_assert_str_eq(b.p, "\"a\\\"b\\\\c\\u0001\\u000a\\ufffd\\ufffd\\ufffd ▁हम\"");
    b.n = 0;
    vb_xml(&b, "<a & \"b\">\x02");
    ck_assert_str_eq(b.p, "&lt;a &amp; &quot;b&quot;&gt;\xef\xbf\xbd");
    vb_free(&b);
}
END_TEST

START_TEST(pieces_group_into_words) {
    const char *p[] = {"▁we", "▁are", "▁friend", "s", ".", "</s>"};
    int g[6];
    char **labels = calloc(6, sizeof *labels);
    ck_assert_int_eq(view_group(p, 6, g, labels), 4);
    int want[6] = {0, 1, 2, 2, 2, 3};
    for (int i = 0; i < 6; i++) ck_assert_int_eq(g[i], want[i]);
    ck_assert_str_eq(labels[2], "friends.");
    ck_assert_str_eq(labels[3], "</s>");
    view_free_labels(labels, 4);
    /* a lone ▁ begins a word that the next piece continues; a special piece stands alone */
    const char *q[] = {"▁", "हम", "▁दोस्त", "<pad>", "हैं", "<unk>"};
    int h[6];
    ck_assert_int_eq(view_group(q, 6, h, NULL), 4);
    ck_assert_int_eq(h[1], 0);
    ck_assert_int_eq(h[4], 3);
    ck_assert_int_eq(h[5], 3); /* <unk> is text inside a word */
}
END_TEST

/* Columns as tmux 3.3 puts the cursor after printing them (measured with #{cursor_x}). */
START_TEST(display_width_matches_tmux) {
    ck_assert_int_eq(view_width("दोस्त"), 4);
    ck_assert_int_eq(view_width("किताबें"), 5);
    ck_assert_int_eq(view_width("ा"), 1);
    ck_assert_int_eq(view_width("ं"), 0);
    ck_assert_int_eq(view_width("्"), 0);
    ck_assert_int_eq(view_width("ः"), 1);
    ck_assert_int_eq(view_width("we"), 2);
    ck_assert_int_eq(view_width("▁हम"), 3);
    ck_assert_int_eq(view_width("e\xcc\x81"), 1);
    ck_assert_int_eq(view_width("中文"), 4);
    /* cutting keeps a consonant's marks with it */
    ck_assert_uint_eq(view_fit("दोस्त", 2), strlen("दो"));
    ck_assert_uint_eq(view_fit("दोस्त", 3), strlen("दोस्"));
    char buf[32];
    ck_assert_str_eq(view_show("ा", buf, sizeof buf), "◌ा"); /* a lone vowel sign gets a base */
    ck_assert_str_eq(view_show("ें", buf, sizeof buf), "◌ें");
    ck_assert_str_eq(view_show("▁हम", buf, sizeof buf), "▁हम");
    ck_assert_str_eq(view_show("", buf, sizeof buf), "");
    VBuf b = {0};
    vb_pad(&b, "हैं", 5, 0);
    ck_assert_int_eq(view_width(b.p), 5);
    vb_free(&b);
}
END_TEST

/* The step view's last guard against wrapping: every line cut to cols - 1 columns, colour
 * escapes kept whole and not counted, a cut coloured line reset, short lines untouched. */
START_TEST(lines_are_clipped_to_the_width) {
    StepView v = {0};
    v.cols = 10;
    v.color = 1;
    const char *in = "\x1b[1mहमदोस्तहैं abcdefgh\x1b[0m\nshort\n0123456789abc\n";
    VBuf b = {0};
    view_clip_lines(&v, &b, in, strlen(in));
    ck_assert(!b.oom);
    const char *p = b.p;
    int n = 0;
    while (*p) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        char line[256];
        snprintf(line, sizeof line, "%.*s", (int)len, p);
        /* the width without escapes */
        char plain[256];
        size_t k = 0;
        for (size_t i = 0; i < len; i++) {
            if (line[i] == '\x1b') {
                while (i < len && line[i] != 'm') i++;
                continue;
            }
            plain[k++] = line[i];
        }
        plain[k] = 0;
        ck_assert_msg(view_width(plain) <= 9, "line %d is %d columns: [%s]", n, view_width(plain),
                      plain);
        if (n == 0) ck_assert_msg(strstr(line, "\x1b[0m") != NULL, "cut coloured line not reset");
        if (n == 1) ck_assert_str_eq(line, "short");
        if (n == 2) ck_assert_str_eq(line, "012345678");
        n++;
        p += len + (e != NULL);
    }
    ck_assert_int_eq(n, 3);
    vb_free(&b);
}
END_TEST

/* A hand-made record: source "▁a ▁b </s>", target "▁x ▁y </s>"; produce-rows point x→b,
 * y→a, so shifted rows (the next step's) point x→a, y→(step 2: b). */
START_TEST(alignment_follows_the_reading) {
    char *src[] = {"▁a", "▁b", "</s>"};
    float cross[3][3] = {{0.1f, 0.8f, 0.1f}, {0.7f, 0.2f, 0.1f}, {0.2f, 0.7f, 0.1f}};
    float self[6] = {1, 0.5f, 0.5f, 0.3f, 0.3f, 0.4f};
    ViewStep steps[3] = {
        {.token = 5, .piece = "▁x", .cross = cross[0], .self = self},
        {.token = 6, .piece = "▁y", .cross = cross[1], .self = self + 1},
        {.token = 2, .piece = "</s>", .cross = cross[2], .self = self + 3},
    };
    ViewRecord r = {.n_layers = 1,
                    .n_heads = 1,
                    .src_len = 3,
                    .src_pieces = src,
                    .start_piece = "<pad>",
                    .n_steps = 3,
                    .steps = steps};
    ViewWordMatrix m;
    VBuf b = {0};
    ck_assert_int_eq(
        view_word_matrix(&r, (ViewAlignConf){0, VIEW_MEAN, VIEW_READ_PRODUCE, 0, VIEW_ATTN}, &m),
        0);
    ck_assert_int_eq(m.n_src, 2);
    ck_assert_int_eq(m.n_tgt, 2);
    ck_assert_str_eq(m.tgt_words[1], "y");
    ck_assert_float_eq_tol(m.w[1], 0.8f, 1e-6f);
    view_align_pharaoh(&m, &b);
    ck_assert_str_eq(b.p, "0-1 1-0");
    view_word_matrix_free(&m);
    b.n = 0;
    ck_assert_int_eq(
        view_word_matrix(&r, (ViewAlignConf){0, VIEW_MEAN, VIEW_READ_SHIFT, 0, VIEW_ATTN}, &m), 0);
    view_align_pharaoh(&m, &b);
    ck_assert_str_eq(b.p, "0-0 1-1");
    view_word_matrix_free(&m);
    vb_free(&b);
}
END_TEST

/* The final tables line up: every line of a table has the same display width, with
 * Devanagari labels (marks of zero and one column) in both views. */
static void assert_table_lines_equal(const char *screen, const char *heading) {
    const char *p = strstr(screen, heading);
    ck_assert_msg(p != NULL, "no %s", heading);
    p = strchr(p, '\n') + 1;
    int width = -1, lines = 0;
    while (*p && *p != '\n') {
        const char *e = strchr(p, '\n');
        int w = view_width_n(p, (size_t)(e - p));
        if (width < 0) width = w;
        ck_assert_msg(w == width, "%s: line %d is %d columns, the first %d: %.*s", heading, lines,
                      w, width, (int)(e - p), p);
        lines++;
        p = e + 1;
    }
    ck_assert_int_ge(lines, 3);
}

START_TEST(tables_line_up) {
    char *src[] = {"▁we", "▁are", "▁friend", "s", "</s>"};
    float cross[4][5] = {{0.7f, 0.1f, 0.1f, 0.05f, 0.05f},
                         {0.1f, 0.1f, 0.6f, 0.1f, 0.1f},
                         {0.1f, 0.6f, 0.1f, 0.1f, 0.1f},
                         {0.2f, 0.2f, 0.2f, 0.2f, 0.2f}};
    float self[10] = {1, 0.5f, 0.5f, 0.2f, 0.3f, 0.5f, 0.25f, 0.25f, 0.25f, 0.25f};
    ViewCand top[4][1] = {
        {{10, "▁हम", 0.9f}}, {{11, "▁दोस्", 0.8f}}, {{12, "त", 0.7f}}, {{13, "▁हैं", 0.6f}}};
    ViewStep steps[5] = {
        {.token = 10, .piece = "▁हम", .n_top = 1, .top = top[0], .cross = cross[0], .self = self},
        {.token = 11,
         .piece = "▁दोस्",
         .n_top = 1,
         .top = top[1],
         .cross = cross[1],
         .self = self + 1},
        {.token = 12, .piece = "त", .n_top = 1, .top = top[2], .cross = cross[2], .self = self + 3},
        {.token = 13,
         .piece = "▁हैं",
         .n_top = 1,
         .top = top[3],
         .cross = cross[3],
         .self = self + 6},
    };
    StepView v = {0};
    v.rec = (ViewRecord){.n_layers = 1,
                         .n_heads = 1,
                         .src_len = 5,
                         .src_pieces = src,
                         .start_piece = "<pad>",
                         .n_steps = 4,
                         .steps = steps};
    v.text = "we are friends";
    v.translation = "हम दोस्त हैं";
    v.head = VIEW_MEAN;
    v.cols = 120;
    for (v.words = 0; v.words < 2; v.words++) {
        VBuf b = {0};
        v.cur = v.rec.n_steps;
        ck_assert_int_eq(view_render(&v, &b), 0);
        assert_table_lines_equal(b.p, "cross-attention (rows");
        assert_table_lines_equal(b.p, "self-attention (rows");
        /* the context vector of a step carries its row: step 2 reads "friend(s)" with 0.60
         * as a piece, 0.70 as a word */
        v.cur = 1;
        ck_assert_int_eq(view_render(&v, &b), 0);
        ck_assert_ptr_nonnull(strstr(b.p, v.words ? "0.70·e(friends)" : "0.60·e(▁friend)"));
        ck_assert_ptr_nonnull(strstr(b.p, "C(दोस्)"));
        vb_free(&b);
    }
}
END_TEST

int main(void) {
    Suite *s = suite_create("view");
    TCase *tc = tcase_create("view");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, record_rows_are_distributions);
    tcase_add_test(tc, forced_tokens_are_honoured);
    tcase_add_test(tc, trace_json_parses_and_rows_sum_to_one);
    tcase_add_test(tc, json_and_xml_escaping);
    tcase_add_test(tc, pieces_group_into_words);
    tcase_add_test(tc, display_width_matches_tmux);
    tcase_add_test(tc, lines_are_clipped_to_the_width);
    tcase_add_test(tc, alignment_follows_the_reading);
    tcase_add_test(tc, tables_line_up);
    suite_add_tcase(s, tc);
    return check_run(s);
}
