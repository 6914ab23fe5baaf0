/* The step view's screens: one decoding step (candidates, cross- and self-attention rows, the
 * context vector), and after the last step the full target x source and self-attention
 * tables. Built as text in a VBuf; view_step.c decides where it goes. */
#include <stdlib.h>
#include <string.h>

#include "view_screen.h"

const char *view_style(const StepView *v, const char *code) { return v->color ? code : ""; }

/* ---------- grouping (pieces or words) ---------- */

typedef struct {
    int n;        /* groups */
    int *of;      /* [n_items] group of each item */
    char **label; /* [n] */
} Groups;

static int groups_make(Groups *g, const char *const *items, int n, int words) {
    g->of = malloc(((size_t)n + 1) * sizeof *g->of);
    g->label = calloc((size_t)n + 1, sizeof *g->label);
    if (!g->of || !g->label) return -1;
    if (words) return (g->n = view_group(items, n, g->of, g->label)) < 0 ? -1 : 0;
    g->n = n;
    for (int i = 0; i < n; i++) {
        g->of[i] = i;
        char buf[256];
        if (!(g->label[i] = strdup(view_show(items[i], buf, sizeof buf)))) return -1;
    }
    return 0;
}

static void groups_free(Groups *g) {
    view_free_labels(g->label, g->n > 0 ? g->n : 0);
    free(g->of);
    memset(g, 0, sizeof *g);
}

/* out[group] = sum of x over the group's items. */
static void sum_groups(const Groups *g, const float *x, int n, float *out) {
    for (int k = 0; k < g->n; k++) out[k] = 0;
    for (int i = 0; i < n; i++) out[g->of[i]] += x[i];
}

static int source_groups(const StepView *v, Groups *g) {
    return groups_make(g, (const char *const *)v->rec.src_pieces, v->rec.src_len, v->words);
}

/* Decoder inputs 0..n-1 (start piece, then the generated tokens). */
static int prefix_groups(const StepView *v, const ViewRecord *r, int n, Groups *g) {
    const char **p = malloc(((size_t)n + 1) * sizeof *p);
    if (!p) return -1;
    for (int i = 0; i < n; i++) p[i] = view_prefix_piece(r, i);
    int rc = groups_make(g, p, n, v->words);
    free(p);
    return rc;
}

/* Display columns of p[0..n) on a terminal: colour escapes (ESC [ ... letter) take none. */
static int shown_width(const char *p, size_t n) {
    int w = 0;
    size_t i = 0, run = 0;
    while (i < n) {
        if (p[i] == '\033' && i + 1 < n && p[i + 1] == '[') {
            w += view_width_n(p + run, i - run);
            i += 2;
            while (i < n && !((p[i] >= 'A' && p[i] <= 'Z') || (p[i] >= 'a' && p[i] <= 'z'))) i++;
            run = i < n ? ++i : i;
        } else {
            i++;
        }
    }
    return w + view_width_n(p + run, n - run);
}

/* text (one line, no newline) folded at spaces into lines of at most cols - 1 columns, the
 * continuation lines indented, so a long note does not wrap mid-word on a narrow terminal
 * (and the screen keeps the line count show() scrolls by). A word wider than a line stays
 * whole. */
static void wrapped(VBuf *b, const char *text, int cols, const char *indent) {
    int room = cols > 20 ? cols - 1 : 19, at = 0, ind = view_width(indent);
    const char *p = text;
    while (*p) {
        const char *sp = strchr(p, ' ');
        size_t n = sp ? (size_t)(sp - p) : strlen(p);
        int w = shown_width(p, n);
        if (at > ind && at + 1 + w > room) {
            vb_printf(b, "\n%s", indent);
            at = ind;
        } else if (p != text) {
            vb_puts(b, " ");
            at++;
        }
        vb_put(b, p, n);
        at += w;
        p += n;
        if (*p == ' ') p++;
    }
    vb_puts(b, "\n");
}

/* ---------- one step ---------- */

/* Which attention is shown, long ("mean of the 3 decoder layers, mean of 4 heads") or short
 * ("layers: mean of 3, heads: mean of 4") for a narrow terminal. */
static void describe_attention(const StepView *v, int shorter, char *buf, size_t n) {
    char head[40], layer[48];
    int L = v->rec.n_layers, H = v->rec.n_heads;
    if (v->head == VIEW_MEAN) snprintf(head, sizeof head, "mean of %d heads", H);
    else snprintf(head, sizeof head, "head %d of %d", v->head + 1, H);
    if (v->layer == VIEW_MEAN)
        snprintf(layer, sizeof layer,
                 shorter ? "mean of %d layers" : "mean of the %d decoder layers", L);
    else
        snprintf(layer, sizeof layer, shorter ? "layer %d of %d" : "decoder layer %d of %d%s",
                 v->layer + 1, L, v->layer == L - 1 ? " (last)" : "");
    snprintf(buf, n, "%s, %s", layer, head);
}

static const char *reading_name(const StepView *v, int shorter) {
    if (!v->norm) return shorter ? "weights" : "attention weights";
    return shorter ? "norms" : "norm-based \xe2\x80\x96\xce\xb1\xc2\xb7vW\xe2\x82\x92\xe2\x80\x96";
}

/* The first line, which says what is on screen: the longest form that fits the width; the
 * last is for 80 columns ("anuvad step 2/16 · layers: mean · heads: mean · weights · ..."). */
static void header(StepView *v, VBuf *b, const char *what_fmt, int arg1, int arg2,
                   const char *short_fmt) {
    char pos[64], what[128];
    for (int form = 0; form < 4; form++) {
        snprintf(pos, sizeof pos, form < 3 ? what_fmt : short_fmt, arg1, arg2);
        describe_attention(v, form > 0, what, sizeof what);
        if (form == 3) {
            char l[24], h[24];
            if (v->layer == VIEW_MEAN) snprintf(l, sizeof l, "layers: mean");
            else snprintf(l, sizeof l, "layer %d/%d", v->layer + 1, v->rec.n_layers);
            if (v->head == VIEW_MEAN) snprintf(h, sizeof h, "heads: mean");
            else snprintf(h, sizeof h, "head %d/%d", v->head + 1, v->rec.n_heads);
            snprintf(what, sizeof what, "%s · %s", l, h);
        }
        VBuf h = {0};
        vb_printf(&h, "anuvad step%s%s · %s · %s · %s%s%s", form < 3 ? " · " : " ", pos, what,
                  reading_name(v, form > 1), v->words ? "word" : "piece", form < 3 ? " view" : "s",
                  form != 2 ? " · ? help" : "");
        int fits = view_width(h.p ? h.p : "") <= v->cols - 1 || form == 3;
        if (fits) vb_printf(b, "%s%s%s\n", BOLD(v), h.p ? h.p : "", RESET(v));
        if (h.oom) b->oom = 1;
        vb_free(&h);
        if (fits) return;
    }
}

static void line_of_labels(StepView *v, VBuf *b, const char *name, const Groups *g, int hi) {
    VBuf line = {0};
    vb_printf(&line, "%s%-9s%s", BOLD(v), name, RESET(v));
    for (int k = 0; k < g->n; k++) {
        if (k == hi) vb_printf(&line, "%s", GREEN(v));
        vb_printf(&line, "%s%s", k ? " " : "", g->label[k]);
        if (k == hi) vb_printf(&line, "%s", RESET(v));
    }
    if (line.oom) b->oom = 1;
    else wrapped(b, line.p, v->cols, "         ");
    vb_free(&line);
}

static int label_cols(const Groups *g) {
    int w = 6;
    for (int k = 0; k < g->n; k++)
        if (view_width(g->label[k]) > w) w = view_width(g->label[k]);
    return w > 16 ? 16 : w;
}

/* One "label  0.80 ████" line per group. */
static void weight_rows(StepView *v, VBuf *b, const Groups *g, const float *w, int bar) {
    int lw = label_cols(g);
    for (int k = 0; k < g->n; k++) {
        vb_puts(b, "  ");
        vb_pad(b, g->label[k], lw, 0);
        vb_printf(b, " %.2f %s", (double)w[k], CYAN(v));
        vb_bar(b, w[k], bar);
        vb_printf(b, "%s\n", RESET(v));
    }
}

/* C(हम) = 0.80·e(we) + 0.10·e(are) + ...: the context vector this step reads from the
 * source is the attention-weighted sum of the encoder outputs e(·). With the norm reading
 * the shares are not the weights of a sum, so the line is not written. */
static void context_line(StepView *v, VBuf *b, const char *piece, const Groups *g, const float *w) {
    char buf[256];
    const char *p = strncmp(piece, "\xe2\x96\x81", 3) == 0 ? piece + 3 : piece;
    VBuf line = {0};
    vb_printf(&line, "  %sC(%s)%s = ", BOLD(v), view_show(p, buf, sizeof buf), RESET(v));
    float rest = 0;
    int shown = 0;
    for (int k = 0; k < g->n; k++) {
        if (w[k] < 0.005f) {
            rest += w[k];
            continue;
        }
        vb_printf(&line, "%s%.2f·e(%s)", shown++ ? " + " : "", (double)w[k], g->label[k]);
    }
    if (rest >= 0.005f) vb_printf(&line, " + %.2f·(the rest)", (double)rest);
    if (line.oom) b->oom = 1;
    else if (line.p) wrapped(b, line.p, v->cols, "      ");
    vb_free(&line);
}

/* The n most probable candidates, then where the rest of the probability went: the softmax
 * is over the whole vocabulary, so what the list does not show is spread over the others. */
static void candidates(StepView *v, VBuf *b, const ViewStep *s, int n, int bar) {
    if (n < s->n_top)
        vb_printf(b, "%snext token: the top %d of %d candidates%s %s(1-%d: force one)%s\n", BOLD(v),
                  n, s->n_top, RESET(v), DIM(v), s->n_top, RESET(v));
    else
        vb_printf(b, "%snext token: the top %d candidates%s %s(press 1-%d to force one)%s\n",
                  BOLD(v), n, RESET(v), DIM(v), n, RESET(v));
    int lw = 6;
    for (int k = 0; k < n; k++)
        if (view_width(s->top[k].piece) + 1 > lw) lw = view_width(s->top[k].piece) + 1;
    if (lw > 16) lw = 16;
    double shown = 0;
    for (int k = 0; k < n; k++) {
        int is = view_beam_kept(v, s->top[k].id);
        vb_printf(b, "%s%s %d ", is ? GREEN(v) : "", is ? "→" : " ", k + 1);
        char buf[256];
        vb_pad(b, view_show(s->top[k].piece, buf, sizeof buf), lw, 0);
        vb_printf(b, " %.3f %s", (double)s->top[k].prob, is ? "" : CYAN(v));
        vb_bar(b, s->top[k].prob, bar);
        vb_printf(b, "%s\n", RESET(v));
        shown += s->top[k].prob;
    }
    char buf[256];
    VBuf line = {0};
    if (v->opt.beam_size > 1) /* the shown step's own token may not be what the beams kept */
        vb_printf(&line, "  →: kept as hypotheses of the next step");
    else
        vb_printf(&line, "  chosen: %s%s%s p=%.3f", GREEN(v), view_show(s->piece, buf, sizeof buf),
                  RESET(v), (double)s->prob);
    /* Forcing candidate 1 keeps the model's own choice: nothing the user changed. */
    if (s->forced && !(s->n_top > 0 && s->top[0].id == s->token))
        vb_printf(&line, " %s(forced by you)%s", YELLOW(v), RESET(v));
    double rest = 1.0 - shown;
    vb_printf(&line, " %s· all other tokens: %.3f%s", DIM(v), rest < 0 ? 0.0 : rest, RESET(v));
    if (line.oom) b->oom = 1;
    else wrapped(b, line.p, v->cols, "    ");
    vb_free(&line);
}

static int count_lines(const VBuf *b) {
    int n = 0;
    for (size_t i = 0; i < b->n; i++) n += b->p[i] == '\n';
    return n;
}

static int block_width(const VBuf *b) {
    int w = 0;
    for (const char *p = b->p ? b->p : ""; *p;) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        int k = shown_width(p, n);
        if (k > w) w = k;
        p += n + (e != NULL);
    }
    return w;
}

/* Two blocks of lines side by side, `gap` columns apart. */
static void side_by_side(VBuf *b, const VBuf *l, const VBuf *r, int gap) {
    int lw = block_width(l);
    const char *p = l->p ? l->p : "", *q = r->p ? r->p : "";
    while (*p || *q) {
        const char *e = strchr(p, '\n'), *f = strchr(q, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p), m = f ? (size_t)(f - q) : strlen(q);
        vb_put(b, p, n);
        if (m) vb_repeat(b, " ", lw + gap - shown_width(p, n));
        vb_put(b, q, m);
        vb_puts(b, "\n");
        p += n + (e != NULL);
        q += m + (f != NULL);
    }
}

/* The attention rows of step t: cross-attention over the source beside self-attention over
 * the output so far when both fit the width, else one under the other; the longest titles and
 * bars that fit. */
static void attention_block(StepView *v, VBuf *b, int t, const Groups *src, const float *cw,
                            const Groups *pre, const float *sw) {
    int cols = v->cols - 1;
    for (int form = 0; form < 4; form++) {
        int bar = form == 0 ? 20 : form == 1 ? 12 : 8;
        int stacked = form == 3;
        if (stacked)
            bar =
                cols - 10 - (label_cols(src) > label_cols(pre) ? label_cols(src) : label_cols(pre));
        if (bar > 20) bar = 20;
        if (bar < 4) bar = 4;
        VBuf l = {0}, r = {0};
        if (form == 0 && v->norm)
            vb_printf(&l, "%scross-attention, norms%s: what each source piece adds\n", BOLD(v),
                      RESET(v));
        else if (form == 0)
            vb_printf(&l, "%scross-attention%s: where step %d reads the source\n", BOLD(v),
                      RESET(v), t + 1);
        else
            vb_printf(&l, "%scross-attention%s (source%s)\n", BOLD(v), RESET(v),
                      v->norm ? ", norms" : "");
        weight_rows(v, &l, src, cw, bar);
        if (form == 0)
            vb_printf(&r, "%sself-attention%s: where it reads its own output\n", BOLD(v), RESET(v));
        else vb_printf(&r, "%sself-attention%s (so far)\n", BOLD(v), RESET(v));
        weight_rows(v, &r, pre, sw, bar);
        int fits = block_width(&l) + 3 + block_width(&r) <= cols;
        if (l.oom || r.oom) b->oom = 1;
        else if (stacked) vb_printf(b, "%s%s", l.p, r.p);
        else if (fits) side_by_side(b, &l, &r, 3);
        vb_free(&l);
        vb_free(&r);
        if (stacked || fits) return;
    }
}

/* One short dim line, folded at spaces if the terminal is narrower still. */
static void note(StepView *v, VBuf *b, const char *text) {
    VBuf line = {0};
    vb_printf(&line, "%s  %s%s", DIM(v), text, RESET(v));
    if (line.oom) b->oom = 1;
    else wrapped(b, line.p, v->cols, "  ");
    vb_free(&line);
}

static int render_step(StepView *v, VBuf *b) {
    const ViewRecord *r = view_shown(v);
    int t = v->cur, rc = -1;
    const ViewStep *s = &r->steps[t];
    Groups src = {0}, pre = {0};
    float *cw = malloc(((size_t)r->src_len + (size_t)t + 2) * sizeof *cw);
    float *sw = malloc(((size_t)r->src_len + (size_t)t + 2) * sizeof *sw);
    float *row = malloc(((size_t)r->src_len + (size_t)t + 2) * sizeof *row);
    VBuf top = {0}, att = {0}, end = {0}, cand = {0};
    if (!cw || !sw || !row || source_groups(v, &src) || prefix_groups(v, r, t + 1, &pre)) goto done;

    header(v, &top, "step %d of %d", t + 1, v->rec.n_steps, "%d/%d");
    line_of_labels(v, &top, "source", &src, -1);
    line_of_labels(v, &top, "so far", &pre, -1);
    char buf[256];
    const char *start = view_prefix_piece(r, 0);
    VBuf tmp = {0};
    vb_printf(&tmp, "%s: the start token, the decoder's first input (Marian starts from pad)",
              view_show(start, buf, sizeof buf));
    note(v, &top, tmp.p ? tmp.p : "");
    vb_free(&tmp);
    if (v->opt.beam_size > 1) view_beam_list(v, &top);

    view_source_row(r, t, v->layer, v->head, v->norm, row);
    sum_groups(&src, row, r->src_len, cw);
    view_self_row(r, t, v->layer, v->head, row);
    sum_groups(&pre, row, t + 1, sw);
    attention_block(v, &att, t, &src, cw, &pre, sw);

    if (v->norm) {
        note(v, &end,
             "norms: each piece's share of \xe2\x80\x96\xce\xb1\xc2\xb7"
             "vW\xe2\x82\x92\xe2\x80\x96, what it adds to the output (? help)");
    } else {
        context_line(v, &end, s->piece, &src, cw);
        note(v, &end,
             "e(x): the encoder's output at source piece x (in context), not its embedding");
    }
    /* --align reads exactly these rows only with the mean of layers and heads. */
    if (!v->norm && v->layer == VIEW_MEAN && v->head == VIEW_MEAN)
        note(v, &end, "--align reads these rows: the mean of layers and heads");

    /* As many candidates as the terminal has rows for (at least 3), then blank lines
     * between the parts if there is still room. */
    int room = v->rows > 0 ? v->rows - 1 : 1 << 20;
    int fixed = count_lines(&top) + count_lines(&att) + count_lines(&end) + 2;
    int n = room - fixed;
    if (n > s->n_top) n = s->n_top;
    if (n < 3) n = s->n_top < 3 ? s->n_top : 3;
    candidates(v, &cand, s, n, v->cols >= 100 ? 30 : 20);
    int spare = room - fixed - n - (count_lines(&cand) - n - 2);
    vb_put(b, top.p, top.n);
    if (spare-- > 0) vb_puts(b, "\n");
    vb_put(b, cand.p, cand.n);
    if (spare-- > 0) vb_puts(b, "\n");
    vb_put(b, att.p, att.n);
    if (spare-- > 0) vb_puts(b, "\n");
    vb_put(b, end.p, end.n);
    rc = b->oom || top.oom || att.oom || end.oom || cand.oom ? -1 : 0;
done:
    free(cw);
    free(sw);
    free(row);
    vb_free(&top);
    vb_free(&att);
    vb_free(&end);
    vb_free(&cand);
    groups_free(&src);
    groups_free(&pre);
    return rc;
}

/* ---------- the end: full tables ---------- */

/* Rows = target groups (over steps 0..T-1), each the mean over its steps of the step's row
 * summed into column groups. cross: columns = source; else columns = decoder inputs. */
static int table(StepView *v, VBuf *b, int cross) {
    const ViewRecord *r = &v->rec;
    int T = r->n_steps, rc = -1;
    Groups rows = {0}, cols = {0};
    const char **tp = malloc(((size_t)T + 1) * sizeof *tp);
    int n_in = cross ? r->src_len : T; /* self: inputs 0..T-1 */
    float *row = malloc(((size_t)n_in + 1) * sizeof *row);
    float *acc = NULL, *tmp = NULL;
    int *count = NULL;
    if (!tp || !row) goto done;
    for (int t = 0; t < T; t++) tp[t] = r->steps[t].piece;
    if (groups_make(&rows, tp, T, v->words) ||
        (cross ? source_groups(v, &cols) : prefix_groups(v, r, T, &cols)))
        goto done;
    acc = calloc((size_t)rows.n * (size_t)cols.n + 1, sizeof *acc);
    tmp = calloc((size_t)cols.n + 1, sizeof *tmp);
    count = calloc((size_t)rows.n + 1, sizeof *count);
    if (!acc || !tmp || !count) goto done;
    for (int t = 0; t < T; t++) {
        if (cross) view_source_row(r, t, v->layer, v->head, v->norm, row);
        else {
            for (int i = 0; i < n_in; i++) row[i] = 0;
            view_self_row(r, t, v->layer, v->head, row);
        }
        sum_groups(&cols, row, cross ? n_in : t + 1, tmp);
        for (int k = 0; k < cols.n; k++) acc[(size_t)rows.of[t] * cols.n + k] += tmp[k];
        count[rows.of[t]]++;
    }
    int lw = label_cols(&rows) + 2;
    vb_repeat(b, " ", lw);
    for (int k = 0; k < cols.n; k++) {
        int w = view_width(cols.label[k]) + 1;
        vb_pad(b, cols.label[k], w < 6 ? 6 : w > 12 ? 12 : w, 0);
    }
    vb_puts(b, "\n");
    for (int j = 0; j < rows.n; j++) {
        vb_pad(b, rows.label[j], lw, 0);
        /* self-attention is masked: a row sees only the inputs before its first step */
        int first = 0;
        while (first < T && rows.of[first] != j) first++;
        int visible = cross ? cols.n : cols.of[first] + 1;
        for (int k = 0; k < cols.n; k++) {
            int w = view_width(cols.label[k]) + 1;
            w = w < 6 ? 6 : w > 12 ? 12 : w;
            char cell[16] = "";
            if (k < visible)
                snprintf(cell, sizeof cell, "%.2f",
                         (double)(acc[(size_t)j * cols.n + k] / count[j]));
            vb_pad(b, k < visible ? cell : "·", w, 0);
        }
        vb_puts(b, "\n");
    }
    rc = b->oom ? -1 : 0;
done:
    free(tp);
    free(row);
    free(acc);
    free(tmp);
    free(count);
    groups_free(&rows);
    groups_free(&cols);
    return rc;
}

static int render_end(StepView *v, VBuf *b) {
    char align[200];
    header(v, b, "done in %d steps", v->rec.n_steps, 0, "done");
    vb_printf(b, "%ssource%s       %s\n%stranslation%s  %s%s%s\n\n", BOLD(v), RESET(v), v->text,
              BOLD(v), RESET(v), GREEN(v), v->translation ? v->translation : "", RESET(v));
    vb_printf(b, "%scross-attention%s (rows: target, columns: source%s)\n", BOLD(v), RESET(v),
              v->words ? "; a word's row is the mean of its pieces' rows" : "");
    if (table(v, b, 1)) return -1;
    vb_printf(b, "\n%sself-attention%s (rows: target, columns: the decoder's inputs; · = masked)\n",
              BOLD(v), RESET(v));
    if (table(v, b, 0)) return -1;
    ViewWordMatrix m;
    if (v->rec.n_steps && !view_word_matrix(&v->rec, view_align_default, &m)) {
        view_align_describe(&v->rec, view_align_default, align, sizeof align);
        vb_printf(b, "\n%salignment%s (source word-target word, as --align prints it): ", BOLD(v),
                  RESET(v));
        view_align_pharaoh(&m, b);
        VBuf note = {0};
        vb_printf(&note, "%s  from %s%s", DIM(v), align, RESET(v));
        vb_puts(b, "\n");
        if (note.oom) b->oom = 1;
        else wrapped(b, note.p, v->cols, "  ");
        vb_free(&note);
        view_word_matrix_free(&m);
    }
    return b->oom ? -1 : 0;
}

int view_render(StepView *v, VBuf *b) {
    b->n = 0;
    if (b->p) b->p[0] = 0;
    return v->cur < v->rec.n_steps ? render_step(v, b) : render_end(v, b);
}

void view_clip_lines(const StepView *v, VBuf *out, const char *p, size_t n) {
    int limit = v->cols - 1;
    size_t i = 0;
    while (i < n) {
        int col = 0, cut = 0, styled = 0;
        while (i < n && p[i] != '\n') {
            if (p[i] == '\033' && i + 1 < n && p[i + 1] == '[') { /* colour: no columns */
                styled = 1;
                size_t j = i + 2;
                while (j < n && !((p[j] >= 'A' && p[j] <= 'Z') || (p[j] >= 'a' && p[j] <= 'z')))
                    j++;
                j = j < n ? j + 1 : j;
                vb_put(out, p + i, j - i);
                i = j;
                continue;
            }
            int len;
            view_utf8_decode(p + i, n - i, &len);
            int w = view_width_n(p + i, (size_t)len);
            if (!cut && col + w > limit) cut = 1;
            if (!cut) {
                vb_put(out, p + i, (size_t)len);
                col += w;
            }
            i += (size_t)len;
        }
        if (cut && styled) vb_puts(out, RESET(v));
        if (i < n) vb_puts(out, "\n"), i++;
    }
}
